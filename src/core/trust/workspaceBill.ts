/**
 * Whether a workspace's settings make a run cost more than the user's own would, and the question asked
 * before such a run. A cloned repository must not silently bill four 4K images per run.
 */

import * as l10n from '@vscode/l10n';
import { findModel } from '../model/catalog';
import { formatSize, imagesAsked, parseSize } from '../model/validation';
import { imageCount } from '../text/imageCount';

/** What one run bills: how many images (an image set's most), of which model, at which size. */
export interface Bill {
  readonly n: number;
  readonly maxImages?: number;
  readonly model: string;
  readonly size: string;
}

/** The user's answer: the workspace's settings, or their own. */
export type BillChoice = 'workspace' | 'own';

/**
 * The question before a run whose bill the workspace's settings raise above the user's own (more images,
 * or another model or size); undefined when they do not.
 */
export function workspaceBillQuestion(own: Bill, workspace: Bill): string | undefined {
  const ownSize = sizeName(own.size);
  const size = sizeName(workspace.size);
  const images = imagesAsked(workspace);
  const ownImages = imagesAsked(own);
  if (images <= ownImages && workspace.model === own.model && size === ownSize) {
    return undefined;
  }
  const asked = [imageCount(images), size, modelName(workspace.model), ownImages, ownSize] as const;
  return workspace.model === own.model
    ? l10n.t("This workspace's settings ask for {0} at {1} with {2} per run (your own settings: {3} at {4}). Generate?", ...asked)
    : l10n.t(
        "This workspace's settings ask for {0} at {1} with {2} per run (your own settings: {3} at {4} with {5}). Generate?",
        ...asked,
        modelName(own.model),
      );
}

/** Where an answer is kept: one per distinct set of values the settings hold, so new values are asked about again. */
export function billChoiceKey(settings: Bill): string {
  return JSON.stringify([settings.n, settings.model, sizeName(settings.size)]);
}

/** The answers kept in storage; anything else stored there (an older shape, a hand edit) is ignored. */
export function parseBillChoices(stored: unknown): Readonly<Record<string, BillChoice>> {
  if (typeof stored !== 'object' || stored === null) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(stored).filter((entry): entry is [string, BillChoice] => entry[1] === 'workspace' || entry[1] === 'own'),
  );
}

function sizeName(size: string): string {
  const parsed = parseSize(size);
  return parsed ? formatSize(parsed) : size.trim();
}

function modelName(id: string): string {
  return findModel(id)?.label ?? id;
}
