/**
 * The format and pixel size of an image file from its header, without decoding it: what a reference image
 * is checked against before it is sent. Reads only the few bytes each format needs through a reader the
 * caller supplies (a file, a buffer), so a 10 MB photo costs a handful of small reads.
 */

import type { ImageFormat } from '../model/catalog';

export interface ImageHeader {
  readonly format: ImageFormat;
  /** Undefined when the header is cut short or does not say (a BigTIFF, a JPEG with no frame header). */
  readonly width?: number;
  readonly height?: number;
}

/** Reads up to `length` bytes at `offset`; fewer at the end of the file. */
export type ByteReader = (offset: number, length: number) => Promise<Uint8Array>;

/** Enough for the fixed headers of PNG, GIF, BMP and WEBP and the start of TIFF and JPEG. */
const HEAD_BYTES = 32;
/** A JPEG's frame header follows its APPn segments (EXIF, ICC): this many at most are walked. */
const MAX_JPEG_SEGMENTS = 256;
/** A TIFF directory this long at most is read (each entry 12 bytes). */
const MAX_TIFF_ENTRIES = 512;

export async function readImageHeader(read: ByteReader): Promise<ImageHeader | undefined> {
  const head = await read(0, HEAD_BYTES);
  const format = sniffFormat(head);
  switch (format) {
    case 'png':
      return { format, ...pngSize(head) };
    case 'gif':
      return { format, ...sized(head, 10, (view) => [view.getUint16(6, true), view.getUint16(8, true)]) };
    case 'bmp':
      return { format, ...bmpSize(head) };
    case 'webp':
      return { format, ...webpSize(head) };
    case 'jpeg':
      return { format, ...(await jpegSize(read)) };
    case 'tiff':
      return { format, ...(await tiffSize(read, head)) };
    case undefined:
      return undefined;
  }
}

/** The format the first bytes announce, or undefined. */
export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  const ascii = (start: number, end: number): string => String.fromCharCode(...head.subarray(start, end));
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') {
    return 'png';
  }
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return 'jpeg';
  }
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') {
    return 'gif';
  }
  if (ascii(0, 2) === 'BM' && head.length >= 18) {
    return 'bmp';
  }
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    return 'webp';
  }
  if (ascii(0, 4) === 'II*\u0000' || ascii(0, 4) === 'MM\u0000*' || ascii(0, 4) === 'II+\u0000' || ascii(0, 4) === 'MM\u0000+') {
    return 'tiff';
  }
  return undefined;
}

type Size = { readonly width?: number; readonly height?: number };

/** Width and height read by `pick` once `bytes` holds at least `needed` bytes; nothing when it does not. */
function sized(bytes: Uint8Array, needed: number, pick: (view: DataView) => readonly [number, number]): Size {
  if (bytes.length < needed) {
    return {};
  }
  const [width, height] = pick(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width, height };
}

function pngSize(head: Uint8Array): Size {
  // Signature (8), the IHDR chunk's length (4) and type (4), then width and height, big-endian.
  const isHeaderChunk = String.fromCharCode(...head.subarray(12, 16)) === 'IHDR';
  return isHeaderChunk ? sized(head, 24, (view) => [view.getUint32(16), view.getUint32(20)]) : {};
}

function bmpSize(head: Uint8Array): Size {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // The DIB header follows the 14-byte file header; the old OS/2 one (12 bytes) has 16-bit sides.
  if (view.getUint32(14, true) === 12) {
    return sized(head, 22, (v) => [v.getUint16(18, true), v.getUint16(20, true)]);
  }
  // A negative height means the rows are stored top-down.
  return sized(head, 26, (v) => [Math.abs(v.getInt32(18, true)), Math.abs(v.getInt32(22, true))]);
}

function webpSize(head: Uint8Array): Size {
  const chunk = String.fromCharCode(...head.subarray(12, 16));
  switch (chunk) {
    case 'VP8 ':
      // Lossy: a 3-byte frame tag and the start code 9d 01 2a, then 14-bit width and height.
      return sized(head, 30, (view) => [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff]);
    case 'VP8L':
      // Lossless: the signature byte 0x2f, then width - 1 and height - 1 in 14 bits each.
      return sized(head, 25, (view) => {
        const bits = view.getUint32(21, true);
        return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
      });
    case 'VP8X':
      // Extended: canvas width - 1 and height - 1 in 24 bits each.
      return sized(head, 30, (view) => [uint24(view, 24) + 1, uint24(view, 27) + 1]);
    default:
      return {};
  }
}

function uint24(view: DataView, offset: number): number {
  return view.getUint8(offset) | (view.getUint8(offset + 1) << 8) | (view.getUint8(offset + 2) << 16);
}

async function jpegSize(read: ByteReader): Promise<Size> {
  let offset = 2;
  for (let segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
    const header = await read(offset, 9);
    if (header.length < 4 || header[0] !== 0xff) {
      return {};
    }
    const marker = header[1];
    if (marker === 0xff) {
      offset += 1; // A fill byte before the marker.
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // Markers without a length.
      continue;
    }
    if (marker === 0xda || marker === 0xd9) {
      return {}; // The image data (or its end) came before any frame header.
    }
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    // Start-of-frame markers C0-CF carry the size, except C4 (Huffman tables), C8 (reserved), CC (arithmetic coding).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized(header, 9, (v) => [v.getUint16(7), v.getUint16(5)]);
    }
    offset += 2 + view.getUint16(2);
  }
  return {};
}

async function tiffSize(read: ByteReader, head: Uint8Array): Promise<Size> {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const little = head[0] === 0x49;
  if (view.getUint16(2, little) !== 42 || head.length < 8) {
    return {}; // BigTIFF (43) keeps its directory in 64-bit offsets: not read here.
  }
  const directory = view.getUint32(4, little);
  const countBytes = await read(directory, 2);
  if (countBytes.length < 2) {
    return {};
  }
  const count = Math.min(new DataView(countBytes.buffer, countBytes.byteOffset, 2).getUint16(0, little), MAX_TIFF_ENTRIES);
  const entries = await read(directory + 2, count * 12);
  const entryView = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
  let width: number | undefined;
  let height: number | undefined;
  for (let entry = 0; (entry + 1) * 12 <= entries.length; entry++) {
    const at = entry * 12;
    const tag = entryView.getUint16(at, little);
    const type = entryView.getUint16(at + 2, little);
    // ImageWidth (256) and ImageLength (257), as SHORT (3) or LONG (4).
    const value = type === 3 ? entryView.getUint16(at + 8, little) : type === 4 ? entryView.getUint32(at + 8, little) : undefined;
    if (tag === 256) {
      width = value;
    } else if (tag === 257) {
      height = value;
    }
  }
  return width !== undefined && height !== undefined ? { width, height } : {};
}
