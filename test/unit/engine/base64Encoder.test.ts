import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { base64Length, encodeBase64Into } from '../../../src/engine/base64Encoder';

function encode(bytes: Uint8Array): string {
  const target = Buffer.from(new ArrayBuffer(base64Length(bytes.length) + 8));
  const written = encodeBase64Into(bytes, target);
  assert.equal(written, base64Length(bytes.length));
  return target.subarray(0, written).toString('latin1');
}

describe('encodeBase64Into', () => {
  it('writes the same bytes as Buffer base64 for every length up to 300, and a large buffer', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = randomBytes(length);
      assert.equal(encode(bytes), bytes.toString('base64'), `length ${length}`);
    }
    const large = randomBytes(3 * 100_000 + 2);
    assert.equal(encode(large), large.toString('base64'));
  });

  it('reads a view that starts at an odd offset of a pooled buffer', () => {
    const bytes = Buffer.from('\u0000hello, world!', 'latin1').subarray(1);
    assert.equal(encode(bytes), 'aGVsbG8sIHdvcmxkIQ==');
  });

  it('writes over what the target held before, and nothing past the base64', () => {
    const target = Buffer.from(new ArrayBuffer(16)).fill('#');
    assert.equal(encodeBase64Into(Buffer.from('hello'), target), 8);
    assert.equal(target.toString('latin1'), 'aGVsbG8=########');
  });

  it('refuses a target too short or not at a multiple of 4 bytes', () => {
    const bytes = Buffer.from('hello');
    assert.throws(() => encodeBase64Into(bytes, Buffer.from(new ArrayBuffer(7))), RangeError);
    assert.throws(() => encodeBase64Into(bytes, Buffer.from(new ArrayBuffer(16)).subarray(2)), RangeError);
  });
});
