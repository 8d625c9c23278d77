/**
 * Incremental Server-Sent Events reader over bytes. Lenient on purpose: published examples of this API
 * spread one JSON object over several lines without `data:` prefixes, so a line that does not start
 * with a field name is more data. Lines end with CRLF, LF or CR, as the EventSource format allows.
 *
 * An event's data is handed on as it arrives, in views of the input (no copy, no string), for a
 * reader that pulls: an image inside an event is decoded on its way and never held whole. Each byte
 * is searched once for a line end. An event may hold at most `maxEventLength` bytes (its lines, its
 * field names included), so a line that never ends cannot take the extension host's memory.
 */

import * as l10n from '@vscode/l10n';
import { SeedreamError } from '../core/errors/errors';
import { ChunkSource } from './chunkSource';

export interface SseEvent {
  /** The event's name (its `event:` field) as far as read: it usually comes before the data, and is whole once the data is read. */
  readonly name: string | undefined;
  /**
   * The data, its lines joined by line feeds, as it arrives. Read it before asking for the next event,
   * or leave it: the next event skips what is left, holding none of it.
   */
  readonly data: AsyncIterable<Uint8Array>;
}

export interface SseReaderOptions {
  /** The most bytes one event may hold; more fails the stream. */
  readonly maxEventLength?: number;
  /** What every failure (of the body, or the limit) becomes; the reader keeps failing with it. */
  readonly toError?: (error: unknown) => unknown;
}

/** Room around an image's base64 for the rest of its event's JSON. */
const EVENT_HEADROOM = 1024 * 1024;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
/** Longer than any field name and its colon, and the space after it: what decides what a line is. */
const LINE_HEAD = 7;
/** Where to look for the colon of a field name. */
const FIELD_HEAD = 6;
/** The longest event name kept; longer ones are none this API sends. */
const MAX_NAME_BYTES = 1024;
const EMPTY = Buffer.alloc(0);
const LINE_FEED = Buffer.of(LF);

/** Room for the base64 of the largest image a download may be (4 characters per 3 bytes), as one event. */
export function maxEventLengthFor(maxDownloadBytes: number): number {
  return Math.ceil((maxDownloadBytes * 4) / 3) + EVENT_HEADROOM;
}

/** For the default download cap of 64 MB. */
const DEFAULT_MAX_EVENT_LENGTH = maxEventLengthFor(64 * 1024 * 1024);

/** What the reader met at the start of a line, once it has read past the lines that are not data. */
type LineStart = 'data' | 'blank' | 'end';

export class SseReader {
  private readonly source: ChunkSource;
  private readonly maxEventLength: number;
  private chunk: Buffer = EMPTY;
  private position = 0;
  /** The bytes of the chunks before this one, so that offsets count from the stream's start. */
  private passed = 0;
  /** The next CR and LF at or after the position (the chunk's length when none; -1 before the search). */
  private nextCr = -1;
  private nextLf = -1;
  /** The last chunk ended with a CR: an LF at the start of the next one ends no further line. */
  private afterCarriageReturn = false;
  /** Where the lines of the current event began. */
  private eventStart = 0;
  /** The name of the event being read, and the event handed out (it keeps its name once it is over). */
  private eventName: string | undefined;
  private current: { name: string | undefined } | undefined;
  /** Inside the data of the event handed out last, and inside one of its lines. */
  private inData = false;
  private inDataLine = false;

  constructor(body: AsyncIterable<Uint8Array>, options: SseReaderOptions = {}) {
    this.source = new ChunkSource(body, options.toError);
    this.maxEventLength = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
  }

  /** The next event that has data, at the start of its data; undefined at the end of the stream. */
  async nextEvent(): Promise<SseEvent | undefined> {
    while (this.inData) {
      await this.nextDataPiece();
    }
    for (;;) {
      const start = await this.lineStart();
      if (start === 'end') {
        return undefined;
      }
      if (start === 'data') {
        this.inData = true;
        this.inDataLine = true;
        this.current = { name: this.eventName };
        return this.event(this.current);
      }
    }
  }

  private event(holder: { readonly name: string | undefined }): SseEvent {
    // Handed out once the event before it is over; once this event is over too, its data has ended.
    const next = async (): Promise<IteratorResult<Uint8Array>> => {
      const piece = this.current === holder ? await this.nextDataPiece() : undefined;
      return piece ? { done: false, value: piece } : { done: true, value: undefined };
    };
    const data: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next }) };
    return {
      get name() {
        return holder.name;
      },
      data,
    };
  }

  /** The next piece of the current event's data (a line feed between its lines), or undefined at its end. */
  private async nextDataPiece(): Promise<Uint8Array | undefined> {
    while (this.inData) {
      if (this.inDataLine) {
        if (!(await this.available())) {
          this.inData = false; // the stream ended: so does its last event
          return undefined;
        }
        const end = this.lineEnd();
        if (end > this.position) {
          const piece = this.chunk.subarray(this.position, end);
          this.position = end;
          this.checkLimit();
          return piece;
        }
        this.consumeLineEnd();
        this.inDataLine = false;
      }
      const start = await this.lineStart();
      if (start !== 'data') {
        this.inData = false;
        return undefined;
      }
      this.inDataLine = true;
      return LINE_FEED;
    }
    return undefined;
  }

  /**
   * Reads past the lines that are not data (comments, names, ids), and stops at a data line (after its
   * field name: at its value), at a blank line (consumed: it ends the event) or at the stream's end.
   */
  private async lineStart(): Promise<LineStart> {
    for (;;) {
      if (!(await this.available())) {
        return 'end';
      }
      if (this.lineEnd() === this.position) {
        this.consumeLineEnd();
        this.eventName = undefined;
        this.current = undefined;
        this.eventStart = this.offset();
        return 'blank';
      }
      const head = await this.lineHead();
      const colon = head.subarray(0, FIELD_HEAD).indexOf(COLON);
      if (colon === 0) {
        await this.skipLine(); // a comment, or a keep-alive
        continue;
      }
      // Without a colon a field is the whole line (a head shorter than LINE_HEAD is: it ended, or the input
      // did); anything else is more data.
      const field = colon > 0 ? head.toString('latin1', 0, colon) : head.length < LINE_HEAD ? head.toString('latin1') : '';
      const valueStart = colon < 0 ? head.length : head[colon + 1] === SPACE ? colon + 2 : colon + 1;
      switch (field) {
        case 'data':
          this.position += valueStart;
          return 'data';
        case 'event':
          this.position += valueStart;
          this.eventName = await this.readLineText();
          if (this.current) {
            this.current.name = this.eventName;
          }
          continue;
        case 'id':
        case 'retry':
          await this.skipLine();
          continue;
        default:
          return 'data';
      }
    }
  }

  /** The first bytes of the line at the position (up to its end or LINE_HEAD), not consumed. */
  private async lineHead(): Promise<Buffer> {
    while (this.chunk.length - this.position < LINE_HEAD && this.lineEnd() === this.chunk.length) {
      const rest = this.chunk.subarray(this.position);
      const passedBefore = this.passed + this.position;
      if (!(await this.load())) {
        this.chunk = rest;
        this.position = 0;
        this.passed = passedBefore;
        break;
      }
      // Joined, so the head is whole in one chunk; this copies only when a line starts at a chunk's very end.
      this.chunk = Buffer.concat([rest, this.chunk]);
      this.passed = passedBefore;
      this.resetSearch();
    }
    return this.chunk.subarray(this.position, Math.min(this.position + LINE_HEAD, this.lineEnd()));
  }

  /** The rest of the line, as text; a name longer than any this API sends is cut. */
  private async readLineText(): Promise<string> {
    const parts: Buffer[] = [];
    let kept = 0;
    while (await this.available()) {
      const end = this.lineEnd();
      if (kept < MAX_NAME_BYTES) {
        const part = this.chunk.subarray(this.position, Math.min(end, this.position + MAX_NAME_BYTES - kept));
        parts.push(Buffer.from(part));
        kept += part.length;
      }
      this.position = end;
      this.checkLimit();
      if (end < this.chunk.length) {
        this.consumeLineEnd();
        break;
      }
    }
    return Buffer.concat(parts).toString('utf8');
  }

  private async skipLine(): Promise<void> {
    while (await this.available()) {
      const end = this.lineEnd();
      this.position = end;
      this.checkLimit();
      if (end < this.chunk.length) {
        this.consumeLineEnd();
        return;
      }
    }
  }

  /** Whether a byte is there to read, loading the next chunk when this one is used up; false at the end. */
  private async available(): Promise<boolean> {
    while (this.position >= this.chunk.length) {
      if (!(await this.load())) {
        return false;
      }
      if (this.afterCarriageReturn && this.chunk.length > 0) {
        this.afterCarriageReturn = false;
        if (this.chunk[0] === LF) {
          this.position = 1;
        }
      }
    }
    return true;
  }

  /** Where the line at the position ends in this chunk: its CR or LF, or the chunk's length. */
  private lineEnd(): number {
    if (this.nextCr < this.position) {
      this.nextCr = indexOrLength(this.chunk, CR, this.position);
    }
    if (this.nextLf < this.position) {
      this.nextLf = indexOrLength(this.chunk, LF, this.position);
    }
    return Math.min(this.nextCr, this.nextLf);
  }

  /** Consumes the CR, LF or CRLF at the position. */
  private consumeLineEnd(): void {
    const carriageReturn = this.chunk[this.position] === CR;
    this.position++;
    if (carriageReturn) {
      if (this.position === this.chunk.length) {
        this.afterCarriageReturn = true;
      } else if (this.chunk[this.position] === LF) {
        this.position++;
      }
    }
  }

  private offset(): number {
    return this.passed + this.position;
  }

  private checkLimit(): void {
    if (this.offset() - this.eventStart > this.maxEventLength) {
      const megabytes = Math.round(this.maxEventLength / (1024 * 1024));
      throw this.source.fail(
        new SeedreamError(
          'unexpectedResponse',
          l10n.t(
            'Unexpected response from the API: an event of the image stream grew past {0} MB without ending, more than an image may be. Turn off seedream.stream, or raise seedream.maxDownloadMB if the images are that large.',
            megabytes,
          ),
          { action: 'openSettings', setting: 'seedream.stream' },
        ),
      );
    }
  }

  /** Replaces the consumed chunk with the next one; false at the end of the input. */
  private async load(): Promise<boolean> {
    const next = await this.source.next();
    this.passed += this.chunk.length;
    this.chunk = next ?? EMPTY;
    this.position = 0;
    this.resetSearch();
    return next !== undefined;
  }

  private resetSearch(): void {
    this.nextCr = -1;
    this.nextLf = -1;
  }
}

function indexOrLength(chunk: Buffer, byte: number, from: number): number {
  const found = chunk.indexOf(byte, from);
  return found < 0 ? chunk.length : found;
}
