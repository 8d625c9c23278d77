import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { decode as decodeJpeg } from 'jpeg-js';
import { decodeJpegEighth } from '../../../src/engine/jpegEighth';
import { thumbnail } from '../../../src/engine/thumbnail';
import { makeJpeg, makePng, pngChunk } from '../../support/images';

/** The pixels of a thumbnail (8-bit RGBA, every row unfiltered, as the thumbnailer writes it). */
function decodeThumbnail(png: Uint8Array): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const bytes = Buffer.from(png);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.deepEqual([...body.subarray(8)], [8, 6, 0, 0, 0], '8-bit RGBA, not interlaced');
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(data));
  return {
    width,
    height,
    pixel: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)],
  };
}

/** An 8-bit RGB PNG whose rows use each filter in turn (none, sub, up, average, Paeth), as encoders write them. */
function filteredPng(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(width * 3);
  for (let y = 0; y < height; y++) {
    const row = Buffer.from(Array.from({ length: width }, (_, x) => pixel(x, y)).flat());
    const filter = y % 5;
    const out = Buffer.alloc(row.length + 1);
    out[0] = filter;
    for (let i = 0; i < row.length; i++) {
      const left = i >= 3 ? row[i - 3] : 0;
      const up = previous[i];
      const upLeft = i >= 3 ? previous[i - 3] : 0;
      const p = left + up - upLeft;
      const predictor = [
        0,
        left,
        up,
        (left + up) >> 1,
        Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft)
          ? left
          : Math.abs(p - up) <= Math.abs(p - upLeft)
            ? up
            : upLeft,
      ][filter];
      out[i + 1] = (row[i] - predictor) & 0xff;
    }
    rows.push(out);
    previous = row;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    // Split over two IDAT chunks, as large images are.
    ...(() => {
      const compressed = deflateSync(Buffer.concat(rows));
      const half = Math.floor(compressed.length / 2);
      return [pngChunk('IDAT', compressed.subarray(0, half)), pngChunk('IDAT', compressed.subarray(half))];
    })(),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('thumbnail', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'seedream-thumbnail-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('shrinks a PNG file to the longest side asked for, keeping its aspect ratio and colours', async () => {
    const path = join(folder, 'wide.png');
    await writeFile(path, makePng({ width: 1200, height: 600, seed: 3 }));
    const small = decodeThumbnail(await thumbnail({ path }, 256));
    assert.deepEqual([small.width, small.height], [256, 128]);
    // makePng: red rises with x, green with y, blue is seed * 67.
    const [r, g, b, a] = small.pixel(255, 0);
    assert.ok(r > 240 && g < 10 && b === 201 && a === 255, `top right is red: ${[r, g, b, a]}`);
    assert.ok(small.pixel(0, 127)[1] > 240, 'bottom left is green');
  });

  it('undoes every PNG row filter, across IDAT chunks', async () => {
    const colour = (x: number, y: number): number[] => [(x * 7 + y) & 0xff, (y * 5) & 0xff, (x ^ y) & 0xff];
    const small = decodeThumbnail(await thumbnail({ bytes: filteredPng(40, 25, colour) }, 256));
    assert.deepEqual([small.width, small.height], [40, 25], 'never larger than the image');
    for (const [x, y] of [
      [0, 0],
      [39, 1],
      [17, 2],
      [5, 3],
      [33, 4],
      [20, 24],
    ]) {
      assert.deepEqual(small.pixel(x, y), [...colour(x, y), 255], `pixel ${x},${y}`);
    }
  });

  it('shrinks a JPEG, from a file or from bytes', async () => {
    const jpeg = makeJpeg({ width: 300, height: 900 });
    const path = join(folder, 'tall.jpg');
    await writeFile(path, jpeg);
    for (const source of [{ path }, { bytes: jpeg }]) {
      const small = decodeThumbnail(await thumbnail(source, 90));
      assert.deepEqual([small.width, small.height], [30, 90]);
      assert.ok(small.pixel(0, 89)[1] > 200, 'bottom is green');
    }
  });

  it('refuses what is not an image, and a PNG cut short', async () => {
    await assert.rejects(thumbnail({ bytes: Buffer.from('<html>') }, 64), /not a PNG or JPEG/);
    const png = makePng({ width: 64, height: 64, noise: true });
    await assert.rejects(thumbnail({ bytes: png.subarray(0, png.length / 2) }, 32), /PNG image data is damaged or cut short/);
  });

  it('reads a JPEG at an eighth of its size as the average of each 8x8 block', () => {
    const jpeg = makeJpeg({ width: 96, height: 40, seed: 5 });
    const full = decodeJpeg(jpeg, { useTArray: true });
    const eighth = decodeJpegEighth(jpeg);
    assert.deepEqual([eighth.width, eighth.height], [12, 5]);
    for (let by = 0; by < 5; by++) {
      for (let bx = 0; bx < 12; bx++) {
        for (let channel = 0; channel < 3; channel++) {
          let sum = 0;
          for (let i = 0; i < 64; i++) {
            sum += full.data[((by * 8 + (i >> 3)) * 96 + bx * 8 + (i & 7)) * 4 + channel];
          }
          const average = eighth.rgba[(by * 12 + bx) * 4 + channel];
          assert.ok(Math.abs(sum / 64 - average) <= 3, `block ${bx},${by} channel ${channel}: ${sum / 64} against ${average}`);
        }
      }
    }
  });
});
