/**
 * Wires the client, the downloader and the pipeline together for one configuration, so every caller
 * (the VS Code layer, tests, the benchmark) runs exactly the same code from request to saved files.
 */

import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { onAbort } from '../core/concurrency/abort';
import { ImagesClient, type ImagesClientOptions } from './client';
import { openDownload } from './download';
import { createDispatcher, type NetworkSettings } from './http';
import { redactError, redactSecret, SeedreamError } from '../core/errors/errors';
import { generateImages, type GenerationOutcome, type ImageSink, type PipelineDependencies } from './pipeline';
import { imagesEndpoint, isLoopbackHost } from '../core/trust/urlPolicy';
import { imagesAsked, type GenerationRequest } from '../core/model/validation';

/** The client's options; the dispatcher is made from `network` unless one is given. */
export interface ImageServiceOptions extends Omit<ImagesClientOptions, 'dispatcher'> {
  readonly network?: NetworkSettings;
  readonly dispatcher?: Dispatcher;
}

export type GenerationCallbacks<Saved> = Pick<PipelineDependencies<Saved>, 'onProgress' | 'previews' | 'rescueSink' | 'provenance'>;

export class ImageService {
  private readonly client: ImagesClient;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ImageServiceOptions) {
    this.dispatcher = options.dispatcher ?? createDispatcher(options.timeoutMs, options.network);
    this.client = new ImagesClient({ ...options, dispatcher: this.dispatcher });
  }

  /**
   * Runs one generation. It must end within its deadline: the timeout bounds each silence, and a server
   * that trickles bytes would otherwise hold the run forever. Every text the server wrote (in an error
   * status, a failed item, an event of the stream) reaches the caller here, so the key is taken out here.
   */
  async generate<Saved>(
    request: GenerationRequest,
    sink: ImageSink<Saved>,
    signal: AbortSignal,
    callbacks: GenerationCallbacks<Saved> = {},
  ): Promise<GenerationOutcome<Saved>> {
    const { timeoutMs, maxDownloadBytes, userAgent, apiKey } = this.options;
    // Image links may point at this machine only while the API is on it too (a local server or proxy).
    const allowLoopback = isLoopbackHost(imagesEndpoint(this.options.baseUrl).hostname);
    const run = new AbortController();
    const deadlineMs = generationDeadlineMs(timeoutMs, imagesAsked(request));
    const deadline = setTimeout(() => run.abort(deadlinePassed(deadlineMs)), deadlineMs + SILENCE_TIMER_SLACK_MS);
    const stopForwarding = onAbort(signal, () => run.abort(signal.reason));
    try {
      const outcome = await generateImages(
        {
          requestImages: (generation, requestSignal) => this.client.generate(generation, requestSignal),
          openDownload: (url, downloadSignal) =>
            openDownload(url, {
              dispatcher: this.dispatcher,
              signal: downloadSignal,
              timeoutMs,
              maxBytes: maxDownloadBytes,
              userAgent,
              allowLoopback,
            }),
          sink,
          maxImageBytes: maxDownloadBytes,
          ...callbacks,
        },
        request,
        run.signal,
      );
      return redactOutcome(outcome, apiKey);
    } catch (error) {
      throw redactError(error, apiKey);
    } finally {
      clearTimeout(deadline);
      stopForwarding();
    }
  }

  /** Closes idle connections; a service is created per configuration and dropped when it changes. */
  async close(): Promise<void> {
    if (!this.options.dispatcher) {
      await this.dispatcher.close();
    }
  }
}

/**
 * How long a whole generation may take: the request timeout once for the API to answer, and once more
 * for each image (made, streamed or downloaded), so n=4 at 4K has time while a trickling server does not.
 */
export function generationDeadlineMs(timeoutMs: number, images: number): number {
  return timeoutMs * (images + 1);
}

/**
 * undici checks its timeouts on a coarse clock (about once a second), so a server that never answers could
 * otherwise reach the whole run's deadline before its own silence timeout fires, and be reported as slow
 * instead of silent.
 */
const SILENCE_TIMER_SLACK_MS = 1000;

function deadlinePassed(deadlineMs: number): SeedreamError {
  const limit = deadlineMs % 1000 === 0 ? l10n.t('{0} s', deadlineMs / 1000) : l10n.t('{0} ms', deadlineMs);
  return new SeedreamError(
    'timeout',
    l10n.t(
      'The generation did not finish within {0} (seedream.requestTimeoutSeconds for the answer, and once more per image); the images saved so far were kept. Try again, or raise seedream.requestTimeoutSeconds.',
      limit,
    ),
    { action: 'openSettings', setting: 'seedream.requestTimeoutSeconds', mayHaveBilled: true },
  );
}

function redactOutcome<Saved>(outcome: GenerationOutcome<Saved>, apiKey: string): GenerationOutcome<Saved> {
  return {
    ...outcome,
    failures: outcome.failures.map((failure) => ({ ...failure, message: redactSecret(failure.message, apiKey) })),
    rescued: outcome.rescued.map((image) => ({ ...image, reason: redactSecret(image.reason, apiKey) })),
    ...(outcome.interruption ? { interruption: redactError(outcome.interruption, apiKey) as SeedreamError } : {}),
  };
}
