import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeedreamError } from '../../../src/core/errors/errors';
import { inspectImage } from '../../../src/core/image/imageCheck';
import { readEmbeddedMetadata, type ImageMetadata } from '../../../src/core/image/imageMetadata';
import { type ImageService, type GenerationCallbacks, type ImageServiceOptions } from '../../../src/engine/imageService';
import { localFolderSink, type SavedLocalImage } from '../../../src/engine/localFolderSink';
import type { GenerationOutcome, ImageSink } from '../../../src/engine/pipeline';
import { validateGeneration, type GenerationInput } from '../../../src/core/model/validation';
import { FakeApiServer, PREVIEW_IMAGES, TEST_API_KEY } from '../../support/fakeApiServer';
import { TEST_INPUT } from '../../support/generationInput';
import { testImageService } from '../../support/testImageService';

const defaults = TEST_INPUT;

describe('ImageService against a local API server', () => {
  let server: FakeApiServer;
  let folder: string;
  const waits: number[] = [];

  before(async () => {
    server = await FakeApiServer.start();
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    waits.length = 0;
    folder = await mkdtemp(join(tmpdir(), 'seedream-service-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  function service(options: Partial<ImageServiceOptions> = {}): ImageService {
    return testImageService(server, {
      wait: async (ms) => {
        waits.push(ms);
      },
      ...options,
    });
  }

  async function generate(
    input: Partial<GenerationInput> = {},
    options: Partial<ImageServiceOptions> = {},
    signal = new AbortController().signal,
    callbacks: GenerationCallbacks<SavedLocalImage> = {},
  ): Promise<GenerationOutcome<SavedLocalImage>> {
    const validated = validateGeneration({ ...defaults, ...input });
    assert.ok(validated.ok, 'test input must be valid');
    const images = service(options);
    try {
      return await images.generate(
        validated.request,
        localFolderSink(folder, (payload, info) => names(`image-${payload.index + 1}`, info.extension)),
        signal,
        callbacks,
      );
    } finally {
      await images.close();
    }
  }

  function* names(base: string, extension: string): Generator<string> {
    yield `${base}.${extension}`;
    for (let i = 1; ; i++) {
      yield `${base}-${i}.${extension}`;
    }
  }

  async function filesInFolder(): Promise<string[]> {
    return (await readdir(folder)).sort();
  }

  async function rejection(promise: Promise<unknown>): Promise<SeedreamError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof SeedreamError, `expected a SeedreamError, got ${String(error)}`);
      assert.ok(!error.message.includes(TEST_API_KEY), 'the key must not appear in messages');
      return error;
    }
    assert.fail('expected the generation to fail');
  }

  it('sends the request the API expects and saves the downloaded image as it was served', async () => {
    const outcome = await generate({ prompt: '一只橘猫在窗台上睡觉' });
    assert.equal(outcome.saved.length, 1);
    assert.deepEqual(await filesInFolder(), ['image-1.png']);
    assert.deepEqual(await readFile(join(folder, 'image-1.png')), server.imageBytes('png', 0));
    const [api] = server.apiRequests;
    assert.equal(api.headers.authorization, `Bearer ${TEST_API_KEY}`);
    assert.equal(api.headers['user-agent'], 'seedream-studio-tests/1.0');
    assert.deepEqual(api.json, {
      model: 'seedream-5-0-260128',
      prompt: '一只橘猫在窗台上睡觉',
      size: '2K',
      n: 1,
      response_format: 'url',
      watermark: false,
      output_format: 'png',
    });
    const [download] = server.downloadRequests;
    assert.equal(download.headers.authorization, undefined, 'the image host never gets the key');
    assert.ok(!JSON.stringify(download.headers).includes(TEST_API_KEY));
    assert.equal(outcome.saved[0].info.width, 64);
  });

  it('saves a batch of base64 JPEGs with the extension of the real bytes', async () => {
    const outcome = await generate({ model: 'seedream-4-0-250828', n: 3, responseFormat: 'b64_json', size: '1K', seed: 7 });
    assert.deepEqual(await filesInFolder(), ['image-1.jpg', 'image-2.jpg', 'image-3.jpg']);
    assert.deepEqual(await readFile(join(folder, 'image-3.jpg')), server.imageBytes('jpeg', 2));
    assert.equal(outcome.saved.length, 3);
    assert.equal(server.apiRequests[0].json?.seed, 7);
    assert.equal(server.apiRequests[0].json?.output_format, undefined, '4.0 takes no output_format');
    assert.equal(server.downloadRequests.length, 0);
  });

  describe('records where each image came from inside the file', () => {
    const provenance: ImageMetadata = {
      prompt: 'A login flow diagram, flat vector style',
      model: 'seedream-5-0-260128',
      size: '2K',
      outputFormat: 'png',
      watermark: false,
      createdAt: '2026-11-25T10:00:00.000Z',
      generator: 'Seedream Studio 0.1.0',
    };
    for (const [responseFormat, model, format] of [
      ['url', 'seedream-5-0-260128', 'png'],
      ['b64_json', 'seedream-4-0-250828', 'jpeg'],
    ] as const) {
      it(`${responseFormat} ${format}: every image of the batch carries the metadata and stays a valid image`, async () => {
        const outcome = await generate(
          { responseFormat, model, n: 2, size: model === 'seedream-4-0-250828' ? '1K' : '2K' },
          {},
          undefined,
          { provenance },
        );
        assert.equal(outcome.saved.length, 2);
        for (const image of outcome.saved) {
          const bytes = await readFile(image.path);
          assert.deepEqual(readEmbeddedMetadata(bytes), provenance);
          assert.equal(inspectImage(bytes).format, format);
          assert.ok(bytes.length > server.imageBytes(format, image.index).length, 'the metadata was added to the served bytes');
        }
      });
    }
  });

  it('never overwrites an existing file', async () => {
    await writeFile(join(folder, 'image-1.png'), 'keep me');
    await generate();
    assert.deepEqual(await filesInFolder(), ['image-1-1.png', 'image-1.png']);
    assert.equal(await readFile(join(folder, 'image-1.png'), 'utf8'), 'keep me');
  });

  it('keeps the other images when one item of the batch is an error', async () => {
    server.enqueue({ kind: 'images', failIndexes: { 1: { code: 'OutputImageSensitiveContentDetected', message: 'sensitive' } } });
    const outcome = await generate({ n: 3 });
    assert.equal(outcome.saved.length, 2);
    assert.deepEqual(
      outcome.failures.map((failure) => failure.index),
      [1],
    );
    assert.match(outcome.failures[0].message, /content filter/);
    assert.deepEqual(await filesInFolder(), ['image-1.png', 'image-3.png']);
    // What is billed: the API's own count, and the images it sent to count when it gives none.
    assert.equal(outcome.usage?.generatedImages, 2);
    assert.equal(outcome.receivedImages, 2);
  });

  it('accepts fewer images than asked', async () => {
    server.enqueue({ kind: 'images', count: 1 });
    const outcome = await generate({ n: 4 });
    assert.equal(outcome.requested, 4);
    assert.equal(outcome.saved.length, 1);
    assert.equal(outcome.failures.length, 0);
    assert.equal(outcome.receivedImages, 1);
  });

  it('saves streamed images as their events arrive and reports a failed one', async () => {
    server.enqueue({ kind: 'stream', failIndexes: { 2: { code: 'OutputImageSensitiveContentDetected', message: 'no' } } });
    const outcome = await generate({ n: 3, stream: true });
    assert.equal(server.apiRequests[0].json?.stream, true);
    assert.deepEqual(await filesInFolder(), ['image-1.png', 'image-2.png']);
    assert.equal(outcome.failures[0].index, 2);
    assert.equal(outcome.interruption, undefined);
  });

  describe('streamed previews', () => {
    let previewFolder: string;
    beforeEach(async () => {
      previewFolder = await mkdtemp(join(tmpdir(), 'seedream-previews-'));
    });
    afterEach(() => rm(previewFolder, { recursive: true, force: true }));

    async function generateWithPreviews(
      input: Partial<GenerationInput>,
      previewSink = localFolderSink(previewFolder, (payload, info) => [`preview-${payload.index + 1}.${info.extension}`]),
    ) {
      const shown: [number, string][] = [];
      const outcome = await generate(input, {}, undefined, {
        previews: { sink: previewSink, onSaved: (index, preview) => shown.push([index, preview.path]) },
      });
      return { outcome, shown };
    }

    for (const responseFormat of ['b64_json', 'url'] as const) {
      it(`saves each ${responseFormat} preview through the preview sink, never as a result`, async () => {
        server.enqueue({ kind: 'stream', previewsFor: 0 });
        const { outcome, shown } = await generateWithPreviews({ n: 2, stream: true, responseFormat });
        assert.deepEqual(shown.map(([index, path]) => [index, path]).sort(), [
          [0, join(previewFolder, 'preview-1.png')],
          [1, join(previewFolder, 'preview-2.png')],
        ]);
        assert.deepEqual(await readFile(join(previewFolder, 'preview-2.png')), server.imageBytes('png', PREVIEW_IMAGES + 1));
        assert.equal(outcome.saved.length, 2);
        assert.deepEqual(await filesInFolder(), ['image-1.png', 'image-2.png']);
        assert.deepEqual(await readFile(join(folder, 'image-2.png')), server.imageBytes('png', 1));
      });
    }

    it('drops a preview that cannot be saved, and still saves every image', async () => {
      server.enqueue({ kind: 'stream', previewsFor: 0 });
      const refusing: ImageSink<SavedLocalImage> = {
        save: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })),
      };
      const { outcome, shown } = await generateWithPreviews({ n: 2, stream: true }, refusing);
      assert.deepEqual(shown, []);
      assert.equal(outcome.saved.length, 2);
      assert.deepEqual(outcome.failures, []);
    });
  });

  it('keeps what a stream delivered before it broke off', async () => {
    server.enqueue({ kind: 'stream', stopAfter: 2 });
    const outcome = await generate({ n: 4, stream: true });
    assert.equal(outcome.saved.length, 2);
    assert.match(outcome.interruption!.message, /ended before the API reported completion/);
  });

  it('does not retry a 401 and says how to fix it', async () => {
    const error = await rejection(generate({}, { apiKey: 'sk-wrong-key-000' }));
    assert.equal(error.kind, 'auth');
    assert.equal(error.action, 'setApiKey');
    assert.equal(server.apiRequests.length, 1);
    assert.deepEqual(await filesInFolder(), []);
  });

  it('passes the server message of a 400 through, without retrying', async () => {
    server.enqueue({
      kind: 'status',
      status: 400,
      body: { error: { code: 'InvalidParameter', message: 'The parameter `size` specified in the request is not valid', param: 'size' } },
    });
    const error = await rejection(generate());
    assert.match(error.message, /The parameter `size` specified in the request is not valid \[parameter: size\]/);
    assert.equal(server.apiRequests.length, 1);
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    server.enqueue({
      kind: 'status',
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'slow down' } },
      headers: { 'retry-after': '3' },
    });
    const outcome = await generate();
    assert.equal(outcome.saved.length, 1);
    assert.deepEqual(waits, [3000]);
    assert.equal(server.apiRequests.length, 2);
  });

  it('gives up on a lasting 429 after the configured retries, saying so', async () => {
    const limited = { kind: 'status', status: 429, body: { error: { code: 'TooManyRequests', message: 'slow down' } } } as const;
    server.enqueue(limited, limited, limited);
    const error = await rejection(generate());
    assert.equal(error.kind, 'rateLimited');
    assert.match(error.message, /rate limiting.*gave up after 3 attempts/);
    assert.equal(waits.length, 2);
  });

  it('does not sit out a very long Retry-After', async () => {
    server.enqueue({
      kind: 'status',
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'x' } },
      headers: { 'retry-after': '3600' },
    });
    const error = await rejection(generate());
    assert.equal(error.kind, 'rateLimited');
    assert.equal(server.apiRequests.length, 1);
  });

  it('does not retry a 500 by itself, since the images may already be billed', async () => {
    server.enqueue({ kind: 'status', status: 500, body: { error: { code: 'InternalServiceError', message: 'oops' } } });
    const error = await rejection(generate());
    assert.equal(error.details.mayHaveBilled, true);
    assert.equal(server.apiRequests.length, 1);
  });

  it('retries a 503 that says when to come back, then succeeds', async () => {
    server.enqueue({
      kind: 'status',
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'busy' } },
      headers: { 'retry-after': '1' },
    });
    const outcome = await generate();
    assert.equal(outcome.saved.length, 1);
    assert.equal(server.apiRequests.length, 2);
  });

  it('explains an HTML gateway page', async () => {
    const page = { kind: 'status', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' } as const;
    server.enqueue(page, page, page);
    const error = await rejection(generate());
    assert.equal(error.kind, 'unexpectedResponse');
    assert.match(error.message, /HTTP 502, an HTML page instead of JSON/);
  });

  it('does not retry a truncated JSON (the images may be billed) and saves nothing', async () => {
    server.enqueue({ kind: 'truncatedJson' });
    const error = await rejection(generate());
    assert.match(error.message, /HTTP 200, incomplete or invalid JSON/);
    assert.equal(server.apiRequests.length, 1);
  });

  it('reports a connection reset in the middle of the body', async () => {
    server.enqueue({ kind: 'resetMidBody' });
    const error = await rejection(generate());
    assert.equal(error.kind, 'network');
    assert.equal(server.apiRequests.length, 1);
  });

  it('treats JSON of the wrong shape as an unexpected response', async () => {
    server.enqueue({ kind: 'rawJson', body: { images: [] } });
    const error = await rejection(generate());
    assert.equal(error.kind, 'unexpectedResponse');
  });

  for (const [name, behavior, message] of [
    ['an expired link (403)', { kind: 'status', status: 403 }, /refused \(HTTP 403\): signed links expire after 24 hours/],
    ['a missing link (404)', { kind: 'status', status: 404 }, /no longer exists \(HTTP 404/],
    ['an HTML page', { kind: 'html' }, /text\/html instead of an image/],
    ['bytes that are not an image', { kind: 'notImage' }, /HTML page instead of an image/],
    ['a truncated image', { kind: 'truncated' }, /incomplete/],
    ['a reset during the download', { kind: 'resetMidBody' }, /connection to the image host/],
    ['an over-size body', { kind: 'oversize', bytes: 2 * 1024 * 1024 }, /larger than the 1 MB download limit/],
  ] as const) {
    it(`reports ${name} as a failed image and leaves no file`, async () => {
      server.enqueueDownload(behavior);
      const outcome = await generate({ n: 2 });
      assert.equal(outcome.saved.length, 1);
      assert.equal(outcome.failures.length, 1);
      assert.match(outcome.failures[0].message, message);
      assert.match(outcome.failures[0].remoteUrl!, /\/files\/png\/\d\.png/, 'the link is kept for the user');
      const files = await filesInFolder();
      assert.equal(files.length, 1, `only the good image remains: ${files.join(', ')}`);
    });
  }

  describe('when the folder refuses the file', () => {
    let rescueFolder: string;
    beforeEach(async () => {
      rescueFolder = await mkdtemp(join(tmpdir(), 'seedream-rescue-'));
    });
    afterEach(() => rm(rescueFolder, { recursive: true, force: true }));

    function refusingSink(readFirst: boolean): ImageSink<SavedLocalImage> {
      return {
        async save(payload) {
          if (readFirst) {
            for await (const chunk of payload.chunks) {
              void chunk;
            }
          }
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      };
    }

    async function generateInto(
      sink: ImageSink<SavedLocalImage>,
      input: Partial<GenerationInput>,
    ): Promise<GenerationOutcome<SavedLocalImage>> {
      const validated = validateGeneration({ ...defaults, ...input });
      assert.ok(validated.ok);
      const images = service();
      try {
        const rescueSink = localFolderSink(rescueFolder, (payload, info) => [`kept-${payload.index + 1}.${info.extension}`]);
        return await images.generate(validated.request, sink, new AbortController().signal, { rescueSink });
      } finally {
        await images.close();
      }
    }

    it('keeps an image whose bytes were not read yet in the rescue folder', async () => {
      const outcome = await generateInto(refusingSink(false), { n: 2, responseFormat: 'b64_json' });
      assert.equal(outcome.saved.length, 0);
      assert.deepEqual(
        outcome.rescued.map((image) => [image.index, image.reason]),
        [
          [0, 'ENOSPC: no space left on device'],
          [1, 'ENOSPC: no space left on device'],
        ],
      );
      assert.deepEqual(await readFile(join(rescueFolder, 'kept-2.png')), server.imageBytes('png', 1));
    });

    it('downloads a linked image again when the refused write had read its bytes', async () => {
      const outcome = await generateInto(refusingSink(true), { n: 1 });
      assert.equal(outcome.rescued.length, 1);
      assert.equal(server.downloadRequests.length, 2);
      assert.deepEqual(await readFile(join(rescueFolder, 'kept-1.png')), server.imageBytes('png', 0));
    });

    it('lets the download go at once when the folder refuses an image it has not read, with nowhere else to keep it', async () => {
      server.enqueueDownload({ kind: 'held' });
      const validated = validateGeneration({ ...defaults, n: 1 });
      assert.ok(validated.ok);
      // A long timeout: a download left open would hold up close() far past the test's own limit.
      const images = service({ timeoutMs: 120_000 });
      const outcome = await images.generate(validated.request, refusingSink(false), new AbortController().signal);
      await images.close();
      assert.match(outcome.failures[0].message, /ENOSPC/);
      assert.equal(server.abandonedDownloads, 1);
    });

    it('reports the image as failed when its bytes are gone (base64 already read)', async () => {
      const outcome = await generateInto(refusingSink(true), { n: 1, responseFormat: 'b64_json' });
      assert.equal(outcome.rescued.length, 0);
      assert.match(outcome.failures[0].message, /ENOSPC/);
      assert.deepEqual(await readdir(rescueFolder), []);
    });
  });

  it('follows a redirect of the image link to another host without the key', async () => {
    const other = await FakeApiServer.start();
    try {
      server.enqueueDownload({ kind: 'redirect', location: `${other.filesOrigin}/files/png/0.png` });
      await generate();
      assert.deepEqual(await readFile(join(folder, 'image-1.png')), other.imageBytes('png', 0));
      assert.equal(other.downloadRequests[0].headers.authorization, undefined);
    } finally {
      await other.close();
    }
  });

  it('refuses an image link that redirects to plain http on another machine', async () => {
    server.enqueueDownload({ kind: 'redirect', location: 'http://images.example.com/a.png' });
    const outcome = await generate();
    assert.match(outcome.failures[0].message, /must use https/);
    assert.deepEqual(await filesInFolder(), []);
  });

  it('times out a silent server with a message naming the setting', async () => {
    server.enqueue({ kind: 'hang' });
    const error = await rejection(generate({}, { timeoutMs: 300 }));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /seedream\.requestTimeoutSeconds/);
  });

  it('cancels a pending request and leaves no file', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const running = generate({}, {}, controller.signal);
    while (server.apiRequests.length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort();
    const error = await rejection(running);
    assert.equal(error.kind, 'cancelled');
    assert.deepEqual(await filesInFolder(), []);
  });

  it('cancels during a slow download and leaves no partial or temporary file', async () => {
    server.enqueueDownload({ kind: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    const running = generate({}, {}, controller.signal);
    while (server.downloadRequests.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.interruption?.kind, 'cancelled');
    assert.deepEqual(await filesInFolder(), []);
  });

  it('retries a refused connection, then says what to check', async () => {
    const closed = await FakeApiServer.start();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const error = await rejection(generate({}, { baseUrl }));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /connection refused.*gave up after 3 attempts/);
  });

  it('refuses a plain http base URL that is not this machine before sending anything', () => {
    assert.throws(() => service({ baseUrl: 'http://api.example.com/v1' }), /must use https/);
  });
});
