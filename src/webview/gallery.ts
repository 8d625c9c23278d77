/**
 * The results: one tile per requested image, a placeholder with its progress until the file is saved, then
 * the thumbnail (the saved file, through the webview's resource URI) with its size and actions.
 */

import * as l10n from '@vscode/l10n';
import type { ImageAction, ImageView, SlotView } from '../shared/protocol';
import { el, icon, iconButton, textButton } from './dom';
import { formatBytes } from './format';

export interface GalleryView {
  readonly heading: string;
  /** What the shown images were made from. */
  readonly detail: string;
  /** Progress or outcome of the run, when the gallery shows one. */
  readonly status?: { readonly text: string; readonly kind: 'progress' | 'done' | 'error' };
  readonly slots: readonly SlotView[];
  readonly altText: string;
  /** File name of the editor Insert writes into. */
  readonly insertTarget?: string | undefined;
  /** The link an image can be chosen for (Variations). */
  readonly linkChoice?: string | undefined;
  /** Offers a way back to the panel's latest run while a history entry is shown. */
  readonly canShowRun: boolean;
  /** What the last image action came to. */
  readonly notice?: { readonly text: string; readonly ok: boolean } | undefined;
}

export interface GalleryCallbacks {
  readonly onAction: (image: ImageView, action: ImageAction) => void;
  readonly onReuseSeed: (seed: number) => void;
  readonly onShowRun: () => void;
}

export function createGallery(callbacks: GalleryCallbacks) {
  const heading = el('h2', { attrs: { id: 'gallery-title' } });
  const showRun = textButton('arrow-left', l10n.t('Latest run'), callbacks.onShowRun, true);
  const detail = el('p', { className: 'detail' });
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const notice = el('p', { className: 'notice-line', attrs: { role: 'status', 'aria-live': 'polite' } });
  const grid = el('ul', { className: 'tiles', attrs: { 'aria-labelledby': 'gallery-title' } });
  const empty = el('p', { className: 'empty', text: l10n.t('Generated images appear here.') });
  const element = el(
    'section',
    { className: 'gallery', attrs: { 'aria-labelledby': 'gallery-title' } },
    el('div', { className: 'section-header' }, heading, showRun),
    detail,
    status,
    notice,
    grid,
    empty,
  );

  function render(view: GalleryView): void {
    heading.textContent = view.heading;
    showRun.hidden = !view.canShowRun;
    detail.textContent = view.detail;
    detail.hidden = view.detail === '';
    status.textContent = view.status?.text ?? '';
    status.className = `status is-${view.status?.kind ?? 'done'}`;
    status.hidden = !view.status;
    notice.textContent = view.notice?.text ?? '';
    notice.className = `notice-line ${view.notice?.ok === false ? 'is-error' : ''}`;
    notice.hidden = !view.notice;
    grid.replaceChildren(...view.slots.map((slot, i) => tile(slot, i, view)));
    empty.hidden = view.slots.length > 0;
  }

  function tile(slot: SlotView, position: number, view: GalleryView): HTMLLIElement {
    switch (slot.state) {
      case 'waiting':
      case 'receiving':
        return pendingTile(slot, position);
      case 'failed':
        return el('li', { className: 'tile failed' }, el('div', { className: 'thumb' }, icon('error'), el('span', { text: slot.message })));
      case 'saved':
        return savedTile(slot.image, view);
    }
  }

  /** A slot still on its way: a spinner, or a streamed preview while the image itself comes. */
  function pendingTile(slot: Extract<SlotView, { state: 'waiting' | 'receiving' }>, position: number): HTMLLIElement {
    const preview = slot.state === 'receiving' ? slot.preview : undefined;
    const thumb = preview
      ? el(
          'div',
          { className: 'thumb' },
          el('img', { attrs: { src: preview, alt: l10n.t('Preview of image {0}', position + 1) } }),
          el('span', { className: 'preview-label', text: l10n.t('Image {0}: preview, the final image is on its way…', position + 1) }),
        )
      : el(
          'div',
          { className: 'thumb' },
          icon('loading', 'codicon-modifier-spin'),
          el('span', {
            text:
              slot.state === 'waiting' ? l10n.t('Image {0}: generating…', position + 1) : l10n.t('Image {0}: downloading…', position + 1),
          }),
        );
    return el(
      'li',
      { className: preview ? 'tile pending has-preview' : 'tile pending', attrs: { 'aria-busy': 'true' } },
      thumb,
      el('div', { className: 'progress', attrs: { 'aria-hidden': 'true' } }),
    );
  }

  function savedTile(image: ImageView, view: GalleryView): HTMLLIElement {
    const size = image.width && image.height ? `${image.width}×${image.height}` : '';
    const meta = [size, image.format.toUpperCase(), formatBytes(image.byteLength)].filter((part) => part !== '').join(' · ');
    const act = (action: ImageAction) => () => callbacks.onAction(image, action);
    const thumb = image.missing
      ? el('div', { className: 'thumb' }, icon('trash'), el('span', { text: l10n.t('Deleted') }))
      : el(
          'div',
          { className: 'thumb' },
          el('img', { attrs: { src: image.src, alt: view.altText, width: image.width, height: image.height, loading: 'lazy' } }),
        );
    const insertLabel = view.insertTarget
      ? l10n.t('Insert into {0}: {1}', view.insertTarget, image.name)
      : l10n.t('Insert (open a document first): {0}', image.name);
    // When the Studio was opened to pick an image for a link, Use is the main action.
    const insert = labelled(textButton('insert', l10n.t('Insert'), act('insert'), Boolean(view.linkChoice)), insertLabel);
    insert.disabled = !view.insertTarget;
    const seed = image.seed;
    const actions = image.missing
      ? []
      : [
          ...(view.linkChoice
            ? [labelled(textButton('replace', l10n.t('Use'), act('useForLink')), l10n.t('Use {0} for {1}', image.name, view.linkChoice))]
            : []),
          insert,
          iconButton('go-to-file', l10n.t('Open {0}', image.name), act('open')),
          iconButton('folder-opened', l10n.t('Reveal {0} in the Explorer', image.name), act('reveal')),
          iconButton('copy', l10n.t('Copy the path of {0}', image.name), act('copyPath')),
          iconButton(
            'link',
            view.insertTarget
              ? l10n.t('Copy a link to {0} for {1}', image.name, view.insertTarget)
              : l10n.t('Copy a link to {0}', image.name),
            act('copyLink'),
          ),
          ...(seed === undefined ? [] : [iconButton('pin', l10n.t('Reuse seed {0}', seed), () => callbacks.onReuseSeed(seed))]),
          iconButton('trash', l10n.t('Delete {0}', image.name), act('delete')),
        ];
    return el(
      'li',
      { className: image.missing ? 'tile missing' : 'tile' },
      thumb,
      el(
        'div',
        { className: 'caption' },
        el('span', { className: 'name', text: image.name, attrs: { title: image.name } }),
        el('span', { className: 'meta', text: meta }),
      ),
      el('div', { className: 'tile-actions', attrs: { role: 'group', 'aria-label': l10n.t('Actions for {0}', image.name) } }, ...actions),
    );
  }

  return { element, render };
}

function labelled(button: HTMLButtonElement, label: string): HTMLButtonElement {
  button.title = label;
  button.setAttribute('aria-label', label);
  return button;
}
