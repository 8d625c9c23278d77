/**
 * Reads the JSON of an images response while it arrives: a whole body (`{"data": [...], "usage": {...}}`)
 * or one event of a stream. Each item is reported once it is complete, except a `b64_json` image,
 * reported as soon as its string starts: its `chunks` decode the base64 as it is read, so a
 * multi-megabyte image never sits in memory whole. Otherwise it answers as parsing the whole JSON
 * would: item errors, a wrong shape, invalid JSON.
 */

import * as l10n from '@vscode/l10n';
import { isRecord } from '../core/values/guards';
import {
  completedEvent,
  failedItem,
  imageIndexOf,
  parseItem,
  STREAMED_IMAGE,
  STREAMED_PREVIEW,
  streamEventOf,
  unexpectedShape,
  type ApiImageEvent,
} from './apiResponse';
import { Base64Decoder } from './base64Decoder';
import { SeedreamError } from '../core/errors/errors';
import { JsonReader } from './jsonReader';
import type { SseEvent } from './sse';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
/** The members an item is judged by, besides its `b64_json`; the others are skipped unread, whatever their size. */
const ITEM_FIELDS: ReadonlySet<string> = new Set(['url', 'size', 'error']);
/** The same for an event of a stream: its type and image, an error, the usage (an error event's own members too). */
const EVENT_FIELDS: ReadonlySet<string> = new Set([...ITEM_FIELDS, 'type', 'image_index', 'usage', 'code', 'message', 'param']);
/** What the `b64_json` of a streamed event is, by the event's type. */
const INLINE_KINDS: ReadonlyMap<string, 'image' | 'preview'> = new Map([
  [STREAMED_IMAGE, 'image'],
  [STREAMED_PREVIEW, 'preview'],
]);

/** `toError` maps every failure of the body or of its JSON to what the caller throws (and the image reading it). */
export async function* readImagesJson(
  body: AsyncIterable<Uint8Array>,
  toError: (error: unknown) => unknown,
): AsyncGenerator<ApiImageEvent> {
  const reader = new JsonReader(body, toError);
  const noImageList = (): SeedreamError => unexpectedShape(l10n.t('the JSON has no "data" list of images'));
  if ((await reader.peek()) !== OPEN_BRACE) {
    await reader.skipValue();
    await reader.end();
    throw noImageList();
  }
  let listed = false;
  let usage: unknown;
  for (let key = await reader.firstKey(); key !== undefined; key = await reader.nextKey()) {
    if (key === 'data') {
      if ((await reader.peek()) !== OPEN_BRACKET) {
        throw noImageList();
      }
      listed = true;
      let index = 0;
      for (let more = await reader.firstElement(); more; more = await reader.nextElement()) {
        yield* readItem(reader, index++);
      }
    } else if (key === 'usage') {
      usage = await reader.readValue();
    } else {
      await reader.skipValue();
    }
  }
  await reader.end();
  if (!listed) {
    throw noImageList();
  }
  yield completedEvent(usage);
}

/**
 * One event of an image stream, from its data as it arrives: `done` for the `[DONE]` that ends the
 * stream, nothing for an event that carries nothing for us. A `b64_json` image is handed on as its
 * string starts when the event has said by then what it is and which image (its `type`, or its name,
 * and its `image_index` come first, as the API sends them); otherwise its bytes wait, decoded, until
 * the event is whole.
 */
export async function* readStreamEvent(event: SseEvent, toError: (error: unknown) => unknown): AsyncGenerator<ApiImageEvent | 'done'> {
  const reader = new JsonReader(event.data, toError);
  if ((await reader.peek()) !== OPEN_BRACE) {
    const text = await reader.readText();
    await reader.end();
    if (text !== '[DONE]') {
      throw unexpectedShape(l10n.t('a streamed event is not a JSON object'));
    }
    yield 'done';
    return;
  }
  const fields: Record<string, unknown> = {};
  let inline: Buffer[] | undefined;
  for (let key = await reader.firstKey(); key !== undefined; key = await reader.nextKey()) {
    const kind = key === 'b64_json' ? inlineKind(fields, event.name) : undefined;
    if (kind && inline === undefined && !isRecord(fields.error) && (await reader.openNonEmptyString())) {
      if (kind !== 'unknown') {
        const index = imageIndexOf(fields);
        const image = new InlineImage(reader, fields, index, EVENT_FIELDS);
        yield kind === 'preview' ? { type: 'preview', index, chunks: image } : inlineImageEvent(index, image, fields);
        await image.close();
        await reader.end();
        return;
      }
      inline = await decodedWhole(reader);
      continue;
    }
    await readField(reader, fields, key, EVENT_FIELDS);
  }
  await reader.end();
  const parsed = streamEventOf(fields, event.name, inline);
  if (parsed) {
    yield parsed;
  }
}

/**
 * What the `b64_json` of a streamed event is, by what the event said before it: undefined when it is
 * no image's (its base64 is of no use), `unknown` when the event has not said yet what it is or which image.
 */
function inlineKind(fields: Record<string, unknown>, name: string | undefined): 'image' | 'preview' | 'unknown' | undefined {
  const type = typeof fields.type === 'string' ? fields.type : name;
  if (type === undefined) {
    return 'unknown';
  }
  const kind = INLINE_KINDS.get(type);
  return kind && typeof fields.image_index !== 'number' ? 'unknown' : kind;
}

/** The bytes of the open base64 string, decoded whole: for an image whose event has not said yet what it is. */
async function decodedWhole(reader: JsonReader): Promise<Buffer[]> {
  const decoder = new Base64Decoder();
  const bytes: Buffer[] = [];
  for (let piece = await reader.readStringSegment(); piece !== undefined; piece = await reader.readStringSegment()) {
    bytes.push(decoder.push(piece));
  }
  bytes.push(decoder.end());
  return bytes;
}

async function* readItem(reader: JsonReader, index: number): AsyncGenerator<ApiImageEvent> {
  if ((await reader.peek()) !== OPEN_BRACE) {
    // Whatever it holds, an item that is not an object is not an image.
    await reader.skipValue();
    yield parseItem(undefined, index);
    return;
  }
  const fields: Record<string, unknown> = {};
  for (let key = await reader.firstKey(); key !== undefined; key = await reader.nextKey()) {
    // An item that already reported an error stays a failure, as it would parsed whole.
    if (key === 'b64_json' && !isRecord(fields.error) && (await reader.openNonEmptyString())) {
      const image = new InlineImage(reader, fields, index, ITEM_FIELDS);
      yield inlineImageEvent(index, image, fields);
      await image.close();
      return;
    }
    await readField(reader, fields, key, ITEM_FIELDS);
  }
  yield parseItem(fields, index);
}

/** An image whose bytes are being read from the body; its size is read once they are, as it may follow them. */
function inlineImageEvent(index: number, image: InlineImage, fields: Record<string, unknown>): Extract<ApiImageEvent, { type: 'image' }> {
  return {
    type: 'image',
    index,
    chunks: image,
    get size() {
      return typeof fields.size === 'string' ? fields.size : undefined;
    },
  };
}

/** A member of an item: its value when the item is judged by it (`wanted`), else skipped (a `b64_json` not read as an image is not needed). */
async function readField(reader: JsonReader, fields: Record<string, unknown>, key: string, wanted: ReadonlySet<string>): Promise<void> {
  if (wanted.has(key)) {
    fields[key] = await reader.readValue();
  } else {
    await reader.skipValue();
  }
}

/**
 * The bytes of a `b64_json` string whose opening quote was read. Iterating them reads the string, then
 * the rest of its item or event (a `size` may follow the image). `close` lets the document go on: it waits for a
 * read in progress and skips whatever the consumer left.
 */
class InlineImage implements AsyncIterable<Uint8Array> {
  private readonly decoder = new Base64Decoder();
  private inString = true;
  private inItem = true;
  private closed = false;
  /** Reads run one after another: the consumer's, then `close`. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly reader: JsonReader,
    private readonly fields: Record<string, unknown>,
    private readonly index: number,
    /** The members of the item read after the image; the others are skipped. */
    private readonly wanted: ReadonlySet<string>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.serially(() => this.next()),
      // Giving up needs nothing here: `close` skips the rest.
      return: async () => ({ done: true, value: undefined }),
    };
  }

  close(): Promise<void> {
    return this.serially(async () => {
      this.closed = true;
      await this.advance(false);
    });
  }

  private async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.closed) {
      throw new Error('The response was read past this image before its bytes were.');
    }
    const bytes = await this.advance(true);
    if (bytes) {
      return { done: false, value: bytes };
    }
    if (isRecord(this.fields.error)) {
      // An error listed after the image still makes the item a failure.
      throw new SeedreamError('server', failedItem(this.index, this.fields.error).message);
    }
    return { done: true, value: undefined };
  }

  /** The next decoded bytes, or undefined once the item is complete (at once when not decoding: it skips). */
  private async advance(decode: boolean): Promise<Buffer | undefined> {
    while (this.inString) {
      const piece = await this.reader.readStringSegment();
      this.inString = piece !== undefined;
      const bytes = !decode ? undefined : piece ? this.decoder.push(piece) : this.decoder.end();
      if (bytes && bytes.length > 0) {
        return bytes;
      }
    }
    if (this.inItem) {
      for (let key = await this.reader.nextKey(); key !== undefined; key = await this.reader.nextKey()) {
        await readField(this.reader, this.fields, key, this.wanted);
      }
      this.inItem = false;
    }
    return undefined;
  }

  private serially<T>(read: () => Promise<T>): Promise<T> {
    const result = this.queue.then(read);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
