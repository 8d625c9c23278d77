/**
 * Verifies image bytes while they stream past: the first bytes must be a PNG or JPEG signature (not an
 * HTML error page), a PNG's first chunk its header, and the last bytes its end marker (not a truncated download). Only a small head and
 * tail are kept, so memory stays flat whatever the image size.
 */

import * as l10n from '@vscode/l10n';
import { concat, endsWith, startsWith } from './bytes';
import { SeedreamError } from '../errors/errors';
import type { OutputFormat } from '../model/catalog';

export interface ImageInfo {
  readonly format: OutputFormat;
  readonly extension: 'png' | 'jpg';
  readonly byteLength: number;
  readonly width?: number;
  readonly height?: number;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The first chunk a PNG must have: its length (13) and type, "IHDR", after the signature. */
const PNG_HEADER_CHUNK = [0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52];
const PNG_END = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]; // "IEND" chunk type and its CRC
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
/** Enough head to find a JPEG's frame header behind typical EXIF/ICC segments. */
const HEAD_BYTES = 64 * 1024;
/** JPEG encoders may pad after the end-of-image marker; look for it near the end. */
const TAIL_BYTES = 64;

export function sniffImageFormat(head: Uint8Array): OutputFormat | undefined {
  if (startsWith(head, PNG_SIGNATURE)) {
    return 'png';
  }
  if (startsWith(head, JPEG_SIGNATURE)) {
    return 'jpeg';
  }
  return undefined;
}

export class ImageCheck {
  private head: Uint8Array = new Uint8Array(0);
  /** The last bytes seen, in a buffer reused for every chunk: no allocation per chunk. */
  private readonly tailBuffer = new Uint8Array(TAIL_BYTES);
  private tailLength = 0;
  private byteLength = 0;

  /** Call for every chunk, in order. Throws as soon as the head is known not to be an image. */
  observe(chunk: Uint8Array): void {
    if (this.head.length < HEAD_BYTES) {
      this.head = concat(this.head, chunk.subarray(0, HEAD_BYTES - this.head.length));
      if (this.head.length >= PNG_SIGNATURE.length && !sniffImageFormat(this.head)) {
        throw notAnImage(this.head);
      }
      if (
        this.head.length >= PNG_SIGNATURE.length + PNG_HEADER_CHUNK.length &&
        sniffImageFormat(this.head) === 'png' &&
        !hasPngHeaderChunk(this.head)
      ) {
        throw new SeedreamError(
          'invalidImage',
          l10n.t('The PNG image is not valid: it does not start with its header chunk (IHDR). Try again.'),
        );
      }
    }
    const kept = Math.min(this.tailLength, TAIL_BYTES - Math.min(chunk.length, TAIL_BYTES));
    this.tailBuffer.copyWithin(0, this.tailLength - kept, this.tailLength);
    this.tailBuffer.set(chunk.subarray(-TAIL_BYTES), kept);
    this.tailLength = kept + Math.min(chunk.length, TAIL_BYTES);
    this.byteLength += chunk.length;
  }

  /** Call once all bytes were observed. */
  finish(): ImageInfo {
    const format = sniffImageFormat(this.head);
    if (!format) {
      throw notAnImage(this.head);
    }
    const tail = this.tailBuffer.subarray(0, this.tailLength);
    const complete = format === 'png' ? endsWith(tail, PNG_END) : containsJpegEnd(tail);
    if (!complete) {
      throw new SeedreamError(
        'invalidImage',
        l10n.t(
          'The {0} image is incomplete ({1} bytes, no end marker): the transfer was cut off. Try again.',
          format.toUpperCase(),
          this.byteLength.toLocaleString('en-US'),
        ),
      );
    }
    return { ...headInfo(this.head, format), byteLength: this.byteLength };
  }
}

/** Format and pixel size from the first bytes of an image file (up to 64 KB), without checking the rest. */
export function describeImageHead(head: Uint8Array): Omit<ImageInfo, 'byteLength'> | undefined {
  const format = sniffImageFormat(head);
  return format && headInfo(head, format);
}

function headInfo(head: Uint8Array, format: OutputFormat): Omit<ImageInfo, 'byteLength'> {
  const dimensions = format === 'png' ? pngDimensions(head) : jpegDimensions(head);
  return { format, extension: format === 'png' ? 'png' : 'jpg', ...dimensions };
}

/** Checks a whole image held in memory (b64_json results, tests). */
export function inspectImage(bytes: Uint8Array): ImageInfo {
  const check = new ImageCheck();
  check.observe(bytes);
  return check.finish();
}

function notAnImage(head: Uint8Array): SeedreamError {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 200)).trim();
  const looksLikeHtml = /^<(!doctype|html|\?xml|head|body)/i.test(text);
  const what = looksLikeHtml
    ? l10n.t('an HTML page')
    : head.length === 0
      ? l10n.t('an empty body')
      : l10n.t('data that is neither PNG nor JPEG');
  return new SeedreamError('invalidImage', l10n.t('The image download returned {0} instead of an image.', what));
}

function hasPngHeaderChunk(head: Uint8Array): boolean {
  return PNG_HEADER_CHUNK.every((byte, i) => head[PNG_SIGNATURE.length + i] === byte);
}

function pngDimensions(head: Uint8Array): { width?: number; height?: number } {
  // Signature (8), IHDR length (4), "IHDR" (4), then width and height as big-endian 32-bit integers.
  if (head.length < 24 || !hasPngHeaderChunk(head)) {
    return {};
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegDimensions(head: Uint8Array): { width?: number; height?: number } {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let offset = 2;
  while (offset + 9 < head.length) {
    if (head[offset] !== 0xff) {
      return {};
    }
    const marker = head[offset + 1];
    const length = view.getUint16(offset + 2);
    // Start-of-frame markers C0-CF carry the size, except C4 (huffman), C8 (reserved), CC (arithmetic).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return {};
}

function containsJpegEnd(tail: Uint8Array): boolean {
  for (let i = tail.length - 2; i >= 0; i--) {
    if (tail[i] === 0xff && tail[i + 1] === 0xd9) {
      return true;
    }
  }
  return false;
}
