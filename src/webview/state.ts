/**
 * What the webview keeps through `vscode.setState`: the panel is not retained while hidden and may be
 * restored after a reload, so the draft and the view choices must survive a fresh page. Stored state
 * comes back from an older version or is absent, so it is read field by field with fallbacks.
 */

import { OUTPUT_FORMAT_CHOICES, RESPONSE_FORMATS } from '../core/model/catalog';
import { isOneOf, isRecord } from '../core/values/guards';
import { CUSTOM_SIZE, type FormDraft } from './formModel';

/** The gallery shows the panel's latest run, or one entry of the history. */
export type GallerySource = { readonly kind: 'run' } | { readonly kind: 'entry'; readonly id: string };

export interface StudioState {
  /** Undefined until the host's defaults have arrived once. */
  readonly draft?: FormDraft;
  readonly gallery?: GallerySource;
  readonly historyQuery: string;
  readonly historyOpen: boolean;
  /** The last entry the host asked to bring into view, so a reload does not bring it again. */
  readonly focusedEntryId?: string;
}

export const EMPTY_STATE: StudioState = { historyQuery: '', historyOpen: true };

export function restoreState(stored: unknown): StudioState {
  if (!isRecord(stored)) {
    return EMPTY_STATE;
  }
  const draft = restoreDraft(stored.draft);
  const gallery = restoreGallery(stored.gallery);
  return {
    ...(draft ? { draft } : {}),
    ...(gallery ? { gallery } : {}),
    historyQuery: typeof stored.historyQuery === 'string' ? stored.historyQuery : '',
    historyOpen: typeof stored.historyOpen === 'boolean' ? stored.historyOpen : true,
    ...(typeof stored.focusedEntryId === 'string' ? { focusedEntryId: stored.focusedEntryId } : {}),
  };
}

function restoreDraft(value: unknown): FormDraft | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const text = (key: string, fallback: string): string => (typeof value[key] === 'string' ? (value[key] as string) : fallback);
  const flag = (key: string): boolean => value[key] === true;
  const n = Number(value.n);
  return {
    prompt: text('prompt', ''),
    model: text('model', ''),
    sizeChoice: text('sizeChoice', CUSTOM_SIZE),
    customSize: text('customSize', ''),
    n: Number.isInteger(n) && n >= 1 ? n : 1,
    seedText: text('seedText', ''),
    outputFormat: isOneOf(value.outputFormat, OUTPUT_FORMAT_CHOICES) ? value.outputFormat : 'auto',
    responseFormat: isOneOf(value.responseFormat, RESPONSE_FORMATS) ? value.responseFormat : 'url',
    watermark: flag('watermark'),
    stream: flag('stream'),
  };
}

function restoreGallery(value: unknown): GallerySource | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  if (value.kind === 'run') {
    return { kind: 'run' };
  }
  return value.kind === 'entry' && typeof value.id === 'string' ? { kind: 'entry', id: value.id } : undefined;
}
