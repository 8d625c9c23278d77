/** The three ways of getting a case's images to disk that the benchmark compares. */

import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { get, request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import OpenAI from 'openai';
import { metadataOf } from '../src/core/image/imageMetadata';
import { ImageService } from '../src/engine/imageService';
import { localFolderSink } from '../src/engine/localFolderSink';
import { validateGeneration } from '../src/core/model/validation';
import { IMAGES, imageUrl, type ResponseFormat, type Tier, type Variant } from './cases';

/** One request for `n` images of a tier, to be saved into `folder`. */
export interface Job {
  readonly baseUrl: string;
  readonly origin: string;
  readonly folder: string;
  readonly tier: Tier;
  readonly n: number;
  readonly responseFormat: ResponseFormat;
  /** Asks for Server-Sent Events instead of one JSON body. */
  readonly stream: boolean;
  readonly prompt: string;
  /** What the server sends for this prompt: the tier's image, or the warm-up's. */
  readonly served: Tier | 'warm-up';
}

/** An event of the provider's stream, as far as the SDK variant reads it. */
interface ProviderStreamEvent {
  readonly type: string;
  readonly image_index: number;
  readonly b64_json?: string;
  readonly url?: string;
}

/** What the benchmark's images record as their maker. */
export const BENCH_GENERATOR = 'Seedream Studio (bench)';

/** The extension's `ImageService`, configured for the bench server. */
export function benchImageService(baseUrl: string): ImageService {
  return new ImageService({
    baseUrl,
    apiKey: 'sk-bench',
    timeoutMs: 60_000,
    maxRetries: 0,
    userAgent: 'seedream-studio-bench',
    maxDownloadBytes: 256 * 1024 * 1024, // above every image served
  });
}

export const VARIANT_RUNS: Readonly<Record<Variant, (job: Job) => Promise<void>>> = {
  /** This extension's pipeline, as the extension runs it: request, download or decode, verify, save. */
  async ours(job) {
    const { model, format } = IMAGES[job.tier];
    const validated = validateGeneration({
      prompt: job.prompt,
      model,
      size: job.tier,
      n: job.n,
      outputFormat: format,
      responseFormat: job.responseFormat,
      watermark: false,
      stream: job.stream,
    });
    if (!validated.ok) {
      throw new Error(validated.issues.map((issue) => issue.message).join(' '));
    }
    const service = benchImageService(job.baseUrl);
    try {
      const sink = localFolderSink(job.folder, (payload, info) => [`image-${payload.index + 1}.${info.extension}`]);
      // As the extension does, every image gets its provenance written into it.
      const outcome = await service.generate(validated.request, sink, new AbortController().signal, {
        provenance: metadataOf(validated.request, new Date(), BENCH_GENERATOR),
      });
      if (outcome.saved.length !== job.n) {
        throw new Error(`saved ${outcome.saved.length} of ${job.n}: ${outcome.failures.map((failure) => failure.message).join('; ')}`);
      }
    } finally {
      await service.close();
    }
  },

  /** The floor: the same bytes over plain HTTP, streamed straight to files (the image links, or the JSON or events themselves). */
  async floor(job) {
    if (job.responseFormat === 'b64_json') {
      const body = JSON.stringify({
        model: IMAGES[job.tier].model,
        prompt: job.prompt,
        size: job.tier,
        n: job.n,
        response_format: job.responseFormat,
        stream: job.stream,
      });
      await new Promise<void>((resolve, reject) => {
        const post = request(
          `${job.baseUrl}/images/generations`,
          { method: 'POST', headers: { 'content-type': 'application/json' } },
          (response) => pipeline(response, createWriteStream(join(job.folder, 'response.json'))).then(resolve, reject),
        );
        post.on('error', reject).end(body);
      });
      return;
    }
    await Promise.all(
      Array.from({ length: job.n }, (_, index) => {
        const link = imageUrl(job.origin, job.served, index);
        return new Promise<void>((resolve, reject) => {
          get(link, (response) =>
            pipeline(response, createWriteStream(join(job.folder, link.slice(link.lastIndexOf('/') + 1)))).then(resolve, reject),
          ).on('error', reject);
        });
      }),
    );
  },

  /** What a user would write instead: the `openai` package, `fetch` for the links, `fs.writeFile`. */
  async sdk(job) {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: job.baseUrl, maxRetries: 0 });
    const params = {
      model: IMAGES[job.tier].model,
      prompt: job.prompt,
      size: job.tier,
      n: job.n,
      response_format: job.responseFormat,
    } as const;
    const save = async (image: { b64_json?: string; url?: string }, index: number): Promise<void> => {
      const bytes = image.b64_json ? Buffer.from(image.b64_json, 'base64') : Buffer.from(await (await fetch(image.url!)).arrayBuffer());
      await writeFile(join(job.folder, `image-${index + 1}.${IMAGES[job.tier].format}`), bytes);
    };
    if (!job.stream) {
      const response = await client.images.generate(params);
      await Promise.all((response.data ?? []).map(save));
      return;
    }
    // The SDK passes the provider's events through as they are; its types know only OpenAI's own.
    const saves: Promise<void>[] = [];
    for await (const event of (await client.images.generate({ ...params, stream: true })) as AsyncIterable<ProviderStreamEvent>) {
      if (event.type === 'image_generation.partial_succeeded') {
        saves.push(save(event, event.image_index));
      }
    }
    await Promise.all(saves);
  },
};
