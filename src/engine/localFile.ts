/**
 * Streams bytes into a new file on the local disk without ever overwriting one or leaving a partial
 * file: write a temporary file in the target folder, then give it the first free name atomically.
 * A folder that refuses the file loses no byte: it is refused before the first one is read, and a
 * write that fails midway (a full disk) hands every byte back, so a paid image can still go elsewhere.
 */

import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { chunksOf, whenFailed } from './byteStream';
import { onAbort } from '../core/concurrency/abort';
import { UnsavedBytesError } from '../core/errors/errors';
import { temporaryFileName } from '../core/files/temporaryName';

/**
 * What may wait in memory while a write is on its way to the disk: the next chunks are received (and
 * decoded) meanwhile, then written together. Writing each chunk after the previous write made saving
 * a 3K image about 15% slower.
 */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** The file operations the writer needs; the disk's own unless a test plays a failing one. */
export interface LocalFiles {
  readonly createExclusive: (path: string) => Promise<WritableFile>;
}

/** The part of a file handle the writer uses. */
export interface WritableFile {
  writev(buffers: Uint8Array[]): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

const nodeFiles: LocalFiles = { createExclusive: (path) => open(path, 'wx') };

export async function writeNewLocalFile(
  folder: string,
  chunks: AsyncIterable<Uint8Array>,
  /** Called once the bytes are on disk; yields the names to try, in order. */
  candidateNames: () => Iterable<string>,
  signal: AbortSignal,
  files: LocalFiles = nodeFiles,
): Promise<string> {
  signal.throwIfAborted();
  // Both before the first byte is read: a folder that refuses the file leaves the bytes untouched.
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, temporaryFileName());
  const file = await files.createExclusive(temporary);
  let closed = false;
  try {
    const source = chunks instanceof Readable ? chunks : Readable.from(chunks, { objectMode: false });
    const failure = await writeAll(source, file, signal);
    if (failure) {
      // Read back now: the temporary file goes when this returns, the rescue reads the bytes later.
      const written = failure.written > 0 ? (await readFile(temporary)).subarray(0, failure.written) : undefined;
      throw new UnsavedBytesError(failure.error, everyByte(written, failure.pending, source));
    }
    closed = true;
    await file.close();
    for (const name of candidateNames()) {
      const target = join(folder, name);
      if (await claimName(temporary, target)) {
        return target;
      }
    }
    throw new Error('no free file name'); // unreachable: the candidates are unbounded
  } finally {
    if (!closed) {
      await file.close().catch(() => undefined);
    }
    await unlink(temporary).catch(() => undefined);
  }
}

/** Where a write to the disk failed: how much reached it, and what was held in memory for it. */
interface WriteFailure {
  readonly error: unknown;
  readonly written: number;
  readonly pending: readonly Uint8Array[];
}

/**
 * Writes the source into the file, the chunks that arrive during a write batched into the next one.
 * Resolves with the disk's failure, leaving the source paused for whoever takes its bytes; rejects
 * with the source's own failure (a broken download, not an image) or a cancel.
 *
 * Two buffers take turns, one written while the other fills, and each chunk is copied in as it
 * arrives, so no chunk outlives its arrival. Held until written, chunks lived through the young
 * generation's collections into the old one, where only a full collection frees them: the first
 * generation in a fresh extension host held about 60 MB of such dead chunks at its peak.
 */
function writeAll(source: Readable, file: Pick<WritableFile, 'writev'>, signal: AbortSignal): Promise<WriteFailure | undefined> {
  return new Promise((resolve, reject) => {
    let filling: Buffer = Buffer.allocUnsafeSlow(WRITE_BUFFER_BYTES);
    let spare: Buffer | undefined;
    let filled = 0;
    /** The part of a chunk that found no room, held while the source waits. */
    let overflow: Uint8Array | undefined;
    let written = 0;
    let writing = false;
    let ended = false;
    let stopListening = (): void => undefined;
    const stop = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      stopWatching();
      stopListening();
    };
    const take = (chunk: Uint8Array): void => {
      const taken = Math.min(filling.length - filled, chunk.length);
      filling.set(chunk.subarray(0, taken), filled);
      filled += taken;
      if (taken < chunk.length) {
        overflow = chunk.subarray(taken);
        source.pause();
      }
    };
    const flush = (): void => {
      if (writing) {
        return;
      }
      if (filled === 0) {
        if (ended) {
          stop();
          resolve(undefined);
        }
        return;
      }
      const full = filling;
      const batch = full.subarray(0, filled);
      const writtenBefore = written;
      // The other buffer fills meanwhile; this one is free again once written.
      filling = spare ?? Buffer.allocUnsafeSlow(WRITE_BUFFER_BYTES);
      spare = full;
      filled = 0;
      const waiting = overflow;
      overflow = undefined;
      if (waiting) {
        take(waiting);
      }
      writing = true;
      writeFully(file, [batch], (bytes) => (written += bytes)).then(
        () => {
          writing = false;
          if (!ended && !overflow && source.isPaused()) {
            source.resume();
          }
          flush();
        },
        (error: unknown) => {
          stop();
          source.pause();
          // The rest of the source is read later by the rescue, if at all; until then its failure is only kept.
          source.on('error', () => undefined);
          const pending = [...skipBytes([batch], written - writtenBefore), filling.subarray(0, filled), ...(overflow ? [overflow] : [])];
          resolve({ error, written, pending });
        },
      );
    };
    const onData = (chunk: Uint8Array): void => {
      take(chunk);
      flush();
    };
    const onEnd = (): void => {
      ended = true;
      flush();
    };
    const onError = (error: unknown): void => {
      stop();
      reject(error);
    };
    const cancel = (): void => {
      stop();
      source.on('error', () => undefined);
      source.destroy();
      reject(signal.reason);
    };
    source.on('data', onData);
    source.once('end', onEnd);
    // Both also when it happened already: the folder and the file were opened after the caller's check.
    const stopWatching = whenFailed(source, onError);
    stopListening = onAbort(signal, cancel);
  });
}

/** Writes all of `batch`, also when the disk takes only part of it at a time; `onWritten` counts what it took. */
async function writeFully(
  file: Pick<WritableFile, 'writev'>,
  batch: readonly Uint8Array[],
  onWritten: (bytes: number) => void,
): Promise<void> {
  let rest = [...batch];
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest as Uint8Array[]);
    onWritten(bytesWritten);
    rest = skipBytes(rest, bytesWritten);
  }
}

/** The part of `batch` after its first `bytes` bytes. */
function skipBytes(batch: readonly Uint8Array[], bytes: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let skip = bytes;
  for (const chunk of batch) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
    } else {
      rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
  }
  return rest;
}

/** Every byte of the image, from the first: what reached the disk, what was held for it, and the unread rest. */
async function* everyByte(written: Uint8Array | undefined, pending: readonly Uint8Array[], rest: Readable): AsyncGenerator<Uint8Array> {
  if (written) {
    yield written;
  }
  yield* pending;
  yield* chunksOf(rest);
}

/**
 * Gives the temporary file the name `target` unless that exists. A hard link fails atomically on an
 * existing name; where links are not supported, an exclusive create reserves the name first.
 */
async function claimName(temporary: string, target: string): Promise<boolean> {
  try {
    await link(temporary, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      return false;
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
      throw error;
    }
  }
  try {
    await (await open(target, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
  await rename(temporary, target);
  return true;
}
