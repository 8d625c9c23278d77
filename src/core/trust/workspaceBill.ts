/**
 * Whether a workspace's settings make a run cost more than the user's own would, and the question asked
 * before such a run. A cloned repository must not silently bill four 4K images per run.
 */

import { findModel } from '../model/catalog';
import { formatSize, parseSize } from '../model/validation';

/** What one run bills: how many images, of which model, at which size. */
export interface Bill {
  readonly n: number;
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
  if (workspace.n <= own.n && workspace.model === own.model && size === ownSize) {
    return undefined;
  }
  const ownModel = workspace.model === own.model ? '' : ` with ${modelName(own.model)}`;
  const images = workspace.n === 1 ? '1 image' : `${workspace.n} images`;
  return `This workspace's settings ask for ${images} at ${size} with ${modelName(workspace.model)} per run (your own settings: ${own.n} at ${ownSize}${ownModel}). Generate?`;
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
