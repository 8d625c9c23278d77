/**
 * The JSON body of a generation request, built as a stream: each workspace reference image is read from
 * disk and written into the JSON as `data:image/<format>;base64,...` while the request goes out, so ten
 * 10 MB references (a 134 MB body) never sit in memory; what does is a few chunks. The bytes equal
 * `JSON.stringify` of the same request with the images inlined, and their length is known up front
 * (base64 has no characters JSON escapes), so the request carries a Content-Length.
 */

import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import { SeedreamError } from '../core/errors/errors';
import type { ReferenceRecord, WorkspaceReference } from '../core/model/references';
import type { GenerationRequest } from '../core/model/validation';
import { base64Length, encodeBase64Into } from './base64Encoder';

/**
 * Bytes read from a reference at a time: a multiple of 3, so each chunk's base64 stands on its own. Larger
 * chunks (1 MB) sent no faster in `npm run bench`.
 */
export const REFERENCE_CHUNK_BYTES = 3 * 64 * 1024;

/**
 * How many more bytes of the body a consumer takes before the memory of a chunk it was given is written
 * again: it must have written or copied each chunk by then. undici asks for the next chunk of a body only
 * once the socket holds less than its high-water mark unsent (64 KB for TCP, 16 KB for TLS), and so does
 * `stream.pipeline` into a Node stream; this is 16 times that. Encoding into a few reused buffers instead
 * of a new one per chunk halves the CPU time of sending ten 10 MB references: fresh memory for 127 MB of
 * base64 is page faults and garbage that the collector frees only after tens of MB.
 */
export const CHUNK_REUSED_AFTER_BYTES = 1024 * 1024;

export interface RequestBody {
  /** The exact length in bytes. */
  readonly length: number;
  /**
   * A fresh run of the body's chunks, for each attempt. A chunk's memory may be written again once
   * {@link CHUNK_REUSED_AFTER_BYTES} more bytes have been taken: write or copy each chunk as it comes.
   */
  readonly open: () => AsyncIterable<Uint8Array>;
  /**
   * The references as the last run sent them: each file's workspace name with the sha256 of the bytes
   * read (the bytes encoded into the body), each address as it is. A file not read to its end has no sha256.
   */
  readonly records: () => readonly ReferenceRecord[];
  /** How many workspace files go inline. */
  readonly inlineImages: number;
}

/** The request's fields other than `image`, in the order they are sent. */
export function requestFields(generation: GenerationRequest): Record<string, unknown> {
  const set = generation.maxImages !== undefined;
  return {
    model: generation.model.id,
    prompt: generation.prompt,
    size: generation.size,
    // A set's count is `max_images`: the upstream has no `n`, and the provider maps it to its own.
    ...(set ? {} : { n: generation.n }),
    response_format: generation.responseFormat,
    // The upstream default is to watermark, so the choice is always sent.
    watermark: generation.watermark,
    ...(generation.model.acceptsOutputFormat ? { output_format: generation.outputFormat } : {}),
    ...(generation.seed !== undefined ? { seed: generation.seed } : {}),
    ...(generation.stream ? { stream: true } : {}),
    ...(set
      ? { sequential_image_generation: 'auto', sequential_image_generation_options: { max_images: generation.maxImages } }
      : generation.references.length > 0
        ? { sequential_image_generation: 'disabled' }
        : {}),
  };
}

/** The `data:` URL prefix of an inline reference; its format is lower case, as the API asks. */
export function dataUrlPrefix(reference: WorkspaceReference): string {
  // Validation let through only files whose header names their format.
  return `data:image/${reference.format!};base64,`;
}

type Part = { readonly kind: 'text'; readonly bytes: Buffer } | { readonly kind: 'file'; readonly reference: WorkspaceReference };

/** `chunkBytes` is how much of a file is read at a time (tests cut the files at every size). */
export function requestBody(generation: GenerationRequest, chunkBytes = REFERENCE_CHUNK_BYTES): RequestBody {
  const fields = JSON.stringify(requestFields(generation));
  const { references } = generation;
  const parts: Part[] = [];
  const text = (value: string): void => {
    parts.push({ kind: 'text', bytes: Buffer.from(value, 'utf8') });
  };
  if (references.length === 0) {
    text(fields);
  } else {
    // `image` goes last: `{...fields,"image":[...]}`, as JSON.stringify writes the same object.
    text(`${fields.slice(0, -1)},"image":[`);
    references.forEach((reference, index) => {
      const comma = index > 0 ? ',' : '';
      if (reference.kind === 'url') {
        text(`${comma}${JSON.stringify(reference.url)}`);
      } else {
        text(`${comma}"${dataUrlPrefix(reference)}`);
        parts.push({ kind: 'file', reference });
        text('"');
      }
    });
    text(']}');
  }
  const length = parts.reduce((sum, part) => sum + (part.kind === 'text' ? part.bytes.length : base64Length(part.reference.byteLength)), 0);
  const digests = new Map<WorkspaceReference, string>();
  return {
    length,
    open: () => bodyChunks(parts, chunkBytes, digests),
    records: () =>
      references.map((reference) => {
        if (reference.kind === 'url') {
          return { url: reference.url };
        }
        const sha256 = digests.get(reference);
        return { path: reference.name, ...(sha256 ? { sha256 } : {}) };
      }),
    inlineImages: references.filter((reference) => reference.kind === 'file').length,
  };
}

async function* bodyChunks(
  parts: readonly Part[],
  chunkBytes: number,
  digests: Map<WorkspaceReference, string>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const ring = new ChunkRing(base64Length(chunkBytes + CARRIED_BYTES));
  for (const part of parts) {
    if (part.kind === 'text') {
      yield ring.pass(part.bytes);
    } else {
      yield* fileChunks(part.reference, chunkBytes, ring, digests);
    }
  }
}

/** At most 2 bytes of a read that make no whole base64 group wait for the next read, in front of it. */
const CARRIED_BYTES = 2;

type ReadResult = { readonly bytesRead: number } | { readonly error: unknown };

/**
 * The base64 of a reference file, chunk by chunk. The next chunk is read (on the thread pool) while the
 * current one is hashed, encoded and written, into the other of two read buffers. Each chunk is hashed as
 * it is encoded, so the sha256 is that of the bytes sent; a digest that differs from the one checked
 * before stops the body before the image's closing quote, so the server never sees a complete request.
 */
async function* fileChunks(
  reference: WorkspaceReference,
  chunkBytes: number,
  ring: ChunkRing,
  digests: Map<WorkspaceReference, string>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const handle = await openReference(reference);
  const hash = createHash('sha256');
  const buffers = [Buffer.allocUnsafe(CARRIED_BYTES + chunkBytes), Buffer.allocUnsafe(CARRIED_BYTES + chunkBytes)];
  let position = 0;
  const readNext = (buffer: Buffer): Promise<ReadResult> =>
    handle.read(buffer, CARRIED_BYTES, Math.min(chunkBytes, reference.byteLength - position), position).then(
      ({ bytesRead }) => ({ bytesRead }),
      // Kept as a value until awaited: the generator may be waiting for its consumer meanwhile.
      (error: unknown) => ({ error }),
    );
  let current = 0;
  let carried = 0;
  let reading = position < reference.byteLength ? readNext(buffers[current]) : undefined;
  try {
    while (reading) {
      const result = await reading;
      reading = undefined;
      if ('error' in result) {
        throw unreadableWhileSending(reference, result.error);
      }
      if (result.bytesRead === 0) {
        throw changedWhileSending(reference);
      }
      const buffer = buffers[current];
      const end = CARRIED_BYTES + result.bytesRead;
      hash.update(buffer.subarray(CARRIED_BYTES, end));
      position += result.bytesRead;
      const start = CARRIED_BYTES - carried;
      const last = position === reference.byteLength;
      const whole = last ? end : end - ((end - start) % 3);
      current = 1 - current;
      carried = end - whole;
      buffer.copy(buffers[current], CARRIED_BYTES - carried, whole, end);
      if (!last) {
        reading = readNext(buffers[current]);
      }
      if (whole > start) {
        yield ring.encode(buffer.subarray(start, whole));
      }
    }
    const sha256 = hash.digest('hex');
    if (reference.sha256 !== undefined && reference.sha256 !== sha256) {
      throw changedWhileSending(reference);
    }
    digests.set(reference, sha256);
  } finally {
    // A read still on its way when the body stops early is waited for, so the file closes after it.
    await reading;
    await handle.close();
  }
}

/** Most buffers a ring keeps; beyond, a chunk whose turn comes too early gets a buffer of its own. */
const RING_SLOTS = 8;

/**
 * The buffers the chunks of one run are encoded into, reused in turn once the consumer has taken
 * {@link CHUNK_REUSED_AFTER_BYTES} more bytes of the body after the chunk a buffer last held.
 */
class ChunkRing {
  private readonly slots: { readonly buffer: Buffer; reusableAt: number }[] = [];
  private readonly size: number;
  private next = 0;
  /** Bytes of the body handed out so far. */
  private handedOut = 0;

  constructor(private readonly slotBytes: number) {
    this.size = Math.min(RING_SLOTS, Math.ceil(CHUNK_REUSED_AFTER_BYTES / slotBytes) + 2);
  }

  /** A chunk of the body's own (text), counted. */
  pass(bytes: Buffer): Buffer {
    this.handedOut += bytes.length;
    return bytes;
  }

  /** The base64 of `bytes`, in the next buffer of the ring if the consumer is far enough past it. */
  encode(bytes: Uint8Array): Buffer {
    const length = base64Length(bytes.length);
    const target = this.buffer(length);
    encodeBase64Into(bytes, target);
    return target.subarray(0, length);
  }

  private buffer(length: number): Buffer {
    // The consumer asks for a chunk only after taking the last one: all bytes handed out are taken.
    const taken = this.handedOut;
    this.handedOut += length;
    if (this.slots.length === this.next && this.next < this.size) {
      this.slots.push({ buffer: Buffer.from(new ArrayBuffer(this.slotBytes)), reusableAt: 0 });
    }
    const slot = this.slots[this.next];
    if (slot.reusableAt > taken) {
      // Its last chunk is still too close to what the consumer has taken (after a run of short chunks).
      return Buffer.from(new ArrayBuffer(this.slotBytes));
    }
    this.next = (this.next + 1) % this.size;
    slot.reusableAt = this.handedOut + CHUNK_REUSED_AFTER_BYTES;
    return slot.buffer;
  }
}

/** The file, opened and checked to be as long as when it was validated. */
async function openReference(reference: WorkspaceReference): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(reference.path, 'r');
  } catch (error) {
    throw new SeedreamError(
      'invalidInput',
      l10n.t(
        'The reference image {0} could not be read ({1}): check that it still exists, then try again.',
        reference.name,
        errorCode(error),
      ),
      { cause: error },
    );
  }
  const { size } = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw unreadableWhileSending(reference, error);
  });
  if (size !== reference.byteLength) {
    await handle.close();
    throw changedWhileSending(reference);
  }
  return handle;
}

function changedWhileSending(reference: WorkspaceReference): SeedreamError {
  return new SeedreamError(
    'invalidInput',
    l10n.t(
      'The reference image {0} changed after it was checked, so the request was stopped before it was complete (nothing was billed). Try again.',
      reference.name,
    ),
  );
}

/** A read that failed midway (a disk or network share that went away): the file's fault, and nothing was billed. */
function unreadableWhileSending(reference: WorkspaceReference, error: unknown): SeedreamError {
  return new SeedreamError(
    'invalidInput',
    l10n.t(
      'The reference image {0} could not be read while it was sent ({1}), so the request was stopped before it was complete (nothing was billed). Check the file, then try again.',
      reference.name,
      errorCode(error),
    ),
    { cause: error },
  );
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
