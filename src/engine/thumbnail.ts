/**
 * Small PNG thumbnails of saved images, for the results of the language-model tools: a model sees what
 * was made without the full image ever leaving the disk. A PNG is decoded row by row while its file
 * streams in (memory stays at a few rows and the thumbnail); a JPEG is read at an eighth of its size
 * from its blocks' averages (`jpegEighth.ts`), then shrunk the rest of the way.
 */

import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInflate, deflateSync } from 'node:zlib';
import { pngChunk } from '../core/image/imageMetadata';
import { PNG_SIGNATURE, sniffImageFormat } from '../core/image/imageCheck';
import { decodeJpegEighth } from './jpegEighth';

/** Where the image is: a local file, or its bytes (read through another file system). */
export type ThumbnailSource = { readonly path: string } | { readonly bytes: Uint8Array };

/** A PNG of the image whose longer side is at most `maxSide` pixels (never larger than the image). */
export async function thumbnail(source: ThumbnailSource, maxSide: number): Promise<Uint8Array> {
  const head = 'bytes' in source ? source.bytes : await readHead(source.path);
  const format = sniffImageFormat(head);
  if (format === 'png') {
    return decodePng('bytes' in source ? single(source.bytes) : createReadStream(source.path), maxSide);
  }
  if (format === 'jpeg') {
    const bytes = 'bytes' in source ? source.bytes : await readFile(source.path);
    const image = decodeJpegEighth(bytes);
    const scaler = new BoxScaler(image.width, image.height, maxSide);
    for (let y = 0; y < image.height; y++) {
      scaler.addRow(y, image.rgba.subarray(y * image.width * 4, (y + 1) * image.width * 4));
    }
    return scaler.encode();
  }
  throw new Error('not a PNG or JPEG image');
}

async function readHead(path: string): Promise<Uint8Array> {
  const stream = createReadStream(path, { start: 0, end: PNG_SIGNATURE.length - 1 });
  const parts: Buffer[] = [];
  for await (const part of stream) {
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
}

/** Channels per pixel of each PNG colour type: grey, RGB, palette, grey+alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

async function decodePng(file: AsyncIterable<Uint8Array>, maxSide: number): Promise<Uint8Array> {
  let header: PngHeader | undefined;
  let palette: Uint8Array | undefined;
  let rows: PngRows | undefined;
  const inflate = createInflate();
  const ended = once(inflate, 'end');
  ended.catch(() => undefined);
  inflate.on('data', (data: Buffer) => rows!.push(data));
  for await (const chunk of pngChunks(file)) {
    if (chunk.type === 'IHDR') {
      header = readHeader(chunk.data);
    } else if (chunk.type === 'PLTE') {
      palette = chunk.data;
    } else if (chunk.type === 'IDAT') {
      if (!header) {
        throw new Error('PNG image data before its header');
      }
      rows ??= new PngRows(header, palette, new BoxScaler(header.width, header.height, maxSide));
      if (!inflate.write(chunk.data)) {
        await once(inflate, 'drain');
      }
    } else if (chunk.type === 'IEND') {
      break;
    }
  }
  if (!rows) {
    throw new Error('PNG without image data');
  }
  inflate.end();
  await ended.catch((error: Error) => {
    throw new Error(`the PNG image data is damaged or cut short (${error.message})`);
  });
  return rows.finish();
}

function readHeader(data: Uint8Array): PngHeader {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = { width: view.getUint32(0), height: view.getUint32(4), bitDepth: data[8], colorType: data[9], interlace: data[12] };
  const supported =
    header.interlace === 0 &&
    CHANNELS[header.colorType] !== undefined &&
    (header.colorType === 3 ? header.bitDepth === 8 : header.bitDepth >= 8);
  if (!supported || header.width === 0 || header.height === 0) {
    throw new Error(`PNG of colour type ${header.colorType}, ${header.bitDepth} bits, interlace ${header.interlace}: no thumbnail`);
  }
  return header;
}

/**
 * The chunks of a PNG file, read as its bytes arrive. Image data (IDAT) is handed on piece by piece as it
 * comes, since some encoders write all of it as one chunk of many megabytes; CRCs are not checked (the
 * image was checked when it was saved).
 */
async function* pngChunks(file: AsyncIterable<Uint8Array>): AsyncIterable<{ type: string; data: Uint8Array }> {
  let pending: Buffer = Buffer.alloc(0);
  let signatureSeen = false;
  /** Bytes of image data still to come in the current IDAT chunk, and bytes to skip after it (its CRC). */
  let imageDataLeft = 0;
  let skipLeft = 0;
  for await (const part of file) {
    let buffer = pending.length === 0 ? Buffer.from(part.buffer, part.byteOffset, part.byteLength) : Buffer.concat([pending, part]);
    for (;;) {
      if (!signatureSeen) {
        if (buffer.length < PNG_SIGNATURE.length) {
          break;
        }
        buffer = buffer.subarray(PNG_SIGNATURE.length);
        signatureSeen = true;
      }
      if (imageDataLeft > 0 && buffer.length > 0) {
        const take = Math.min(imageDataLeft, buffer.length);
        yield { type: 'IDAT', data: buffer.subarray(0, take) };
        imageDataLeft -= take;
        skipLeft = imageDataLeft === 0 ? 4 : 0;
        buffer = buffer.subarray(take);
        continue;
      }
      if (skipLeft > 0 && buffer.length > 0) {
        const take = Math.min(skipLeft, buffer.length);
        skipLeft -= take;
        buffer = buffer.subarray(take);
        continue;
      }
      if (imageDataLeft > 0 || skipLeft > 0 || buffer.length < 8) {
        break;
      }
      const length = buffer.readUInt32BE(0);
      const type = buffer.toString('latin1', 4, 8);
      if (type === 'IDAT') {
        buffer = buffer.subarray(8);
        imageDataLeft = length;
        skipLeft = length === 0 ? 4 : 0;
        continue;
      }
      if (buffer.length < length + 12) {
        break;
      }
      yield { type, data: buffer.subarray(8, 8 + length) };
      buffer = buffer.subarray(length + 12);
    }
    // What is left is less than a chunk header or one small chunk: copied, so the large read buffer can go.
    pending = Buffer.from(buffer);
  }
}

/** Undoes the PNG row filters as the inflated bytes arrive, and hands each pixel row to the scaler. */
class PngRows {
  private readonly rowBytes: number;
  private readonly pixelBytes: number;
  private readonly channels: number;
  private previous: Uint8Array;
  private current: Uint8Array;
  private readonly rgba: Uint8Array;
  /** Bytes of the current row received so far, its filter byte included. */
  private filled = 0;
  private y = 0;

  constructor(
    private readonly header: PngHeader,
    private readonly palette: Uint8Array | undefined,
    private readonly scaler: BoxScaler,
  ) {
    this.channels = CHANNELS[header.colorType];
    this.pixelBytes = (this.channels * header.bitDepth) / 8;
    this.rowBytes = header.width * this.pixelBytes;
    this.previous = new Uint8Array(this.rowBytes);
    this.current = new Uint8Array(this.rowBytes + 1);
    this.rgba = new Uint8Array(header.width * 4);
  }

  push(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length && this.y < this.header.height) {
      const take = Math.min(data.length - offset, this.current.length - this.filled);
      this.current.set(data.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.current.length) {
        this.finishRow();
      }
    }
  }

  finish(): Uint8Array {
    if (this.y < this.header.height) {
      throw new Error(`PNG image data ends after ${this.y} of ${this.header.height} rows`);
    }
    return this.scaler.encode();
  }

  private finishRow(): void {
    const row = this.current.subarray(1);
    unfilter(this.current[0], row, this.previous, Math.max(1, Math.floor(this.pixelBytes)));
    this.scaler.addRow(this.y, this.toRgba(row));
    this.previous.set(row);
    this.filled = 0;
    this.y++;
  }

  /** The row as 8-bit RGBA (16-bit samples keep their high byte). */
  private toRgba(row: Uint8Array): Uint8Array {
    const { bitDepth, colorType, width } = this.header;
    if (colorType === 6 && bitDepth === 8) {
      return row;
    }
    const rgba = this.rgba;
    const step = bitDepth / 8;
    const stride = this.channels * step;
    for (let x = 0, i = 0, o = 0; x < width; x++, i += stride, o += 4) {
      if (colorType === 3) {
        const entry = row[i] * 3;
        rgba[o] = this.palette?.[entry] ?? 0;
        rgba[o + 1] = this.palette?.[entry + 1] ?? 0;
        rgba[o + 2] = this.palette?.[entry + 2] ?? 0;
        rgba[o + 3] = 255;
      } else if (colorType === 0 || colorType === 4) {
        rgba[o] = rgba[o + 1] = rgba[o + 2] = row[i];
        rgba[o + 3] = colorType === 4 ? row[i + step] : 255;
      } else {
        rgba[o] = row[i];
        rgba[o + 1] = row[i + step];
        rgba[o + 2] = row[i + 2 * step];
        rgba[o + 3] = colorType === 6 ? row[i + 3 * step] : 255;
      }
    }
    return rgba;
  }
}

/** PNG filter types 0-4 (none, sub, up, average, Paeth), undone in place. */
function unfilter(filter: number, row: Uint8Array, previous: Uint8Array, bpp: number): void {
  const length = row.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < length; i++) {
        row[i] = (row[i] + row[i - bpp]) & 0xff;
      }
      return;
    case 2:
      for (let i = 0; i < length; i++) {
        row[i] = (row[i] + previous[i]) & 0xff;
      }
      return;
    case 3:
      for (let i = 0; i < length; i++) {
        row[i] = (row[i] + (((i >= bpp ? row[i - bpp] : 0) + previous[i]) >> 1)) & 0xff;
      }
      return;
    case 4:
      for (let i = 0; i < length; i++) {
        row[i] = (row[i] + (i >= bpp ? paeth(row[i - bpp], previous[i], previous[i - bpp]) : previous[i])) & 0xff;
      }
      return;
    default:
      throw new Error(`unknown PNG filter ${filter}`);
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Shrinks an image whose rows arrive in order, averaging each box of source pixels into one thumbnail
 * pixel; only one row of sums is held besides the thumbnail itself.
 */
export class BoxScaler {
  readonly width: number;
  readonly height: number;
  private readonly sums: Float64Array;
  /** The thumbnail column of each source column. */
  private readonly columnOf: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly pixels: Uint8Array;
  private row = 0;

  constructor(
    private readonly sourceWidth: number,
    private readonly sourceHeight: number,
    maxSide: number,
  ) {
    const scale = Math.min(1, maxSide / Math.max(sourceWidth, sourceHeight));
    this.width = Math.max(1, Math.round(sourceWidth * scale));
    this.height = Math.max(1, Math.round(sourceHeight * scale));
    this.sums = new Float64Array(this.width * 4);
    this.columnOf = Uint32Array.from({ length: sourceWidth }, (_, x) => Math.floor((x * this.width) / sourceWidth));
    this.counts = new Uint32Array(this.width);
    this.pixels = new Uint8Array(this.width * this.height * 4);
  }

  /** Source row `y` (0-based, in order) as 8-bit RGBA. */
  addRow(y: number, rgba: Uint8Array): void {
    const target = Math.floor((y * this.height) / this.sourceHeight);
    if (target !== this.row) {
      this.flush();
      this.row = target;
    }
    const { sums, counts, columnOf } = this;
    for (let x = 0, i = 0; x < this.sourceWidth; x++, i += 4) {
      const column = columnOf[x];
      const at = column * 4;
      sums[at] += rgba[i];
      sums[at + 1] += rgba[i + 1];
      sums[at + 2] += rgba[i + 2];
      sums[at + 3] += rgba[i + 3];
      counts[column]++;
    }
  }

  /** The thumbnail as an 8-bit RGBA PNG. */
  encode(): Uint8Array {
    this.flush();
    const raw = new Uint8Array((this.width * 4 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      // Filter byte 0 (none) starts each row.
      raw.set(this.pixels.subarray(y * this.width * 4, (y + 1) * this.width * 4), y * (this.width * 4 + 1) + 1);
    }
    const header = new Uint8Array(13);
    new DataView(header.buffer).setUint32(0, this.width);
    new DataView(header.buffer).setUint32(4, this.height);
    header.set([8, 6, 0, 0, 0], 8);
    return Buffer.concat([
      Uint8Array.from(PNG_SIGNATURE),
      pngChunk('IHDR', header),
      pngChunk('IDAT', deflateSync(raw)),
      pngChunk('IEND', new Uint8Array(0)),
    ]);
  }

  private flush(): void {
    for (let column = 0; column < this.width; column++) {
      const count = this.counts[column];
      for (let channel = 0; channel < 4 && count > 0; channel++) {
        this.pixels[(this.row * this.width + column) * 4 + channel] = Math.round(this.sums[column * 4 + channel] / count);
      }
    }
    this.sums.fill(0);
    this.counts.fill(0);
  }
}
