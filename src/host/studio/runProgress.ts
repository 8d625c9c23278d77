/**
 * The Studio's picture of one run, one slot per requested image, advanced by the pipeline's events. The
 * host keeps it and sends the whole snapshot on every change: the webview may be reloaded mid-run (it is
 * not retained while hidden) and then simply renders the latest snapshot.
 */

import * as l10n from '@vscode/l10n';
import type { ImageFailure } from '../../engine/pipeline';
import type { ValidationIssue } from '../../core/model/validation';
import type { ImageView, RunError, RunView, SlotView } from '../../shared/protocol';

export function startedRun(id: string, prompt: string, count: number, message: string): RunView {
  return { id, prompt, status: 'running', message, slots: Array.from({ length: count }, () => ({ state: 'waiting' })), issues: [] };
}

/** Image `arrival` (1-based, in arrival order) is being downloaded. */
export function receivingImage(run: RunView, arrival: number, message: string): RunView {
  const slots = run.slots.map((slot, i): SlotView => (i === arrival - 1 && slot.state === 'waiting' ? { state: 'receiving' } : slot));
  return { ...run, message, slots };
}

/**
 * A saved image takes its own place in the batch (`index`, 0-based); if that is taken (the API numbered it
 * oddly), the oldest slot still downloading or waiting.
 */
export function savedImage(run: RunView, index: number, image: ImageView): RunView {
  const own = run.slots[index] && run.slots[index].state !== 'saved' ? index : undefined;
  const target = own ?? firstIndex(run.slots, 'receiving') ?? firstIndex(run.slots, 'waiting');
  if (target === undefined) {
    return run;
  }
  return { ...run, slots: run.slots.map((slot, i) => (i === target ? { state: 'saved', image } : slot)) };
}

/** A streamed preview of image `index` (0-based), shown in its slot until the image itself is saved. */
export function previewedImage(run: RunView, index: number, preview: string): RunView {
  const slot = run.slots[index];
  if (!slot || (slot.state !== 'waiting' && slot.state !== 'receiving')) {
    return run;
  }
  return { ...run, slots: run.slots.map((current, i) => (i === index ? { state: 'receiving', preview } : current)) };
}

export function withMessage(run: RunView, message: string): RunView {
  return { ...run, message };
}

export interface FinishedImages {
  /** Batch index (0-based) and view of each saved image. */
  readonly saved: readonly { readonly index: number; readonly view: ImageView }[];
  readonly failures: readonly ImageFailure[];
}

/** The final slots in batch order: every saved image and every failure, nothing left pending. */
export function finishedRun(run: RunView, images: FinishedImages, message: string, cancelled: boolean): RunView {
  const slots = [
    ...images.saved.map(({ index, view }) => ({ index, slot: { state: 'saved', image: view } as const })),
    ...images.failures.map(({ index, message: reason }) => ({
      index,
      slot: { state: 'failed', message: l10n.t('Image {0}: {1}', index + 1, reason) } as const,
    })),
  ]
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.slot);
  return { ...run, status: cancelled ? 'cancelled' : 'finished', message, slots };
}

export function failedRun(run: RunView, error: RunError): RunView {
  return { ...run, status: 'failed', message: error.message, slots: [], error };
}

export function cancelledRun(run: RunView, message: string): RunView {
  return { ...run, status: 'cancelled', message, slots: [] };
}

/** Refused before anything was sent: each issue goes next to its field. */
export function refusedRun(id: string, prompt: string, issues: readonly ValidationIssue[]): RunView {
  return { id, prompt, status: 'failed', message: l10n.t('Nothing was sent: fix the marked fields.'), slots: [], issues };
}

/** Marks the image of `ref` as gone (deleted from the panel). */
export function withoutFile(run: RunView, ref: string): RunView {
  return {
    ...run,
    slots: run.slots.map((slot) =>
      slot.state === 'saved' && slot.image.ref === ref ? { state: 'saved', image: { ...slot.image, missing: true } } : slot,
    ),
  };
}

function firstIndex(slots: readonly SlotView[], state: SlotView['state']): number | undefined {
  const index = slots.findIndex((slot) => slot.state === state);
  return index >= 0 ? index : undefined;
}
