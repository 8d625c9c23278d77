import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiImageEvent } from '../../../src/engine/apiResponse';
import { SeedreamError } from '../../../src/core/errors/errors';
import { readImagesJson, readStreamEvent } from '../../../src/engine/imagesJson';
import { SseReader } from '../../../src/engine/sse';
import { JsonSyntaxError } from '../../../src/engine/jsonReader';
import { localFolderSink } from '../../../src/engine/localFolderSink';
import { generateImages } from '../../../src/engine/pipeline';
import { validateGeneration } from '../../../src/core/model/validation';
import { makePng } from '../../support/images';
import { collectGarbage } from '../../support/garbage';
import { failure } from '../../support/rejection';

/** An event with its bytes read, so whole runs can be compared. */
type ReadEvent =
  | Exclude<ApiImageEvent, { type: 'image' | 'preview' }>
  | { type: 'image' | 'preview'; index: number; url?: string; bytes?: string; size?: string };

async function* pieces(text: string, ...cuts: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Plain Uint8Array copies: the reader must not rely on getting Buffers.
    yield new Uint8Array(bytes.subarray(start, cut));
    start = cut;
  }
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<ReadEvent[]> {
  return (await readEvents(readImagesJson(body, (error) => error))) as ReadEvent[];
}

/** The events of an event stream, as the client reads them: each event's JSON as its data arrives. */
async function* streamEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ApiImageEvent | 'done'> {
  const events = new SseReader(body);
  for (let event = await events.nextEvent(); event; event = await events.nextEvent()) {
    yield* readStreamEvent(event, (error) => error);
  }
}

async function readEvents(events: AsyncIterable<ApiImageEvent | 'done'>): Promise<(ReadEvent | 'done')[]> {
  const read: (ReadEvent | 'done')[] = [];
  for await (const event of events) {
    if (event !== 'done' && (event.type === 'image' || event.type === 'preview') && event.chunks) {
      const parts: Uint8Array[] = [];
      for await (const chunk of event.chunks) {
        parts.push(chunk);
      }
      read.push({
        type: event.type,
        index: event.index,
        bytes: Buffer.concat(parts).toString('hex'),
        ...(event.type === 'image' && event.size ? { size: event.size } : {}),
      });
    } else {
      read.push(event as ReadEvent | 'done');
    }
  }
  return read;
}

const imageA = randomBytes(301);
const imageB = randomBytes(200);
/** A body with every kind of item; the base64 carries escapes a server may add (`\/`, `\n`, `\u002B`). */
const escaped = (bytes: Buffer): string =>
  JSON.stringify(bytes.toString('base64').replace(/.{76}/g, '$&\n')).replace(/\//g, '\\/').replace(/\+/g, '\\u002B');
const mixedBody = `{
  "model": "seedream-5-0-260128", "created": 1757323456,
  "data": [
    {"b64_json": ${escaped(imageA)}, "size": "2048x2048"},
    {"error": {"code": "OutputImageSensitiveContentDetected", "message": "The output image may contain sensitive content."}},
    {"url": "https://files.example/b.png?sig=x\\u0026y", "size": "2496x1664"},
    {"size": "3072x3072", "b64_json": "${imageB.toString('base64')}"}
  ],
  "usage": {"generated_images": 3, "output_tokens": 16384, "total_tokens": 16384}
}`;
const mixedEvents: ReadEvent[] = [
  { type: 'image', index: 0, bytes: imageA.toString('hex'), size: '2048x2048' },
  {
    type: 'failed',
    index: 1,
    code: 'OutputImageSensitiveContentDetected',
    message:
      'refused by the content filter (OutputImageSensitiveContentDetected): The output image may contain sensitive content.; rephrase the prompt',
  },
  { type: 'image', index: 2, url: 'https://files.example/b.png?sig=x&y', size: '2496x1664' },
  { type: 'image', index: 3, bytes: imageB.toString('hex'), size: '3072x3072' },
  { type: 'completed', usage: { generatedImages: 3, outputTokens: 16384 } },
];

/** A full garbage collection, so that what memory is left is what is still held (the flag may be set late). */

/** Array-buffer memory still held, after collecting twice (a buffer's memory is released one collection late). */
function heldArrayBufferBytes(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().arrayBuffers;
}

describe('readImagesJson', () => {
  it('reads images, item errors and usage, decoding base64 with its escapes', async () => {
    assert.deepEqual(await readAll(pieces(mixedBody)), mixedEvents);
  });

  it('gives the same events wherever the body is cut', async () => {
    for (let cut = 1; cut < mixedBody.length; cut++) {
      assert.deepEqual(await readAll(pieces(mixedBody, cut)), mixedEvents, `cut at ${cut}`);
    }
    const everyByte = Array.from({ length: mixedBody.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(await readAll(pieces(mixedBody, ...everyByte)), mixedEvents, 'one byte at a time');
  });

  it('treats JSON of the wrong shape as an unexpected response', async () => {
    for (const body of ['{}', '{"data":"x"}', '[]', 'null', '"text"', '{"images":[{"url":"https://f/a.png"}]}']) {
      const error = await failure(readAll(pieces(body)));
      assert.ok(error instanceof SeedreamError && error.kind === 'unexpectedResponse', body);
    }
    const [event] = await readAll(pieces('{"data":[{"size":"1x1"}, 7]}'));
    assert.equal(event.type, 'failed');
  });

  it('reports invalid JSON, and says when the body is not JSON at all', async () => {
    const html = await failure(readAll(pieces('  <html><body>Bad Gateway</body></html>')));
    assert.ok(html instanceof JsonSyntaxError && html.atStart && html.found === '<');
    for (const body of [
      '{"data":[{"url":"https://f/a.png"}]} trailing',
      '{"data":[{"url":"https://f/a.png"},]}',
      '{"data":[{"b64_json":"QU\\xJD"}]}',
      '{"data":[]',
    ]) {
      const error = await failure(readAll(pieces(body)));
      assert.ok(error instanceof JsonSyntaxError && !error.atStart, body);
    }
  });

  it('fails the image, then the body, when it ends in the middle of a base64 string', async () => {
    const body = `{"data":[{"b64_json":"${imageA.toString('base64').slice(0, 100)}`;
    const events = readImagesJson(
      pieces(body, 40),
      (error) => new SeedreamError('unexpectedResponse', `mapped: ${(error as Error).message}`),
    );
    const first = await events.next();
    assert.ok(!first.done && first.value.type === 'image' && first.value.chunks);
    const chunks = first.value.chunks;
    const imageError = await failure(
      (async () => {
        for await (const _ of chunks) {
          // reading until it breaks
        }
      })(),
    );
    assert.match((imageError as Error).message, /^mapped: The JSON ended early/);
    assert.equal(await failure(events.next()), imageError, 'the body fails with the same error');
  });

  it('makes an image a failure when its item lists an error after the base64', async () => {
    const [event] = await readAll(pieces('{"data":[{"b64_json":"QUJD","error":{"code":"InternalServiceError","message":"boom"}}]}')).catch(
      (error) => [error],
    );
    assert.match((event as Error).message, /internal error \(InternalServiceError: boom\)/);
  });

  it('skips the rest of an image the consumer gave up on and goes on with the next item', async () => {
    const body = `{"data":[{"b64_json":"${randomBytes(5000).toString('base64')}","size":"1x1"},{"url":"https://f/b.png"}]}`;
    const events = readImagesJson(pieces(body, 100, 2000, 4000), (error) => error);
    const first = await events.next();
    assert.ok(!first.done && first.value.type === 'image');
    const iterator = first.value.chunks![Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return!();
    const second = await events.next();
    assert.deepEqual(second.value, { type: 'image', index: 1, url: 'https://f/b.png' });
    assert.equal(first.value.size, '1x1', 'the skipped item was still read to its end');
    await assert.rejects(iterator.next(), /read past this image/);
  });

  it('reads no further ahead than the chunk being decoded', async () => {
    const image = randomBytes(3 * 1024 * 1024);
    const body = Buffer.from(`{"data":[{"b64_json":"${image.toString('base64')}"}]}`);
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < body.length; offset += 64 * 1024) {
        pulled++;
        yield body.subarray(offset, offset + 64 * 1024);
      }
    }
    const events = readImagesJson(source(), (error) => error);
    const first = await events.next();
    assert.ok(!first.done && first.value.type === 'image');
    let decoded = 0;
    for await (const chunk of first.value.chunks!) {
      decoded += chunk.length;
      const consumed = Math.ceil(((decoded * 4) / 3 + 20) / (64 * 1024));
      assert.ok(pulled <= consumed + 1, `pulled ${pulled} chunks with ${consumed} decoded`);
    }
    assert.equal(decoded, image.length);
  });

  it('skips a 150 MB string under an unknown key, holding no more than a few chunks of it', async () => {
    const chunkSize = 1024 * 1024;
    let pulled = 0;
    let mostHeld = 0;
    const baseline = heldArrayBufferBytes();
    /** A string's content, each chunk new memory: a reader that kept them would hold them all. */
    async function* filler(megabytes: number): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < megabytes; i++) {
        if (++pulled % 10 === 0) {
          mostHeld = Math.max(mostHeld, heldArrayBufferBytes() - baseline);
        }
        yield Buffer.alloc(chunkSize, 'x');
      }
    }
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"debug_trace":"');
      yield* filler(150);
      yield Buffer.from('","data":[{"url":"https://f/a.png","trace":"');
      yield* filler(30);
      yield Buffer.from('"}]}');
    }
    assert.deepEqual(await readAll(body()), [{ type: 'image', index: 0, url: 'https://f/a.png' }, { type: 'completed' }]);
    assert.ok(mostHeld < 8 * chunkSize, `held ${Math.round(mostHeld / chunkSize)} MB while skipping`);
  });

  it('skips unknown members of any size and still checks their syntax', async () => {
    const large = JSON.stringify('y'.repeat(2 * 1024 * 1024));
    const body = `{"model":"m","trace":{"a":[${large},{"b":null}]},"data":[
      {"url":"https://f/a.png","moderation":${large},"size":"1x1"},
      {"error":{"code":"InternalServiceError","message":"x"},"b64_json":${large}},
      {"b64_json":"QUJD","revised":${large},"size":"2x2"},
      ${large}
    ],"created":1}`;
    assert.deepEqual(await readAll(pieces(body, 17, 100, 2 * 1024 * 1024, 4 * 1024 * 1024)), [
      { type: 'image', index: 0, url: 'https://f/a.png', size: '1x1' },
      {
        type: 'failed',
        index: 1,
        code: 'InternalServiceError',
        message: 'the API had an internal error (InternalServiceError: x) and made no further images in this batch; try again',
      },
      { type: 'image', index: 2, bytes: Buffer.from('ABC').toString('hex'), size: '2x2' },
      { type: 'failed', index: 3, code: 'InvalidItem', message: 'the API returned an item that is not an image' },
      { type: 'completed' },
    ]);
    for (const unknown of ['[1,]', '{"a" 1}', '"\\q"']) {
      const error = await failure(readAll(pieces(`{"trace":${unknown},"data":[]}`)));
      assert.ok(error instanceof JsonSyntaxError, unknown);
    }
  });

  it('refuses a link of more than 1 MB instead of holding it', async () => {
    const error = await failure(readAll(pieces(`{"data":[{"url":"https://f/${'a'.repeat(1024 * 1024)}.png"}]}`)));
    assert.ok(error instanceof SeedreamError && error.kind === 'unexpectedResponse');
    assert.match(error.message, /should be short .* larger than 1 MB/);
  });

  describe('through the pipeline into a folder', () => {
    let folder: string;
    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'seedream-json-'));
    });
    afterEach(() => rm(folder, { recursive: true, force: true }));

    async function run(body: string, ...cuts: number[]): Promise<Awaited<ReturnType<typeof generateImages<unknown>>>> {
      const validated = validateGeneration({
        prompt: 'p',
        model: 'seedream-5-0-260128',
        size: '2K',
        n: 3,
        outputFormat: 'png',
        responseFormat: 'b64_json',
        watermark: false,
        stream: false,
      });
      assert.ok(validated.ok);
      return generateImages(
        {
          requestImages: () =>
            readImagesJson(pieces(body, ...cuts), (error) => new SeedreamError('unexpectedResponse', (error as Error).message)),
          openDownload: () => Promise.reject(new Error('no downloads here')),
          sink: localFolderSink(folder, (payload) => [`image-${payload.index + 1}.png`]),
          maxImageBytes: 64 * 1024 * 1024,
        },
        validated.request,
        new AbortController().signal,
      );
    }

    const png = (seed: number): string => makePng({ width: 40, height: 30, seed }).toString('base64');

    it('saves each image with the size listed after it, and keeps going past a failed item', async () => {
      const body = `{"data":[{"b64_json":"${png(1)}","size":"40x30"},{"error":{"code":"InternalServiceError","message":"x"}},{"b64_json":"${png(3)}"}]}`;
      const outcome = await run(body, 50, 700);
      assert.deepEqual((await readdir(folder)).sort(), ['image-1.png', 'image-3.png']);
      assert.deepEqual(await readFile(join(folder, 'image-3.png')), Buffer.from(png(3), 'base64'));
      assert.deepEqual(
        outcome.saved.map((saved) => (saved as { reportedSize?: string }).reportedSize),
        ['40x30', undefined],
      );
      assert.deepEqual(
        outcome.failures.map((failed) => failed.index),
        [1],
      );
    });

    it('leaves no file when the body ends in the middle of a base64 string', async () => {
      const whole = png(1);
      await assert.rejects(run(`{"data":[{"b64_json":"${whole.slice(0, whole.length - 8)}`, 60), /ended early/);
      assert.deepEqual(await readdir(folder), []);
    });

    it('keeps the images before a cut and reports the cut', async () => {
      const outcome = await run(`{"data":[{"b64_json":"${png(1)}"},{"b64_json":"${png(2).slice(0, 40)}`, 90);
      assert.deepEqual(await readdir(folder), ['image-1.png']);
      assert.deepEqual(outcome.failures, [], 'the image cut off is the interruption, not a second failure');
      assert.match(outcome.interruption!.message, /ended early/);
    });
  });
});

describe('readStreamEvent', () => {
  const sse = (type: string | undefined, payload: Record<string, unknown>): string =>
    `${type ? `event: ${type}\n` : ''}data: ${JSON.stringify(payload)}\n\n`;
  const succeeded = 'image_generation.partial_succeeded';
  const previewType = 'image_generation.partial_image';

  it('reads stream events: success, failure, preview, completion, done', async () => {
    const stream = [
      sse(succeeded, { type: succeeded, image_index: 1, url: 'https://f/x.png', size: '2496x1664' }),
      sse('image_generation.partial_failed', { image_index: 2, error: { code: 'InternalServiceError', message: 'boom' } }),
      sse(undefined, { type: previewType, image_index: 1, url: 'https://f/p.png' }),
      sse(undefined, { type: previewType, image_index: 1 }),
      sse(undefined, { type: 'image_generation.completed', usage: { generated_images: 3 } }),
      sse(undefined, { type: 'something.else' }),
      'data: [DONE]\n\n',
    ].join('');
    assert.deepEqual(await readEvents(streamEvents(pieces(stream))), [
      { type: 'image', index: 1, url: 'https://f/x.png', size: '2496x1664' },
      {
        type: 'failed',
        index: 2,
        code: 'InternalServiceError',
        message: 'the API had an internal error (InternalServiceError: boom) and made no further images in this batch; try again',
      },
      { type: 'preview', index: 1, url: 'https://f/p.png' },
      { type: 'completed', usage: { generatedImages: 3 } },
      'done',
    ]);
  });

  it('decodes inline images and previews as their events arrive, wherever the stream is cut', async () => {
    const stream = [
      sse(previewType, { type: previewType, image_index: 0, b64_json: imageB.toString('base64') }),
      // Spread over data-less continuation lines, with escapes in the base64, as some servers send it.
      `event: ${succeeded}\ndata: {"type":"${succeeded}","image_index":0,\r\n"b64_json":${escaped(imageA)},\r\n"size":"2048x2048"}\r\n\r\n`,
      sse(succeeded, { type: succeeded, image_index: 1, b64_json: '', size: '1x1' }),
      'data: [DONE]\n\n',
    ].join('');
    const expected = [
      { type: 'preview', index: 0, bytes: imageB.toString('hex') },
      { type: 'image', index: 0, bytes: imageA.toString('hex'), size: '2048x2048' },
      { type: 'failed', index: 1, code: 'InvalidItem', message: 'the API returned an item with neither "url" nor "b64_json"' },
      'done',
    ];
    for (let cut = 1; cut < stream.length; cut += 37) {
      assert.deepEqual(await readEvents(streamEvents(pieces(stream, cut, cut + 5))), expected, `cut at ${cut}`);
    }
  });

  it('reads no further ahead than the chunk being decoded (the streamed base64 was held and parsed whole)', async () => {
    const image = randomBytes(3 * 1024 * 1024);
    const body = Buffer.from(sse(succeeded, { type: succeeded, image_index: 0, b64_json: image.toString('base64') }));
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < body.length; offset += 64 * 1024) {
        pulled++;
        yield body.subarray(offset, offset + 64 * 1024);
      }
    }
    const events = streamEvents(source());
    const first = await events.next();
    assert.ok(!first.done && first.value !== 'done' && first.value.type === 'image');
    let decoded = 0;
    for await (const chunk of first.value.chunks!) {
      decoded += chunk.length;
      const consumed = Math.ceil(((decoded * 4) / 3 + 200) / (64 * 1024));
      assert.ok(pulled <= consumed + 1, `pulled ${pulled} chunks with ${consumed} decoded`);
    }
    assert.equal(decoded, image.length);
  });

  it('holds an image whose event names its type or its image only after the base64, then gives it whole', async () => {
    const stream = [
      sse(undefined, { b64_json: imageA.toString('base64'), type: succeeded, image_index: 2, size: '2x2' }),
      sse(succeeded, { b64_json: imageB.toString('base64'), image_index: 3 }),
    ].join('');
    assert.deepEqual(await readEvents(streamEvents(pieces(stream, 100))), [
      { type: 'image', index: 2, bytes: imageA.toString('hex'), size: '2x2' },
      { type: 'image', index: 3, bytes: imageB.toString('hex') },
    ]);
  });

  it('makes an image a failure when its event lists an error after the base64, and skips the base64 of other events', async () => {
    const failing = sse(succeeded, {
      type: succeeded,
      image_index: 0,
      b64_json: 'QUJD',
      error: { code: 'InternalServiceError', message: 'late' },
    });
    const error = await failure(readEvents(streamEvents(pieces(failing))));
    assert.ok(error instanceof SeedreamError && /late/.test(error.message));
    const completed = sse(undefined, { type: 'image_generation.completed', b64_json: 'QUJD', usage: {} });
    assert.deepEqual(await readEvents(streamEvents(pieces(completed))), [{ type: 'completed', usage: {} }]);
  });

  it('turns a bare error event into an error, and an event that is not a JSON object into an unexpected response', async () => {
    await assert.rejects(
      readEvents(streamEvents(pieces(sse('error', { error: { code: 'TooManyRequests', message: 'slow down' } })))),
      /slow down/,
    );
    assert.ok((await failure(readEvents(streamEvents(pieces('data: {"type": \n\n'))))) instanceof JsonSyntaxError);
    const notObject = await failure(readEvents(streamEvents(pieces('data: [1, 2]\n\n'))));
    assert.ok(notObject instanceof SeedreamError && notObject.kind === 'unexpectedResponse');
  });
});
