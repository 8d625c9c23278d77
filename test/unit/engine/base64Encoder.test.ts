import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encodeBase64 } from '../../../src/engine/base64Encoder';

describe('encodeBase64', () => {
  it('writes the same bytes as Buffer base64 for every length up to 300, and a large buffer', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = randomBytes(length);
      assert.equal(encodeBase64(bytes).toString('latin1'), bytes.toString('base64'), `length ${length}`);
    }
    const large = randomBytes(3 * 100_000 + 2);
    assert.ok(encodeBase64(large).equals(Buffer.from(large.toString('base64'), 'latin1')));
  });

  it('reads a view that starts at an odd offset of a pooled buffer', () => {
    const bytes = Buffer.from('\u0000hello, world!', 'latin1').subarray(1);
    assert.equal(encodeBase64(bytes).toString('latin1'), 'aGVsbG8sIHdvcmxkIQ==');
  });
});
