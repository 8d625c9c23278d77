/**
 * The images API client: one POST to `{baseUrl}/images/generations`, with retries where they cannot
 * bill twice, yielding image events as they arrive (item by item from a JSON body, event by event from a stream).
 */

import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { errorFromStatus, type ApiImageEvent } from './apiResponse';
import { chunksOf } from './byteStream';
import { onAbort } from '../core/concurrency/abort';
import { cancelledError, redactSecret, SeedreamError } from '../core/errors/errors';
import { discardBody, type Logger, sendRequest, silentLogger, transportError } from './http';
import { displayUrl, imagesEndpoint } from '../core/trust/urlPolicy';
import { readImagesJson, readStreamEvent } from './imagesJson';
import { JsonSyntaxError } from './jsonReader';
import { maxEventLengthFor, SseReader } from './sse';
import { imagesAsked, type GenerationRequest } from '../core/model/validation';
import { shortModelName } from '../core/model/catalog';
import { requestBody, type RequestBody } from './requestBody';

export interface ImagesClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly userAgent: string;
  /** The largest image accepted; a streamed event may hold one as base64. */
  readonly maxDownloadBytes: number;
  readonly dispatcher: Dispatcher;
  readonly log?: Logger;
  /** Injected in tests so backoff does not slow them down. */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The longest Retry-After we sit out; beyond it the user is told when to come back instead. */
const MAX_RETRY_WAIT_MS = 60_000;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export class ImagesClient {
  private readonly endpoint: URL;
  private readonly log: Logger;

  constructor(private readonly options: ImagesClientOptions) {
    this.endpoint = imagesEndpoint(options.baseUrl);
    this.log = options.log ?? silentLogger;
  }

  /**
   * Requests the images and yields their events. `n` is sent in the one request: the provider decides
   * how it fulfils it, and fewer images than asked is a normal outcome the caller reports.
   */
  async *generate(generation: GenerationRequest, signal: AbortSignal): AsyncGenerator<ApiImageEvent> {
    const body = requestBody(generation);
    const response = await this.sendWithRetries(body, describe(generation), signal);
    if (generation.references.length > 0) {
      yield { type: 'sent', references: body.records() };
    }
    try {
      if (generation.stream && isEventStream(response)) {
        yield* this.readStream(response, signal);
      } else {
        yield* readImagesJson(chunksOf(response.body), (error) => this.bodyError(error, response, signal));
      }
    } finally {
      // Stops the download of the rest of the body when the caller stops early (cancel, error).
      discardBody(response.body);
    }
  }

  private async sendWithRetries(body: RequestBody, summary: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    const { maxRetries } = this.options;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const label = `POST ${displayUrl(this.endpoint)} ${summary} (attempt ${attempt}/${maxRetries + 1})`;
      let failure: SeedreamError;
      try {
        const response = await sendRequest(this.options.dispatcher, this.endpoint, {
          method: 'POST',
          signal,
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            'content-type': 'application/json',
            'content-length': String(body.length),
            accept: 'application/json, text/event-stream',
            'user-agent': this.options.userAgent,
          },
          body: body.open(),
        });
        const elapsed = Date.now() - started;
        if (response.statusCode >= 200 && response.statusCode < 300) {
          this.log.info(`${label} -> ${response.statusCode} in ${elapsed} ms`);
          return response;
        }
        const errorText = await readLimitedText(response.body, MAX_ERROR_BODY_BYTES);
        failure = errorFromStatus(
          response.statusCode,
          redactSecret(errorText, this.options.apiKey),
          retryAfterSeconds(response.headers['retry-after']),
        );
        if (body.inlineImages > 0) {
          failure = inlineImageRefusal(failure, body);
        }
        if (response.statusCode >= 300 && response.statusCode < 400) {
          // Never follow: the key would go wherever the redirect points.
          failure = new SeedreamError(
            'unexpectedResponse',
            l10n.t(
              'The API answered with a redirect (HTTP {0}), which is not followed so the key stays with {1}. Set seedream.baseUrl to the final address.',
              response.statusCode,
              this.endpoint.host,
            ),
            { status: response.statusCode, action: 'openSettings', setting: 'seedream.baseUrl' },
          );
        }
        this.log.warn(`${label} -> ${response.statusCode} in ${elapsed} ms: ${failure.message}`);
      } catch (error) {
        failure = transportError(error, signal, this.endpoint.host, this.options.timeoutMs);
        if (failure.kind === 'cancelled') {
          this.log.info(`${label} cancelled after ${Date.now() - started} ms`);
          throw failure;
        }
        this.log.warn(`${label} failed after ${Date.now() - started} ms: ${failure.message}`);
      }
      const delay = retryDelayMs(failure, attempt);
      if (!failure.details.retryable || attempt > maxRetries || delay === undefined) {
        if (failure.details.mayHaveBilled) {
          this.log.warn('Not retried automatically: the server may have made and billed the images before this failure.');
        }
        throw attempt > 1 ? withAttempts(failure, attempt) : failure;
      }
      this.log.info(`Retrying in ${Math.round(delay / 100) / 10} s`);
      await (this.options.wait ?? waitFor)(delay, signal);
    }
  }

  /** What a broken JSON body is reported as: invalid JSON is not retried, as the images may be billed. */
  private bodyError(error: unknown, response: Dispatcher.ResponseData, signal: AbortSignal): SeedreamError {
    if (!(error instanceof JsonSyntaxError)) {
      return transportError(error, signal, this.endpoint.host, this.options.timeoutMs);
    }
    const type = String(response.headers['content-type'] ?? '');
    const what =
      /html/i.test(type) || (error.atStart && error.found === '<') ? l10n.t('an HTML page') : l10n.t('incomplete or invalid JSON');
    // The server answered with success before the body broke: it has made the images.
    return new SeedreamError(
      'unexpectedResponse',
      l10n.t('Unexpected response from the API (HTTP {0}, {1}). Check seedream.baseUrl if it persists.', response.statusCode, what),
      { status: response.statusCode, action: 'retry', mayHaveBilled: true },
    );
  }

  private async *readStream(response: Dispatcher.ResponseData, signal: AbortSignal): AsyncGenerator<ApiImageEvent> {
    // One error for each failure, whoever meets it first (an image reading its bytes, or the next event).
    const toError = (error: unknown): SeedreamError =>
      error instanceof SeedreamError
        ? error
        : error instanceof JsonSyntaxError
          ? new SeedreamError(
              'unexpectedResponse',
              l10n.t('Unexpected response from the API: a streamed event is not valid JSON. Try again, or turn off seedream.stream.'),
              { action: 'retry', mayHaveBilled: true },
            )
          : transportError(error, signal, this.endpoint.host, this.options.timeoutMs);
    const events = new SseReader(chunksOf(response.body), { maxEventLength: maxEventLengthFor(this.options.maxDownloadBytes), toError });
    let completed = false;
    for (let sse = await events.nextEvent(); sse; sse = await events.nextEvent()) {
      for await (const event of readStreamEvent(sse, toError)) {
        if (event === 'done') {
          completed = true;
        } else {
          completed ||= event.type === 'completed';
          yield event;
        }
      }
    }
    if (!completed) {
      throw new SeedreamError(
        'unexpectedResponse',
        l10n.t('The image stream ended before the API reported completion; the images received so far were kept.'),
        {
          action: 'retry',
        },
      );
    }
  }
}

function describe(generation: GenerationRequest): string {
  const seed = generation.seed !== undefined ? ` seed=${generation.seed}` : '';
  const count = generation.maxImages !== undefined ? `set=${imagesAsked(generation)}` : `n=${generation.n}`;
  const references = generation.references.length > 0 ? ` references=${generation.references.length}` : '';
  return `model=${shortModelName(generation.model.id)} size=${generation.size} ${count}${references} format=${generation.outputFormat}/${generation.responseFormat}${seed}${generation.stream ? ' stream' : ''}`;
}

/**
 * Whether the provider passes inline (`data:`) reference images through is unconfirmed: a refusal that
 * concerns the images, or a body too large for a gateway, says so and what to do instead.
 */
function inlineImageRefusal(failure: SeedreamError, body: RequestBody): SeedreamError {
  const { status, param } = failure.details;
  const sentMb = (body.length / (1024 * 1024)).toFixed(1);
  if (status === 413) {
    return new SeedreamError(
      'badRequest',
      l10n.t(
        'The server refused the request as too large (HTTP 413): it carried {0} reference image(s) inline, {1} MB in all. Use fewer or smaller reference images, or put them at https: addresses and pass those instead.',
        body.inlineImages,
        sentMb,
      ),
      failure.details,
    );
  }
  const aboutImages = param === 'image' || /\bimage\b|base64|data:|\burl\b/i.test(failure.message);
  if (status !== 400 || failure.kind === 'contentFilter' || !aboutImages) {
    return failure;
  }
  return new SeedreamError(
    'badRequest',
    l10n.t(
      '{0} The request carried {1} reference image(s) inline (as data: URLs), which this server may not accept: put them at https: addresses and pass those instead.',
      failure.summary,
      body.inlineImages,
    ),
    failure.details,
  );
}

function isEventStream(response: Dispatcher.ResponseData): boolean {
  // A request refused by validation answers plain JSON even when a stream was asked for.
  return /text\/event-stream/i.test(String(response.headers['content-type'] ?? ''));
}

export function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Exponential backoff with jitter, or the server's Retry-After; undefined when that is too long to wait. */
function retryDelayMs(error: SeedreamError, attempt: number): number | undefined {
  const asked = error.details.retryAfterSeconds;
  if (asked !== undefined) {
    return asked * 1000 > MAX_RETRY_WAIT_MS ? undefined : asked * 1000;
  }
  return Math.min(500 * 2 ** (attempt - 1), 8000) * (0.8 + Math.random() * 0.4);
}

function withAttempts(error: SeedreamError, attempts: number): SeedreamError {
  return new SeedreamError(error.kind, l10n.t('{0} (gave up after {1} attempts)', error.summary, attempts), error.details);
}

async function readLimitedText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, limit - size));
      size += buffer.length;
      if (size >= limit) {
        break;
      }
    }
  } catch {
    // A broken error body still leaves its status to report.
  } finally {
    discardBody(body);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopListening();
      resolve();
    }, ms);
    const stopListening = onAbort(signal, () => {
      clearTimeout(timer);
      reject(cancelledError());
    });
  });
}
