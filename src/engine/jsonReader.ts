/**
 * A pull-based JSON tokenizer over a byte stream, for documents too large to hold as one string: the
 * caller walks objects and arrays member by member, small values are parsed with `JSON.parse` once
 * their bytes are complete, a large string can be read in segments as its bytes arrive, and a value
 * of no interest is skipped without being held.
 */

import * as l10n from '@vscode/l10n';
import { SeedreamError } from '../core/errors/errors';
import { ChunkSource } from './chunkSource';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const EMPTY = Buffer.alloc(0);
/** The characters a number, `true`, `false` or `null` can start with. */
const SCALAR_START = new Set(Buffer.from('-0123456789tfn'));
/** The most bytes `readValue` holds: it is for short values (a link, a size, an error), not for whatever a server sends. */
const MAX_VALUE_BYTES = 1024 * 1024;
/** The deepest nesting `skipValue` follows: it remembers each level it is in. */
const MAX_SKIP_DEPTH = 1000;
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { '"': 0x22, '\\': 0x5c, '/': 0x2f, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

export class JsonSyntaxError extends Error {
  constructor(
    /** The character where the JSON went wrong; empty when the input ended early. */
    readonly found: string,
    /** Nothing but whitespace came before it: the body is not JSON at all. */
    readonly atStart: boolean,
  ) {
    super(found ? `Unexpected ${JSON.stringify(found)} in JSON` : 'The JSON ended early');
    this.name = 'JsonSyntaxError';
  }
}

export class JsonReader {
  private readonly source: ChunkSource;
  private chunk: Buffer = EMPTY;
  private position = 0;
  private started = false;
  /**
   * The next quote and backslash at or after the position in the chunk (its length when there is
   * none; -1 before the search), each searched for again only once passed: searching afresh for
   * both at every escape would rescan the rest of the chunk each time.
   */
  private nextQuote = -1;
  private nextBackslash = -1;

  /** `toError` turns every failure (the source's, or invalid JSON) into what the caller throws. */
  constructor(body: AsyncIterable<Uint8Array>, toError?: (error: unknown) => unknown) {
    this.source = new ChunkSource(body, toError);
  }

  /** The next byte after whitespace, not consumed; undefined at the end of the input. */
  async peek(): Promise<number | undefined> {
    for (;;) {
      while (this.position < this.chunk.length) {
        const byte = this.chunk[this.position];
        if (!isWhitespace(byte)) {
          return byte;
        }
        this.position++;
      }
      if (!(await this.load())) {
        return undefined;
      }
    }
  }

  /** Enters an object; its first key, or undefined when it is empty. */
  async firstKey(): Promise<string | undefined> {
    await this.expect(OPEN_BRACE);
    if ((await this.peek()) === CLOSE_BRACE) {
      this.position++;
      return undefined;
    }
    return this.readKey();
  }

  /** The next key of the object being read, or undefined at its end. */
  async nextKey(): Promise<string | undefined> {
    return (await this.separator(CLOSE_BRACE)) ? this.readKey() : undefined;
  }

  /** Enters an array; whether it has a first element. */
  async firstElement(): Promise<boolean> {
    await this.expect(OPEN_BRACKET);
    if ((await this.peek()) === CLOSE_BRACKET) {
      this.position++;
      return false;
    }
    return true;
  }

  /** Whether another element of the array being read follows. */
  async nextElement(): Promise<boolean> {
    return this.separator(CLOSE_BRACKET);
  }

  /**
   * Reads one whole value. Meant for small values: its bytes are held until it is complete, and one of
   * more than 1 MB is refused.
   */
  async readValue(): Promise<unknown> {
    const text = await this.readText();
    try {
      return JSON.parse(text);
    } catch {
      throw this.unexpected(this.chunk[this.position]);
    }
  }

  /**
   * The text of the next value as `readValue` finds its end, not parsed: also a bracketed word that is
   * no JSON (an event stream's `[DONE]`). Bounded as `readValue` is.
   */
  async readText(): Promise<string> {
    const first = await this.peek();
    if (first === undefined || (first !== QUOTE && first !== OPEN_BRACE && first !== OPEN_BRACKET && !SCALAR_START.has(first))) {
      throw this.unexpected(first);
    }
    this.started = true;
    const parts: Buffer[] = [];
    let held = 0;
    const scan = first === QUOTE || first === OPEN_BRACE || first === OPEN_BRACKET ? new NestingScan() : new ScalarScan();
    for (;;) {
      const end = scan.end(this.chunk, this.position);
      held += end - this.position;
      if (held > MAX_VALUE_BYTES) {
        throw this.source.fail(
          new SeedreamError(
            'unexpectedResponse',
            l10n.t(
              'Unexpected response from the API: a value in its JSON that should be short (a link, a size, a message) is larger than 1 MB. Check the seedream.baseUrl setting, or try again.',
            ),
          ),
        );
      }
      parts.push(this.chunk.subarray(this.position, end));
      this.position = end;
      if (scan.complete || !(await this.load())) {
        break;
      }
    }
    return Buffer.concat(parts).toString('utf8');
  }

  /**
   * Skips one value of any size, holding no more of it than the chunk being read. Its syntax is
   * checked as `readValue` would, except for control characters inside strings.
   */
  async skipValue(): Promise<void> {
    /** The closing bracket of each container entered and not left yet. */
    const open: number[] = [];
    for (;;) {
      const first = await this.peek();
      if (first === OPEN_BRACE || first === OPEN_BRACKET) {
        const close = first === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        await this.expect(first);
        if ((await this.peek()) !== close) {
          if (open.push(close) > MAX_SKIP_DEPTH) {
            throw this.source.fail(
              new SeedreamError(
                'unexpectedResponse',
                l10n.t(
                  'Unexpected response from the API: its JSON nests values more than {0} levels deep. Check the seedream.baseUrl setting, or try again.',
                  MAX_SKIP_DEPTH.toLocaleString('en-US'),
                ),
              ),
            );
          }
          if (close === CLOSE_BRACE) {
            await this.skipKey();
          }
          continue;
        }
        this.position++;
      } else if (first === QUOTE) {
        await this.skipString();
      } else {
        await this.readValue(); // a number or a literal, or the error for what is not a value
      }
      // The value is complete: leave the containers it completes, up to one with another member.
      for (;;) {
        const close = open.at(-1);
        if (close === undefined) {
          return;
        }
        if (await this.separator(close)) {
          if (close === CLOSE_BRACE) {
            await this.skipKey();
          }
          break;
        }
        open.pop();
      }
    }
  }

  /** Consumes the opening quote when the next value is a string with at least one character. */
  async openNonEmptyString(): Promise<boolean> {
    if ((await this.peek()) !== QUOTE || !(await this.ensure(2)) || this.chunk[this.position + 1] === QUOTE) {
      return false;
    }
    this.started = true;
    this.position++;
    return true;
  }

  /**
   * The next piece of the open string with its escapes decoded, or undefined once its closing quote is
   * consumed. Pieces are views of the input where it has no escapes, so reading copies nothing.
   * Control characters are not checked: the caller reads ASCII data such as base64.
   */
  async readStringSegment(): Promise<Buffer | undefined> {
    if (this.position >= this.chunk.length && !(await this.load())) {
      throw this.unexpected(undefined);
    }
    const { chunk, position } = this;
    if (this.nextQuote < position) {
      this.nextQuote = indexOrLength(chunk, QUOTE, position);
    }
    if (this.nextBackslash < position) {
      this.nextBackslash = indexOrLength(chunk, BACKSLASH, position);
    }
    if (this.nextBackslash === position) {
      return this.readEscape();
    }
    if (this.nextQuote === position) {
      this.position++;
      return undefined;
    }
    // Up to the first escape or the closing quote, whichever comes first; the rest of the chunk if neither.
    const stop = Math.min(this.nextQuote, this.nextBackslash);
    this.position = stop;
    return chunk.subarray(position, stop);
  }

  /** Checks that nothing but whitespace follows the document. */
  async end(): Promise<void> {
    const next = await this.peek();
    if (next !== undefined) {
      throw this.unexpected(next);
    }
  }

  /** A key and its colon, skipped. */
  private async skipKey(): Promise<void> {
    const next = await this.peek();
    if (next !== QUOTE) {
      throw this.unexpected(next);
    }
    await this.skipString();
    await this.expect(COLON);
  }

  /** The string at the position, skipped; its escapes are checked. */
  private async skipString(): Promise<void> {
    this.started = true;
    this.position++;
    while ((await this.readStringSegment()) !== undefined) {
      // each piece is dropped as soon as it is found
    }
  }

  private async readKey(): Promise<string> {
    const next = await this.peek();
    if (next !== QUOTE) {
      throw this.unexpected(next);
    }
    const key = await this.readValue();
    await this.expect(COLON);
    return key as string;
  }

  /** After a member: true when `,` announces another, false when `close` ends the container. */
  private async separator(close: number): Promise<boolean> {
    const next = await this.peek();
    if (next !== COMMA && next !== close) {
      throw this.unexpected(next);
    }
    this.position++;
    return next === COMMA;
  }

  private async expect(byte: number): Promise<void> {
    const next = await this.peek();
    if (next !== byte) {
      throw this.unexpected(next);
    }
    this.started = true;
    this.position++;
  }

  private async readEscape(): Promise<Buffer> {
    if (!(await this.ensure(2))) {
      throw this.unexpected(undefined);
    }
    const letter = String.fromCharCode(this.chunk[this.position + 1]);
    if (letter in SIMPLE_ESCAPES) {
      this.position += 2;
      return Buffer.of(SIMPLE_ESCAPES[letter]);
    }
    if (letter !== 'u') {
      throw this.unexpected(letter);
    }
    if (!(await this.ensure(6))) {
      throw this.unexpected(undefined);
    }
    const hex = this.chunk.toString('latin1', this.position + 2, this.position + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      throw this.unexpected(hex);
    }
    this.position += 6;
    return Buffer.from(String.fromCharCode(parseInt(hex, 16)), 'utf8');
  }

  /** Makes `count` bytes available at the position, joining the next chunks to the rest of this one; false at the end. */
  private async ensure(count: number): Promise<boolean> {
    while (this.chunk.length - this.position < count) {
      const rest = this.chunk.subarray(this.position);
      if (!(await this.load())) {
        this.chunk = rest;
        return false;
      }
      this.chunk = Buffer.concat([rest, this.chunk]);
    }
    return true;
  }

  /** Replaces the consumed chunk with the next one; false at the end of the input. */
  private async load(): Promise<boolean> {
    const next = await this.source.next();
    this.chunk = next ?? EMPTY;
    this.position = 0;
    this.nextQuote = -1;
    this.nextBackslash = -1;
    return next !== undefined;
  }

  private unexpected(byte: number | string | undefined): unknown {
    const found = typeof byte === 'number' ? String.fromCharCode(byte) : (byte ?? '');
    return this.source.fail(new JsonSyntaxError(found, !this.started));
  }
}

/** Finds where a value ends, chunk by chunk. */
interface ValueScan {
  /** Whether the value ended in the last chunk scanned. */
  readonly complete: boolean;
  /** The index just after the value's last byte in `chunk`, or `chunk.length` when it may go on. */
  end(chunk: Buffer, from: number): number;
}

/** A string, object or array: it ends with the quote or bracket that closes it. */
class NestingScan implements ValueScan {
  complete = false;
  private depth = 0;
  private inString = false;
  private escaped = false;

  end(chunk: Buffer, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
        } else if (byte === BACKSLASH) {
          this.escaped = true;
        } else if (byte === QUOTE) {
          this.inString = false;
          if (this.depth === 0) {
            this.complete = true;
            return i + 1;
          }
        }
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        this.depth++;
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --this.depth === 0) {
        this.complete = true;
        return i + 1;
      }
    }
    return chunk.length;
  }
}

/** A number or literal: it ends before the first byte that cannot belong to it (or with the input). */
class ScalarScan implements ValueScan {
  complete = false;

  end(chunk: Buffer, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) {
        this.complete = true;
        return i;
      }
    }
    return chunk.length;
  }
}

function indexOrLength(chunk: Buffer, byte: number, from: number): number {
  const found = chunk.indexOf(byte, from);
  return found < 0 ? chunk.length : found;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
