/**
 * `seedream.confirmAbove`: the number of images, or the cost, above which a run or a batch waits for the
 * user's yes in a modal dialog. Either limit may be set; a run that crosses one of them is asked about.
 */

import * as l10n from '@vscode/l10n';
import { describeCost, formatMoney, PRICES_SETTING, type CostEstimate } from './pricing';

export interface ConfirmThreshold {
  /** Ask when more images than this would be billed. */
  readonly images?: number;
  /** Ask when the estimate is above this amount, in the currency the prices are in. */
  readonly cost?: number;
}

export const CONFIRM_SETTING = 'seedream.confirmAbove';

/** The threshold as the setting holds it; a limit that is not a number from 0 up is left out. */
export function parseConfirmThreshold(value: unknown): ConfirmThreshold {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  const { images, cost } = value as Record<string, unknown>;
  const limit = (entry: unknown): entry is number => typeof entry === 'number' && Number.isFinite(entry) && entry >= 0;
  return { ...(limit(images) ? { images } : {}), ...(limit(cost) ? { cost } : {}) };
}

/**
 * The question to ask before billing `estimate`, or undefined when it stays within the threshold. A cost
 * limit cannot be judged when the cost is unknown: such a run is asked about, saying why.
 */
export function confirmationQuestion(threshold: ConfirmThreshold, estimate: CostEstimate, locale?: string): string | undefined {
  const images = estimate.images === 1 ? l10n.t('1 image') : l10n.t('{0} images', estimate.images);
  const what = `${images} ${describeCost(estimate, locale)}`;
  if (threshold.images !== undefined && estimate.images > threshold.images) {
    return l10n.t('This bills {0}, more than the {1} images of your {2}. Generate?', what, threshold.images, CONFIRM_SETTING);
  }
  if (threshold.cost === undefined) {
    return undefined;
  }
  if (!estimate.known) {
    return l10n.t(
      'This bills {0}: its cost is unknown, so your {1} limit of {2} cannot be checked (set the prices in {3}). Generate?',
      images,
      CONFIRM_SETTING,
      String(threshold.cost),
      PRICES_SETTING,
    );
  }
  if (estimate.amount > threshold.cost) {
    return l10n.t(
      'This bills {0}, more than the {1} of your {2}. Generate?',
      what,
      formatMoney(threshold.cost, estimate.currency, locale),
      CONFIRM_SETTING,
    );
  }
  return undefined;
}

/**
 * The threshold that counts: the user's own (or the default), each limit lowered by a workspace or folder
 * that sets a lower one. A cloned repository may ask to be asked sooner, never later.
 */
export function stricterThreshold(own: ConfirmThreshold, ...workspace: readonly ConfirmThreshold[]): ConfirmThreshold {
  const lowest = (key: keyof ConfirmThreshold): number | undefined => {
    const limits = [own, ...workspace].map((threshold) => threshold[key]).filter((limit): limit is number => limit !== undefined);
    return limits.length > 0 ? Math.min(...limits) : undefined;
  };
  const images = lowest('images');
  const cost = lowest('cost');
  return { ...(images !== undefined ? { images } : {}), ...(cost !== undefined ? { cost } : {}) };
}
