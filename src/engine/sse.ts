/**
 * Incremental Server-Sent Events parser. Lenient on purpose: published examples of this API spread one
 * JSON object over several lines without `data:` prefixes, so a line that does not start with a field
 * name is more data. Lines end with CRLF, LF or CR, as the EventSource format allows.
 *
 * Each character is searched once: only the new text is scanned, and the pieces of a line are joined
 * when it ends. An event may hold at most `maxEventLength` characters (its data and the line being
 * read), so a line that never ends cannot take the extension host's memory.
 */

import * as l10n from '@vscode/l10n';
import { constants } from 'node:buffer';
import { SeedreamError } from '../core/errors/errors';

export interface ServerSentEvent {
  readonly event?: string;
  readonly data: string;
}

export interface SseParserOptions {
  /** The most characters one event may hold; more fails the stream. */
  readonly maxEventLength?: number;
}

/** Room around an image's base64 for the rest of its event's JSON. */
const EVENT_HEADROOM = 1024 * 1024;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
const FIELD_NAMES = new Set(['event', 'data', 'id', 'retry']);
/** Longer than any field name and its colon: where to look for the colon. */
const FIELD_HEAD = 6;

/** Room for the base64 of the largest image a download may be (4 characters per 3 bytes), as one event. */
export function maxEventLengthFor(maxDownloadBytes: number): number {
  // The event's data becomes one string, which cannot be longer than this.
  return Math.min(Math.ceil((maxDownloadBytes * 4) / 3) + EVENT_HEADROOM, constants.MAX_STRING_LENGTH);
}

/** For the default download cap of 64 MB. */
const DEFAULT_MAX_EVENT_LENGTH = maxEventLengthFor(64 * 1024 * 1024);

export class SseParser {
  private readonly maxEventLength: number;
  /** The line not ended yet, in the pieces it arrived in. */
  private linePieces: string[] = [];
  private lineLength = 0;
  /** The last text ended with a CR: an LF at the start of the next one ends no further line. */
  private afterCarriageReturn = false;
  private eventName: string | undefined;
  private dataLines: string[] = [];
  /** The characters of the data so far, with the line feeds that will join its lines. */
  private dataLength = 0;

  constructor(options: SseParserOptions = {}) {
    this.maxEventLength = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
  }

  /** Feeds decoded text; returns the events it completes. Throws once an event outgrows the limit. */
  push(text: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let start = 0;
    if (this.afterCarriageReturn && text.length > 0) {
      this.afterCarriageReturn = false;
      start = text.charCodeAt(0) === LF ? 1 : 0;
    }
    // The next CR and LF at or after `start` (the text's length when there is none), each searched
    // for again only once it is passed: searching afresh for both per line would rescan the text.
    let nextCr = -1;
    let nextLf = -1;
    while (start < text.length) {
      if (nextCr < start) {
        nextCr = indexOrLength(text, '\r', start);
      }
      if (nextLf < start) {
        nextLf = indexOrLength(text, '\n', start);
      }
      const end = Math.min(nextCr, nextLf);
      this.hold(end - start);
      if (end === text.length) {
        this.linePieces.push(text.slice(start));
        break;
      }
      const event = this.acceptLine(this.takeLine(text.slice(start, end)));
      if (event) {
        events.push(event);
      }
      start = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (start === text.length) {
          this.afterCarriageReturn = true;
        } else if (text.charCodeAt(start) === LF) {
          start++;
        }
      }
    }
    return events;
  }

  /** Ends the stream; returns an event left without its closing blank line. */
  end(): ServerSentEvent[] {
    const last = this.lineLength > 0 ? this.acceptLine(this.takeLine('')) : undefined;
    const pending = this.dispatch();
    return [last, pending].filter((event): event is ServerSentEvent => event !== undefined);
  }

  /** Counts `length` more characters of the line being read against the limit. */
  private hold(length: number): void {
    this.lineLength += length;
    if (this.dataLength + this.lineLength > this.maxEventLength) {
      const megabytes = Math.round(this.maxEventLength / (1024 * 1024));
      throw new SeedreamError(
        'unexpectedResponse',
        l10n.t(
          'Unexpected response from the API: an event of the image stream grew past {0} MB without ending, more than an image may be. Turn off seedream.stream, or raise seedream.maxDownloadMB if the images are that large.',
          megabytes,
        ),
        { action: 'openSettings', setting: 'seedream.stream' },
      );
    }
  }

  /** The line that ends with `rest`, its pieces joined once. */
  private takeLine(rest: string): string {
    const pieces = this.linePieces;
    this.linePieces = [];
    this.lineLength = 0;
    if (pieces.length === 0) {
      return rest;
    }
    pieces.push(rest);
    return pieces.join('');
  }

  private acceptLine(line: string): ServerSentEvent | undefined {
    if (line === '') {
      return this.dispatch();
    }
    if (line.charCodeAt(0) === COLON) {
      return undefined; // comment / keep-alive
    }
    const colon = line.slice(0, FIELD_HEAD).indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    if (!FIELD_NAMES.has(name)) {
      this.addData(line); // continuation of a multi-line JSON payload
      return undefined;
    }
    const valueStart = colon < 0 ? line.length : line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
    const value = line.slice(valueStart);
    if (name === 'event') {
      this.eventName = value;
    } else if (name === 'data') {
      this.addData(value);
    }
    return undefined;
  }

  private addData(line: string): void {
    this.dataLines.push(line);
    this.dataLength += line.length + 1;
  }

  private dispatch(): ServerSentEvent | undefined {
    const eventName = this.eventName;
    const dataLines = this.dataLines;
    this.eventName = undefined;
    this.dataLines = [];
    this.dataLength = 0;
    if (dataLines.length === 0) {
      return undefined;
    }
    return { ...(eventName ? { event: eventName } : {}), data: dataLines.join('\n') };
  }
}

function indexOrLength(text: string, search: string, from: number): number {
  const found = text.indexOf(search, from);
  return found < 0 ? text.length : found;
}
