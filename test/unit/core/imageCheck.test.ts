import assert from 'node:assert/strict';
import { ImageCheck, inspectImage, sniffImageFormat } from '../../../src/core/imageCheck';
import { makeJpeg, makePng } from '../../support/images';

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
