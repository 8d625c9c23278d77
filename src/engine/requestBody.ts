/**
 * The JSON body of a generation request, built as a stream: each workspace reference image is read from
 * disk and written into the JSON as `data:image/<format>;base64,...` while the request goes out, so ten
 * 10 MB references (a 134 MB body) never sit in memory; what does is about one chunk. The bytes equal
 * `JSON.stringify` of the same request with the images inlined, and their length is known up front
 * (base64 has no characters JSON escapes), so the request carries a Content-Length.
 */

import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { SeedreamError } from '../core/errors/errors';
import type { ReferenceRecord, WorkspaceReference } from '../core/model/references';
import type { GenerationRequest } from '../core/model/validation';
import { encodeBase64 } from './base64Encoder';

/**
 * Bytes read from a reference at a time: a multiple of 3, so each chunk's base64 stands on its own. Larger
 * chunks (1 MB) sent no faster in `npm run bench` and held 15 MB more at the peak.
 */
export const REFERENCE_CHUNK_BYTES = 3 * 64 * 1024;

export interface RequestBody {
  /** The exact length in bytes. */
  readonly length: number;
  /** A fresh stream of the body, for each attempt. */
  readonly open: () => Readable;
  /**
   * The references as the last stream sent them: each file's workspace name with the sha256 of the bytes
   * read, each address as it is. A file not read to its end has no sha256.
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
    open: () => new RequestBodyStream(parts, chunkBytes, digests),
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

export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** The open file a part is read from, with what was read so far. */
interface OpenFile {
  readonly handle: FileHandle;
  readonly reference: WorkspaceReference;
  readonly hash: Hash;
  /** Reused for every read: the held-back bytes, then the next chunk. */
  readonly buffer: Buffer;
  position: number;
  /** 1 or 2 bytes held back from a short read, so each pushed chunk is whole base64 groups. */
  carry: Buffer;
}

class RequestBodyStream extends Readable {
  private next = 0;
  private file: OpenFile | undefined;

  constructor(
    private readonly parts: readonly Part[],
    private readonly chunkBytes: number,
    private readonly digests: Map<WorkspaceReference, string>,
  ) {
    // About one chunk of base64 waits here; the socket's own buffer holds the rest.
    super({ highWaterMark: base64Length(chunkBytes) });
  }

  override _read(): void {
    this.produce().then(
      (chunk) => this.push(chunk),
      (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.file;
    this.file = undefined;
    void (file ? file.handle.close() : Promise.resolve()).then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** The next chunk of the body, or null at its end. */
  private async produce(): Promise<Buffer | null> {
    for (;;) {
      if (this.file) {
        const chunk = await this.readFile(this.file);
        // A read too short for a whole base64 group gives an empty chunk: read on.
        if (chunk && chunk.length > 0) {
          return chunk;
        }
        continue;
      }
      const part = this.parts[this.next++];
      if (!part) {
        return null;
      }
      if (part.kind === 'text') {
        return part.bytes;
      }
      this.file = await openReference(part.reference, this.chunkBytes);
    }
  }

  /** The base64 of the file's next bytes; undefined once the file is done (and closed). */
  private async readFile(file: OpenFile): Promise<Buffer | undefined> {
    const { reference } = file;
    const wanted = Math.min(this.chunkBytes, reference.byteLength - file.position);
    if (wanted === 0) {
      this.file = undefined;
      await file.handle.close();
      const encoded = file.carry.length > 0 ? encodeBase64(file.carry) : undefined;
      this.finishDigest(file);
      return encoded;
    }
    const { buffer } = file;
    file.carry.copy(buffer);
    const { bytesRead } = await file.handle.read(buffer, file.carry.length, wanted, file.position).catch((error: unknown) => {
      throw unreadableWhileSending(reference, error);
    });
    if (bytesRead === 0) {
      throw changedWhileSending(reference);
    }
    const read = buffer.subarray(file.carry.length, file.carry.length + bytesRead);
    file.hash.update(read);
    file.position += bytesRead;
    const available = file.carry.length + bytesRead;
    const last = file.position === reference.byteLength;
    const whole = last ? available : available - (available % 3);
    file.carry = Buffer.from(buffer.subarray(whole, available));
    return encodeBase64(buffer.subarray(0, whole));
  }

  private finishDigest(file: OpenFile): void {
    const sha256 = file.hash.digest('hex');
    if (file.reference.sha256 !== undefined && file.reference.sha256 !== sha256) {
      // Thrown before the closing quote: the server never sees a complete request, so nothing is billed.
      throw changedWhileSending(file.reference);
    }
    this.digests.set(file.reference, sha256);
  }
}

async function openReference(reference: WorkspaceReference, chunkBytes: number): Promise<OpenFile> {
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
  return { handle, reference, hash: createHash('sha256'), buffer: Buffer.allocUnsafe(chunkBytes + 2), position: 0, carry: Buffer.alloc(0) };
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
