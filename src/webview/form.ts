/**
 * The composer: prompt, model, size, count, seed, formats and switches, with Generate / Cancel and the
 * run's error. Built once; `render` brings it in line with the current draft without disturbing typing.
 */

import * as l10n from '@vscode/l10n';
import { findModel, MAX_IMAGES_PER_RUN, MODELS } from '../core/model/catalog';
import { describeAllowedSizes, type GenerationField } from '../core/model/validation';
import type { FixAction, RunError } from '../shared/protocol';
import { el, icon, iconButton, setOptions, textButton } from './dom';
import {
  aspectPresets,
  CUSTOM_SIZE,
  outputFormatChoices,
  setSizeChoices,
  sizeChoices,
  withModel,
  type AspectPreset,
  type FormDraft,
} from './formModel';
import { createReferenceStrip, type ReferenceStripView } from './references';
import { withoutReference, withReferenceMoved, withReferencesAdded } from './referencesModel';

export interface FormView {
  readonly draft: FormDraft;
  /** The messages to show, by field (only for fields the user has touched, or all after Generate). */
  readonly issues: ReadonlyMap<GenerationField, string>;
  readonly hasApiKey: boolean;
  readonly running: boolean;
  readonly runError?: RunError | undefined;
  /** The References strip; its references are the draft's. */
  readonly strip: Omit<ReferenceStripView, 'references' | 'disabled'>;
  /** What Generate would bill (`2 × seedream-5-0 ≈ $0.07`), and where the price comes from. */
  readonly cost?: { readonly text: string; readonly source: string } | undefined;
  /** What this workspace's runs were billed so far. */
  readonly spending?: string | undefined;
}

export interface FormCallbacks {
  readonly onChange: (draft: FormDraft, field: GenerationField) => void;
  readonly onGenerate: () => void;
  readonly onCancel: () => void;
  readonly onReset: () => void;
  readonly onFix: (action: FixAction) => void;
  readonly randomSeed: () => number;
  /** Asks the host for its file picker. */
  readonly onPickReferences: () => void;
  /** Files dropped on the strip, for the host to check and add. */
  readonly onDropReferences: (uris: readonly string[]) => void;
}

/** The icon of each fix; its label comes with the error, in the display language, as in the notification. */
const FIX_ICONS: Readonly<Record<FixAction, string>> = {
  setApiKey: 'key',
  openSettings: 'settings-gear',
  showLog: 'output',
  retry: 'refresh',
};

export function createForm(callbacks: FormCallbacks) {
  let view: FormView | undefined;
  const change = (field: GenerationField, update: (draft: FormDraft) => FormDraft): void => {
    if (view) {
      callbacks.onChange(update(view.draft), field);
    }
  };

  const prompt = el('textarea', {
    attrs: {
      id: 'prompt',
      rows: 5,
      placeholder: l10n.t('Describe the image, in any language: a watercolor lighthouse at dusk'),
      'aria-describedby': 'prompt-error',
      spellcheck: 'true',
    },
  });
  // Read-only until the host's settings arrive and the form is first drawn: text typed before that would be
  // dropped by the first draw.
  prompt.readOnly = true;
  prompt.addEventListener('input', () => change('prompt', (draft) => ({ ...draft, prompt: prompt.value })));
  // Ctrl/Cmd+Enter generates from the prompt box, as in other VS Code inputs.
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      callbacks.onGenerate();
    }
  });

  const model = select('model');
  model.addEventListener('change', () => change('model', (draft) => withModel(draft, model.value)));

  const size = select('size');
  size.addEventListener('change', () => change('size', (draft) => ({ ...draft, sizeChoice: size.value })));
  const customSize = el('input', {
    attrs: {
      id: 'custom-size',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: '2560x1440',
      'aria-label': l10n.t('Custom size, width x height in pixels'),
      'aria-describedby': 'size-error size-hint',
    },
  });
  customSize.addEventListener('input', () => change('size', (draft) => ({ ...draft, customSize: customSize.value })));
  const presets = el('div', { className: 'presets', attrs: { role: 'group', 'aria-label': l10n.t('Aspect ratio presets') } });
  const sizeHint = el('p', { className: 'hint', attrs: { id: 'size-hint' } });
  const customBlock = el('div', { className: 'custom-size' }, customSize, presets, sizeHint);

  const count = select('n');
  setOptions(
    count,
    Array.from({ length: MAX_IMAGES_PER_RUN }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
    '1',
  );
  count.addEventListener('change', () => change('n', (draft) => ({ ...draft, n: Number(count.value) })));

  const seed = el('input', {
    attrs: {
      id: 'seed',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: l10n.t('Random'),
      'aria-describedby': 'seed-error',
    },
  });
  seed.addEventListener('input', () => change('seed', (draft) => ({ ...draft, seedText: seed.value })));
  const dice = iconButton('refresh', l10n.t('Pick a random seed'), () =>
    change('seed', (draft) => ({ ...draft, seedText: String(callbacks.randomSeed()) })),
  );

  const outputFormat = select('outputFormat');
  outputFormat.addEventListener('change', () =>
    change('outputFormat', (draft) => ({ ...draft, outputFormat: outputFormat.value as FormDraft['outputFormat'] })),
  );
  const responseFormat = select('responseFormat');
  setOptions(
    responseFormat,
    [
      { value: 'url', label: l10n.t('URL (downloaded)') },
      { value: 'b64_json', label: l10n.t('Base64 (inline)') },
    ],
    'url',
  );
  responseFormat.addEventListener('change', () =>
    change('responseFormat', (draft) => ({ ...draft, responseFormat: responseFormat.value === 'b64_json' ? 'b64_json' : 'url' })),
  );

  const strip = createReferenceStrip({
    onPick: callbacks.onPickReferences,
    onDrop: callbacks.onDropReferences,
    onAddUrl: (url) => change('references', (draft) => ({ ...draft, references: withReferencesAdded(draft.references, [{ url }]) })),
    onRemove: (index) => change('references', (draft) => ({ ...draft, references: withoutReference(draft.references, index) })),
    onMove: (index, step) => change('references', (draft) => ({ ...draft, references: withReferenceMoved(draft.references, index, step) })),
  });

  const imageSet = checkbox('image-set', l10n.t('Image set of up to'));
  imageSet.input.addEventListener('change', () => change('maxImages', (draft) => ({ ...draft, imageSet: imageSet.input.checked })));
  const maxImages = select('maxImages');
  maxImages.setAttribute('aria-label', l10n.t('Most images in the set'));
  setOptions(maxImages, setSizeChoices(), '4');
  maxImages.addEventListener('change', () => change('maxImages', (draft) => ({ ...draft, maxImages: Number(maxImages.value) })));
  const setRow = el(
    'div',
    { className: 'image-set' },
    el('div', { className: 'set-controls' }, imageSet.label, maxImages, el('span', { text: l10n.t('images') })),
    el('p', {
      className: 'hint',
      text: l10n.t('Related images from one request (a storyboard, a series in one style); the model decides how many.'),
    }),
  );

  const watermark = checkbox('watermark', l10n.t('Add the "AI generated" watermark'));
  watermark.input.addEventListener('change', () => change('watermark', (draft) => ({ ...draft, watermark: watermark.input.checked })));
  const stream = checkbox('stream', l10n.t('Stream: show each image as soon as it is ready'));
  stream.input.addEventListener('change', () => change('stream', (draft) => ({ ...draft, stream: stream.input.checked })));

  const keyNotice = el(
    'div',
    { className: 'notice', attrs: { role: 'status' } },
    icon('key'),
    el('span', { text: l10n.t('No API key is set yet.') }),
    textButton('key', l10n.t('Set API Key'), () => callbacks.onFix('setApiKey'), true),
  );
  const generate = textButton('sparkle', l10n.t('Generate'), callbacks.onGenerate);
  generate.id = 'generate';
  const cancel = textButton('debug-stop', l10n.t('Cancel'), callbacks.onCancel, true);
  cancel.id = 'cancel';
  // Beside Generate, where the user decides: what the run will bill.
  const cost = el('span', { className: 'cost', attrs: { id: 'cost-estimate', role: 'status' } });
  generate.setAttribute('aria-describedby', 'cost-estimate');
  const spending = el('p', { className: 'hint spending', attrs: { id: 'spending' } });
  const runErrorText = el('span');
  const runErrorFix = el('div', { className: 'fix' });
  const runError = el(
    'div',
    { className: 'run-error', attrs: { role: 'alert', id: 'run-error' } },
    icon('error'),
    runErrorText,
    runErrorFix,
  );

  const errors = new Map<GenerationField, HTMLElement>();
  const errorFor = (field: GenerationField): HTMLElement => {
    const element = el('p', { className: 'field-error', attrs: { id: `${field}-error` } });
    errors.set(field, element);
    return element;
  };
  const controls: Partial<Record<GenerationField, HTMLElement>> = {
    prompt,
    model,
    size: customSize,
    n: count,
    seed,
    outputFormat,
    responseFormat,
    maxImages,
    references: strip.element,
  };

  const element = el(
    'section',
    { className: 'composer', attrs: { 'aria-labelledby': 'composer-title' } },
    el(
      'div',
      { className: 'section-header' },
      el('h2', { attrs: { id: 'composer-title' } }, el('label', { text: l10n.t('Prompt'), attrs: { for: 'prompt' } })),
      iconButton('discard', l10n.t('Reset the options to your settings'), callbacks.onReset),
    ),
    keyNotice,
    prompt,
    errorFor('prompt'),
    strip.element,
    el(
      'div',
      { className: 'options' },
      field('model', l10n.t('Model'), model, errorFor('model')),
      field('n', l10n.t('Images'), count, errorFor('n')),
      field('outputFormat', l10n.t('Format'), outputFormat, errorFor('outputFormat')),
      field('responseFormat', l10n.t('Response'), responseFormat, errorFor('responseFormat')),
      field('seed', l10n.t('Seed'), el('div', { className: 'with-button' }, seed, dice), errorFor('seed')),
      el(
        'div',
        { className: 'field wide' },
        el('label', { text: l10n.t('Size'), attrs: { for: 'size' } }),
        size,
        customBlock,
        errorFor('size'),
      ),
    ),
    setRow,
    errorFor('maxImages'),
    el('div', { className: 'checks' }, watermark.label, stream.label),
    el('div', { className: 'actions' }, generate, cost, cancel),
    spending,
    runError,
  );

  function render(next: FormView): void {
    view = next;
    prompt.readOnly = false;
    const { draft } = next;
    const info = findModel(draft.model);
    setValue(prompt, draft.prompt);
    setOptions(model, modelChoices(draft.model), draft.model);
    setOptions(size, sizeChoices(info), draft.sizeChoice);
    const custom = draft.sizeChoice === CUSTOM_SIZE;
    customBlock.hidden = !custom;
    setValue(customSize, draft.customSize);
    presets.replaceChildren(...aspectPresets(info).map((preset) => presetButton(preset, draft.customSize)));
    sizeHint.textContent = info ? l10n.t('{0}.', describeAllowedSizes(info)) : '';
    count.value = String(draft.n);
    count.disabled = draft.imageSet;
    count.title = draft.imageSet ? l10n.t('An image set is one request: choose how many images it may have below.') : '';
    imageSet.input.checked = draft.imageSet;
    maxImages.value = String(draft.maxImages);
    maxImages.disabled = !draft.imageSet;
    strip.render({ ...next.strip, references: draft.references, disabled: next.running });
    setValue(seed, draft.seedText);
    setOptions(outputFormat, outputFormatChoices(info), draft.outputFormat);
    responseFormat.value = draft.responseFormat;
    watermark.input.checked = draft.watermark;
    stream.input.checked = draft.stream;

    for (const [fieldName, errorElement] of errors) {
      const message = next.issues.get(fieldName) ?? '';
      errorElement.textContent = message;
      errorElement.hidden = message === '';
      const control = fieldName === 'size' && !custom ? size : controls[fieldName];
      control?.setAttribute('aria-invalid', String(message !== ''));
    }
    cost.textContent = next.cost?.text ?? '';
    cost.title = next.cost?.source ?? '';
    cost.hidden = !next.cost;
    spending.textContent = next.spending ? l10n.t('This workspace so far: {0}', next.spending) : '';
    spending.hidden = !next.spending;
    keyNotice.hidden = next.hasApiKey;
    generate.disabled = next.running;
    cancel.hidden = !next.running;
    runError.hidden = !next.runError;
    runErrorText.textContent = next.runError?.message ?? '';
    runErrorFix.replaceChildren(
      ...(next.runError?.buttons ?? []).map(({ action, label }) =>
        textButton(FIX_ICONS[action], label, () => callbacks.onFix(action), true),
      ),
    );
  }

  function presetButton(preset: AspectPreset, current: string): HTMLButtonElement {
    const label = `${preset.ratio} (${preset.size.replace('x', '×')})`;
    const button = el('button', {
      className: 'chip',
      text: preset.ratio,
      attrs: {
        type: 'button',
        title: preset.allowed ? label : l10n.t('{0}: not offered by this model', label),
        'aria-label': label,
        'aria-pressed': String(current.trim() === preset.size),
        disabled: !preset.allowed,
      },
    });
    button.addEventListener('click', () => change('size', (draft) => ({ ...draft, customSize: preset.size })));
    return button;
  }

  /** Puts the keyboard on the first field with a message. */
  function focusFirstIssue(issues: ReadonlyMap<GenerationField, string>): void {
    const first = (Object.keys(controls) as GenerationField[]).find((fieldName) => issues.has(fieldName));
    const control = first === 'size' && view?.draft.sizeChoice !== CUSTOM_SIZE ? size : first && controls[first];
    control?.focus();
  }

  return { element, render, focusFirstIssue, focusPrompt: () => prompt.focus() };
}

function modelChoices(current: string) {
  const known = MODELS.map((info) => ({ value: info.id, label: info.label }));
  // A draft from an older catalogue keeps its model visible, with the validation message beside it.
  return known.some((choice) => choice.value === current) ? known : [...known, { value: current, label: current }];
}

function select(id: string): HTMLSelectElement {
  return el('select', { attrs: { id, 'aria-describedby': `${id}-error` } });
}

function field(id: string, label: string, control: HTMLElement, error: HTMLElement): HTMLElement {
  return el('div', { className: 'field' }, el('label', { text: label, attrs: { for: id } }), control, error);
}

function checkbox(id: string, label: string): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = el('input', { attrs: { id, type: 'checkbox' } });
  return { input, label: el('label', { className: 'check', attrs: { for: id } }, input, el('span', { text: label })) };
}

/** Only writes a changed value, so the caret stays where the user is typing. */
function setValue(control: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (control.value !== value) {
    control.value = value;
  }
}
