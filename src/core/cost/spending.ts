/**
 * What each run was billed, and the running total of a workspace. The API reports what it billed
 * (`usage.generated_images`); when it does not, the images it sent are counted instead. The cost is priced
 * when the run ends, with the prices then in force, so a later change of prices does not rewrite the past.
 */

import * as l10n from '@vscode/l10n';
import { estimateCost, formatMoney, roundMoney, type Pricing } from './pricing';

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export interface BilledRun {
  readonly images: number;
  /** Whether the API reported the count (`usage.generated_images`) rather than it being counted here. */
  readonly reported: boolean;
  /** Undefined when the prices were unknown. */
  readonly cost?: Money;
}

/** The running total of a workspace. */
export interface Spending {
  readonly images: number;
  /** By currency: a change of reseller starts another sum rather than adding dollars to yuan. */
  readonly amounts: Readonly<Record<string, number>>;
  /** Images billed at prices that were unknown. */
  readonly unpricedImages: number;
  /** When the first run was added, in milliseconds since the epoch. */
  readonly since: number;
}

/** What a run of `model` was billed: the API's count when it gave one, else the images it sent. */
export function billedRun(model: string, reportedImages: number | undefined, receivedImages: number, pricing: Pricing): BilledRun {
  const images = reportedImages ?? receivedImages;
  const estimate = estimateCost(pricing, [{ model, count: images }]);
  return {
    images,
    reported: reportedImages !== undefined,
    ...(estimate.known ? { cost: { amount: estimate.amount, currency: estimate.currency } } : {}),
  };
}

export function addToSpending(spending: Spending | undefined, run: BilledRun, now: number): Spending {
  const total = spending ?? { images: 0, amounts: {}, unpricedImages: 0, since: now };
  const amounts = { ...total.amounts };
  if (run.cost) {
    amounts[run.cost.currency] = roundMoney((amounts[run.cost.currency] ?? 0) + run.cost.amount);
  }
  return {
    images: total.images + run.images,
    amounts,
    unpricedImages: total.unpricedImages + (run.cost ? 0 : run.images),
    since: total.since,
  };
}

/** The total as stored; anything else (an older shape, a hand edit) reads as no total. */
export function parseSpending(value: unknown): Spending | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { images, amounts, unpricedImages, since } = value as Record<string, unknown>;
  if (!isCount(images) || !isCount(unpricedImages) || !isCount(since) || typeof amounts !== 'object' || amounts === null) {
    return undefined;
  }
  const sums = Object.entries(amounts).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] >= 0);
  return { images, amounts: Object.fromEntries(sums), unpricedImages, since };
}

/** `≈ $0.42`, `≈ $0.42 + CN¥1.50`, with the images at unknown prices said apart. */
export function describeSpending(spending: Spending, locale?: string): string {
  const sums = Object.entries(spending.amounts).map(([currency, amount]) => formatMoney(amount, currency, locale));
  const parts = [
    spending.images === 1 ? l10n.t('1 image billed') : l10n.t('{0} images billed', spending.images),
    ...(sums.length > 0 ? [`≈ ${sums.join(' + ')}`] : []),
    ...(spending.unpricedImages > 0 ? [l10n.t('{0} at unknown prices', spending.unpricedImages)] : []),
  ];
  return parts.join(' · ');
}

/** `2 images · $0.07` for a history entry. */
export function describeBilledRun(run: BilledRun, locale?: string): string {
  const images = run.images === 1 ? l10n.t('billed 1 image') : l10n.t('billed {0} images', run.images);
  return run.cost ? `${images} · ${formatMoney(run.cost.amount, run.cost.currency, locale)}` : images;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
