/**
 * The messages between the Image Studio host and its webview, both directions, in one place. The webview
 * is treated as untrusted: the host passes every incoming value through `parseFromWebviewMessage`, which
 * accepts only the exact shapes below (no extra keys, bounded strings) and never a command name.
 */

import type { Pricing } from '../core/cost/pricing';
import type { BilledRun, Spending } from '../core/cost/spending';
import type { ErrorButton } from '../core/errors/errorButtons';
import { MAX_IMAGES_PER_RUN } from '../core/model/catalog';
import {
  fieldProblem,
  GENERATION_FIELDS,
  MAX_PROMPT_LENGTH,
  type PlainGenerationField,
  type GenerationInput,
  type ValidationIssue,
} from '../core/model/validation';
import { isOneOf, isPlainRecord } from '../core/values/guards';

/** The form as sent to the host: exactly what a generation takes. */
export type StudioForm = GenerationInput;

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
  /** Whether a key is stored or in the environment; the key itself never reaches the webview. */
  readonly hasApiKey: boolean;
  /** The prices at the configured base URL, for the estimate beside Generate. */
  readonly pricing: Pricing;
  /** VS Code's display language, for money and dates. */
  readonly locale: string;
}

/** `useForLink` points the link the Studio was opened for (Variations, Open in Image Studio) at the image. */
export type ImageAction = 'insert' | 'useForLink' | 'open' | 'reveal' | 'copyPath' | 'copyLink' | 'delete';

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
  /** The reply to the `imageAction` whose `requestId` it carries. */
  | { readonly type: 'actionResult'; readonly inReplyTo: string; readonly result: ActionResult };

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
  | { readonly type: 'imageAction'; readonly requestId: string; readonly action: ImageAction; readonly ref: string };

const IMAGE_ACTIONS: readonly ImageAction[] = ['insert', 'useForLink', 'open', 'reveal', 'copyPath', 'copyLink', 'delete'];
/** Request ids and image refs are short tokens; anything else is not from our webview. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_SHORT_TEXT = 64;

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
    default:
      return undefined;
  }
}

/** The form may leave out the seed (random); every other field of a generation is required. */
const OPTIONAL_FORM_FIELDS: readonly PlainGenerationField[] = ['seed'];
const REQUIRED_FORM_FIELDS = (Object.keys(GENERATION_FIELDS) as PlainGenerationField[]).filter(
  (name) => !OPTIONAL_FORM_FIELDS.includes(name),
);

/** A form with exactly the generation fields, each of its shape and bounded; the values are checked by `validateGeneration`. */
export function parseStudioForm(value: unknown): StudioForm | undefined {
  if (!isPlainRecord(value) || !hasExactKeys(value, REQUIRED_FORM_FIELDS, OPTIONAL_FORM_FIELDS)) {
    return undefined;
  }
  const shaped = (Object.keys(value) as PlainGenerationField[]).every(
    (name) =>
      (value[name] === undefined && OPTIONAL_FORM_FIELDS.includes(name)) || !fieldProblem(name, GENERATION_FIELDS[name], value[name]),
  );
  if (!shaped) {
    return undefined;
  }
  const { prompt, model, size, n, seed, outputFormat, responseFormat, watermark, stream } = value as unknown as StudioForm;
  const bounded =
    prompt.length <= MAX_PROMPT_LENGTH &&
    model.length <= MAX_SHORT_TEXT &&
    size.length <= MAX_SHORT_TEXT &&
    Number.isInteger(n) &&
    n >= 1 &&
    n <= MAX_IMAGES_PER_RUN &&
    (seed === undefined || Number.isSafeInteger(seed));
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
  };
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

function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}
