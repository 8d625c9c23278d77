import assert from 'node:assert/strict';
import { LIST_PRICES, PROVIDER_BASE_URL } from '../../../../src/core/model/catalog';
import {
  describeCost,
  describeCostSource,
  describeRunCost,
  estimateCost,
  estimateRunCost,
  formatMoney,
  isProviderBaseUrl,
  parsePriceOverride,
  pricingFor,
  runCostItem,
} from '../../../../src/core/cost/pricing';
import { confirmationQuestion } from '../../../../src/core/cost/confirmation';

const RESELLER = 'https://gateway.example.com/v1';

describe('pricing', () => {
  it('the list prices per image are the provider page of 2026-12: 5.0 and its lite alias $0.035, 4.5 $0.04, 4.0 $0.03', () => {
    assert.deepEqual([LIST_PRICES.currency, LIST_PRICES.readOn], ['USD', '2026-12']);
    const cost = (model: string) => estimateRunCost(model, 1, PROVIDER_BASE_URL);
    assert.deepEqual(
      ['seedream-5-0-260128', 'seedream-5-0-lite-260128', 'seedream-4-5-251128', 'seedream-4-0-250828'].map((model) => {
        const estimate = cost(model);
        return estimate.known ? estimate.amount : undefined;
      }),
      [0.035, 0.035, 0.04, 0.03],
    );
  });

  it('a run costs its count times the price, in the list currency, with the month the prices were read', () => {
    assert.deepEqual(estimateRunCost('seedream-5-0-260128', 3, 'https://api.apiyi.com/v1/'), {
      known: true,
      images: 3,
      amount: 0.105,
      currency: 'USD',
      source: 'list',
      readOn: '2026-12',
    });
  });

  it('another base URL without prices of its own is unknown, not the provider list price', () => {
    const estimate = estimateRunCost('seedream-5-0-260128', 2, RESELLER);
    assert.deepEqual(estimate, { known: false, images: 2, reason: 'otherServer' });
    assert.equal(describeCost(estimate), 'cost unknown');
    assert.match(describeCostSource(estimate), /seedream\.prices/);
  });

  it('a look-alike host is another server: only the provider origin has its prices', () => {
    assert.equal(isProviderBaseUrl('https://api.apiyi.com.evil.example/v1'), false);
    assert.equal(isProviderBaseUrl('https://api.apiyi.com:8443/v1'), false);
    assert.equal(isProviderBaseUrl('not a url'), false);
    assert.equal(isProviderBaseUrl(PROVIDER_BASE_URL), true);
  });

  it('the override prices another server in its own currency', () => {
    const override = parsePriceOverride({ currency: 'cny', 'seedream-5-0-260128': 0.25 });
    assert.deepEqual(override, { currency: 'CNY', perImage: { 'seedream-5-0-260128': 0.25 } });
    const estimate = estimateRunCost('seedream-5-0-260128', 2, RESELLER, override);
    assert.deepEqual(estimate, { known: true, images: 2, amount: 0.5, currency: 'CNY', source: 'override' });
    // A model the override leaves out has no price there.
    assert.deepEqual(estimateRunCost('seedream-4-0-250828', 1, RESELLER, override), { known: false, images: 1, reason: 'noPrice' });
  });

  it('at the provider, an override in dollars replaces only the prices it names', () => {
    const pricing = pricingFor(PROVIDER_BASE_URL, parsePriceOverride({ 'seedream-4-0-250828': 0.02 }));
    assert.ok(pricing.known);
    assert.equal(pricing.source, 'override');
    assert.equal(pricing.perImage['seedream-4-0-250828'], 0.02);
    assert.equal(pricing.perImage['seedream-4-5-251128'], 0.04);
  });

  it('at the provider, an override in another currency never mixes with the dollar list', () => {
    const pricing = pricingFor(PROVIDER_BASE_URL, parsePriceOverride({ currency: 'EUR', 'seedream-4-0-250828': 0.03 }));
    assert.deepEqual(estimateCost(pricing, [{ model: 'seedream-4-5-251128', count: 1 }]), { known: false, images: 1, reason: 'noPrice' });
  });

  it('an override without any price, or with a bad currency, is no override (or no currency)', () => {
    assert.equal(parsePriceOverride({ currency: 'CNY' }), undefined);
    assert.equal(parsePriceOverride({ 'seedream-5-0-260128': -1 }), undefined);
    assert.equal(parsePriceOverride('0.25'), undefined);
    assert.deepEqual(parsePriceOverride({ currency: 'yuan', 'seedream-5-0-260128': 0.25 }), { perImage: { 'seedream-5-0-260128': 0.25 } });
  });

  it('a batch of several models sums each at its price, and many small prices do not drift', () => {
    const pricing = pricingFor(PROVIDER_BASE_URL);
    const estimate = estimateCost(pricing, [
      { model: 'seedream-5-0-260128', count: 7 },
      { model: 'seedream-4-5-251128', count: 3 },
    ]);
    assert.deepEqual(estimate.known && [estimate.images, estimate.amount], [10, 0.365]);
  });

  it('an image set is estimated by its most images, not by n (bug: the cost confirmation ignored image sets)', () => {
    const set = runCostItem('seedream-5-0-260128', { n: 1, maxImages: 6 });
    assert.deepEqual(set, { model: 'seedream-5-0-260128', count: 6 });
    assert.deepEqual(runCostItem('seedream-5-0-260128', { n: 3 }), { model: 'seedream-5-0-260128', count: 3 });
    const estimate = estimateCost(pricingFor(PROVIDER_BASE_URL), [set]);
    assert.equal(describeRunCost(set, estimate), '6 × seedream-5-0 ≈ $0.21');
    assert.match(confirmationQuestion({ images: 4 }, estimate) ?? '', /^This bills 6 images ≈ \$0\.21, more than the 4 images/);
  });

  it('the prompt box line reads count x model ≈ cost', () => {
    assert.equal(
      describeRunCost({ model: 'seedream-5-0-260128', count: 2 }, estimateRunCost('seedream-5-0-260128', 2, PROVIDER_BASE_URL)),
      '2 × seedream-5-0 ≈ $0.07',
    );
    assert.equal(
      describeRunCost({ model: 'seedream-4-5-251128', count: 1 }, estimateRunCost('seedream-4-5-251128', 1, RESELLER)),
      '1 × seedream-4-5 cost unknown',
    );
  });

  it('money shows two decimals, three when the price has them, and any ISO currency', () => {
    assert.equal(formatMoney(0.035, 'USD'), '$0.035');
    assert.equal(formatMoney(0.5, 'USD'), '$0.50');
    assert.equal(formatMoney(0.25, 'CNY'), 'CN¥0.25');
  });
});
