/** Real, decodable PNG and JPEG bytes for the fake API server, the tests and the benchmark. */

import { crc32, deflateSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';

export interface TestImageOptions {
  readonly width: number;
  readonly height: number;
  /** Varies the pixels so each image of a batch differs. */
  readonly seed?: number;
  /** Pixel noise makes the file as large as a real photo-like image (poorly compressible). */
  readonly noise?: boolean;
}

export function makePng({ width, height, seed = 1, noise = false }: TestImageOptions): Buffer {
  const rowLength = width * 3 + 1;
  const raw = Buffer.alloc(rowLength * height);
  let state = seed * 2654435761;
  for (let y = 0; y < height; y++) {
    raw[y * rowLength] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const offset = y * rowLength + 1 + x * 3;
      if (noise) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        raw[offset] = state & 0xff;
        raw[offset + 1] = (state >>> 8) & 0xff;
        raw[offset + 2] = (state >>> 16) & 0xff;
      } else {
        raw[offset] = (x * 255) / width;
        raw[offset + 1] = (y * 255) / height;
        raw[offset + 2] = (seed * 67) & 0xff;
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: noise ? 1 : 6 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export function makeJpeg({ width, height, seed = 1, noise = false }: TestImageOptions): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let state = seed * 2654435761;
  for (let i = 0; i < width * height; i++) {
    if (noise) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      data.writeUInt32LE((state | 0xff000000) >>> 0, i * 4);
    } else {
      data[i * 4] = ((i % width) * 255) / width;
      data[i * 4 + 1] = (Math.floor(i / width) * 255) / height;
      data[i * 4 + 2] = (seed * 67) & 0xff;
      data[i * 4 + 3] = 0xff;
    }
  }
  return Buffer.from(encodeJpeg({ data, width, height }, 90).data);
}

/** One PNG chunk: length, type, data and the CRC over type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * The bytes as the API served them: a saved image with its provenance (PNG `iTXt` chunk or JPEG comment
 * `seedream-studio`) taken out again, so a saved file can be compared with what the server sent.
 */
export function withoutProvenance(bytes: Buffer): Buffer {
  const keyword = Buffer.from('seedream-studio');
  if (bytes[0] === 0x89) {
    for (let offset = 8; offset + 8 <= bytes.length;) {
      const length = bytes.readUInt32BE(offset);
      const end = offset + 12 + length;
      if (
        bytes.toString('latin1', offset + 4, offset + 8) === 'iTXt' &&
        bytes.subarray(offset + 8, offset + 8 + keyword.length).equals(keyword)
      ) {
        return Buffer.concat([bytes.subarray(0, offset), bytes.subarray(end)]);
      }
      offset = end;
    }
    return bytes;
  }
  for (let offset = 2; offset + 4 <= bytes.length && bytes[offset] === 0xff && bytes[offset + 1] !== 0xda;) {
    const end = offset + 2 + bytes.readUInt16BE(offset + 2);
    if (bytes[offset + 1] === 0xfe && bytes.subarray(offset + 4, offset + 4 + keyword.length).equals(keyword)) {
      return Buffer.concat([bytes.subarray(0, offset), bytes.subarray(end)]);
    }
    offset = end;
  }
  return bytes;
}
