import assert from 'node:assert/strict';
import { PROVIDER_BASE_URL } from '../../../../src/core/model/catalog';
import { parsePriceOverride, pricingFor } from '../../../../src/core/cost/pricing';
import { addToSpending, billedRun, describeBilledRun, describeSpending, parseSpending } from '../../../../src/core/cost/spending';

const list = pricingFor(PROVIDER_BASE_URL);

describe('spending', () => {
  it('a run is billed what usage.generated_images reports, not what was asked or saved', () => {
    assert.deepEqual(billedRun('seedream-5-0-260128', 3, 4, list), { images: 3, reported: true, cost: { amount: 0.105, currency: 'USD' } });
  });

  it('without a usage report, the images the API sent are counted', () => {
    assert.deepEqual(billedRun('seedream-4-0-250828', undefined, 2, list), {
      images: 2,
      reported: false,
      cost: { amount: 0.06, currency: 'USD' },
    });
  });

  it('at unknown prices a run records its images and no cost', () => {
    assert.deepEqual(billedRun('seedream-4-0-250828', 2, 2, pricingFor('https://gateway.example.com/v1')), { images: 2, reported: true });
  });

  it('the running total adds images and sums each currency apart, from the first run on', () => {
    const cny = pricingFor('https://gateway.example.com/v1', parsePriceOverride({ currency: 'CNY', 'seedream-5-0-260128': 0.25 }));
    let total = addToSpending(undefined, billedRun('seedream-5-0-260128', 2, 2, list), 1000);
    total = addToSpending(total, billedRun('seedream-5-0-260128', 1, 1, cny), 2000);
    total = addToSpending(total, billedRun('seedream-5-0-260128', 1, 1, pricingFor('https://other.example.com')), 3000);
    assert.deepEqual(total, { images: 4, amounts: { USD: 0.07, CNY: 0.25 }, unpricedImages: 1, since: 1000 });
    assert.equal(describeSpending(total), '4 images billed · ≈ $0.07 + CN¥0.25 · 1 at unknown prices');
  });

  it('a hundred runs at $0.035 add up to $3.50 exactly', () => {
    let total = addToSpending(undefined, billedRun('seedream-5-0-260128', 1, 1, list), 0);
    for (let i = 1; i < 100; i++) {
      total = addToSpending(total, billedRun('seedream-5-0-260128', 1, 1, list), i);
    }
    assert.equal(total.amounts.USD, 3.5);
  });

  it('a stored total of another shape reads as none, and a good one round-trips', () => {
    assert.equal(parseSpending({ images: '3' }), undefined);
    assert.equal(parseSpending(null), undefined);
    const total = { images: 2, amounts: { USD: 0.07 }, unpricedImages: 0, since: 5 };
    assert.deepEqual(parseSpending(JSON.parse(JSON.stringify(total))), total);
  });

  it('a history entry says what the run was billed', () => {
    assert.equal(describeBilledRun({ images: 2, reported: true, cost: { amount: 0.07, currency: 'USD' } }), 'billed 2 images · $0.07');
    assert.equal(describeBilledRun({ images: 1, reported: false }), 'billed 1 image');
  });
});
