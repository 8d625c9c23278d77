import assert from 'node:assert/strict';
import { confirmationQuestion, parseConfirmThreshold, stricterThreshold } from '../../../../src/core/cost/confirmation';
import type { CostEstimate } from '../../../../src/core/cost/pricing';

const priced = (images: number, amount: number): CostEstimate => ({
  known: true,
  images,
  amount,
  currency: 'USD',
  source: 'list',
  readOn: '2026-12',
});
const unknown = (images: number): CostEstimate => ({ known: false, images, reason: 'otherServer' });

describe('confirmation threshold', () => {
  it('asks above the image count, naming the count, the cost and the setting', () => {
    assert.equal(confirmationQuestion({ images: 10 }, priced(10, 0.35)), undefined);
    assert.equal(
      confirmationQuestion({ images: 10 }, priced(12, 0.42)),
      'This bills 12 images ≈ $0.42, more than the 10 images of your seedream.confirmAbove. Generate?',
    );
  });

  it('asks above the cost, in the currency of the prices', () => {
    assert.equal(confirmationQuestion({ cost: 0.5 }, priced(14, 0.49)), undefined);
    assert.equal(
      confirmationQuestion({ cost: 0.5 }, priced(15, 0.525)),
      'This bills 15 images ≈ $0.525, more than the $0.50 of your seedream.confirmAbove. Generate?',
    );
  });

  it('a cost limit with an unknown cost asks, and says how to price the server', () => {
    assert.match(confirmationQuestion({ cost: 1 }, unknown(1)) ?? '', /cost is unknown.*seedream\.prices/);
    // Without a cost limit, an unknown cost is judged by the count alone.
    assert.equal(confirmationQuestion({ images: 4 }, unknown(4)), undefined);
  });

  it('no threshold never asks', () => {
    assert.equal(confirmationQuestion({}, priced(500, 17.5)), undefined);
  });

  it('reads the setting leniently: only numbers from 0 up count', () => {
    assert.deepEqual(parseConfirmThreshold({ images: 10, cost: 0.5 }), { images: 10, cost: 0.5 });
    assert.deepEqual(parseConfirmThreshold({ images: -1, cost: '1' }), {});
    assert.deepEqual(parseConfirmThreshold(null), {});
    assert.deepEqual(parseConfirmThreshold({ images: 0 }), { images: 0 });
  });
});

describe('stricterThreshold', () => {
  it('a workspace that raises the limit does not skip the question (issue: a cloned repository must not bill silently)', () => {
    assert.deepEqual(stricterThreshold({ images: 10 }, { images: 1000 }), { images: 10 });
  });

  it('a workspace may lower a limit or add one', () => {
    assert.deepEqual(stricterThreshold({ images: 10 }, { images: 4 }, { cost: 0.2 }), { images: 4, cost: 0.2 });
    assert.deepEqual(stricterThreshold({}), {});
  });
});
