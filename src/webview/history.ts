/** The history of this workspace's generations: searchable, each entry shown in the gallery or loaded into the form. */

import * as l10n from '@vscode/l10n';
import { describeBilledRun } from '../core/cost/spending';
import { imageCount } from '../core/text/imageCount';
import type { HistoryEntryView } from '../shared/protocol';
import { el, icon, textButton } from './dom';
import { formatDate, modelLabel } from './format';
import { filterHistory } from './historySearch';

export interface HistoryCallbacks {
  readonly onShow: (entry: HistoryEntryView) => void;
  readonly onLoad: (entry: HistoryEntryView) => void;
  readonly onQuery: (query: string) => void;
  readonly onToggle: (open: boolean) => void;
}

export interface HistoryView {
  readonly entries: readonly HistoryEntryView[];
  readonly query: string;
  readonly open: boolean;
  /** The entry the gallery shows. */
  readonly shownId?: string | undefined;
  /** VS Code's display language, for money. */
  readonly locale?: string | undefined;
}

export function createHistory(callbacks: HistoryCallbacks) {
  const toggle = el('button', {
    className: 'section-toggle',
    attrs: { type: 'button', 'aria-expanded': 'true', 'aria-controls': 'history-body' },
  });
  toggle.addEventListener('click', () => callbacks.onToggle(toggle.getAttribute('aria-expanded') !== 'true'));
  const search = el('input', {
    attrs: { type: 'search', placeholder: l10n.t('Search prompts, models, sizes, seeds'), 'aria-label': l10n.t('Search the history') },
  });
  search.addEventListener('input', () => callbacks.onQuery(search.value));
  const list = el('ul', { className: 'entries', attrs: { 'aria-label': l10n.t('Past generations') } });
  const empty = el('p', { className: 'empty' });
  const body = el('div', { attrs: { id: 'history-body' } }, el('div', { className: 'search' }, icon('search'), search), list, empty);
  const element = el(
    'section',
    { className: 'history', attrs: { 'aria-labelledby': 'history-title' } },
    el('h2', { attrs: { id: 'history-title' } }, toggle),
    body,
  );

  function render(view: HistoryView): void {
    toggle.replaceChildren(
      icon(view.open ? 'chevron-down' : 'chevron-right'),
      el('span', { text: l10n.t('History ({0})', view.entries.length) }),
    );
    toggle.setAttribute('aria-expanded', String(view.open));
    body.hidden = !view.open;
    if (search.value !== view.query) {
      search.value = view.query;
    }
    const shown = filterHistory(view.entries, view.query);
    list.replaceChildren(...shown.map((entry) => item(entry, entry.id === view.shownId, view.locale)));
    empty.textContent =
      view.entries.length === 0 ? l10n.t('No images generated in this workspace yet.') : l10n.t('No generation matches the search.');
    empty.hidden = shown.length > 0;
  }

  function item(entry: HistoryEntryView, shown: boolean, locale: string | undefined): HTMLLIElement {
    const { input } = entry;
    const deleted = entry.images.filter((image) => image.missing).length;
    const facts = [
      modelLabel(input.model),
      input.size,
      input.seed === undefined || input.seed === -1 ? l10n.t('random seed') : l10n.t('seed {0}', input.seed),
      imageCount(entry.images.length),
      ...(entry.billed ? [describeBilledRun(entry.billed, locale)] : []),
      formatDate(entry.createdAt),
    ].join(' · ');
    const notes = [
      deleted === 0
        ? ''
        : deleted === entry.images.length
          ? l10n.t('All files deleted')
          : deleted === 1
            ? l10n.t('1 file deleted')
            : l10n.t('{0} files deleted', deleted),
      entry.notSaved === 0 ? '' : l10n.t('{0} not saved', entry.notSaved),
    ].filter((note) => note !== '');
    const show = textButton('eye', l10n.t('Show'), () => callbacks.onShow(entry), true);
    show.setAttribute('aria-label', l10n.t('Show the images of: {0}', input.prompt));
    show.setAttribute('aria-pressed', String(shown));
    const load = textButton('edit', l10n.t('Load into form'), () => callbacks.onLoad(entry), true);
    load.setAttribute('aria-label', l10n.t('Load into the form: {0}', input.prompt));
    return el(
      'li',
      { className: shown ? 'entry current' : 'entry' },
      el('p', { className: 'entry-prompt', text: input.prompt, attrs: { title: input.prompt } }),
      el('p', { className: 'entry-facts', text: facts }),
      notes.length > 0 && el('p', { className: 'entry-notes' }, icon('warning'), el('span', { text: notes.join(' · ') })),
      el('div', { className: 'entry-actions' }, show, load),
    );
  }

  return { element, render };
}
