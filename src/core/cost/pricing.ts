/**
 * What a run will cost, before anything is billed. The provider bills per generated image; its list prices
 * are data in the model catalogue. They hold at the provider's own API only: another base URL (a reseller,
 * a company gateway) charges what it charges, so its cost is unknown until the user says, in
 * `seedream.prices`, what it is.
 */

import * as l10n from '@vscode/l10n';
import { LIST_PRICES, MODELS, PROVIDER_BASE_URL, shortModelName } from '../model/catalog';
import { imagesAsked, type GenerationRequest } from '../model/validation';

/** `seedream.prices`: prices per image by model id, and the currency they are in (the list's when left out). */
export interface PriceOverride {
  readonly currency?: string;
  readonly perImage: Readonly<Record<string, number>>;
}

/** The prices that count for a base URL. */
export type Pricing =
  | {
      readonly known: true;
      readonly currency: string;
      readonly perImage: Readonly<Record<string, number>>;
      /** Where the prices come from: the catalogue's list (with the month it was read) or the user's setting. */
      readonly source: 'list' | 'override';
      readonly readOn?: string;
    }
  | { readonly known: false };

/** One model's share of a run or a batch. */
export interface CostItem {
  readonly model: string;
  readonly count: number;
}

/**
 * What one run of `model` may bill: its `n` images, or for an image set its most (`maxImages`), since the
 * model may make them all. Every estimate, confirmation and count of a run comes from here.
 */
export function runCostItem(model: string, asked: Pick<GenerationRequest, 'n' | 'maxImages'>): CostItem {
  return { model, count: imagesAsked(asked) };
}

export type CostEstimate =
  | {
      readonly known: true;
      readonly images: number;
      readonly amount: number;
      readonly currency: string;
      readonly source: 'list' | 'override';
      readonly readOn?: string;
    }
  | {
      readonly known: false;
      readonly images: number;
      /** `otherServer`: the base URL is not the provider's and no prices are set; `noPrice`: a model has no price. */
      readonly reason: 'otherServer' | 'noPrice';
    };

const CURRENCY = /^[A-Z]{3}$/;
export const PRICES_SETTING = 'seedream.prices';

/**
 * The override as the setting holds it (`{"currency": "CNY", "seedream-5-0-260128": 0.25}`); entries that are
 * not a price (negative, not a number) are left out, and a currency that is not an ISO 4217 code is ignored.
 */
export function parsePriceOverride(value: unknown): PriceOverride | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const perImage: Record<string, number> = {};
  let currency: string | undefined;
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'currency') {
      currency = typeof entry === 'string' && CURRENCY.test(entry.trim().toUpperCase()) ? entry.trim().toUpperCase() : undefined;
    } else if (typeof entry === 'number' && Number.isFinite(entry) && entry >= 0) {
      perImage[key] = entry;
    }
  }
  if (Object.keys(perImage).length === 0) {
    return undefined;
  }
  return { perImage, ...(currency ? { currency } : {}) };
}

/** Whether `baseUrl` is the provider's API (same origin as {@link PROVIDER_BASE_URL}). */
export function isProviderBaseUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl.trim()).origin === new URL(PROVIDER_BASE_URL).origin;
  } catch {
    return false;
  }
}

/**
 * The prices for `baseUrl`: at the provider's API the list prices, each replaced by the override's where it
 * has one in the same currency (an override in another currency replaces the list); elsewhere only the
 * override's, and unknown without one.
 */
export function pricingFor(baseUrl: string, override?: PriceOverride): Pricing {
  const currency = override?.currency ?? LIST_PRICES.currency;
  if (!isProviderBaseUrl(baseUrl)) {
    return override ? { known: true, currency, perImage: override.perImage, source: 'override' } : { known: false };
  }
  if (!override) {
    return listPricing();
  }
  const list = currency === LIST_PRICES.currency ? listPricing().perImage : {};
  return { known: true, currency, perImage: { ...list, ...override.perImage }, source: 'override' };
}

function listPricing(): Pricing & { known: true } {
  return {
    known: true,
    currency: LIST_PRICES.currency,
    perImage: Object.fromEntries(MODELS.map((model) => [model.id, model.listPrice])),
    source: 'list',
    readOn: LIST_PRICES.readOn,
  };
}

/** The cost of `items` at `pricing`; unknown as a whole when one of their models has no price. */
export function estimateCost(pricing: Pricing, items: readonly CostItem[]): CostEstimate {
  const images = items.reduce((sum, item) => sum + item.count, 0);
  if (!pricing.known) {
    return { known: false, images, reason: 'otherServer' };
  }
  let amount = 0;
  for (const item of items) {
    const price = pricing.perImage[item.model];
    if (price === undefined) {
      return { known: false, images, reason: 'noPrice' };
    }
    amount += price * item.count;
  }
  return {
    known: true,
    images,
    amount: roundMoney(amount),
    currency: pricing.currency,
    source: pricing.source,
    ...(pricing.readOn ? { readOn: pricing.readOn } : {}),
  };
}

/**
 * What a run of `count` images of `model` costs at `baseUrl`, with the user's `seedream.prices` if any: the one
 * estimate every front end shows before it bills (prompt box, Studio, batch preview, tool confirmations).
 */
export function estimateRunCost(model: string, count: number, baseUrl: string, override?: PriceOverride): CostEstimate {
  return estimateCost(pricingFor(baseUrl, override), [{ model, count }]);
}

/** Sums of money kept to a millionth, so that adding many prices such as 0.035 does not drift. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** `$0.07`, `CN¥0.25`: two decimals at least, three when the price has them. */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 3 }).format(
      amount,
    );
  } catch {
    return `${amount.toFixed(3)} ${currency}`;
  }
}

/** `≈ $0.07`, or `cost unknown`. */
export function describeCost(estimate: CostEstimate, locale?: string): string {
  return estimate.known ? `≈ ${formatMoney(estimate.amount, estimate.currency, locale)}` : l10n.t('cost unknown');
}

/** `2 × seedream-5-0 ≈ $0.07`: what the prompt box and the Studio say before a run. */
export function describeRunCost({ model, count }: CostItem, estimate: CostEstimate, locale?: string): string {
  return `${count} × ${shortModelName(model)} ${describeCost(estimate, locale)}`;
}

/** Where the estimate comes from, or why there is none, with the setting that changes it. */
export function describeCostSource(estimate: CostEstimate): string {
  if (!estimate.known) {
    return estimate.reason === 'otherServer'
      ? l10n.t(
          "seedream.baseUrl is not the provider's API, whose list prices these would be: set your server's prices per image in {0}.",
          PRICES_SETTING,
        )
      : l10n.t('A model of this run has no price in {0}: add it there.', PRICES_SETTING);
  }
  return estimate.source === 'list'
    ? l10n.t(
        "The provider's list price per image (read {0}); billed per generated image. {1} overrides it.",
        estimate.readOn ?? '',
        PRICES_SETTING,
      )
    : l10n.t('Your prices per image from {0}; billed per generated image.', PRICES_SETTING);
}
