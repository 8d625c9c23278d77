import assert from 'node:assert/strict';
import { parseGenerateArguments } from '../../../../src/core/model/commandArguments';

describe('parseGenerateArguments', () => {
  it('accepts no argument and menu resources as "no arguments"', () => {
    assert.deepEqual(parseGenerateArguments(undefined), { ok: true, value: {} });
    assert.deepEqual(parseGenerateArguments('file:///docs/a.md'), { ok: true, value: {} });
  });

  it('keeps every documented field', () => {
    const value = {
      prompt: '一只猫',
      model: 'seedream-4-0-250828',
      size: '1K',
      n: 2,
      seed: 42,
      outputFormat: 'jpeg',
      responseFormat: 'b64_json',
      watermark: true,
      stream: true,
      folder: '/assets',
      insert: true,
    };
    assert.deepEqual(parseGenerateArguments(value), { ok: true, value });
  });

  it('refuses unknown fields, wrong types and unknown choices, naming each', () => {
    const result = parseGenerateArguments({ prompt: 3, colour: 'red', outputFormat: 'gif', n: Number.NaN });
    assert.equal(result.ok, false);
    const { message } = result as { message: string };
    assert.match(message, /"prompt" must be a string/);
    assert.match(message, /unknown argument "colour" \(known: prompt, model/);
    assert.match(message, /"outputFormat" must be one of auto, png, jpeg/);
    assert.match(message, /"n" must be a number/);
  });

  it('an argument named like an Object method ("toString") is refused as unknown, not as a wrong type', () => {
    const result = parseGenerateArguments({ prompt: 'a cat', toString: 'x' });
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /unknown argument "toString" \(known: prompt, model/);
  });

  it('refuses references that climb out of the workspace folder or are plain http: addresses, before any file is read', () => {
    const result = parseGenerateArguments({ prompt: 'a cat', references: ['docs/../../x.png', 'http://example.com/a.png', 'C:\\x.png'] });
    assert.equal(result.ok, false);
    const { message } = result as { message: string };
    assert.match(message, /The reference image docs\/\.\.\/\.\.\/x\.png is outside the workspace/);
    assert.match(message, /must use https/);
    assert.doesNotMatch(message, /C:/, 'a drive path is a file, checked where files are read');
    assert.deepEqual(parseGenerateArguments({ references: ['a.png', 'file:///w/b.png', 'https://example.com/c.png'] }), {
      ok: true,
      value: { references: ['a.png', 'file:///w/b.png', 'https://example.com/c.png'] },
    });
  });
});
