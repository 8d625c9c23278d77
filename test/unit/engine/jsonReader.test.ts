import assert from 'node:assert/strict';
import { SeedreamError } from '../../../src/core/errors/errors';
import { JsonReader, JsonSyntaxError } from '../../../src/engine/jsonReader';
import { failure } from '../../support/rejection';

/** `text` in chunks of `size` bytes, as plain Uint8Arrays. */
async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield new Uint8Array(bytes.subarray(offset, offset + size));
  }
}

/** Reads `[value, "after"]`, skipping the value; what follows it. */
async function afterSkipping(value: string, size: number): Promise<unknown> {
  const reader = new JsonReader(chunked(`[${value}, "after"]`, size));
  assert.equal(await reader.firstElement(), true);
  await reader.skipValue();
  assert.equal(await reader.nextElement(), true);
  const after = await reader.readValue();
  assert.equal(await reader.nextElement(), false);
  await reader.end();
  return after;
}

/** Counts the bytes `Buffer.prototype.indexOf` looks at while `work` runs. */
async function bytesSearched(work: () => Promise<void>): Promise<number> {
  const indexOf = Buffer.prototype.indexOf;
  let searched = 0;
  Buffer.prototype.indexOf = function (this: Buffer, value: number, from?: number): number {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = indexOf.call(this, value, start);
    searched += (found < 0 ? this.length : found + 1) - start;
    return found;
  } as typeof indexOf;
  try {
    await work();
  } finally {
    Buffer.prototype.indexOf = indexOf;
  }
  return searched;
}

const VALUES = [
  '"plain"',
  '""',
  '"escapes \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 and é 🐱"',
  '{}',
  '[]',
  '{"a": [1, {"b": null, "c": [true, false]}], "d\\"": "x", "e": {}}',
  '[[[]], [{}], -1.5e3, 0, "]", "}", "[{,:"]',
  '-0.25E-2',
  'true',
  'null',
];

describe('JsonReader', () => {
  it('skips every kind of value wherever the input is cut, and goes on right after it', async () => {
    for (const value of VALUES) {
      for (const size of [1, 2, 3, 7, 1000]) {
        assert.equal(await afterSkipping(value, size), 'after', `${value} in chunks of ${size}`);
      }
    }
  });

  it('refuses a skipped value that is not JSON, as JSON.parse does', async () => {
    const invalid = [
      '[1,]',
      '[1 2]',
      '[}',
      '{]',
      '{"a" 1}',
      '{"a":1,}',
      '{1:2}',
      '{"a":1 "b":2}',
      '"\\x"',
      '"\\u12G4"',
      '{"a":tru}',
      '01',
      '+1',
      '',
    ];
    for (const value of invalid) {
      assert.throws(() => JSON.parse(`[${value}, "after"]`), SyntaxError, value);
      for (const size of [1, 1000]) {
        const error = await failure(afterSkipping(value, size));
        assert.ok(error instanceof JsonSyntaxError, `${value} in chunks of ${size}: ${String(error)}`);
      }
    }
    for (const unfinished of ['"abc', '{"a":[1', '[[']) {
      const reader = new JsonReader(chunked(unfinished, 2));
      const error = await failure(reader.skipValue());
      assert.ok(error instanceof JsonSyntaxError && error.found === '', unfinished);
    }
  });

  it('refuses to skip values nested more than 1,000 deep, which it would have to remember', async () => {
    assert.equal(await afterSkipping(`${'['.repeat(1000)}${']'.repeat(1000)}`, 4096), 'after');
    const error = await failure(afterSkipping(`${'[{"a":'.repeat(501)}1${'}]'.repeat(501)}`, 4096));
    assert.ok(error instanceof SeedreamError && error.kind === 'unexpectedResponse');
    assert.match(error.message, /more than 1,000 levels deep/);
  });

  it('refuses a value of more than 1 MB to read whole, and stops reading it', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunked(`{"url":"${'x'.repeat(8 * 1024 * 1024)}"}`, 64 * 1024)) {
        pulled++;
        yield chunk;
      }
    }
    const reader = new JsonReader(source());
    assert.equal(await reader.firstKey(), 'url');
    const error = await failure(reader.readValue());
    assert.ok(error instanceof SeedreamError && error.kind === 'unexpectedResponse');
    assert.match(error.message, /larger than 1 MB/);
    assert.ok(pulled <= 1024 / 64 + 1, `pulled ${pulled} chunks of 64 KB`);
    assert.equal(await failure(reader.nextKey()), error, 'it keeps failing the same way');
    assert.equal(await new JsonReader(chunked(`"${'x'.repeat(1024 * 1024 - 2)}"`, 64 * 1024)).readValue(), 'x'.repeat(1024 * 1024 - 2));
  });

  it('searches each byte of a string with many escapes once for quotes and once for backslashes', async () => {
    // Base64 as some servers send it: a line feed escaped every 76 characters.
    const text = JSON.stringify('QUJD'.repeat(1024 * 1024).replace(/.{76}/g, '$&\n'));
    let read = 0;
    const searched = await bytesSearched(async () => {
      const reader = new JsonReader(chunked(text, 64 * 1024));
      assert.equal(await reader.openNonEmptyString(), true);
      for (let piece = await reader.readStringSegment(); piece !== undefined; piece = await reader.readStringSegment()) {
        read += piece.length;
      }
    });
    assert.equal(read, JSON.parse(text).length);
    assert.ok(searched >= text.length && searched <= 2 * text.length, `searched ${searched} bytes of ${text.length}`);
  });
});
