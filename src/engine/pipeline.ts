/**
 * One generation from request to verified files: the pipeline every front end (commands, Image Studio)
 * runs. It does not know where files go: a sink saves each verified image stream, so the VS Code layer
 * can write through its own file systems while this stays testable with plain folders.
 */

import * as l10n from '@vscode/l10n';
import type { ApiImageEvent, Usage } from './apiResponse';
import { onAbort } from '../core/concurrency/abort';
import { createLimiter } from '../core/concurrency/boundedPool';
import { ByteStream } from './byteStream';
import type { Download } from './download';
import { abortReason, bytesHandedBack, errorMessage, imageTooLarge, isCancellation, SeedreamError } from '../core/errors/errors';
import { ImageCheck, type ImageInfo } from '../core/image/imageCheck';
import { MetadataSplicer, type ImageMetadata } from '../core/image/imageMetadata';
import type { ReferenceRecord } from '../core/model/references';
import { imagesAsked, type GenerationRequest } from '../core/model/validation';

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
  readonly reportedSize?: string | undefined;
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
  /** The API had made (and billed) the image when the run was stopped (cancelled, or out of time), before it was saved. */
  readonly cancelled?: boolean;
}

/** An image the API sent beyond the count asked for: not saved, only reported. */
export interface UnaskedImage {
  readonly index: number;
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
  /** `n`, or the most images an image set was asked for (the model may make fewer: "k of N", not a failure). */
  readonly requested: number;
  /** The reference images as they were sent (each file's sha256), in order; empty without references. */
  readonly references: readonly ReferenceRecord[];
  /** In batch order. */
  readonly saved: readonly Saved[];
  readonly rescued: readonly RescuedImage<Saved>[];
  readonly failures: readonly ImageFailure[];
  /** Images beyond `requested` that the server sent anyway; they are neither saved nor downloaded. */
  readonly unasked: readonly UnaskedImage[];
  readonly usage?: Usage;
  /** Every image the API sent, asked for or not: what it billed when it does not report `usage`. */
  readonly receivedImages: number;
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
  /** The largest image accepted, downloaded or inline; a larger one is refused, not saved. */
  readonly maxImageBytes: number;
  /** Where an image goes when `sink` fails to store it, so a billed image is never lost. */
  readonly rescueSink?: ImageSink<Saved>;
  readonly onProgress?: (progress: GenerationProgress) => void;
  /** Streamed previews, for front ends that show them. */
  readonly previews?: PreviewDependencies<Saved> | undefined;
  /**
   * Written into every saved file (after verification), so each image tells where it came from; the
   * references as sent and the image's place in a set are added here.
   */
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
  const total = imagesAsked(request);
  let references: readonly ReferenceRecord[] = [];
  const saves: Promise<SaveResult<Saved>>[] = [];
  const pendingFailures: ImageFailure[] = [];
  let usage: Usage | undefined;
  let interruption: SeedreamError | undefined;
  let done = 0;
  // Previews still arriving when the images are saved are of no more use: they are stopped then.
  const previewsWanted = new AbortController();
  const stopListening = onAbort(signal, () => previewsWanted.abort());
  const stopPreviews = (): void => {
    previewsWanted.abort();
    stopListening();
  };
  const previewSaves: Promise<void>[] = [];

  const unasked: UnaskedImage[] = [];
  const downloads = createLimiter(MAX_PARALLEL_DOWNLOADS);
  // What the server sends beyond the count asked for is not saved: it was not asked for.
  const asked = (): boolean => saves.length + pendingFailures.length < total;
  const provenanceOf = (index: number): ImageMetadata | undefined =>
    dependencies.provenance && {
      ...dependencies.provenance,
      ...(references.length > 0 ? { references } : {}),
      ...(request.maxImages !== undefined ? { set: { index: index + 1, maxImages: request.maxImages } } : {}),
    };

  onProgress?.({ stage: 'requesting' });
  try {
    for await (const event of dependencies.requestImages(request, signal)) {
      switch (event.type) {
        case 'image': {
          if (!asked()) {
            unasked.push({ index: event.index, ...(event.url ? { remoteUrl: event.url } : {}) });
            break;
          }
          onProgress?.({ stage: 'receiving', index: saves.length + 1, total });
          const save = (): Promise<SaveResult<Saved>> => saveOne(dependencies, event, provenanceOf(event.index), signal);
          const saving = (event.chunks ? save() : downloads(save)).then((result) => {
            onProgress?.({ stage: 'saved', done: ++done, total });
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
          if (asked()) {
            pendingFailures.push({ index: event.index, message: event.message });
          }
          break;
        case 'preview':
          if (dependencies.previews && event.index < total) {
            const saving = savePreview(dependencies, dependencies.previews, event, previewsWanted.signal);
            previewSaves.push(saving);
            if (event.chunks) {
              // Like an image's, a preview's bytes inside the response come before the next event.
              await saving;
            }
          }
          break;
        case 'completed':
          usage = event.usage;
          break;
        case 'sent':
          references = event.references;
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
    } else if (!(result.reason instanceof ImageSaveError && result.reason.cause === interruption)) {
      // An image cut off by the broken response is reported once, as the interruption.
      failures.push(failureOf(result.reason, position, signal));
    }
  });
  if (saved.length === 0 && rescued.length === 0 && failures.length === 0 && (signal.aborted || interruption)) {
    throw interruption ?? abortReason(signal);
  }
  saved.sort((a, b) => a.index - b.index);
  failures.sort((a, b) => a.index - b.index);
  return {
    requested: total,
    references,
    saved: saved.map((entry) => entry.saved),
    rescued: rescued.sort((a, b) => a.index - b.index),
    failures,
    unasked,
    ...(usage ? { usage } : {}),
    receivedImages: saves.length + unasked.length,
    ...(interruption ? { interruption } : signal.aborted ? { interruption: abortReason(signal) } : {}),
  };
}

/** Downloads running at once: a server that lists many links must not open as many connections. */
const MAX_PARALLEL_DOWNLOADS = 4;

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
  provenance: ImageMetadata | undefined,
  signal: AbortSignal,
): Promise<SaveResult<Saved>> {
  const { sink, rescueSink, maxImageBytes } = dependencies;
  const fetchSource = async (): Promise<AsyncIterable<Uint8Array>> =>
    event.chunks ?? (await dependencies.openDownload(event.url!, signal)).chunks;
  try {
    const first = payloadOf(event, await fetchSource(), provenance, event.chunks ? maxImageBytes : undefined);
    try {
      return { index: event.index, saved: await sink.save(first.payload, signal) };
    } catch (error) {
      // Download and validation problems are SeedreamErrors; anything else is the storage refusing the file.
      const refusedByStorage = rescueSink !== undefined && !(error instanceof SeedreamError) && !isCancellation(error);
      const again = refusedByStorage
        ? await bytesForRescue(
            first,
            error,
            event.url ? async () => payloadOf(event, await fetchSource(), provenance, undefined).payload : undefined,
          )
        : undefined;
      if (!again || !rescueSink) {
        // Bytes nobody will read: their connection is let go now rather than held until it times out.
        first.payload.chunks.destroy();
        throw error;
      }
      return { index: event.index, saved: await rescueSink.save(again, signal), reason: errorMessage(error) };
    }
  } catch (error) {
    throw new ImageSaveError(event.index, errorMessage(error), event.url, error);
  }
}

/**
 * The bytes of an image the storage refused, for the rescue place: those the sink handed back (a write
 * that failed midway), else the untouched stream, else a new download of the link. Undefined when the
 * bytes are gone: inline bytes already read cannot be fetched again.
 */
async function bytesForRescue(
  first: { readonly payload: ImagePayload; readonly started: () => boolean },
  error: unknown,
  downloadAgain: (() => Promise<ImagePayload>) | undefined,
): Promise<ImagePayload | undefined> {
  const handedBack = bytesHandedBack(error);
  if (handedBack) {
    const { payload } = first;
    return {
      index: payload.index,
      // The bytes already went through the check and the metadata writer; the unread rest still does.
      chunks: new ByteStream(handedBack),
      info: payload.info,
      ...(payload.remoteUrl ? { remoteUrl: payload.remoteUrl } : {}),
      get reportedSize() {
        return payload.reportedSize;
      },
    };
  }
  if (!first.started()) {
    return first.payload;
  }
  first.payload.chunks.destroy();
  return downloadAgain?.();
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
    const maxBytes = event.chunks ? dependencies.maxImageBytes : undefined;
    previews.onSaved(event.index, await previews.sink.save(payloadOf(event, source, undefined, maxBytes).payload, signal));
  } catch {
    // The final image is what counts; its own save reports any problem worth telling.
  }
}

/** The payload of an image or preview event, and whether its bytes have begun to be read. */
function payloadOf(
  event: { readonly index: number; readonly url?: string; readonly size?: string | undefined },
  source: AsyncIterable<Uint8Array>,
  provenance: ImageMetadata | undefined,
  /** The cap for bytes no download has capped already (inline ones). */
  maxBytes: number | undefined,
): { payload: ImagePayload; started: () => boolean } {
  const check = new ImageCheck();
  const splicer = provenance ? new MetadataSplicer(provenance) : undefined;
  let received = 0;
  const chunks = new ByteStream(source, {
    step(chunk) {
      received += chunk.length;
      if (maxBytes !== undefined && received > maxBytes) {
        throw imageTooLarge(received, maxBytes);
      }
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

function failureOf(reason: unknown, position: number, signal: AbortSignal): ImageFailure {
  if (!(reason instanceof ImageSaveError)) {
    return { index: position, message: errorMessage(reason) };
  }
  const link = reason.remoteUrl ? { remoteUrl: reason.remoteUrl } : {};
  const cancelled = isCancellation(reason.cause);
  if (cancelled || (signal.aborted && reason.cause === signal.reason)) {
    // The API made it before the run was stopped: the user paid for it and is told so (and given its link).
    // Why the run stopped (the deadline's message) is the run's interruption, said once, not once per image.
    return {
      index: reason.index,
      message: cancelled
        ? l10n.t('cancelled before it was saved; the API had already made it, so it is billed')
        : l10n.t('the generation ran out of time before it was saved; the API had already made it, so it is billed'),
      cancelled: true,
      ...link,
    };
  }
  return { index: reason.index, message: reason.message, ...link };
}
