/** Which images the gallery shows: the running run always; otherwise what the user picked, else the newest. */

import * as l10n from '@vscode/l10n';
import type { HistoryEntryView, RunView, SlotView } from '../shared/protocol';
import type { GallerySource } from './state';

export type GalleryContent =
  | { readonly kind: 'run'; readonly run: RunView }
  | { readonly kind: 'entry'; readonly entry: HistoryEntryView }
  | { readonly kind: 'empty' };

export function galleryContent(
  source: GallerySource | undefined,
  run: RunView | undefined,
  history: readonly HistoryEntryView[],
): GalleryContent {
  if (run?.status === 'running') {
    return { kind: 'run', run };
  }
  // A failed run has no images: its error stays in the form, the gallery keeps showing the last ones.
  const shownRun = run && run.status !== 'failed' ? run : undefined;
  const picked = source?.kind === 'entry' ? history.find((entry) => entry.id === source.id) : undefined;
  if (picked) {
    return { kind: 'entry', entry: picked };
  }
  if (shownRun) {
    return { kind: 'run', run: shownRun };
  }
  return history[0] ? { kind: 'entry', entry: history[0] } : { kind: 'empty' };
}

export function entrySlots(entry: HistoryEntryView): readonly SlotView[] {
  return entry.images.map((image) => ({ state: 'saved', image }));
}

/**
 * "2 of 3" for each image of a set, in order: the count is the images it has (a set may hold fewer than
 * asked), unknown while some are still coming. Undefined for slots that are not images.
 */
export function setPositions(slots: readonly SlotView[]): readonly (string | undefined)[] {
  const images = slots.filter((slot) => slot.state === 'saved').length;
  const settled = slots.every((slot) => slot.state === 'saved' || slot.state === 'failed');
  let position = 0;
  return slots.map((slot) => {
    if (slot.state !== 'saved') {
      return undefined;
    }
    position++;
    return settled ? l10n.t('{0} of {1}', position, images) : String(position);
  });
}
