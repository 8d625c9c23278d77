/** The history's search box: every word typed must appear in the entry's prompt, model, size, seed or file names. */

import { findModel } from '../core/model/catalog';
import type { HistoryEntryView } from '../shared/protocol';

export function filterHistory(entries: readonly HistoryEntryView[], query: string): readonly HistoryEntryView[] {
  const words = query
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) {
    return entries;
  }
  return entries.filter((entry) => {
    const haystack = searchableText(entry);
    return words.every((word) => haystack.includes(word));
  });
}

function searchableText(entry: HistoryEntryView): string {
  const { input } = entry;
  return [
    input.prompt,
    input.model,
    findModel(input.model)?.label ?? '',
    input.size,
    input.seed ?? '',
    ...entry.images.map((image) => image.name),
    ...entry.references.map((reference) => ('path' in reference ? reference.path : reference.url)),
  ]
    .join('\n')
    .toLocaleLowerCase();
}
