import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { decode as decodeJpeg } from 'jpeg-js';
import { METADATA_HEAD_BYTES, MetadataSplicer, readEmbeddedMetadata, type ImageMetadata } from '../../../../src/core/image/imageMetadata';
import { makeJpeg, makePng, pngChunk } from '../../../support/images';

const METADATA: ImageMetadata = {
  prompt: 'a watercolor lighthouse at dusk',
  model: 'seedream-5-0-260128',
  size: '2K',
  seed: 42,
  outputFormat: 'png',
  watermark: false,
  createdAt: '2025-01-31T12:34:56.789Z',
  generator: 'Seedream Studio 0.1.0',
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_PREFIX = 'seedream-studio:';
const KEYWORD = 'seedream-studio';

/** The splicer's output for `bytes` fed in chunks of `chunkSize`. */
function embed(bytes: Uint8Array, metadata: ImageMetadata = METADATA, chunkSize = bytes.length || 1): Buffer {
  const splicer = new MetadataSplicer(metadata);
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    parts.push(...splicer.push(bytes.subarray(offset, offset + chunkSize)));
  }
  parts.push(...splicer.end());
  return Buffer.concat(parts);
}

interface PngChunk {
  readonly type: string;
  readonly bytes: Buffer;
  readonly data: Buffer;
}

/** Splits a whole PNG into its chunks, checking each length and CRC. */
function pngChunks(png: Buffer): PngChunk[] {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    assert.ok(end <= png.length, `chunk at ${offset} runs past the end`);
    const type = png.toString('latin1', offset + 4, offset + 8);
    assert.equal(png.readUInt32BE(end - 4), crc32(png.subarray(offset + 4, end - 4)), `CRC of ${type}`);
    chunks.push({ type, bytes: png.subarray(offset, end), data: png.subarray(offset + 8, end - 4) });
    offset = end;
  }
  return chunks;
}

/** A PNG with `extra` chunks between IHDR and IDAT. */
function pngWith(...extra: Buffer[]): Buffer {
  const png = makePng({ width: 8, height: 8 });
  return Buffer.concat([png.subarray(0, 33), ...extra, png.subarray(33)]);
}

function iTXt(keyword: string, text: string): Buffer {
  return pngChunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]));
}

interface JpegSegment {
  readonly marker: number;
  readonly payload: Buffer;
}

/** The segments from SOI up to and including SOS. */
function jpegSegments(jpeg: Buffer): JpegSegment[] {
  assert.deepEqual([jpeg[0], jpeg[1]], [0xff, 0xd8]);
  const segments: JpegSegment[] = [];
  let offset = 2;
  for (;;) {
    assert.equal(jpeg[offset], 0xff, `marker expected at ${offset}`);
    const marker = jpeg[offset + 1];
    const length = jpeg.readUInt16BE(offset + 2);
    segments.push({ marker, payload: jpeg.subarray(offset + 4, offset + 2 + length) });
    if (marker === 0xda) {
      return segments;
    }
    offset += 2 + length;
  }
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/** A JPEG with `extra` segments right after the encoder's APP0 (JFIF) segment. */
function jpegWithAfterApp0(...extra: Buffer[]): Buffer {
  const jpeg = makeJpeg({ width: 16, height: 16 });
  const app0End = 2 + 2 + jpeg.readUInt16BE(4);
  assert.equal(jpeg[3], 0xe0);
  return Buffer.concat([jpeg.subarray(0, app0End), ...extra, jpeg.subarray(app0End)]);
}

function jsonBytes(metadata: ImageMetadata): number {
  return Buffer.byteLength(JSON.stringify(metadata));
}

describe('imageMetadata', () => {
  describe('round trip', () => {
    for (const [format, make] of [
      ['PNG', () => makePng({ width: 40, height: 30, noise: true })],
      ['JPEG', () => makeJpeg({ width: 40, height: 30, noise: true })],
    ] as const) {
      it(`reads back what was written into a ${format}, whatever the chunk boundaries`, async () => {
        const image = make();
        const whole = embed(image, METADATA);
        assert.deepEqual(readEmbeddedMetadata(whole), METADATA);
        for (const chunkSize of [1, 2, 3, 7, 33, 1000]) {
          assert.deepEqual(embed(image, METADATA, chunkSize), whole, `chunks of ${chunkSize} bytes`);
        }
      });

      it(`keeps non-ASCII prompts and leaves out unset fields in a ${format}`, async () => {
        const metadata: ImageMetadata = {
          prompt: '黄昏时分的水彩灯塔 🌅👩‍🎨 "quoted" \\ back\nslash',
          model: 'seedream-4-0-250828',
          size: '2560x1440',
          createdAt: '2025-02-01T00:00:00.000Z',
          generator: 'Seedream Studio 0.1.0',
        };
        const read = readEmbeddedMetadata(embed(make(), metadata, 1));
        assert.deepEqual(read, metadata);
        assert.equal(read !== undefined && 'seed' in read, false);
      });
    }

    it('writes only the known fields, so extra properties of the caller stay out of the file', async () => {
      const withExtra = { ...METADATA, apiKey: 'secret' } as ImageMetadata;
      const png = embed(makePng({ width: 4, height: 4 }), withExtra);
      assert.equal(png.includes('secret'), false);
      assert.deepEqual(readEmbeddedMetadata(png), METADATA);
    });

    it('finds the metadata within the first METADATA_HEAD_BYTES of a large image', async () => {
      for (const image of [makePng({ width: 400, height: 400, noise: true }), makeJpeg({ width: 400, height: 400, noise: true })]) {
        const output = embed(image, METADATA, 64 * 1024);
        assert.ok(output.length > METADATA_HEAD_BYTES);
        assert.deepEqual(readEmbeddedMetadata(output.subarray(0, METADATA_HEAD_BYTES)), METADATA);
      }
    });
  });

  describe('PNG', () => {
    it('inserts one iTXt chunk right after IHDR and keeps every original chunk, in order, with valid CRCs', async () => {
      const input = makePng({ width: 40, height: 30 });
      const output = embed(input, METADATA, 1);
      const before = pngChunks(input);
      const after = pngChunks(output);
      assert.deepEqual(
        after.map((chunk) => chunk.type),
        ['IHDR', 'iTXt', 'IDAT', 'IEND'],
      );
      assert.deepEqual(
        after.filter((chunk) => chunk.type !== 'iTXt').map((chunk) => chunk.bytes),
        before.map((chunk) => chunk.bytes),
      );
      const inserted = after[1];
      const expectedData = Buffer.concat([Buffer.from(KEYWORD), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(JSON.stringify(METADATA))]);
      assert.deepEqual(inserted.data, expectedData);
      assert.equal(output.length, input.length + 12 + KEYWORD.length + 5 + jsonBytes(METADATA));
    });

    it('accepts a tEXt chunk too and ignores unknown keys', () => {
      const text = JSON.stringify({ ...METADATA, future: { nested: true } });
      const png = pngWith(pngChunk('tEXt', Buffer.concat([Buffer.from(KEYWORD), Buffer.from([0]), Buffer.from(text)])));
      assert.deepEqual(readEmbeddedMetadata(png), METADATA);
    });

    it('skips other text chunks to find its own', () => {
      const png = pngWith(iTXt('Software', 'another tool'), iTXt(KEYWORD, JSON.stringify(METADATA)));
      assert.deepEqual(readEmbeddedMetadata(png), METADATA);
    });

    it('passes a PNG whose first chunk is not IHDR through unchanged', async () => {
      const png = makePng({ width: 8, height: 8 });
      const odd = Buffer.concat([png.subarray(0, 8), pngChunk('tIME', Buffer.alloc(7)), png.subarray(8)]);
      assert.deepEqual(embed(odd, METADATA, 1), odd);
    });
  });

  describe('JPEG', () => {
    it('inserts one COM segment after the APPn segments and the pixels stay the same', async () => {
      const input = makeJpeg({ width: 40, height: 30, noise: true });
      const output = embed(input, METADATA, 1);
      const markers = jpegSegments(output).map((segment) => segment.marker);
      assert.deepEqual(markers.slice(0, 3), [0xe0, 0xfe, 0xdb]);
      assert.deepEqual(jpegSegments(output)[1].payload, Buffer.from(JPEG_PREFIX + JSON.stringify(METADATA)));
      assert.equal(output.length, input.length + 4 + JPEG_PREFIX.length + jsonBytes(METADATA));

      const original = decodeJpeg(input, { useTArray: true });
      const decoded = decodeJpeg(output, { useTArray: true });
      assert.deepEqual([decoded.width, decoded.height], [original.width, original.height]);
      assert.deepEqual(Buffer.from(decoded.data), Buffer.from(original.data));
      assert.deepEqual(decoded.comments, [JPEG_PREFIX + JSON.stringify(METADATA)]);
    });

    it('keeps APP0 and APP1 (JFIF, EXIF) before the comment', async () => {
      const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), Buffer.alloc(300, 7)]));
      const input = jpegWithAfterApp0(exif);
      const output = embed(input, METADATA, 1);
      assert.deepEqual(
        jpegSegments(output)
          .map((segment) => segment.marker)
          .slice(0, 4),
        [0xe0, 0xe1, 0xfe, 0xdb],
      );
      assert.deepEqual(output.subarray(0, 20 + exif.length), input.subarray(0, 20 + exif.length));
      assert.deepEqual(readEmbeddedMetadata(output), METADATA);
    });

    it('finds its comment among other comments', async () => {
      const input = jpegWithAfterApp0(jpegSegment(0xfe, Buffer.from('made by a camera')));
      assert.deepEqual(readEmbeddedMetadata(embed(input, METADATA, 3)), METADATA);
      const foreignOnly = jpegWithAfterApp0(jpegSegment(0xfe, Buffer.from('seedream-studio?{}')));
      assert.equal(readEmbeddedMetadata(foreignOnly), undefined);
    });

    it('shortens a prompt too long for one segment, at whole code points, as little as needed', async () => {
      const metadata = { ...METADATA, prompt: '🌅'.repeat(20_000) }; // 80,000 bytes of UTF-8
      const input = makeJpeg({ width: 16, height: 16 });
      const output = embed(input, metadata, 1);
      const comment = jpegSegments(output).find((segment) => segment.marker === 0xfe);
      assert.ok(comment);
      assert.ok(comment.payload.length <= 65533);
      assert.ok(comment.payload.length > 65533 - 4, 'one more emoji would not fit');

      const read = readEmbeddedMetadata(output);
      assert.ok(read);
      assert.deepEqual({ ...read, prompt: '' }, { ...METADATA, prompt: '' });
      assert.ok(read.prompt.length > 0 && read.prompt.length < metadata.prompt.length);
      assert.ok(Array.from(read.prompt).every((character) => character === '🌅'));
      assert.equal(decodeJpeg(output, { useTArray: true }).width, 16);
    });

    it('passes a JPEG with an unexpected structure through unchanged', async () => {
      const jpeg = makeJpeg({ width: 8, height: 8 });
      const noMarker = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0x12, 0x34]), jpeg.subarray(2)]);
      const badLength = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1, 0x00, 0x01]), jpeg.subarray(2)]);
      for (const odd of [noMarker, badLength]) {
        assert.deepEqual(embed(odd, METADATA, 1), odd);
      }
    });
  });

  describe('anything else', () => {
    it('passes non-image and truncated bytes through byte-identical', async () => {
      const png = makePng({ width: 8, height: 8 });
      const jpeg = makeJpeg({ width: 8, height: 8 });
      const inputs = [
        Buffer.from('<!DOCTYPE html><html><body>Signature expired</body></html>'),
        Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
        Buffer.from([0x89]),
        png.subarray(0, 20),
        jpeg.subarray(0, 3),
        Buffer.alloc(0),
      ];
      for (const input of inputs) {
        for (const chunkSize of [1, 5, 4096]) {
          assert.deepEqual(embed(input, METADATA, chunkSize), input);
        }
      }
    });

    it('passes bytes on as soon as the header is decided, and the rest unchanged and uncopied', () => {
      const png = makePng({ width: 200, height: 200, noise: true });
      const splicer = new MetadataSplicer(METADATA);
      const first = splicer.push(png.subarray(0, 1024));
      assert.equal(Buffer.concat(first).length, 1024 + (embed(png).length - png.length));
      const next = png.subarray(1024, 2048);
      assert.deepEqual(splicer.push(next), [next]);
    });
  });

  describe('readEmbeddedMetadata', () => {
    it('returns undefined for images without metadata and for garbage', () => {
      const inputs = [
        makePng({ width: 8, height: 8 }),
        makeJpeg({ width: 8, height: 8 }),
        Buffer.alloc(0),
        Buffer.from('not an image at all'),
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)),
        Buffer.concat([PNG_SIGNATURE, Buffer.alloc(64, 0xff)]),
        Buffer.from([0xff, 0xd8, 0xff, 0xfe, 0xff, 0xff, 0x00]),
      ];
      for (const input of inputs) {
        assert.equal(readEmbeddedMetadata(input), undefined);
      }
    });

    it('returns undefined for every prefix cut inside the metadata, and the metadata once it is whole', async () => {
      for (const image of [makePng({ width: 8, height: 8 }), makeJpeg({ width: 8, height: 8 })]) {
        const output = embed(image);
        const insertedEnd = output.indexOf('"}') + 2 + (output[0] === 0x89 ? 4 : 0);
        for (let length = 0; length < output.length; length++) {
          const read = readEmbeddedMetadata(output.subarray(0, length));
          assert.deepEqual(read, length >= insertedEnd ? METADATA : undefined, `prefix of ${length} bytes`);
        }
      }
    });

    it('returns undefined when the JSON has the wrong shape', () => {
      const wrong: unknown[] = [
        { ...METADATA, model: undefined },
        { ...METADATA, prompt: 42 },
        { ...METADATA, createdAt: null },
        { ...METADATA, seed: '42' },
        { ...METADATA, seed: 1.5 },
        { ...METADATA, seed: 2 ** 60 },
        { ...METADATA, seed: null },
        { ...METADATA, watermark: 'no' },
        { ...METADATA, outputFormat: 1 },
        [METADATA],
        'just text',
        null,
      ];
      const texts = [...wrong.map((value) => JSON.stringify(value)), '{"prompt": "unterminated', ''];
      for (const text of texts) {
        assert.equal(readEmbeddedMetadata(pngWith(iTXt(KEYWORD, text))), undefined, `PNG: ${text}`);
        assert.equal(
          readEmbeddedMetadata(jpegWithAfterApp0(jpegSegment(0xfe, Buffer.from(JPEG_PREFIX + text)))),
          undefined,
          `JPEG: ${text}`,
        );
      }
    });

    it('returns undefined for a metadata chunk with a wrong keyword, a bad CRC, compression or invalid UTF-8', () => {
      const json = JSON.stringify(METADATA);
      const badCrc = iTXt(KEYWORD, json);
      badCrc[badCrc.length - 1] ^= 0xff;
      const compressed = pngChunk('iTXt', Buffer.concat([Buffer.from(KEYWORD), Buffer.from([0, 1, 0, 0, 0]), Buffer.from(json)]));
      const invalidUtf8 = pngChunk('iTXt', Buffer.concat([Buffer.from(KEYWORD), Buffer.from([0, 0, 0, 0, 0]), Buffer.from([0xc3, 0x28])]));
      for (const chunk of [iTXt('seedream-studio2', json), badCrc, compressed, invalidUtf8]) {
        assert.equal(readEmbeddedMetadata(pngWith(chunk)), undefined);
      }
      // Metadata after the image data is out of reach by design: only the head is read.
      const png = makePng({ width: 8, height: 8 });
      const late = Buffer.concat([png.subarray(0, png.length - 12), iTXt(KEYWORD, json), png.subarray(png.length - 12)]);
      assert.equal(readEmbeddedMetadata(late), undefined);
    });
  });
});
