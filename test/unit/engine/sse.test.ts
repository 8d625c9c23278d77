import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { SeedreamError } from '../../../src/core/errors/errors';
import { maxEventLengthFor, SseReader, type SseReaderOptions } from '../../../src/engine/sse';

/** An event with its data read whole, to compare. */
interface ReadEvent {
  readonly event?: string;
  readonly data: string;
}

async function* each(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** Every event of `chunks` (text is sent as UTF-8), its data read to its end. */
async function parseAll(chunks: readonly (string | Uint8Array)[], options?: SseReaderOptions): Promise<ReadEvent[]> {
  const reader = new SseReader(each(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))), options);
  const events: ReadEvent[] = [];
  for (let event = await reader.nextEvent(); event; event = await reader.nextEvent()) {
    const parts: Uint8Array[] = [];
    for await (const part of event.data) {
      parts.push(part);
    }
    events.push({ ...(event.name ? { event: event.name } : {}), data: Buffer.concat(parts).toString('utf8') });
  }
  return events;
}

/** The events a well-kept implementation of the format dispatches, as (event, data), for a stream that ends with a blank line. */
function referenceEvents(text: string): ReadEvent[] {
  const events: ReadEvent[] = [];
  const parser = createParser({ onEvent: ({ event, data }) => events.push({ ...(event ? { event } : {}), data }) });
  parser.feed(text);
  // It holds a CR at the end until it sees whether an LF follows; this LF lets it go and adds no line.
  parser.feed('\n');
  return events;
}

/** A small seeded generator (mulberry32): the same streams on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stream the EventSource format allows, with only the fields it defines (any other is data here). */
function randomStream(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const characters = ['a', 'Z', '7', ' ', ' ', ':', '{', '"', '}', '\t', 'é', '🐱', '\u2028', 'data', 'event:'];
  const value = (): string => Array.from({ length: Math.floor(random() * 8) }, () => pick(characters)).join('');
  const separator = (): string => pick([':', ': ', ':  ']);
  const lineEnd = (): string => pick(['\n', '\r', '\r\n']);
  const lines: string[] = [];
  for (let events = 1 + Math.floor(random() * 6); events > 0; events--) {
    for (let fields = Math.floor(random() * 6); fields > 0; fields--) {
      lines.push(
        pick([
          () => `data${separator()}${value()}`,
          () => `data${separator()}${value()}`,
          () => 'data',
          () => `event${separator()}${value()}`,
          () => 'event',
          () => `id${separator()}${value()}`,
          () => `retry${separator()}${pick(['3000', 'soon'])}`,
          () => `:${value()}`,
        ])(),
      );
    }
    lines.push('');
  }
  return lines.map((line) => line + lineEnd()).join('');
}

/** The bytes of `text` cut at a few random places, sometimes inside a character or between a CR and its LF. */
function randomCuts(text: string, random: () => number): Buffer[] {
  const bytes = Buffer.from(text);
  const cuts = Array.from({ length: Math.floor(random() * 8) }, () => Math.floor(random() * (bytes.length + 1))).sort((a, b) => a - b);
  return [...cuts, bytes.length].map((cut, i) => bytes.subarray(i === 0 ? 0 : cuts[i - 1], cut));
}

/** Counts the bytes `Buffer.prototype.indexOf` looks at while `work` runs. */
async function bytesSearched(work: () => Promise<void>): Promise<number> {
  const indexOf = Buffer.prototype.indexOf;
  let searched = 0;
  Buffer.prototype.indexOf = function (this: Buffer, value: number, from?: number): number {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = indexOf.call(this, value, start);
    searched += (found < 0 ? this.length : found + 1) - start;
    return found;
  } as typeof indexOf;
  try {
    await work();
  } finally {
    Buffer.prototype.indexOf = indexOf;
  }
  return searched;
}

async function capError(work: Promise<unknown>): Promise<SeedreamError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof SeedreamError, String(error));
    return error;
  }
  assert.fail('expected the event limit to be reached');
}

describe('SseReader', () => {
  it('splits events across arbitrary chunk boundaries and CRLF', async () => {
    const text = 'event: a\r\ndata: {"x":1}\r\n\r\nevent: b\ndata: {"y":2}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      assert.deepEqual(await parseAll([text.slice(0, cut), text.slice(cut)]), [
        { event: 'a', data: '{"x":1}' },
        { event: 'b', data: '{"y":2}' },
        { data: '[DONE]' },
      ]);
    }
  });

  it('joins a JSON object spread over data-less continuation lines', async () => {
    const events = await parseAll([
      'event: image_generation.completed\ndata: {\n  "type": "image_generation.completed",\n  "usage": {}\n}\n\n',
    ]);
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0].data), { type: 'image_generation.completed', usage: {} });
  });

  it('ignores comments and keeps an unterminated last event', async () => {
    assert.deepEqual(await parseAll([': keep-alive\n\ndata: {"a":1}']), [{ data: '{"a":1}' }]);
    assert.deepEqual(await parseAll(['data: {"a":1}\ndata']), [{ data: '{"a":1}\n' }], 'a last line without its end is a line');
  });

  it('ends lines at a lone CR, as the EventSource format allows', async () => {
    assert.deepEqual(await parseAll(['event: a\rdata: {"x":1}\r\rdata: [DONE]\r\r']), [
      { event: 'a', data: '{"x":1}' },
      { data: '[DONE]' },
    ]);
  });

  it('takes a CR ending one chunk and an LF starting the next as one line end', async () => {
    assert.deepEqual(await parseAll(['data: a\r', '\ndata: b\r', '', '\n\r', '\n']), [{ data: 'a\nb' }]);
    assert.deepEqual(
      await parseAll(['data: a\r', 'data: b\r', '\r']),
      [{ data: 'a\nb' }],
      'a CR followed by more text is a line end of its own',
    );
  });

  it('keeps a line separator (U+2028) inside a data line', async () => {
    assert.deepEqual(await parseAll(['data: {"prompt":"a\u2028b"}\n\n']), [{ data: '{"prompt":"a\u2028b"}' }]);
  });

  it('gives the name of an event whose name line follows its data once its data is read', async () => {
    assert.deepEqual(await parseAll(['data: x\nevent: late\n\ndata: y\n\n']), [{ event: 'late', data: 'x' }, { data: 'y' }]);
  });

  it('skips what a reader left of an event, and hands on the data in views of the input', async () => {
    const first = Buffer.from(`data: ${'A'.repeat(1000)}\ndata: more\n\nevent: next\ndata: B\n\n`);
    const reader = new SseReader(each([first]));
    const event = await reader.nextEvent();
    const piece = (await event!.data[Symbol.asyncIterator]().next()).value as Uint8Array;
    assert.equal(piece.buffer, first.buffer, 'no copy');
    const next = await reader.nextEvent();
    assert.equal(next?.name, 'next');
    assert.deepEqual(await next!.data[Symbol.asyncIterator]().next(), { done: false, value: Buffer.from('B') });
  });

  it('dispatches what eventsource-parser does for random valid streams cut at random places', async () => {
    const random = seededRandom(20240611);
    for (let round = 0; round < 2000; round++) {
      const stream = randomStream(random);
      const chunks = randomCuts(stream, random);
      assert.deepEqual(await parseAll(chunks), referenceEvents(stream), `stream ${JSON.stringify(stream)} in ${chunks.length} pieces`);
    }
  });

  it('searches each byte of a 9 MB line fed in 64 KB chunks at most twice', async () => {
    const data = 'A'.repeat(9 * 1024 * 1024);
    const stream = Buffer.from(`event: image_generation.partial_succeeded\ndata: {"b64_json":"${data}"}\n\n`);
    const chunks = Array.from({ length: Math.ceil(stream.length / (64 * 1024)) }, (_, i) =>
      stream.subarray(i * 64 * 1024, (i + 1) * 64 * 1024),
    );
    let events: ReadEvent[] = [];
    const searched = await bytesSearched(async () => {
      events = await parseAll(chunks);
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].data.length, data.length + '{"b64_json":""}'.length);
    // Once for CR, once for LF; at least once, or this count would not be watching the reader's search.
    assert.ok(searched >= stream.length && searched <= 2 * stream.length + 100, `searched ${searched} bytes of ${stream.length}`);
  });

  it('refuses a line that never ends once it passes the event limit', async () => {
    const piece = Buffer.alloc(64 * 1024, 'A');
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('data: {"b64_json":"');
      for (let i = 0; i < 100; i++) {
        yield piece;
      }
    }
    const reader = new SseReader(endless(), { maxEventLength: 2 * 1024 * 1024 });
    const event = await reader.nextEvent();
    const error = await capError(
      (async () => {
        for await (const part of event!.data) {
          assert.ok(part);
        }
      })(),
    );
    assert.equal(error.kind, 'unexpectedResponse');
    assert.match(error.message, /grew past 2 MB without ending.*Turn off seedream\.stream, or raise seedream\.maxDownloadMB/);
    assert.equal(await capError(reader.nextEvent()), error, 'the reader keeps failing the same way');
  });

  it('counts every line of an event, and nothing of the events before it, against the limit', async () => {
    const line = `data: ${'A'.repeat(90)}\n`;
    assert.equal((await parseAll([`${line.repeat(10)}\n`.repeat(20)], { maxEventLength: 1000 })).length, 20);
    await capError(parseAll([line.repeat(11)], { maxEventLength: 1000 }));
    await capError(parseAll([`data: ${'A'.repeat(1000)}\n\n`], { maxEventLength: 1000 }));
    await capError(parseAll([`: ${'A'.repeat(1000)}\n\n`], { maxEventLength: 1000 }));
  });

  it('has room for an event with the largest image a download may be', async () => {
    const maxDownloadBytes = 1024 * 1024;
    const payload = JSON.stringify({
      type: 'image_generation.partial_succeeded',
      image_index: 0,
      b64_json: Buffer.alloc(maxDownloadBytes).toString('base64'),
      size: '2048x2048',
    });
    const events = await parseAll([`event: image_generation.partial_succeeded\ndata: ${payload}\n\n`], {
      maxEventLength: maxEventLengthFor(maxDownloadBytes),
    });
    assert.equal(events[0].data, payload);
    assert.ok(maxEventLengthFor(64 * 1024 * 1024) > (64 * 1024 * 1024 * 4) / 3);
  });
});
