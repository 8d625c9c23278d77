import assert from 'node:assert/strict';
import { findModel, MODELS } from '../../../../src/core/model/catalog';
import { checkSize, parseSize, validateGeneration, type GenerationInput } from '../../../../src/core/model/validation';
import { TEST_INPUT } from '../../../support/generationInput';

const base = TEST_INPUT;

function issuesOf(input: Partial<GenerationInput>): string[] {
  const result = validateGeneration({ ...base, ...input });
  return result.ok ? [] : result.issues.map((issue) => `${issue.field}: ${issue.message}`);
}

describe('validation', () => {
  it('accepts the defaults and normalises the request', () => {
    const result = validateGeneration({ ...base, prompt: '  一只橘猫在窗台上睡觉 ', size: ' 2560 × 1440 ' });
    assert.ok(result.ok);
    assert.equal(result.request.prompt, '一只橘猫在窗台上睡觉');
    assert.equal(result.request.size, '2560x1440');
    assert.equal(result.request.outputFormat, 'png');
    assert.equal(result.request.model.id, 'seedream-5-0-260128');
  });

  it('refuses empty and whitespace-only prompts with an example', () => {
    for (const prompt of ['', '   \n\t ']) {
      const [issue] = issuesOf({ prompt });
      assert.match(issue, /^prompt: The prompt is empty: describe the image/);
    }
  });

  it('refuses an over-long prompt, saying the limit', () => {
    assert.match(issuesOf({ prompt: 'x'.repeat(10_000) })[0], /10,000 characters; shorten it to at most 4,000/);
  });

  it('refuses control characters but keeps line breaks, RTL text and emoji', () => {
    assert.match(issuesOf({ prompt: 'a cat\u0007' })[0], /control character \(U\+0007\)/);
    assert.deepEqual(issuesOf({ prompt: 'line one\nline two\t🐱 قطة على النافذة' }), []);
  });

  it('refuses n outside 1-4 and fractional n', () => {
    for (const n of [0, 5, 1.5, -1, Number.NaN]) {
      assert.match(issuesOf({ n })[0], /^n: The number of images must be a whole number from 1 to 4/);
    }
  });

  it('checks the seed range; -1 means random and is not sent', () => {
    assert.match(issuesOf({ seed: 2 ** 31 })[0], /^seed: .*-1 \(random\) to 2147483647/);
    assert.match(issuesOf({ seed: 1.5 })[0], /^seed:/);
    const random = validateGeneration({ ...base, seed: -1 });
    assert.ok(random.ok && random.request.seed === undefined);
    const fixed = validateGeneration({ ...base, seed: 42 });
    assert.ok(fixed.ok && fixed.request.seed === 42);
  });

  it('names the allowed tiers when a tier is not offered', () => {
    assert.equal(
      issuesOf({ size: '4K' })[0],
      'size: seedream-5-0 does not offer 4K: seedream-5-0 supports 2K and 3K, or WxH from 2560x1440 to 3225x3225 pixels in total with an aspect ratio between 1:16 and 16:1.',
    );
    assert.deepEqual(issuesOf({ model: 'seedream-4-0-250828', size: '1k', outputFormat: 'jpeg' }), []);
    assert.match(issuesOf({ model: 'seedream-4-5-251128', size: '1K' })[0], /seedream-4-5 supports 2K and 4K/);
  });

  it('refuses sizes that are not sizes or break a bound, naming the bound', () => {
    const model = findModel('seedream-5-0-260128')!;
    assert.match(checkSize(model, 'abc')!, /"abc" is not a size/);
    assert.match(checkSize(model, '0x0')!, /0x0 has a zero side/);
    assert.match(checkSize(model, '5000x5000')!, /too large for seedream-5-0: at most 3225x3225 \(10,404,496 pixels\)/);
    assert.match(checkSize(model, '100x3000')!, /too small for seedream-5-0: at least 2560x1440/);
    assert.equal(checkSize(model, '3072x3072'), undefined, 'the 3K tier in pixels fits 5.0');
    const v4 = findModel('seedream-4-0-250828')!;
    assert.equal(checkSize(v4, '1280x720'), undefined);
    assert.equal(checkSize(v4, '4096x4096'), undefined);
    assert.match(checkSize(v4, '16384x600')!, /aspect ratio must be between 1:16 and 16:1/);
    assert.match(checkSize(findModel('seedream-4-5-251128')!, '1280x720')!, /too small for seedream-4-5/);
  });

  it('parses tiers and WxH leniently', () => {
    assert.deepEqual(parseSize('2k'), { kind: 'tier', tier: '2K' });
    assert.deepEqual(parseSize('2048X1536'), { kind: 'pixels', width: 2048, height: 1536 });
    assert.equal(parseSize('5K'), undefined);
    assert.equal(parseSize('2048x'), undefined);
  });

  it('limits output formats to what the model makes', () => {
    assert.match(issuesOf({ model: 'seedream-4-5-251128', outputFormat: 'png' })[0], /seedream-4-5 makes JPEG only, not PNG/);
    const auto = validateGeneration({ ...base, model: 'seedream-4-5-251128' });
    assert.ok(auto.ok && auto.request.outputFormat === 'jpeg');
  });

  it('refuses unknown models, listing the known ones', () => {
    const [issue] = issuesOf({ model: 'dall-e-3' });
    assert.match(issue, /Unknown model "dall-e-3"/);
    for (const model of MODELS) {
      assert.ok(issue.includes(model.id));
    }
  });

  it('reports every problem at once', () => {
    assert.equal(issuesOf({ prompt: '', n: 9, size: '4K' }).length, 3);
  });
});
