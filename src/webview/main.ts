/**
 * The Image Studio page: holds what the host sent and what the user typed, renders the composer, gallery
 * and history, and turns clicks into protocol messages. It never names a command, and a file only by the
 * workspace path of a reference, which the host finds and checks again: the host decides what each
 * message does.
 */

// First: the translations are in place before any other module runs.
import './l10n';
import * as l10n from '@vscode/l10n';
import { describeCostSource, describeRunCost, estimateCost, runCostItem, type CostItem } from '../core/cost/pricing';
import { describeSpending, type Spending } from '../core/cost/spending';
import { findModel } from '../core/model/catalog';
import type { GenerationField, ValidationIssue } from '../core/model/validation';
import type {
  ActionResult,
  FixAction,
  FromWebviewMessage,
  HistoryEntryView,
  ImageAction,
  ImageView,
  ReferenceFileView,
  RunView,
  StudioSettings,
  ToWebviewMessage,
} from '../shared/protocol';
import { createForm, type FormView } from './form';
import {
  draftFromForm,
  draftIssues,
  formFromDraft,
  seedFromRandomBits,
  visibleIssues,
  type DraftContext,
  type FormDraft,
} from './formModel';
import { formatDate, modelLabel } from './format';
import { createGallery, type GalleryView } from './gallery';
import { entrySlots, galleryContent } from './galleryModel';
import { createHistory } from './history';
import { pathsToInspect, referenceCount, referenceName, referencesFull, withReferencesAdded } from './referencesModel';
import { PendingRequests } from './requests';
import { restoreState, type StudioState } from './state';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): unknown;
  setState(state: StudioState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state = restoreState(vscode.getState());
let settings: StudioSettings | undefined;
let history: readonly HistoryEntryView[] = [];
let spending: Spending | undefined;
let run: RunView | undefined;
let insertTarget: string | undefined;
let linkChoice: string | undefined;
let hostIssues: readonly ValidationIssue[] = [];
let notice: { readonly text: string; readonly ok: boolean } | undefined;
const touched = new Set<GenerationField>();
let attempted = false;
const imageActions = new PendingRequests<ActionResult>();
/** What the host said about the strip's workspace files, and which it was asked about since the page loaded. */
const referenceFiles = new Map<string, ReferenceFileView>();
const inspecting = new Set<string>();
/** What kept files out the last time some were added. */
let referenceNotice: string | undefined;

function post(message: FromWebviewMessage): void {
  vscode.postMessage(message);
}

function save(next: Partial<StudioState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

const form = createForm({
  onChange: (draft, field) => {
    touched.add(field);
    hostIssues = [];
    if (field === 'references') {
      referenceNotice = undefined;
    }
    save({ draft });
    renderForm();
  },
  onGenerate: generate,
  onCancel: () => post({ type: 'cancel' }),
  onReset: () => {
    if (settings && state.draft) {
      // The prompt is the user's work: only the options go back to the settings.
      save({ draft: { ...draftFromForm(settings.defaults, state.draft), prompt: state.draft.prompt } });
      renderForm();
    }
  },
  onFix: (action: FixAction) => (action === 'retry' ? generate() : post({ type: action })),
  randomSeed: () => seedFromRandomBits(crypto.getRandomValues(new Uint32Array(1))[0]!),
  onPickReferences: () => post({ type: 'pickReferences' }),
  onDropReferences: (uris) => post({ type: 'dropReferences', uris }),
});

const gallery = createGallery({
  onAction: (image: ImageView, action: ImageAction) => {
    const { id, reply } = imageActions.open();
    post({ type: 'imageAction', requestId: id, action, ref: image.ref });
    void reply.then((result) => showNotice(result.message, result.ok));
  },
  onReuseSeed: (seed) => {
    if (state.draft) {
      save({ draft: { ...state.draft, seedText: String(seed) } });
      showNotice(l10n.t('Seed {0} is in the form: the next run reuses it.', seed), true);
      renderForm();
    }
  },
  onShowRun: () => {
    save({ gallery: { kind: 'run' } });
    renderGallery();
    renderHistory();
  },
  onInsertSet: (images) => {
    const { id, reply } = imageActions.open();
    post({ type: 'insertImages', requestId: id, refs: images.map((image) => image.ref) });
    void reply.then((result) => showNotice(result.message, result.ok));
  },
});

const historyView = createHistory({
  onShow: (entry) => {
    save({ gallery: { kind: 'entry', id: entry.id } });
    renderGallery();
    renderHistory();
  },
  onLoad: (entry) => {
    setDraft(draftFromForm(entry.input, state.draft));
    referenceNotice = undefined;
    touched.clear();
    attempted = false;
    hostIssues = [];
    renderForm();
    form.focusPrompt();
  },
  onQuery: (query) => {
    save({ historyQuery: query });
    renderHistory();
  },
  onToggle: (open) => {
    save({ historyOpen: open });
    if (open) {
      post({ type: 'refreshHistory' });
    }
    renderHistory();
  },
});

function generate(): void {
  const draft = state.draft;
  if (!draft || run?.status === 'running') {
    return;
  }
  attempted = true;
  const issues = draftIssues(draft, draftContext());
  renderForm();
  if (issues.length > 0) {
    form.focusFirstIssue(visibleIssues(issues, touched, true));
    return;
  }
  notice = undefined;
  attempted = false;
  touched.clear();
  save({ gallery: { kind: 'run' } });
  post({ type: 'generate', form: formFromDraft(draft) });
}

/** A new draft, with the host asked about any workspace file of its strip the page knows nothing of yet. */
function setDraft(draft: FormDraft): void {
  save({ draft });
  const paths = pathsToInspect(draft.references, referenceFiles, inspecting);
  if (paths.length > 0) {
    paths.forEach((path) => inspecting.add(path));
    post({ type: 'inspectReferences', paths });
  }
}

function draftContext(): DraftContext {
  return { files: referenceFiles, ...(settings ? { baseUrl: settings.baseUrl } : {}) };
}

function learnFiles(files: readonly ReferenceFileView[]): void {
  for (const file of files) {
    referenceFiles.set(file.path, file);
    inspecting.delete(file.path);
  }
}

function showNotice(text: string, ok: boolean): void {
  notice = text === '' ? undefined : { text, ok };
  renderGallery();
}

function renderForm(): void {
  const draft = state.draft;
  if (!draft) {
    return;
  }
  const failed = run?.status === 'failed' ? run.error : undefined;
  const issues = draftIssues(draft, draftContext());
  form.render({
    draft,
    issues: visibleIssues(issues, touched, attempted, hostIssues),
    // Until the host has said, assume a key: a warning that flashes and goes is worse than none.
    hasApiKey: settings?.hasApiKey ?? true,
    running: run?.status === 'running',
    runError: failed,
    strip: stripView(draft, issues),
    cost: settings && costOf(settings, runCostItem(draft.model, formFromDraft(draft))),
    spending: settings && spending && describeSpending(spending, settings.locale),
  });
}

/** The strip shows every message about references at once: they follow from what the user just added. */
function stripView(draft: FormDraft, issues: readonly ValidationIssue[]): FormView['strip'] {
  const own = [...issues, ...hostIssues].filter((issue) => issue.field === 'references');
  const baseUrl = settings?.baseUrl ?? '';
  const model = findModel(draft.model);
  return {
    files: referenceFiles,
    count: referenceCount(model, draft.references.length, baseUrl),
    full: referencesFull(model, draft.references.length, baseUrl),
    messages: [...new Set(own.map((issue) => issue.message))],
    invalid: new Set(own.flatMap((issue) => (issue.index === undefined ? [] : [issue.index]))),
    ...(referenceNotice ? { notice: referenceNotice } : {}),
  };
}

function costOf(known: StudioSettings, run: CostItem): { text: string; source: string } {
  const estimate = estimateCost(known.pricing, [run]);
  return { text: describeRunCost(run, estimate, known.locale), source: describeCostSource(estimate) };
}

function renderGallery(): void {
  const content = galleryContent(state.gallery, run, history);
  const common = { insertTarget, linkChoice, notice };
  let view: GalleryView;
  switch (content.kind) {
    case 'run': {
      const { run: shown } = content;
      const kind = shown.status === 'running' ? 'progress' : shown.slots.some((slot) => slot.state === 'failed') ? 'error' : 'done';
      view = {
        ...common,
        ...(shown.maxImages === undefined ? {} : { maxImages: shown.maxImages }),
        heading: shown.maxImages === undefined ? l10n.t('Latest run') : l10n.t('Latest run: image set'),
        detail: shown.prompt,
        status: { text: shown.message, kind },
        slots: shown.slots,
        altText: shown.prompt,
        canShowRun: false,
      };
      break;
    }
    case 'entry': {
      const { entry } = content;
      const made = [modelLabel(entry.input.model), entry.input.size, formatDate(entry.createdAt)];
      const from = entry.references.map(referenceName);
      const facts = [...made, ...(from.length > 0 ? [l10n.t('from {0}', from.join(', '))] : [])].join(' · ');
      view = {
        ...common,
        ...(entry.input.maxImages === undefined ? {} : { maxImages: entry.input.maxImages }),
        heading: entry.input.maxImages === undefined ? l10n.t('From the history') : l10n.t('From the history: image set'),
        detail: `${entry.input.prompt}\n${facts}`,
        slots: entrySlots(entry),
        altText: entry.input.prompt,
        canShowRun: Boolean(run && run.status !== 'failed'),
      };
      break;
    }
    case 'empty':
      view = { ...common, heading: l10n.t('Results'), detail: '', slots: [], altText: '', canShowRun: false };
      break;
  }
  gallery.render(view);
}

function renderHistory(): void {
  const content = galleryContent(state.gallery, run, history);
  historyView.render({
    entries: history,
    query: state.historyQuery,
    open: state.historyOpen,
    shownId: content.kind === 'entry' ? content.entry.id : undefined,
    locale: settings?.locale,
  });
}

function bringIntoView(id: string): void {
  if (id !== state.focusedEntryId) {
    save({ gallery: { kind: 'entry', id }, focusedEntryId: id });
  }
}

function receive(message: ToWebviewMessage): void {
  switch (message.type) {
    case 'init':
      settings = message.settings;
      history = message.history;
      spending = message.spending;
      run = message.run;
      insertTarget = message.insertTarget;
      linkChoice = message.linkChoice;
      hostIssues = run?.status === 'failed' ? run.issues : [];
      setDraft(state.draft ?? draftFromForm(settings.defaults));
      if (message.focusEntryId) {
        bringIntoView(message.focusEntryId);
      }
      break;
    case 'settings':
      settings = message.settings;
      break;
    case 'insertTarget':
      insertTarget = message.name;
      break;
    case 'linkChoice':
      linkChoice = message.label;
      break;
    case 'prefill':
      setDraft(draftFromForm(message.form));
      break;
    case 'run':
      run = message.run;
      hostIssues = run.issues;
      if (run.status === 'running') {
        save({ gallery: { kind: 'run' } });
      }
      break;
    case 'history':
      history = message.entries;
      spending = message.spending;
      break;
    case 'showEntry':
      bringIntoView(message.id);
      break;
    case 'actionResult':
      imageActions.settle(message.inReplyTo, message.result);
      return;
    case 'referencesAdded': {
      learnFiles(message.references);
      referenceNotice = message.message;
      if (state.draft && message.references.length > 0) {
        const added = message.references.map((file) => ({ path: file.path }));
        touched.add('references');
        hostIssues = [];
        save({ draft: { ...state.draft, references: withReferencesAdded(state.draft.references, added) } });
      }
      renderForm();
      return;
    }
    case 'referenceFiles':
      learnFiles(message.references);
      renderForm();
      return;
  }
  renderForm();
  renderGallery();
  renderHistory();
}

const root = document.getElementById('studio')!;
root.append(form.element, gallery.element, historyView.element);
window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => receive(event.data));
// A restored draft shows at once; the rest follows when the host answers `ready`.
renderForm();
post({ type: 'ready' });
