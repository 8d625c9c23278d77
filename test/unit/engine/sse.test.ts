import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { SeedreamError } from '../../../src/core/errors/errors';
import { maxEventLengthFor, SseParser, type ServerSentEvent } from '../../../src/engine/sse';

/** Every event of `chunks`, fed one by one, and of the end of the stream. */
function parseAll(chunks: readonly string[], parser = new SseParser()): ServerSentEvent[] {
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

/** The events a well-kept implementation of the format dispatches, as (event, data), for a stream that ends with a blank line. */
function referenceEvents(chunks: readonly string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createParser({ onEvent: ({ event, data }) => events.push({ ...(event ? { event } : {}), data }) });
  chunks.forEach((chunk) => parser.feed(chunk));
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

/** `text` cut at a few random places, sometimes between a CR and its LF. */
function randomCuts(text: string, random: () => number): string[] {
  const cuts = Array.from({ length: Math.floor(random() * 8) }, () => Math.floor(random() * (text.length + 1))).sort((a, b) => a - b);
  return [...cuts, text.length].map((cut, i) => text.slice(i === 0 ? 0 : cuts[i - 1], cut));
}

/** Counts the characters `String.prototype.indexOf` looks at while `work` runs. */
function charactersSearched(work: () => void): number {
  const indexOf = String.prototype.indexOf;
  let searched = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number): number {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = indexOf.call(this, search, start);
    searched += (found < 0 ? this.length : found + search.length) - start;
    return found;
  };
  try {
    work();
  } finally {
    String.prototype.indexOf = indexOf;
  }
  return searched;
}

function capError(work: () => unknown): SeedreamError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof SeedreamError, String(error));
    return error;
  }
  assert.fail('expected the event limit to be reached');
}

describe('SseParser', () => {
  it('splits events across arbitrary chunk boundaries and CRLF', () => {
    const text = 'event: a\r\ndata: {"x":1}\r\n\r\nevent: b\ndata: {"y":2}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut += 7) {
      assert.deepEqual(parseAll([text.slice(0, cut), text.slice(cut)]), [
        { event: 'a', data: '{"x":1}' },
        { event: 'b', data: '{"y":2}' },
        { data: '[DONE]' },
      ]);
    }
  });

  it('joins a JSON object spread over data-less continuation lines', () => {
    const parser = new SseParser();
    const events = parser.push('event: image_generation.completed\ndata: {\n  "type": "image_generation.completed",\n  "usage": {}\n}\n\n');
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0].data), { type: 'image_generation.completed', usage: {} });
  });

  it('ignores comments and keeps an unterminated last event', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push(': keep-alive\n\ndata: {"a":1}'), []);
    assert.deepEqual(parser.end(), [{ data: '{"a":1}' }]);
  });

  it('ends lines at a lone CR, as the EventSource format allows', () => {
    assert.deepEqual(parseAll(['event: a\rdata: {"x":1}\r\rdata: [DONE]\r\r']), [{ event: 'a', data: '{"x":1}' }, { data: '[DONE]' }]);
  });

  it('takes a CR ending one chunk and an LF starting the next as one line end', () => {
    assert.deepEqual(parseAll(['data: a\r', '\ndata: b\r', '', '\n\r', '\n']), [{ data: 'a\nb' }]);
    assert.deepEqual(parseAll(['data: a\r', 'data: b\r', '\r']), [{ data: 'a\nb' }], 'a CR followed by more text is a line end of its own');
  });

  it('keeps a line separator (U+2028) inside a data line', () => {
    assert.deepEqual(parseAll(['data: {"prompt":"a\u2028b"}\n\n']), [{ data: '{"prompt":"a\u2028b"}' }]);
  });

  it('dispatches what eventsource-parser does for random valid streams cut at random places', () => {
    const random = seededRandom(20240611);
    for (let round = 0; round < 2000; round++) {
      const stream = randomStream(random);
      const chunks = randomCuts(stream, random);
      assert.deepEqual(parseAll(chunks), referenceEvents(chunks), `stream ${JSON.stringify(stream)} in ${JSON.stringify(chunks)}`);
    }
  });

  it('searches each character of a 9 MB line fed in 64 KB chunks at most twice', () => {
    const data = 'A'.repeat(9 * 1024 * 1024);
    const stream = `event: image_generation.partial_succeeded\ndata: {"b64_json":"${data}"}\n\n`;
    const chunkSize = 64 * 1024;
    let events: ServerSentEvent[] = [];
    const searched = charactersSearched(() => {
      const parser = new SseParser();
      for (let offset = 0; offset < stream.length; offset += chunkSize) {
        events.push(...parser.push(stream.slice(offset, offset + chunkSize)));
      }
      events = [...events, ...parser.end()];
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].data.length, data.length + '{"b64_json":""}'.length);
    // Once for CR, once for LF; at least once, or this count would not be watching the parser's search.
    assert.ok(searched >= stream.length && searched <= 2 * stream.length + 100, `searched ${searched} characters of ${stream.length}`);
  });

  it('refuses a line that never ends once it passes the event limit', () => {
    const parser = new SseParser({ maxEventLength: 2 * 1024 * 1024 });
    assert.deepEqual(parser.push('data: {"b64_json":"'), []);
    const piece = 'A'.repeat(64 * 1024);
    const error = capError(() => {
      for (let i = 0; i < 100; i++) {
        parser.push(piece);
      }
    });
    assert.equal(error.kind, 'unexpectedResponse');
    assert.match(error.message, /grew past 2 MB without ending.*Turn off seedream\.stream, or raise seedream\.maxDownloadMB/);
  });

  it('counts every line of an event, and nothing of the events before it, against the limit', () => {
    const line = `data: ${'A'.repeat(90)}\n`;
    const parser = new SseParser({ maxEventLength: 1000 });
    for (let event = 0; event < 20; event++) {
      assert.equal(parser.push(`${line.repeat(10)}\n`).length, 1, `event ${event}`);
    }
    capError(() => parser.push(line.repeat(11)));
    capError(() => new SseParser({ maxEventLength: 1000 }).push(`data: ${'A'.repeat(1000)}\n\n`));
  });

  it('has room for an event with the largest image a download may be', () => {
    const maxDownloadBytes = 1024 * 1024;
    const payload = JSON.stringify({
      type: 'image_generation.partial_succeeded',
      image_index: 0,
      b64_json: Buffer.alloc(maxDownloadBytes).toString('base64'),
      size: '2048x2048',
    });
    const events = parseAll(
      [`event: image_generation.partial_succeeded\ndata: ${payload}\n\n`],
      new SseParser({ maxEventLength: maxEventLengthFor(maxDownloadBytes) }),
    );
    assert.equal(events[0].data, payload);
    assert.ok(maxEventLengthFor(64 * 1024 * 1024) > (64 * 1024 * 1024 * 4) / 3);
  });
});
