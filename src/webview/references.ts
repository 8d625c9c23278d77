/**
 * The References strip of the composer: the images a run starts from, in order, as thumbnails shown from
 * disk (an address gets an icon: nothing is loaded from the internet), with remove and reorder, the count
 * against the model's bound, and every rule's message beside it. Files come from the host's picker, from
 * a drop from the Explorer, or from "Use as reference" on a result.
 */

import * as l10n from '@vscode/l10n';
import { checkReferenceUrl } from '../core/model/references';
import type { FormReference } from '../shared/protocol';
import { el, icon, iconButton, textButton } from './dom';
import { droppedUris, referenceKey, referenceName, type ReferenceFiles } from './referencesModel';

export interface ReferenceStripView {
  readonly references: readonly FormReference[];
  readonly files: ReferenceFiles;
  /** "2 of 10". */
  readonly count: string;
  /** No more may be added. */
  readonly full: boolean;
  /** The rules' messages to show, in order. */
  readonly messages: readonly string[];
  /** Positions of references that have a message. */
  readonly invalid: ReadonlySet<number>;
  /** What kept files out the last time some were added. */
  readonly notice?: string;
  readonly disabled: boolean;
}

export interface ReferenceStripCallbacks {
  readonly onPick: () => void;
  readonly onAddUrl: (url: string) => void;
  readonly onDrop: (uris: readonly string[]) => void;
  readonly onRemove: (index: number) => void;
  readonly onMove: (index: number, step: -1 | 1) => void;
}

export function createReferenceStrip(callbacks: ReferenceStripCallbacks) {
  const count = el('span', { className: 'reference-count', attrs: { id: 'references-count', 'aria-live': 'polite' } });
  const add = textButton('add', l10n.t('Add Images…'), callbacks.onPick, true);
  add.id = 'add-references';
  add.title = l10n.t('Choose images of the workspace');
  const list = el('ol', { className: 'reference-list', attrs: { 'aria-label': l10n.t('Reference images, in order') } });
  const empty = el('p', {
    className: 'hint reference-empty',
    text: l10n.t('Edit an image, or combine several: add them here, or drop them from the Explorer (hold Shift).'),
  });

  const url = el('input', {
    attrs: {
      id: 'reference-url',
      type: 'text',
      inputmode: 'url',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: l10n.t('or an image address: https://…'),
      'aria-label': l10n.t('Address of a reference image'),
      'aria-describedby': 'reference-url-error',
    },
  });
  const urlError = el('p', { className: 'field-error', attrs: { id: 'reference-url-error' } });
  const addUrl = (): void => {
    const text = url.value.trim();
    if (text === '') {
      return;
    }
    const problem = checkReferenceUrl(text);
    urlError.textContent = problem ?? '';
    urlError.hidden = !problem;
    url.setAttribute('aria-invalid', String(Boolean(problem)));
    if (!problem) {
      url.value = '';
      callbacks.onAddUrl(text);
    }
  };
  url.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addUrl();
    }
  });
  url.addEventListener('input', () => {
    urlError.hidden = true;
    url.setAttribute('aria-invalid', 'false');
  });
  const addUrlButton = iconButton('add', l10n.t('Add the address as a reference'), addUrl);

  const messages = el('ul', { className: 'reference-messages', attrs: { id: 'references-error', role: 'alert' } });
  const notice = el('p', { className: 'hint reference-notice', attrs: { role: 'status' } });

  const element = el(
    'div',
    {
      className: 'references',
      attrs: {
        role: 'group',
        // Focused when Generate finds a problem here.
        tabindex: -1,
        'aria-labelledby': 'references-title',
        'aria-describedby': 'references-count references-error',
      },
    },
    el(
      'div',
      { className: 'references-header' },
      el('span', { className: 'references-title', text: l10n.t('References'), attrs: { id: 'references-title' } }),
      count,
      add,
    ),
    list,
    empty,
    el('div', { className: 'with-button' }, url, addUrlButton),
    urlError,
    messages,
    notice,
  );
  urlError.hidden = true;

  // A drop from the Explorer (VS Code hands it to the page while Shift is held) names the files as URIs.
  const accepts = (event: DragEvent): boolean =>
    Array.from(event.dataTransfer?.types ?? []).some((type) => type === 'text/uri-list' || type === 'ResourceURLs');
  element.addEventListener('dragover', (event) => {
    if (accepts(event) && !add.disabled) {
      event.preventDefault();
      element.classList.add('drop-target');
    }
  });
  element.addEventListener('dragleave', () => element.classList.remove('drop-target'));
  element.addEventListener('drop', (event) => {
    element.classList.remove('drop-target');
    const transfer = event.dataTransfer;
    if (!transfer || !accepts(event) || add.disabled) {
      return;
    }
    event.preventDefault();
    const uris = droppedUris((type) => transfer.getData(type));
    if (uris.length > 0) {
      callbacks.onDrop(uris);
    }
  });

  function render(view: ReferenceStripView): void {
    count.textContent = view.count;
    add.disabled = view.full || view.disabled;
    addUrlButton.disabled = view.full || view.disabled;
    url.disabled = view.full || view.disabled;
    list.replaceChildren(...view.references.map((reference, index) => item(reference, index, view)));
    list.hidden = view.references.length === 0;
    empty.hidden = view.references.length > 0;
    messages.replaceChildren(...view.messages.map((message) => el('li', { className: 'field-error', text: message })));
    messages.hidden = view.messages.length === 0;
    notice.textContent = view.notice ?? '';
    notice.hidden = !view.notice;
  }

  function item(reference: FormReference, index: number, view: ReferenceStripView): HTMLLIElement {
    const name = referenceName(reference);
    const label = l10n.t('Image {0}: {1}', index + 1, 'path' in reference ? reference.path : reference.url);
    const last = view.references.length - 1;
    const earlier = iconButton('arrow-left', l10n.t('Move {0} earlier', name), () => callbacks.onMove(index, -1));
    earlier.disabled = index === 0 || view.disabled;
    const later = iconButton('arrow-right', l10n.t('Move {0} later', name), () => callbacks.onMove(index, 1));
    later.disabled = index === last || view.disabled;
    const remove = iconButton('close', l10n.t('Remove {0}', name), () => callbacks.onRemove(index));
    remove.disabled = view.disabled;
    return el(
      'li',
      {
        className: view.invalid.has(index) ? 'reference invalid' : 'reference',
        attrs: { 'data-key': referenceKey(reference), title: label, 'aria-label': label },
      },
      el(
        'div',
        { className: 'reference-thumb' },
        thumbnail(reference, view.files),
        el('span', { className: 'reference-index', text: String(index + 1) }),
      ),
      el('span', { className: 'reference-name', text: name }),
      el('div', { className: 'reference-actions' }, earlier, later, remove),
    );
  }

  return { element, render };
}

/** The file as it is on disk; an address or an unreadable file gets an icon instead. */
function thumbnail(reference: FormReference, files: ReferenceFiles): HTMLElement {
  if ('url' in reference) {
    return icon('globe');
  }
  const file = files.get(reference.path);
  if (!file) {
    return icon('loading', 'codicon-modifier-spin');
  }
  if ('problem' in file) {
    return icon('warning');
  }
  return el('img', { attrs: { src: file.src, alt: '', width: file.width, height: file.height } });
}
