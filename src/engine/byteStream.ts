/**
 * A byte stream that passes each chunk of a source through a synchronous step as it arrives. Image bytes
 * go from the socket through the size cap, the image check and the metadata splicer into the file this
 * way: a Node stream piped into a file moves every chunk on as it is, where reading a stream with
 * `for await` merges whatever is buffered into new buffers, and each async generator on the way costs
 * promises per chunk (together about 20% of the time to save a 3K image, and more memory).
 */

import { finished, Readable } from 'node:stream';

const CLOSED_EARLY = 'The stream was closed before its end.';
/** How many chunks `chunksOf` holds for a slow reader before it pauses the stream. */
const QUEUED_CHUNKS = 4;

export interface ByteSteps {
  /** What to pass on for a chunk of the source; throwing ends the stream with that error. */
  readonly step?: (chunk: Uint8Array) => Uint8Array | readonly Uint8Array[];
  /** What to pass on after the source's last chunk. */
  readonly flush?: () => readonly Uint8Array[];
  /** What a failure of the source becomes (a network error into one the user can act on). */
  readonly sourceError?: (error: unknown) => Error;
}

export class ByteStream extends Readable {
  private readonly source: Readable;
  private reading = false;
  /** A failure of the source before the first read, kept for the reader. */
  private early: { readonly error: unknown } | undefined;

  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly steps: ByteSteps = {},
  ) {
    super();
    this.source = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
    // Listened to from the start: a body the host resets (or a deadline aborts) while its reader is still being
    // set up (its file opening) would otherwise fail with nobody listening, an uncaught error in the extension host.
    whenFailed(this.source, (error) => {
      if (this.reading) {
        this.fail(error);
      } else {
        this.early ??= { error };
      }
    });
  }

  /** Whether the source has begun to be read: until then the same bytes can still go elsewhere. */
  get started(): boolean {
    return this.reading;
  }

  override _read(): void {
    if (this.reading) {
      this.source.resume();
      return;
    }
    this.reading = true;
    if (this.early) {
      this.fail(this.early.error);
      return;
    }
    const { source } = this;
    // The source flows from the first read on, and pauses whenever this stream's buffer is full.
    source.on('data', (chunk: Uint8Array) => {
      if (!this.pushAll(() => this.steps.step?.(chunk) ?? chunk)) {
        source.pause();
      }
    });
    source.once('end', () => {
      this.pushAll(() => this.steps.flush?.() ?? []);
      if (!this.destroyed) {
        this.push(null);
      }
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A source destroyed without a listener would throw its error later, also one that is destroyed already
    // and whose error is still on its way (undici emits an unread body's error a turn after destroying it).
    this.source.on('error', () => undefined);
    this.source.destroy();
    callback(error);
  }

  private fail(sourceError: unknown): void {
    if (!this.destroyed) {
      const mapped = this.steps.sourceError?.(sourceError) ?? sourceError;
      this.destroy(mapped instanceof Error ? mapped : new Error(String(mapped)));
    }
  }

  /** Pushes what `produce` gives; false when the buffer is full or producing failed (the stream is then destroyed). */
  private pushAll(produce: () => Uint8Array | readonly Uint8Array[]): boolean {
    if (this.destroyed) {
      return false;
    }
    let produced: Uint8Array | readonly Uint8Array[];
    try {
      produced = produce();
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    if (produced instanceof Uint8Array) {
      return this.push(produced);
    }
    let room = true;
    for (const chunk of produced) {
      room = this.push(chunk) && room;
    }
    return room;
  }
}

/**
 * The chunks of a Node stream one by one, as they arrived, for a reader that pulls (the JSON reader).
 * `for await` on the stream itself merges whatever is buffered into one new buffer at each step: a copy
 * of most of a large body, since the reader is slower than the network.
 */
export async function* chunksOf(stream: Readable): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = stream.readableEnded;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const onData = (chunk: Uint8Array): void => {
    queue.push(chunk);
    if (queue.length >= QUEUED_CHUNKS) {
      stream.pause();
    }
    notify();
  };
  stream.on('data', onData);
  stream.once('end', () => {
    ended = true;
    notify();
  });
  whenFailed(stream, (error) => {
    failure ??= { error };
    notify();
  });
  // A stream paused by an earlier reader (a write that failed midway) flows again for this one.
  stream.resume();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        if (queue.length === 0 && stream.isPaused()) {
          stream.resume();
        }
        yield chunk;
      } else if (failure) {
        throw failure.error;
      } else if (ended) {
        return;
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    }
  } finally {
    // A reader that stops early leaves the stream paused for its owner to discard.
    stream.off('data', onData);
    stream.pause();
  }
}

/**
 * Calls `onFailure` once when `stream` fails or closes before its end, also when that happened before
 * this call. A body that a cancel destroyed while its reader was still being set up (its file opening)
 * has already sent its 'error' and 'close': a reader that only listened for them would wait forever.
 * Returns what stops listening.
 */
export function whenFailed(stream: Readable, onFailure: (error: unknown) => void): () => void {
  return finished(stream, (error) => {
    if (error) {
      onFailure((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' ? new Error(CLOSED_EARLY) : error);
    }
  });
}
