import assert from 'node:assert/strict';
import { readImageHeader, type ByteReader } from '../../../../src/core/image/imageHeader';
import { makeJpeg, makePng } from '../../../support/images';
import { bmpHeader, gifHeader, tiffHeader, webpHeader } from '../../../support/imageHeaders';

/** A reader over bytes in memory that counts the bytes asked for. */
function reader(bytes: Uint8Array): ByteReader & { requested: number } {
  const read = ((offset: number, length: number) => {
    read.requested += length;
    return Promise.resolve(bytes.subarray(offset, offset + length));
  }) as ByteReader & { requested: number };
  read.requested = 0;
  return read;
}

const header = (bytes: Uint8Array) => readImageHeader(reader(bytes));

describe('imageHeader', () => {
  it('reads PNG and JPEG sizes from real files', async () => {
    assert.deepEqual(await header(makePng({ width: 300, height: 17 })), { format: 'png', width: 300, height: 17 });
    assert.deepEqual(await header(makeJpeg({ width: 64, height: 40 })), { format: 'jpeg', width: 64, height: 40 });
  });

  it('walks JPEG segments to a frame header behind a large EXIF segment, reading only segment headers', async () => {
    const jpeg = makeJpeg({ width: 33, height: 21 });
    const exif = Buffer.alloc(4 + 60_000);
    exif.set([0xff, 0xe1]);
    exif.writeUInt16BE(60_002, 2);
    const withExif = Buffer.concat([jpeg.subarray(0, 2), exif, Buffer.from([0xff]), jpeg.subarray(2)]);
    const read = reader(withExif);
    assert.deepEqual(await readImageHeader(read), { format: 'jpeg', width: 33, height: 21 });
    assert.ok(read.requested < 200, `read ${read.requested} bytes`);
  });

  it('reads GIF, BMP (both DIB headers, top-down rows), WEBP (VP8, VP8L, VP8X) and TIFF (both byte orders)', async () => {
    assert.deepEqual(await header(gifHeader(500, 20)), { format: 'gif', width: 500, height: 20 });
    assert.deepEqual(await header(bmpHeader(640, 480)), { format: 'bmp', width: 640, height: 480 });
    assert.deepEqual(await header(bmpHeader(640, -480)), { format: 'bmp', width: 640, height: 480 });
    assert.deepEqual(await header(bmpHeader(320, 200, 'os2')), { format: 'bmp', width: 320, height: 200 });
    assert.deepEqual(await header(webpHeader('VP8 ', 1024, 768)), { format: 'webp', width: 1024, height: 768 });
    assert.deepEqual(await header(webpHeader('VP8L', 16383, 1)), { format: 'webp', width: 16383, height: 1 });
    assert.deepEqual(await header(webpHeader('VP8X', 7000, 3000)), { format: 'webp', width: 7000, height: 3000 });
    assert.deepEqual(await header(tiffHeader(2000, 70000, true)), { format: 'tiff', width: 2000, height: 70000 });
    assert.deepEqual(await header(tiffHeader(15, 16, false)), { format: 'tiff', width: 15, height: 16 });
  });

  it('knows the format but not the size when the header is cut short', async () => {
    assert.deepEqual(await header(makePng({ width: 30, height: 30 }).subarray(0, 20)), { format: 'png' });
    assert.deepEqual(await header(makeJpeg({ width: 30, height: 30 }).subarray(0, 30)), { format: 'jpeg' });
    assert.deepEqual(await header(tiffHeader(30, 30, true).subarray(0, 12)), { format: 'tiff' });
    assert.deepEqual(await header(webpHeader('VP8 ', 30, 30).subarray(0, 24)), { format: 'webp' });
  });

  it('returns undefined for what is no image format known here', async () => {
    for (const bytes of [Buffer.from('<!doctype html><html>'), Buffer.alloc(0), Buffer.from('%PDF-1.7\n')]) {
      assert.equal(await header(bytes), undefined);
    }
  });
});
