/**
 * The body a parser reads (the JSON reader, the event stream reader), one chunk at a time, each chunk a
 * Buffer over its own memory (no copy). The first failure, of the body or found by the parser, is kept: a
 * reader that failed keeps failing the same way.
 */
export class ChunkSource {
  private readonly source: AsyncIterator<Uint8Array>;
  private failure: unknown;

  /** `toError` turns every failure (the body's, or the parser's) into what the caller throws. */
  constructor(
    body: AsyncIterable<Uint8Array>,
    private readonly toError: (error: unknown) => unknown = (error) => error,
  ) {
    this.source = body[Symbol.asyncIterator]();
  }

  /** The next chunk; undefined at the end of the body. */
  async next(): Promise<Buffer | undefined> {
    if (this.failure !== undefined) {
      throw this.failure;
    }
    let next: IteratorResult<Uint8Array>;
    try {
      next = await this.source.next();
    } catch (error) {
      throw this.fail(error);
    }
    if (next.done) {
      return undefined;
    }
    const { value } = next;
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }

  /** Remembers the first failure and gives it back, for the caller to throw. */
  fail(error: unknown): unknown {
    this.failure ??= this.toError(error);
    return this.failure;
  }
}
