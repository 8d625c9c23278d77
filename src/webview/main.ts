/**
 * The Image Studio page: holds what the host sent and what the user typed, renders the composer, gallery
 * and history, and turns clicks into protocol messages. It never names a command or a file path: the
 * host decides what each message does.
 */

// First: the translations are in place before any other module runs.
import './l10n';
import * as l10n from '@vscode/l10n';
import { describeCostSource, describeRunCost, estimateCost } from '../core/cost/pricing';
import { describeSpending, type Spending } from '../core/cost/spending';
import type { GenerationField, ValidationIssue } from '../core/model/validation';
import type {
  ActionResult,
  FixAction,
  FromWebviewMessage,
  HistoryEntryView,
  ImageAction,
  ImageView,
  RunView,
  StudioSettings,
  ToWebviewMessage,
} from '../shared/protocol';
import { createForm } from './form';
import { draftFromForm, draftIssues, formFromDraft, seedFromRandomBits, visibleIssues } from './formModel';
import { formatDate, modelLabel } from './format';
import { createGallery, type GalleryView } from './gallery';
import { entrySlots, galleryContent } from './galleryModel';
import { createHistory } from './history';
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
});

const historyView = createHistory({
  onShow: (entry) => {
    save({ gallery: { kind: 'entry', id: entry.id } });
    renderGallery();
    renderHistory();
  },
  onLoad: (entry) => {
    save({ draft: draftFromForm(entry.input, state.draft) });
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
  const issues = draftIssues(draft);
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
  form.render({
    draft,
    issues: visibleIssues(draftIssues(draft), touched, attempted, hostIssues),
    // Until the host has said, assume a key: a warning that flashes and goes is worse than none.
    hasApiKey: settings?.hasApiKey ?? true,
    running: run?.status === 'running',
    runError: failed,
    cost: settings && costOf(settings, draft.model, draft.n),
    spending: settings && spending && describeSpending(spending, settings.locale),
  });
}

function costOf(known: StudioSettings, model: string, n: number): { text: string; source: string } {
  const estimate = estimateCost(known.pricing, [{ model, count: n }]);
  return { text: describeRunCost(model, n, estimate, known.locale), source: describeCostSource(estimate) };
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
        heading: l10n.t('Latest run'),
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
      const facts = `${modelLabel(entry.input.model)} · ${entry.input.size} · ${formatDate(entry.createdAt)}`;
      view = {
        ...common,
        heading: l10n.t('From the history'),
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
      if (!state.draft) {
        save({ draft: draftFromForm(settings.defaults) });
      }
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
      save({ draft: draftFromForm(message.form) });
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
