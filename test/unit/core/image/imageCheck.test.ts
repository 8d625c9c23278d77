import assert from 'node:assert/strict';
import { describeImageHead, ImageCheck, inspectImage, PNG_SIGNATURE, sniffImageFormat } from '../../../../src/core/image/imageCheck';
import { makeJpeg, makePng, pngChunk } from '../../../support/images';

describe('imageCheck', () => {
  it('recognises PNG and JPEG with their dimensions, chunk by chunk', () => {
    for (const [bytes, format, extension] of [
      [makePng({ width: 300, height: 200 }), 'png', 'png'],
      [makeJpeg({ width: 120, height: 90 }), 'jpeg', 'jpg'],
    ] as const) {
      const check = new ImageCheck();
      for (let offset = 0; offset < bytes.length; offset += 7) {
        check.observe(bytes.subarray(offset, offset + 7));
      }
      const info = check.finish();
      assert.equal(info.format, format);
      assert.equal(info.extension, extension);
      assert.equal(info.byteLength, bytes.length);
      assert.deepEqual([info.width, info.height], format === 'png' ? [300, 200] : [120, 90]);
    }
  });

  it('refuses an HTML page as soon as its first bytes arrive', () => {
    const check = new ImageCheck();
    assert.throws(() => check.observe(Buffer.from('<!DOCTYPE html><html>expired</html>')), /returned an HTML page instead of an image/);
  });

  it('refuses an empty body and unknown bytes', () => {
    assert.throws(() => inspectImage(new Uint8Array(0)), /an empty body/);
    assert.throws(() => inspectImage(Buffer.from('GIF89a........')), /neither PNG nor JPEG/);
    assert.equal(sniffImageFormat(Buffer.from('RIFF....WEBP')), undefined);
  });

  it('refuses a PNG whose first chunk is not IHDR, and takes no size from that chunk', () => {
    const png = makePng({ width: 300, height: 200 });
    // A text chunk whose first 8 data bytes would read as 2000 x 1000 where IHDR's width and height belong.
    const text = pngChunk('tEXt', Buffer.from([0, 0, 0x07, 0xd0, 0, 0, 0x03, 0xe8, 0x41, 0x42, 0x43, 0x44, 0x45]));
    const reordered = Buffer.concat([png.subarray(0, PNG_SIGNATURE.length), text, png.subarray(PNG_SIGNATURE.length)]);
    assert.throws(() => inspectImage(reordered), /PNG image is not valid: it does not start with its header chunk \(IHDR\)/);
    const check = new ImageCheck();
    assert.throws(() => check.observe(reordered.subarray(0, 16)), /IHDR/, 'refused as soon as the chunk type arrives');
    assert.deepEqual(describeImageHead(reordered), { format: 'png', extension: 'png' });
    assert.deepEqual(describeImageHead(png), { format: 'png', extension: 'png', width: 300, height: 200 });
  });

  it('refuses a truncated image', () => {
    const png = makePng({ width: 64, height: 64 });
    assert.throws(() => inspectImage(png.subarray(0, png.length - 20)), /PNG image is incomplete/);
    const jpeg = makeJpeg({ width: 64, height: 64 });
    assert.throws(() => inspectImage(jpeg.subarray(0, jpeg.length - 100)), /JPEG image is incomplete/);
  });

  it('finds the end marker wherever the chunks cut it, and misses it when the last bytes are cut off', () => {
    const observed = (bytes: Uint8Array, size: number): ImageCheck => {
      const check = new ImageCheck();
      for (let offset = 0; offset < bytes.length; offset += size) {
        check.observe(bytes.subarray(offset, offset + size));
      }
      return check;
    };
    for (const bytes of [makePng({ width: 40, height: 30, noise: true }), makeJpeg({ width: 40, height: 30 })]) {
      // Sizes below, at and above the kept tail, and a last chunk of 1 byte.
      for (const size of [1, 3, 63, 64, 65, 1000, bytes.length - 1]) {
        assert.equal(observed(bytes, size).finish().byteLength, bytes.length, `chunks of ${size}`);
        assert.throws(() => observed(bytes.subarray(0, bytes.length - 1), size).finish(), /incomplete/, `cut, chunks of ${size}`);
      }
    }
  });
});
