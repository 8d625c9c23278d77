import assert from 'node:assert/strict';
import { planMissingImage, withExtension } from '../../../../src/core/links/missingImage';

const FIVE = 'seedream-5-0-260128';
const FOUR_FIVE = 'seedream-4-5-251128';

describe('planMissingImage', () => {
  it('takes the prompt from the link and the format from its extension', () => {
    assert.deepEqual(planMissingImage('images/login-flow.png', '  A login flow diagram  ', FIVE), {
      ok: true,
      prompt: 'A login flow diagram',
      outputFormat: 'png',
      model: FIVE,
    });
    assert.deepEqual(planMissingImage('images/hero.JPG', 'A hero', FIVE), {
      ok: true,
      prompt: 'A hero',
      outputFormat: 'jpeg',
      model: FIVE,
    });
    assert.deepEqual(planMissingImage('hero.jpeg', 'A hero', FOUR_FIVE), {
      ok: true,
      prompt: 'A hero',
      outputFormat: 'jpeg',
      model: FOUR_FIVE,
    });
  });

  it('flags a .png with a model that only makes JPEG, naming the model that can', () => {
    const plan = planMissingImage('images/login-flow.png', 'A login flow', FOUR_FIVE);
    assert.ok(!plan.ok);
    assert.equal(plan.problem.kind, 'formatNeedsOtherModel');
    assert.match(plan.problem.message, /seedream-4-5 makes JPEG only.*link a \.jpg instead, or generate it with Seedream 5\.0/);
    assert.ok(plan.problem.kind === 'formatNeedsOtherModel' && plan.problem.alternative.outputFormats.includes('png'));
  });

  it('refuses formats Seedream never makes, and links without a prompt', () => {
    const webp = planMissingImage('images/a.webp', 'A cat', FIVE);
    assert.ok(!webp.ok && webp.problem.kind === 'unsupportedExtension' && /not \.webp/.test(webp.problem.message));
    const bare = planMissingImage('images/a', 'A cat', FIVE);
    assert.ok(!bare.ok && bare.problem.kind === 'unsupportedExtension' && /without an extension/.test(bare.problem.message));
    const empty = planMissingImage('images/a.png', '   ', FIVE);
    assert.ok(!empty.ok && empty.problem.kind === 'noPrompt');
    const long = planMissingImage('images/a.png', 'x'.repeat(4001), FIVE);
    assert.ok(!long.ok && long.problem.kind === 'promptTooLong');
  });

  it('leaves an unknown model to the validation, which names the models', () => {
    assert.equal(planMissingImage('a.png', 'A cat', 'no-such-model').ok, true);
  });
});

describe('withExtension', () => {
  it('replaces only the last extension of the file name', () => {
    assert.equal(withExtension('images/login-flow.png', 'jpg'), 'images/login-flow.jpg');
    assert.equal(withExtension('images.v2/diagram', 'png'), 'images.v2/diagram.png');
    assert.equal(withExtension('a.b.png', 'jpg'), 'a.b.jpg');
  });
});
