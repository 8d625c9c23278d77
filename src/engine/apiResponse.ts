/**
 * Turns what the images endpoint answers (JSON body, SSE events, error bodies) into typed events and
 * user-facing errors. No I/O here, so every shape the server can send is unit-tested directly.
 */

import * as l10n from '@vscode/l10n';
import { SeedreamError, type SeedreamErrorDetails } from '../core/errors/errors';
import type { ReferenceRecord } from '../core/model/references';
import { isRecord } from '../core/values/guards';

export interface Usage {
  readonly generatedImages?: number;
  readonly outputTokens?: number;
}

export type ApiImageEvent =
  | {
      readonly type: 'image';
      readonly index: number;
      /** A signed link to download the image from; absent when `chunks` carries it. */
      readonly url?: string;
      /**
       * The decoded bytes of `b64_json`. They are read from the response itself (a JSON body, or an event
       * of a stream), so they must be read (or given up on) before the next event is asked for.
       */
      readonly chunks?: AsyncIterable<Uint8Array>;
      /** The size the API reports; for an image in `chunks`, known once they are read (until then undefined). */
      readonly size?: string | undefined;
    }
  /** One image failed (content filter, internal error); the others may still come. */
  | { readonly type: 'failed'; readonly index: number; readonly code: string; readonly message: string }
  /**
   * A preview the API streams before the final image (its bytes in `chunks`, read from the response as
   * an image's are, or a link): shown, never saved as a result.
   */
  | { readonly type: 'preview'; readonly index: number; readonly url?: string; readonly chunks?: AsyncIterable<Uint8Array> }
  | { readonly type: 'completed'; readonly usage?: Usage }
  /** The request with its reference images was sent whole (before any image): what each reference was. */
  | { readonly type: 'sent'; readonly references: readonly ReferenceRecord[] };

const CONTENT_FILTER_CODE = /Sensitive|ContentFilter|content_policy/i;
/** After this one the API generates nothing more in the batch. */
export const FATAL_ITEM_CODE = 'InternalServiceError';
const MAX_SERVER_TEXT = 300;

/** The stream event that carries a final image, and the one that carries a preview of it. */
export const STREAMED_IMAGE = 'image_generation.partial_succeeded';
export const STREAMED_PREVIEW = 'image_generation.partial_image';

/**
 * One event of an image stream, from the members it is judged by; undefined for events that carry
 * nothing for us. `name` is its SSE name, for an event whose JSON has no `type`; `inline` the decoded
 * bytes of its `b64_json` when it has one.
 */
export function streamEventOf(
  payload: Record<string, unknown>,
  name: string | undefined,
  inline?: readonly Uint8Array[],
): ApiImageEvent | undefined {
  const type = typeof payload.type === 'string' ? payload.type : (name ?? '');
  const index = imageIndexOf(payload);
  if (type === 'error' || (type === '' && isRecord(payload.error))) {
    throw errorFromBody(isRecord(payload.error) ? payload.error : payload, undefined);
  }
  switch (type) {
    case STREAMED_IMAGE:
      return parseItem(payload, index, inline);
    case 'image_generation.partial_failed': {
      const error = isRecord(payload.error) ? payload.error : {};
      return failedItem(index, error);
    }
    case STREAMED_PREVIEW: {
      const source = imageSource(payload, inline);
      return source && { type: 'preview', index, ...source };
    }
    case 'image_generation.completed':
      return completedEvent(payload.usage);
    default:
      return undefined;
  }
}

/** Which image of the batch a streamed event is about. */
export function imageIndexOf(payload: Record<string, unknown>): number {
  return typeof payload.image_index === 'number' ? payload.image_index : 0;
}

/** The error for a non-2xx answer; `bodyText` is read once by the caller. */
export function errorFromStatus(status: number, bodyText: string, retryAfterSeconds?: number): SeedreamError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) && typeof body.message === 'string' ? body : undefined;
  if (!error && [401, 403, 404, 429].includes(status)) {
    // These statuses say enough on their own, whatever page a gateway put around them.
    return errorFromBody({}, status, retryAfterSeconds);
  }
  if (!error) {
    const what = /^\s*</.test(bodyText)
      ? l10n.t('an HTML page instead of JSON')
      : bodyText.trim() === ''
        ? l10n.t('an empty body')
        : l10n.t('a body that is not JSON');
    const serverSide = status >= 500;
    return new SeedreamError(
      'unexpectedResponse',
      serverSide
        ? `${l10n.t('Unexpected response from the API (HTTP {0}, {1}): a gateway in front of the API may be down.', status, what)}${retryLater(status, retryAfterSeconds)}`
        : l10n.t('Unexpected response from the API (HTTP {0}, {1}). Check the seedream.baseUrl setting.', status, what),
      { status, ...(serverSide ? serverErrorPolicy(status, retryAfterSeconds) : { action: 'openSettings', setting: 'seedream.baseUrl' }) },
    );
  }
  return errorFromBody(error, status, retryAfterSeconds);
}

function errorFromBody(error: Record<string, unknown>, status: number | undefined, retryAfterSeconds?: number): SeedreamError {
  const code = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : '';
  // Sentences of our own follow the server's, so its closing full stop goes.
  const serverText = cleanServerText(typeof error.message === 'string' ? error.message : '').replace(/[.。]+$/, '');
  const param = typeof error.param === 'string' ? cleanServerText(error.param) : undefined;
  const said = serverSaid(serverText);
  const tag = [status !== undefined ? `HTTP ${status}` : '', code].filter(Boolean).join(' ');
  const details = { ...(status !== undefined ? { status } : {}), ...(code ? { code } : {}), ...(param ? { param } : {}) };

  if (CONTENT_FILTER_CODE.test(code)) {
    return new SeedreamError(
      'contentFilter',
      l10n.t('The content filter refused this request ({0}){1}. Rephrase the prompt and try again.', code, said),
      details,
    );
  }
  switch (status) {
    case 400:
      return new SeedreamError(
        'badRequest',
        param
          ? l10n.t('The API refused the request ({0}){1} [parameter: {2}]. Change "{2}" and try again.', tag, said, param)
          : l10n.t('The API refused the request ({0}){1}. Change the request and try again.', tag, said),
        details,
      );
    case 401:
      return new SeedreamError(
        'auth',
        l10n.t('The API key was rejected ({0}){1}. Set a valid key with "Seedream: Set API Key".', tag, said),
        {
          ...details,
          action: 'setApiKey',
        },
      );
    case 403:
      if (/Overdue|quota|balance|credit/i.test(code + serverText)) {
        return new SeedreamError(
          'outOfCredit',
          l10n.t('Your API account is out of credit ({0}){1}. Top up your balance with the provider, then try again.', tag, said),
          details,
        );
      }
      return new SeedreamError(
        'forbidden',
        l10n.t(
          'Access denied ({0}){1}. Check that this key may use the model, or set another key with "Seedream: Set API Key".',
          tag,
          said,
        ),
        { ...details, action: 'setApiKey' },
      );
    case 404:
      return new SeedreamError(
        'notFound',
        l10n.t(
          'Not found ({0}){1}. Check the seedream.baseUrl setting (it usually ends in /v1) and the seedream.model setting.',
          tag,
          said,
        ),
        { ...details, action: 'openSettings', setting: 'seedream.baseUrl' },
      );
    case 429:
      return new SeedreamError(
        'rateLimited',
        l10n.t('The API is rate limiting requests ({0}){1}. Wait a minute and try again.', tag, said),
        {
          ...details,
          retryable: true,
          action: 'retry',
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        },
      );
  }
  if (status !== undefined && status >= 500) {
    return new SeedreamError(
      'server',
      `${l10n.t('The API had a server error ({0}){1}.', tag, said)}${retryLater(status, retryAfterSeconds)}`,
      {
        ...details,
        ...serverErrorPolicy(status, retryAfterSeconds),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      },
    );
  }
  return new SeedreamError('badRequest', l10n.t('The API reported an error ({0}){1}.', tag || l10n.t('no code'), said), details);
}

/** What the server said, to follow our own words about it (the colon as the display language writes it); empty when it said nothing. */
function serverSaid(text: string): string {
  return text ? l10n.t(': {0}', text) : '';
}

/**
 * Only a 503 that names when to come back says the request was turned away unprocessed. Any other server
 * error may come after the upstream made and billed the images (a gateway's 504 does), so it is never
 * retried automatically: the user decides, knowing a charge may have happened.
 */
function serverErrorPolicy(
  status: number,
  retryAfterSeconds: number | undefined,
): Pick<SeedreamErrorDetails, 'retryable' | 'mayHaveBilled' | 'action'> {
  return status === 503 && retryAfterSeconds !== undefined
    ? { retryable: true, action: 'retry' }
    : { mayHaveBilled: true, action: 'retry' };
}

/** What to do after a server error that cannot have billed; one that may have is told so by its error. */
function retryLater(status: number, retryAfterSeconds: number | undefined): string {
  return serverErrorPolicy(status, retryAfterSeconds).mayHaveBilled ? '' : ` ${l10n.t('Try again in a moment.')}`;
}

/** One item of `data` (or a streamed image event); `inline` the decoded bytes of its `b64_json`, when it has one. */
export function parseItem(item: unknown, index: number, inline?: readonly Uint8Array[]): ApiImageEvent {
  if (!isRecord(item)) {
    return { type: 'failed', index, code: 'InvalidItem', message: l10n.t('the API returned an item that is not an image') };
  }
  if (isRecord(item.error)) {
    return failedItem(index, item.error);
  }
  const source = imageSource(item, inline);
  if (!source) {
    return { type: 'failed', index, code: 'InvalidItem', message: l10n.t('the API returned an item with neither "url" nor "b64_json"') };
  }
  return { type: 'image', index, ...source, ...(typeof item.size === 'string' ? { size: item.size } : {}) };
}

/** The end of a response, with what it reports as used. */
export function completedEvent(usage: unknown): ApiImageEvent {
  const parsed = parseUsage(usage);
  return { type: 'completed', ...(parsed ? { usage: parsed } : {}) };
}

export function failedItem(index: number, error: Record<string, unknown>): Extract<ApiImageEvent, { type: 'failed' }> {
  const code = typeof error.code === 'string' ? cleanServerText(error.code) : 'Unknown';
  const text = cleanServerText(typeof error.message === 'string' ? error.message : '');
  const said = serverSaid(text);
  const message = CONTENT_FILTER_CODE.test(code)
    ? l10n.t('refused by the content filter ({0}){1}; rephrase the prompt', code, said)
    : code === FATAL_ITEM_CODE
      ? l10n.t('the API had an internal error ({0}{1}) and made no further images in this batch; try again', code, said)
      : `${code}${said}`;
  return { type: 'failed', index, code, message };
}

/** Where an item's bytes are: inside it (its decoded base64, the one the API prefers when both are sent) or behind its link. */
function imageSource(
  item: Record<string, unknown>,
  inline: readonly Uint8Array[] | undefined,
): { readonly chunks: AsyncIterable<Uint8Array> } | { readonly url: string } | undefined {
  if (inline) {
    return { chunks: each(inline) };
  }
  if (typeof item.url === 'string' && item.url.length > 0) {
    return { url: item.url };
  }
  return undefined;
}

function parseUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) {
    return undefined;
  }
  return {
    ...(typeof usage.generated_images === 'number' ? { generatedImages: usage.generated_images } : {}),
    ...(typeof usage.output_tokens === 'number' ? { outputTokens: usage.output_tokens } : {}),
  };
}

async function* each(bytes: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* bytes;
}

export function unexpectedShape(what: string): SeedreamError {
  return new SeedreamError(
    'unexpectedResponse',
    l10n.t('Unexpected response from the API: {0}. Check the seedream.baseUrl setting, or try again.', what),
  );
}

/** Server text is untrusted: one line, no control characters, bounded length. */
function cleanServerText(text: string): string {
  const oneLine = text
    .replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return oneLine.length > MAX_SERVER_TEXT ? `${oneLine.slice(0, MAX_SERVER_TEXT)}…` : oneLine;
}
