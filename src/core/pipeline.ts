/**
 * One generation from request to verified files: the pipeline every front end (commands, Image Studio)
 * runs. It does not know where files go: a sink saves each verified image stream, so the VS Code layer
 * can write through its own file systems while this stays testable with plain folders.
 */

import type { ApiImageEvent, Usage } from './apiResponse';
import { ByteStream } from './byteStream';
import type { Download } from './download';
import { errorMessage, isCancellation, SeedreamError } from './errors';
import { ImageCheck, type ImageInfo } from './imageCheck';
import { MetadataSplicer, type ImageMetadata } from './imageMetadata';
import type { GenerationRequest } from './validation';

export interface ImagePayload {
  /** 0-based position in the batch. */
  readonly index: number;
  /**
   * The image bytes; reading them also verifies them, and fails on anything that is not a whole image.
   * Piped into a file, each chunk goes on as it arrives.
   */
  readonly chunks: ByteStream;
  /** What the bytes turned out to be; call after `chunks` is fully read. */
  readonly info: () => ImageInfo;
  readonly remoteUrl?: string;
  /** The size the API reports (`data[].size`), the truth for tiers; read it after `chunks`, as it may follow the image. */
  readonly reportedSize?: string;
}

export interface ImageSink<Saved> {
  /** Must leave nothing behind when it throws (no partial or temporary file). */
  save(payload: ImagePayload, signal: AbortSignal): Promise<Saved>;
}

export interface ImageFailure {
  readonly index: number;
  readonly message: string;
  /** The signed link of an image that was generated but could not be saved, valid for 24 hours. */
  readonly remoteUrl?: string;
}

/** An image the workspace refused (disk full, read-only, locked), kept in the rescue place instead. */
export interface RescuedImage<Saved> {
  readonly index: number;
  readonly saved: Saved;
  /** Why the intended place refused it. */
  readonly reason: string;
}

export interface GenerationOutcome<Saved> {
  readonly requested: number;
  /** In batch order. */
  readonly saved: readonly Saved[];
  readonly rescued: readonly RescuedImage<Saved>[];
  readonly failures: readonly ImageFailure[];
  readonly usage?: Usage;
  /** Why the run stopped early (a broken stream, cancel) after some images had arrived. */
  readonly interruption?: SeedreamError;
}

export type GenerationProgress =
  | { readonly stage: 'requesting' }
  | { readonly stage: 'receiving'; readonly index: number; readonly total: number }
  | { readonly stage: 'saved'; readonly done: number; readonly total: number };

export interface PipelineDependencies<Saved> {
  readonly requestImages: (request: GenerationRequest, signal: AbortSignal) => AsyncIterable<ApiImageEvent>;
  readonly openDownload: (url: string, signal: AbortSignal) => Promise<Download>;
  readonly sink: ImageSink<Saved>;
  /** Where an image goes when `sink` fails to store it, so a billed image is never lost. */
  readonly rescueSink?: ImageSink<Saved>;
  readonly onProgress?: (progress: GenerationProgress) => void;
  /** Streamed previews, for front ends that show them. */
  readonly previews?: PreviewDependencies<Saved>;
  /** Written into every saved file (after verification), so each image tells where it came from. */
  readonly provenance?: ImageMetadata;
}

export interface PreviewDependencies<Saved> {
  /** Where each preview is saved (checked like an image, never counted as one). */
  readonly sink: ImageSink<Saved>;
  /** Told of each saved preview; a preview that fails is dropped without a word. */
  readonly onSaved: (index: number, preview: Saved) => void;
}

export async function generateImages<Saved>(
  dependencies: PipelineDependencies<Saved>,
  request: GenerationRequest,
  signal: AbortSignal,
): Promise<GenerationOutcome<Saved>> {
  const { onProgress } = dependencies;
  const saves: Promise<SaveResult<Saved>>[] = [];
  const pendingFailures: ImageFailure[] = [];
  let usage: Usage | undefined;
  let interruption: SeedreamError | undefined;
  let done = 0;
  // Previews still arriving when the images are saved are of no more use: they are stopped then.
  const previewsWanted = new AbortController();
  const stopPreviews = (): void => {
    previewsWanted.abort();
    signal.removeEventListener('abort', stopPreviews);
  };
  signal.addEventListener('abort', stopPreviews, { once: true });
  const previewSaves: Promise<void>[] = [];

  onProgress?.({ stage: 'requesting' });
  try {
    for await (const event of dependencies.requestImages(request, signal)) {
      switch (event.type) {
        case 'image': {
          onProgress?.({ stage: 'receiving', index: saves.length + 1, total: request.n });
          const saving = saveOne(dependencies, event, signal).then((result) => {
            onProgress?.({ stage: 'saved', done: ++done, total: request.n });
            return result;
          });
          saves.push(saving);
          if (event.chunks) {
            // Bytes inside the response come before the next event: save them first.
            await Promise.allSettled([saving]);
          }
          break;
        }
        case 'failed':
          pendingFailures.push({ index: event.index, message: event.message });
          break;
        case 'preview':
          if (dependencies.previews) {
            previewSaves.push(savePreview(dependencies, dependencies.previews, event, previewsWanted.signal));
          }
          break;
        case 'completed':
          usage = event.usage;
          break;
      }
    }
  } catch (error) {
    const received = saves.length + pendingFailures.length;
    if (received === 0) {
      stopPreviews();
      await Promise.all(previewSaves);
      throw error;
    }
    interruption = error instanceof SeedreamError ? error : new SeedreamError('network', errorMessage(error), { cause: error });
  }

  const settled = await Promise.allSettled(saves);
  stopPreviews();
  await Promise.all(previewSaves);
  const saved: SaveResult<Saved>[] = [];
  const rescued: RescuedImage<Saved>[] = [];
  const failures = [...pendingFailures];
  settled.forEach((result, position) => {
    if (result.status === 'fulfilled') {
      const { index, saved: image, reason } = result.value;
      if (reason === undefined) {
        saved.push(result.value);
      } else {
        rescued.push({ index, saved: image, reason });
      }
    } else if (!isCancellation(result.reason) && !(result.reason instanceof ImageSaveError && result.reason.cause === interruption)) {
      // An image cut off by the broken response is reported once, as the interruption.
      failures.push(failureOf(result.reason, position));
    }
  });
  if (saved.length === 0 && rescued.length === 0 && failures.length === 0 && (signal.aborted || interruption)) {
    throw interruption ?? new SeedreamError('cancelled', 'Generation cancelled.');
  }
  saved.sort((a, b) => a.index - b.index);
  failures.sort((a, b) => a.index - b.index);
  return {
    requested: request.n,
    saved: saved.map((entry) => entry.saved),
    rescued: rescued.sort((a, b) => a.index - b.index),
    failures,
    ...(usage ? { usage } : {}),
    ...(interruption ? { interruption } : signal.aborted ? { interruption: new SeedreamError('cancelled', 'Generation cancelled.') } : {}),
  };
}

/** Errors of a save carry the signed link, so an image that was paid for can still be fetched by hand. */
class ImageSaveError extends Error {
  constructor(
    readonly index: number,
    message: string,
    readonly remoteUrl: string | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

interface SaveResult<Saved> {
  readonly index: number;
  readonly saved: Saved;
  /** Set when the image went to the rescue sink: why the intended one refused it. */
  readonly reason?: string;
}

async function saveOne<Saved>(
  dependencies: PipelineDependencies<Saved>,
  event: Extract<ApiImageEvent, { type: 'image' }>,
  signal: AbortSignal,
): Promise<SaveResult<Saved>> {
  const fetchSource = async (): Promise<AsyncIterable<Uint8Array>> => event.chunks ?? (await dependencies.openDownload(event.url!, signal)).chunks;
  try {
    const first = payloadOf(event, await fetchSource(), dependencies.provenance);
    try {
      return { index: event.index, saved: await dependencies.sink.save(first.payload, signal) };
    } catch (error) {
      const { rescueSink } = dependencies;
      // Download and validation problems are SeedreamErrors; anything else is the storage refusing the file.
      const refusedByStorage = rescueSink !== undefined && !(error instanceof SeedreamError) && !isCancellation(error);
      // Untouched bytes can still go to the rescue place; once read, only a link can give them again.
      const again = !refusedByStorage ? undefined : !first.started() ? first : event.url ? payloadOf(event, await fetchSource(), dependencies.provenance) : undefined;
      if (again !== first) {
        // Bytes nobody will read: their connection is let go now rather than held until it times out.
        first.payload.chunks.destroy();
      }
      if (!again || !rescueSink) {
        throw error;
      }
      return { index: event.index, saved: await rescueSink.save(again.payload, signal), reason: errorMessage(error) };
    }
  } catch (error) {
    if (isCancellation(error)) {
      throw error;
    }
    throw new ImageSaveError(event.index, errorMessage(error), event.url, error);
  }
}

/** Saves a preview through its own sink; it is a courtesy, so nothing about it can fail the run. */
async function savePreview<Saved>(
  dependencies: PipelineDependencies<Saved>,
  previews: PreviewDependencies<Saved>,
  event: Extract<ApiImageEvent, { type: 'preview' }>,
  signal: AbortSignal,
): Promise<void> {
  try {
    const source = event.chunks ?? (await dependencies.openDownload(event.url!, signal)).chunks;
    previews.onSaved(event.index, await previews.sink.save(payloadOf(event, source, undefined).payload, signal));
  } catch {
    // The final image is what counts; its own save reports any problem worth telling.
  }
}

/** The payload of an image or preview event, and whether its bytes have begun to be read. */
function payloadOf(
  event: { readonly index: number; readonly url?: string; readonly size?: string },
  source: AsyncIterable<Uint8Array>,
  provenance: ImageMetadata | undefined,
): { payload: ImagePayload; started: () => boolean } {
  const check = new ImageCheck();
  const splicer = provenance ? new MetadataSplicer(provenance) : undefined;
  const chunks = new ByteStream(source, {
    step(chunk) {
      check.observe(chunk);
      return splicer ? splicer.push(chunk) : chunk;
    },
    flush: () => splicer?.end() ?? [],
  });
  return {
    payload: {
      index: event.index,
      chunks,
      info: () => check.finish(),
      ...(event.url ? { remoteUrl: event.url } : {}),
      get reportedSize() {
        return event.size;
      },
    },
    started: () => chunks.started,
  };
}

function failureOf(reason: unknown, position: number): ImageFailure {
  if (reason instanceof ImageSaveError) {
    return { index: reason.index, message: reason.message, ...(reason.remoteUrl ? { remoteUrl: reason.remoteUrl } : {}) };
  }
  return { index: position, message: errorMessage(reason) };
}
