/**
 * The messages between the Image Studio host and its webview, both directions, in one place. The webview
 * is treated as untrusted: the host passes every incoming value through `parseFromWebviewMessage`, which
 * accepts only the exact shapes below (no extra keys, bounded strings) and never a command name.
 */

import type { ErrorButton } from '../core/errors/errorButtons';
import { MAX_IMAGES_PER_RUN, type OutputFormat, type ResponseFormat } from '../core/model/catalog';
import { MAX_PROMPT_LENGTH, type GenerationInput, type ValidationIssue } from '../core/model/validation';

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
}

/** `useForLink` points the link the Studio was opened for (Variations, Open in Image Studio) at the image. */
export type ImageAction = 'insert' | 'useForLink' | 'open' | 'reveal' | 'copyPath' | 'copyLink' | 'delete';

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
    }
  | { readonly type: 'settings'; readonly settings: StudioSettings }
  /** The file name of the editor that Insert writes into, if any. */
  | { readonly type: 'insertTarget'; readonly name?: string }
  /** The link an image can now be chosen for, or none. */
  | { readonly type: 'linkChoice'; readonly label?: string }
  /** Fill the form (Open in Image Studio on an image made elsewhere). */
  | { readonly type: 'prefill'; readonly form: StudioForm }
  | { readonly type: 'run'; readonly run: RunView }
  | { readonly type: 'history'; readonly entries: readonly HistoryEntryView[] }
  /** Bring a history entry into view (e.g. the run a notification was about). */
  | { readonly type: 'showEntry'; readonly id: string }
  | { readonly type: 'actionResult'; readonly requestId: string; readonly ok: boolean; readonly message: string };

export type FromWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'generate'; readonly form: StudioForm }
  | { readonly type: 'cancel' }
  | { readonly type: 'setApiKey' }
  | { readonly type: 'openSettings' }
  | { readonly type: 'showLog' }
  /** The history is being shown: check which files still exist. */
  | { readonly type: 'refreshHistory' }
  | { readonly type: 'imageAction'; readonly requestId: string; readonly action: ImageAction; readonly ref: string };

const IMAGE_ACTIONS: readonly ImageAction[] = ['insert', 'useForLink', 'open', 'reveal', 'copyPath', 'copyLink', 'delete'];
const OUTPUT_FORMATS: readonly (OutputFormat | 'auto')[] = ['auto', 'png', 'jpeg'];
const RESPONSE_FORMATS: readonly ResponseFormat[] = ['url', 'b64_json'];
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

/** A form with exactly the generation fields, each of the right type and bounded; the values are checked by `validateGeneration`. */
export function parseStudioForm(value: unknown): StudioForm | undefined {
  const required = ['prompt', 'model', 'size', 'n', 'outputFormat', 'responseFormat', 'watermark', 'stream'];
  if (!isPlainRecord(value) || !hasExactKeys(value, required, ['seed'])) {
    return undefined;
  }
  const { prompt, model, size, n, seed, outputFormat, responseFormat, watermark, stream } = value;
  const valid =
    isText(prompt, MAX_PROMPT_LENGTH) &&
    isText(model, MAX_SHORT_TEXT) &&
    isText(size, MAX_SHORT_TEXT) &&
    Number.isInteger(n) &&
    (n as number) >= 1 &&
    (n as number) <= MAX_IMAGES_PER_RUN &&
    (seed === undefined || Number.isSafeInteger(seed)) &&
    isOneOf(outputFormat, OUTPUT_FORMATS) &&
    isOneOf(responseFormat, RESPONSE_FORMATS) &&
    typeof watermark === 'boolean' &&
    typeof stream === 'boolean';
  if (!valid) {
    return undefined;
  }
  return {
    prompt,
    model,
    size,
    n: n as number,
    ...(seed === undefined ? {} : { seed: seed as number }),
    outputFormat,
    responseFormat,
    watermark,
    stream,
  };
}

/** A plain object (no class instance, array or exotic prototype) whose keys can be trusted. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
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

function isText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}
