/**
 * Wires the client, the downloader and the pipeline together for one configuration, so every caller
 * (the VS Code layer, tests, the benchmark) runs exactly the same code from request to saved files.
 */

import type { Dispatcher } from 'undici';
import { ImagesClient } from './client';
import { openDownload } from './download';
import { createDispatcher, type Logger, type NetworkSettings } from './http';
import { generateImages, type GenerationOutcome, type ImageSink, type PipelineDependencies } from './pipeline';
import type { GenerationRequest } from './validation';

export interface ImageServiceOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly userAgent: string;
  readonly maxDownloadBytes: number;
  readonly log?: Logger;
  readonly network?: NetworkSettings;
  readonly dispatcher?: Dispatcher;
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type GenerationCallbacks<Saved> = Pick<PipelineDependencies<Saved>, 'onProgress' | 'previews' | 'rescueSink' | 'provenance'>;

export class ImageService {
  private readonly client: ImagesClient;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ImageServiceOptions) {
    this.dispatcher = options.dispatcher ?? createDispatcher(options.timeoutMs, options.network);
    this.client = new ImagesClient({ ...options, dispatcher: this.dispatcher });
  }

  generate<Saved>(request: GenerationRequest, sink: ImageSink<Saved>, signal: AbortSignal, callbacks: GenerationCallbacks<Saved> = {}): Promise<GenerationOutcome<Saved>> {
    const { timeoutMs, maxDownloadBytes, userAgent } = this.options;
    return generateImages(
      {
        requestImages: (generation, requestSignal) => this.client.generate(generation, requestSignal),
        openDownload: (url, downloadSignal) =>
          openDownload(url, { dispatcher: this.dispatcher, signal: downloadSignal, timeoutMs, maxBytes: maxDownloadBytes, userAgent }),
        sink,
        ...callbacks,
      },
      request,
      signal,
    );
  }

  /** Closes idle connections; a service is created per configuration and dropped when it changes. */
  async close(): Promise<void> {
    if (!this.options.dispatcher) {
      await this.dispatcher.close();
    }
  }
}
