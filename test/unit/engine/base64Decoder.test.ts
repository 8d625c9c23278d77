import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Base64Decoder } from '../../../src/engine/base64Decoder';

function decodeInPieces(text: string, cuts: number[]): Buffer {
  const decoder = new Base64Decoder();
  const parts: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(decoder.push(Buffer.from(text.slice(start, cut), 'latin1')));
    start = cut;
  }
  parts.push(decoder.end());
  return Buffer.concat(parts);
}

describe('Base64Decoder', () => {
  it('decodes like the whole text at once, wherever it is cut', () => {
    for (const length of [0, 1, 2, 3, 4, 47, 58]) {
      const bytes = randomBytes(length);
      const padded = bytes.toString('base64');
      for (const text of [padded, padded.replace(/=+$/, ''), padded.replace(/.{8}/g, '$&\r\n'), ` ${padded.replace(/.{5}/g, '$&\n')}`]) {
        for (let first = 0; first <= text.length; first++) {
          const second = Math.min(text.length, first + 7);
          assert.deepEqual(decodeInPieces(text, [first, second]), bytes, `${JSON.stringify(text)} cut at ${first} and ${second}`);
        }
      }
    }
  });

  it('accepts the URL-safe alphabet', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x3e]);
    assert.deepEqual(decodeInPieces(bytes.toString('base64url'), [3]), bytes);
  });

  it('decodes into the memory of the text it consumed, allocating nothing for the bytes', () => {
    const bytes = randomBytes(3000);
    const text = Buffer.from(bytes.toString('base64'), 'latin1');
    const decoder = new Base64Decoder();
    const first = decoder.push(text.subarray(0, 1001));
    const second = decoder.push(text.subarray(1001));
    assert.equal(first.buffer, text.buffer);
    assert.equal(second.buffer, text.buffer);
    assert.deepEqual(Buffer.concat([first, second, decoder.end()]), bytes);
  });
});
