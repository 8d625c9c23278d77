/**
 * The messages between the Image Studio host and its webview, both directions, in one place. The webview
 * is treated as untrusted: the host passes every incoming value through `parseFromWebviewMessage`, which
 * accepts only the exact shapes below (no extra keys, bounded strings) and never a command name.
 */

import type { Pricing } from '../core/cost/pricing';
import type { BilledRun, Spending } from '../core/cost/spending';
import type { ErrorButton } from '../core/errors/errorButtons';
import { type ImageFormat, MAX_IMAGES_PER_RUN, MAX_IMAGES_PER_SET, MAX_REFERENCES } from '../core/model/catalog';
import type { ReferenceRecord } from '../core/model/references';
import {
  fieldProblem,
  GENERATION_FIELDS,
  MAX_PROMPT_LENGTH,
  type PlainGenerationField,
  type GenerationInput,
  type ValidationIssue,
} from '../core/model/validation';
import { isOneOf, isPlainRecord } from '../core/values/guards';

/**
 * A reference image as the form holds it and the host receives it: a file of the workspace by its
 * workspace-relative path (the host finds, checks and reads it again), or an `https:` address.
 */
export type FormReference = { readonly path: string } | { readonly url: string };

/** The references a run recorded (as sent), as the form takes them again: the same files and addresses. */
export function formReferencesOf(records: readonly ReferenceRecord[]): FormReference[] {
  return records.map((record) => ('url' in record ? { url: record.url } : { path: record.path }));
}

/** The form as sent to the host: what a generation takes, with references named rather than inspected. */
export type StudioForm = Omit<GenerationInput, 'references'> & { readonly references?: readonly FormReference[] };

/**
 * A workspace file of the References strip as the host found it: its thumbnail and the facts the rules
 * need (read from the file's header), or why it cannot be used.
 */
export type ReferenceFileView =
  | {
      readonly path: string;
      /** The file served through `asWebviewUri`. */
      readonly src: string;
      readonly byteLength: number;
      /** Undefined when the header is not one of an image format known here. */
      readonly format?: ImageFormat;
      readonly width?: number;
      readonly height?: number;
    }
  | { readonly path: string; readonly problem: string };

/** A reference of a history entry: the file's thumbnail (none once it is gone), or the address. */
export type ReferenceThumb = { readonly path: string; readonly src?: string } | { readonly url: string };

/** One saved image as the webview shows it; `ref` is the host's handle for acting on the file. */
export interface ImageView {
  readonly ref: string;
  readonly name: string;
  /** The file served through `asWebviewUri`: never the remote URL, never the bytes. */
  readonly src: string;
  /** Unknown when the file's format does not say. */
  readonly width?: number;
  readonly height?: number;
  readonly format: string;
  readonly byteLength: number;
  /** The seed of the run that made it, when one was chosen. */
  readonly seed?: number;
  /** The file was deleted or moved since. */
  readonly missing?: boolean;
}

export interface HistoryEntryView {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly input: StudioForm;
  /** The reference images of `input`, in order, as the entry shows them. */
  readonly references: readonly ReferenceThumb[];
  /** In batch order (an image set's order). */
  readonly images: readonly ImageView[];
  /** Images that were requested but not saved. */
  readonly notSaved: number;
  /** What the run was billed (unknown for runs of older versions). */
  readonly billed?: BilledRun;
}

export type SlotView =
  | { readonly state: 'waiting' }
  /** `preview`: the webview address of a streamed preview, shown until the image itself is saved. */
  | { readonly state: 'receiving'; readonly preview?: string }
  | { readonly state: 'saved'; readonly image: ImageView }
  | { readonly state: 'failed'; readonly message: string };

/** A fix the panel can offer as a button; the host maps each to its own fixed command. */
export type FixAction = ErrorButton['action'];

export interface RunError {
  readonly message: string;
  /** The same buttons as the error's notification, in its order (a retry that may bill again says so). */
  readonly buttons: readonly ErrorButton[];
  /** The setting that Open Settings goes to (the host reads it from its own copy of the run). */
  readonly setting?: string;
}

export interface RunView {
  readonly id: string;
  readonly prompt: string;
  /** The most images an image set was asked for; absent for single images. */
  readonly maxImages?: number;
  readonly status: 'running' | 'finished' | 'failed' | 'cancelled';
  /** The line that says what is happening or what came of it. */
  readonly message: string;
  readonly slots: readonly SlotView[];
  /** Refusals of the host's own check, each shown next to its field. */
  readonly issues: readonly ValidationIssue[];
  readonly error?: RunError;
}

export interface StudioSettings {
  readonly defaults: StudioForm;
  /** `seedream.baseUrl`: how many references a request may carry depends on it. */
  readonly baseUrl: string;
  /** Whether a key is stored or in the environment; the key itself never reaches the webview. */
  readonly hasApiKey: boolean;
  /** The prices at the configured base URL, for the estimate beside Generate. */
  readonly pricing: Pricing;
  /** VS Code's display language, for money and dates. */
  readonly locale: string;
}

/**
 * `useForLink` points the link the Studio was opened for (Variations, Open in Image Studio) at the image;
 * `edit` runs Edit Image… on it; `useAsReference` adds it to the References strip.
 */
export type ImageAction = 'insert' | 'useForLink' | 'edit' | 'useAsReference' | 'open' | 'reveal' | 'copyPath' | 'copyLink' | 'delete';

/** What came of an image action, for the panel to show. */
export interface ActionResult {
  readonly ok: boolean;
  /** Empty when there is nothing to say (the user dismissed a confirmation). */
  readonly message: string;
}

export type ToWebviewMessage =
  | {
      readonly type: 'init';
      readonly settings: StudioSettings;
      readonly insertTarget?: string;
      /** The link an image can be chosen for, as its path reads in the document. */
      readonly linkChoice?: string;
      readonly history: readonly HistoryEntryView[];
      /** The panel's latest run, also after the page reloaded mid-run. */
      readonly run?: RunView;
      /** The newest run of another front end, to bring into view once. */
      readonly focusEntryId?: string;
      /** What this workspace's runs were billed so far. */
      readonly spending?: Spending;
    }
  | { readonly type: 'settings'; readonly settings: StudioSettings }
  /** The file name of the editor that Insert writes into, if any. */
  | { readonly type: 'insertTarget'; readonly name?: string }
  /** The link an image can now be chosen for, or none. */
  | { readonly type: 'linkChoice'; readonly label?: string }
  /** Fill the form (Open in Image Studio on an image made elsewhere). */
  | { readonly type: 'prefill'; readonly form: StudioForm }
  | { readonly type: 'run'; readonly run: RunView }
  | { readonly type: 'history'; readonly entries: readonly HistoryEntryView[]; readonly spending?: Spending }
  /** Bring a history entry into view (e.g. the run a notification was about). */
  | { readonly type: 'showEntry'; readonly id: string }
  /** The reply to the `imageAction` or `insertImages` whose `requestId` it carries. */
  | { readonly type: 'actionResult'; readonly inReplyTo: string; readonly result: ActionResult }
  /**
   * Files to add to the References strip (picked, dropped, or an image used as a reference), and what
   * kept others out, to show beside the strip.
   */
  | { readonly type: 'referencesAdded'; readonly references: readonly ReferenceFileView[]; readonly message?: string }
  /** The files the page asked about with `inspectReferences`, as they are now. */
  | { readonly type: 'referenceFiles'; readonly references: readonly ReferenceFileView[] };

export type FromWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'generate'; readonly form: StudioForm }
  | { readonly type: 'cancel' }
  | { readonly type: 'setApiKey' }
  | { readonly type: 'openSettings' }
  | { readonly type: 'showLog' }
  /** The history is being shown: check which files still exist. */
  | { readonly type: 'refreshHistory' }
  /** Answered by an `actionResult` with the same id. */
  | { readonly type: 'imageAction'; readonly requestId: string; readonly action: ImageAction; readonly ref: string }
  /** Inserts the links of several images (an image set), in this order; answered as `imageAction` is. */
  | { readonly type: 'insertImages'; readonly requestId: string; readonly refs: readonly string[] }
  /** Opens a file picker for reference images. */
  | { readonly type: 'pickReferences' }
  /** Files dropped on the References strip, as the `text/uri-list` of the drop names them. */
  | { readonly type: 'dropReferences'; readonly uris: readonly string[] }
  /** Asks how the strip's files are now (after a reload, or a history entry loaded into the form). */
  | { readonly type: 'inspectReferences'; readonly paths: readonly string[] };

const IMAGE_ACTIONS: readonly ImageAction[] = [
  'insert',
  'useForLink',
  'edit',
  'useAsReference',
  'open',
  'reveal',
  'copyPath',
  'copyLink',
  'delete',
];
/** Request ids and image refs are short tokens; anything else is not from our webview. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_SHORT_TEXT = 64;
/** Longest workspace path or address of a reference the protocol carries. */
const MAX_REFERENCE_TEXT = 2048;
/** Most files one drop or one question may name: more than any request takes, so the strip can say "remove 2". */
const MAX_FILES_PER_MESSAGE = 2 * MAX_REFERENCES.upstream;

/** The message if it is exactly one of `FromWebviewMessage`, else undefined. */
export function parseFromWebviewMessage(value: unknown): FromWebviewMessage | undefined {
  if (!isPlainRecord(value) || typeof value.type !== 'string') {
    return undefined;
  }
  switch (value.type) {
    case 'ready':
    case 'cancel':
    case 'setApiKey':
    case 'openSettings':
    case 'showLog':
    case 'refreshHistory':
    case 'pickReferences':
      return hasExactKeys(value, ['type']) ? { type: value.type } : undefined;
    case 'generate': {
      const form = hasExactKeys(value, ['type', 'form']) ? parseStudioForm(value.form) : undefined;
      return form && { type: 'generate', form };
    }
    case 'imageAction': {
      const { requestId, action, ref } = value;
      const valid =
        hasExactKeys(value, ['type', 'requestId', 'action', 'ref']) && isToken(requestId) && isToken(ref) && isOneOf(action, IMAGE_ACTIONS);
      return valid ? { type: 'imageAction', requestId, action, ref } : undefined;
    }
    case 'insertImages': {
      const { requestId, refs } = value;
      const valid =
        hasExactKeys(value, ['type', 'requestId', 'refs']) &&
        isToken(requestId) &&
        isList(refs, MAX_IMAGES_PER_SET, isToken) &&
        refs.length > 0;
      return valid ? { type: 'insertImages', requestId, refs: [...refs] } : undefined;
    }
    case 'dropReferences': {
      const { uris } = value;
      const valid = hasExactKeys(value, ['type', 'uris']) && isList(uris, MAX_FILES_PER_MESSAGE, isReferenceText);
      return valid ? { type: 'dropReferences', uris: [...uris] } : undefined;
    }
    case 'inspectReferences': {
      const { paths } = value;
      const valid = hasExactKeys(value, ['type', 'paths']) && isList(paths, MAX_FILES_PER_MESSAGE, isReferenceText);
      return valid ? { type: 'inspectReferences', paths: [...paths] } : undefined;
    }
    default:
      return undefined;
  }
}

/** The form may leave out the seed (random), its references and an image set's size; every other field is required. */
const OPTIONAL_FORM_FIELDS: readonly PlainGenerationField[] = ['seed'];
const REQUIRED_FORM_FIELDS = (Object.keys(GENERATION_FIELDS) as PlainGenerationField[]).filter(
  (name) => !OPTIONAL_FORM_FIELDS.includes(name),
);

/** A form with exactly the generation fields, each of its shape and bounded; the values are checked by `validateGeneration`. */
export function parseStudioForm(value: unknown): StudioForm | undefined {
  if (!isPlainRecord(value) || !hasExactKeys(value, REQUIRED_FORM_FIELDS, [...OPTIONAL_FORM_FIELDS, 'references', 'maxImages'])) {
    return undefined;
  }
  const { references: listed, maxImages, ...plain } = value;
  const shaped = (Object.keys(plain) as PlainGenerationField[]).every(
    (name) =>
      (plain[name] === undefined && OPTIONAL_FORM_FIELDS.includes(name)) || !fieldProblem(name, GENERATION_FIELDS[name], plain[name]),
  );
  const references = listed === undefined ? [] : parseFormReferences(listed);
  if (!shaped || !references) {
    return undefined;
  }
  const { prompt, model, size, n, seed, outputFormat, responseFormat, watermark, stream } = plain as unknown as StudioForm;
  const bounded =
    prompt.length <= MAX_PROMPT_LENGTH &&
    model.length <= MAX_SHORT_TEXT &&
    size.length <= MAX_SHORT_TEXT &&
    Number.isInteger(n) &&
    n >= 1 &&
    n <= MAX_IMAGES_PER_RUN &&
    (seed === undefined || Number.isSafeInteger(seed)) &&
    (maxImages === undefined || (Number.isInteger(maxImages) && (maxImages as number) >= 1 && (maxImages as number) <= MAX_IMAGES_PER_SET));
  if (!bounded) {
    return undefined;
  }
  return {
    prompt,
    model,
    size,
    n,
    ...(seed === undefined ? {} : { seed }),
    outputFormat,
    responseFormat,
    watermark,
    stream,
    ...(references.length > 0 ? { references } : {}),
    ...(maxImages === undefined ? {} : { maxImages: maxImages as number }),
  };
}

/** Each reference exactly a workspace path or an address; up to twice as many as a request takes (see MAX_FILES_PER_MESSAGE). */
function parseFormReferences(value: unknown): FormReference[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_FILES_PER_MESSAGE) {
    return undefined;
  }
  const references: FormReference[] = [];
  for (const item of value) {
    if (!isPlainRecord(item)) {
      return undefined;
    }
    if (hasExactKeys(item, ['path']) && isReferenceText(item.path)) {
      references.push({ path: item.path });
    } else if (hasExactKeys(item, ['url']) && isReferenceText(item.url)) {
      references.push({ url: item.url });
    } else {
      return undefined;
    }
  }
  return references;
}

/**
 * Every required key present and nothing else: an unknown key (a command name, `__proto__`, `constructor`)
 * means the message is not ours.
 */
function hasExactKeys(value: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Reflect.ownKeys(value);
  return (
    keys.every((key) => typeof key === 'string' && (required.includes(key) || optional.includes(key))) &&
    required.every((key) => Object.prototype.hasOwnProperty.call(value, key))
  );
}

function isReferenceText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_REFERENCE_TEXT;
}

function isList<T>(value: unknown, maxLength: number, isItem: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.length <= maxLength && value.every((item) => isItem(item));
}

function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}
