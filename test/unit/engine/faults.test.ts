// The fault and bad-input suite: every way the API, the image host, the settings or the prompt can go wrong, each
// with the message the user sees, a check that no file is half-written and that the key leaks nowhere. Add a row
// whenever a bug is found. The outcome table is written to artifacts/reliability/outcomes.md for the README.
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { appendFile, mkdtemp, open, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../../src/core/errors/errors';
import type { Logger } from '../../../src/engine/http';
import { inspectImage } from '../../../src/core/image/imageCheck';
import type { ImageServiceOptions } from '../../../src/engine/imageService';
import type { LocalFiles } from '../../../src/engine/localFile';
import { localFolderSink, type SavedLocalImage } from '../../../src/engine/localFolderSink';
import { buildFileName } from '../../../src/core/files/naming';
import { resolveOutputFolder } from '../../../src/core/files/outputFolder';
import type { GenerationOutcome, ImageSink } from '../../../src/engine/pipeline';
import type { WorkspaceReference } from '../../../src/core/model/references';
import { validateGeneration, type GenerationInput } from '../../../src/core/model/validation';
import * as http from '../../../src/engine/http';
import * as download from '../../../src/engine/download';
import * as keyPolicy from '../../../src/core/trust/apiKeyPolicy';
import { ConnectProxy } from '../../support/connectProxy';
import { withEnvironment } from '../../support/environment';
import { recordingAgent } from '../../support/recordingAgent';
import { FakeApiServer, TEST_API_KEY, type ApiBehavior, type FileBehavior } from '../../support/fakeApiServer';
import { fullFolder, readOnlyFolder, type RefusingFolder } from '../../support/refusingFolders';
import { TEST_INPUT } from '../../support/generationInput';
import { testImageService } from '../../support/testImageService';
import { makePng } from '../../support/images';

const defaults: GenerationInput = { ...TEST_INPUT, n: 2 };

interface FaultCase {
  readonly name: string;
  readonly api?: readonly ApiBehavior[];
  readonly downloads?: readonly FileBehavior[];
  readonly input?: Partial<GenerationInput>;
  readonly options?: Partial<ImageServiceOptions>;
  /** Images that must be saved despite the fault. */
  readonly saved: number;
  /** What the user reads: the error, or the note about the images that were not saved. */
  readonly message: RegExp;
}

const apiError = (status: number, code: string, message: string, headers?: Record<string, string>): ApiBehavior => ({
  kind: 'status',
  status,
  body: { error: { code, message } },
  ...(headers ? { headers } : {}),
});

const FAULTS: readonly FaultCase[] = [
  {
    name: '401 invalid key',
    api: [apiError(401, 'AuthenticationError', 'invalid key')],
    saved: 0,
    message: /API key was rejected.*Seedream: Set API Key/,
  },
  {
    name: '403 access denied',
    api: [apiError(403, 'AccessDenied', 'no access to this model')],
    saved: 0,
    message: /Access denied.*no access to this model/,
  },
  { name: '403 out of credit', api: [apiError(403, 'AccountOverdueError', 'account overdue')], saved: 0, message: /out of credit.*Top up/ },
  { name: '404 on the base URL', options: { baseUrl: 'BASE/wrong-path' }, saved: 0, message: /Not found \(HTTP 404.*seedream\.baseUrl/ },
  {
    name: '400 with the server message',
    api: [apiError(400, 'InvalidParameter', 'size 3000x3000 is not supported')],
    saved: 0,
    message: /size 3000x3000 is not supported/,
  },
  {
    name: '429 with Retry-After, then success',
    api: [apiError(429, 'TooManyRequests', 'slow down', { 'retry-after': '1' })],
    saved: 2,
    message: /^$/,
  },
  {
    name: '429 without Retry-After, lasting',
    api: Array(3).fill(apiError(429, 'TooManyRequests', 'slow down')),
    saved: 0,
    message: /rate limiting.*gave up after 3 attempts/,
  },
  {
    name: '500 is not retried by itself (it may have billed)',
    api: [apiError(500, 'InternalServiceError', 'oops')],
    saved: 0,
    message: /server error.*may have been made and billed.*check your usage/,
  },
  {
    name: '504 from a gateway after the upstream billed',
    api: [apiError(504, 'GatewayTimeout', 'upstream timed out')],
    saved: 0,
    message: /HTTP 504.*may have been made and billed/,
  },
  {
    name: '503 with Retry-After, then success',
    api: [apiError(503, 'ServiceUnavailable', 'busy', { 'retry-after': '1' })],
    saved: 2,
    message: /^$/,
  },
  {
    name: '502 HTML page',
    api: [{ kind: 'status', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' }],
    saved: 0,
    message: /HTTP 502, an HTML page instead of JSON.*may have been made and billed/,
  },
  {
    name: '503 with Retry-After forever',
    api: Array(3).fill(apiError(503, 'ServiceUnavailable', 'maintenance', { 'retry-after': '1' })),
    saved: 0,
    message: /server error.*maintenance.*gave up after 3 attempts/,
  },
  { name: 'connection reset mid-body', api: [{ kind: 'resetMidBody' }], saved: 0, message: /connection to 127\.0\.0\.1:\d+ failed/ },
  { name: 'truncated JSON', api: [{ kind: 'truncatedJson' }], saved: 0, message: /incomplete or invalid JSON/ },
  { name: 'JSON of the wrong shape', api: [{ kind: 'rawJson', body: { images: [] } }], saved: 0, message: /no "data" list of images/ },
  {
    name: 'a data item that is an error',
    api: [{ kind: 'images', failIndexes: { 0: { code: 'OutputImageSensitiveContentDetected', message: 'sensitive' } } }],
    saved: 1,
    message: /content filter/,
  },
  {
    name: 'a stream that stops before completed',
    input: { stream: true, n: 3 },
    api: [{ kind: 'stream', stopAfter: 2 }],
    saved: 2,
    message: /stream ended before the API reported completion/,
  },
  {
    name: 'a stream with a partial_failed event',
    input: { stream: true, n: 3 },
    api: [{ kind: 'stream', failIndexes: { 1: { code: 'OutputImageSensitiveContentDetected', message: 'no' } } }],
    saved: 2,
    message: /content filter/,
  },
  {
    name: 'a key echoed in a 200 data[].error.message',
    api: [{ kind: 'images', failIndexes: { 0: { code: 'InvalidParameter', message: `key ${TEST_API_KEY} may not use this model` } } }],
    saved: 1,
    message: /InvalidParameter: key \[redacted\] may not/,
  },
  {
    name: 'a key echoed in a partial_failed event',
    input: { stream: true, n: 3 },
    api: [{ kind: 'stream', failIndexes: { 1: { code: 'InvalidParameter', message: `Bearer ${TEST_API_KEY}` } } }],
    saved: 2,
    message: /Bearer \[redacted\]/,
  },
  {
    name: 'a key echoed in an error event of the stream',
    input: { stream: true, n: 3 },
    api: [{ kind: 'streamError', message: `bad header Authorization: Bearer ${TEST_API_KEY}` }],
    saved: 1,
    message: /Bearer \[redacted\]/,
  },
  {
    name: 'a key cut short at the end of a long server message',
    api: [{ kind: 'images', failIndexes: { 0: { code: 'InvalidParameter', message: `${'x'.repeat(290)} ${TEST_API_KEY}` } } }],
    saved: 1,
    message: /x \[redacted\]…/,
  },
  {
    name: 'a stream cut by InternalServiceError',
    input: { stream: true, n: 3 },
    api: [{ kind: 'stream', fatalAt: 0 }],
    saved: 1,
    message: /internal error \(InternalServiceError.*no further images/,
  },
  { name: 'image URL answers 403 (expired)', downloads: [{ kind: 'status', status: 403 }], saved: 1, message: /expire after 24 hours/ },
  { name: 'image URL answers 404', downloads: [{ kind: 'status', status: 404 }], saved: 1, message: /no longer exists/ },
  { name: 'image URL answers an HTML page', downloads: [{ kind: 'html' }], saved: 1, message: /text\/html instead of an image/ },
  {
    name: 'image URL answers bytes that are not an image',
    downloads: [{ kind: 'notImage' }],
    saved: 1,
    message: /HTML page instead of an image/,
  },
  {
    name: 'image URL answers an over-size body',
    downloads: [{ kind: 'oversize', bytes: 2 * 1024 * 1024 }],
    saved: 1,
    message: /larger than the 1 MB download limit/,
  },
  { name: 'image download reset mid-body', downloads: [{ kind: 'resetMidBody' }], saved: 1, message: /connection to the image host/ },
  {
    name: 'image URL redirects to plain http elsewhere',
    downloads: [{ kind: 'redirect', location: 'http://images.example.com/a.png' }],
    saved: 1,
    message: /must use https/,
  },
  {
    name: 'slow server past the timeout',
    api: [{ kind: 'hang' }],
    options: { timeoutMs: 300 },
    saved: 0,
    message: /did not answer within 300 ms.*seedream\.requestTimeoutSeconds/,
  },
  {
    name: 'base URL that does not resolve',
    options: { baseUrl: 'https://seedream-api.invalid/v1' },
    saved: 0,
    message: /Could not resolve seedream-api\.invalid/,
  },
  {
    name: 'plain http base URL on another machine',
    options: { baseUrl: 'http://api.example.com/v1' },
    saved: 0,
    message: /must use https/,
  },
];

/** Input that must be refused before any request, with the message the user reads. */
const BAD_INPUTS: readonly { readonly name: string; readonly input: Partial<GenerationInput>; readonly message: RegExp }[] = [
  { name: 'empty prompt', input: { prompt: '' }, message: /The prompt is empty/ },
  { name: 'prompt of only spaces', input: { prompt: ' \t\n ' }, message: /The prompt is empty/ },
  { name: 'prompt of 10,000 characters', input: { prompt: 'a'.repeat(10_000) }, message: /10,000 characters; shorten it to at most 4,000/ },
  { name: 'prompt with a control character', input: { prompt: 'a cat\u001b[31m' }, message: /control character \(U\+001B\)/ },
  { name: 'unknown model', input: { model: 'seedream-9' }, message: /Unknown model "seedream-9"/ },
  { name: 'size "abc"', input: { size: 'abc' }, message: /"abc" is not a size/ },
  { name: 'size 0x0', input: { size: '0x0' }, message: /0x0 has a zero side/ },
  { name: 'size 5000x5000', input: { size: '5000x5000' }, message: /too large for seedream-5-0/ },
  { name: 'size 100x3000', input: { size: '100x3000' }, message: /too small for seedream-5-0/ },
  { name: 'tier the model lacks (4K on 5.0)', input: { size: '4K' }, message: /does not offer 4K/ },
  { name: 'n = 0', input: { n: 0 }, message: /from 1 to 4/ },
  { name: 'n = 5', input: { n: 5 }, message: /from 1 to 4/ },
  { name: 'seed out of range', input: { seed: 2 ** 32 }, message: /seed must be a whole number/ },
  { name: 'PNG on a JPEG-only model', input: { model: 'seedream-4-5-251128', outputFormat: 'png' }, message: /makes JPEG only/ },
];

/** Prompts that look unusual but are valid and must go through untouched. */
const ODD_BUT_VALID_PROMPTS = ['قطة نائمة على حافة النافذة', '🐱🌅 a cat at sunrise ✨', '一只橘猫在窗台上睡觉'];

describe('fault and bad-input suite', () => {
  let server: FakeApiServer;
  let folder: string;
  const logLines: string[] = [];
  const outcomes: string[] = [];
  const log: Logger = { info: (line) => logLines.push(line), warn: (line) => logLines.push(line), error: (line) => logLines.push(line) };

  before(async () => {
    server = await FakeApiServer.start();
  });
  after(async () => {
    await server.close();
    mkdirSync(join('artifacts', 'reliability'), { recursive: true });
    writeFileSync(
      join('artifacts', 'reliability', 'outcomes.md'),
      `| Fault | Saved | What the user reads |\n| --- | --- | --- |\n${outcomes.join('\n')}\n`,
    );
  });
  beforeEach(async () => {
    server.reset();
    logLines.length = 0;
    folder = await mkdtemp(join(tmpdir(), 'seedream-faults-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  /** Where a run saves: the test's folder unless told, a rescue folder for what that refuses, and a signal to cancel it. */
  interface RunPlace {
    readonly api?: FakeApiServer;
    readonly folder?: string;
    readonly rescueFolder?: string;
    readonly signal?: AbortSignal;
    /** The file operations of the folder (the disk's own unless told). */
    readonly files?: LocalFiles;
    /** Runs before each image's save begins, with the run's signal. */
    readonly beforeSave?: (signal: AbortSignal) => Promise<void>;
  }

  async function run(
    input: Partial<GenerationInput>,
    options: Partial<ImageServiceOptions>,
    place: RunPlace = {},
  ): Promise<GenerationOutcome<SavedLocalImage>> {
    const validated = validateGeneration({ ...defaults, ...input });
    assert.ok(validated.ok);
    const api = place.api ?? server;
    const service = testImageService(api, {
      log,
      ...options,
      ...(options.baseUrl?.startsWith('BASE') ? { baseUrl: options.baseUrl.replace('BASE', api.baseUrl.replace(/\/v1$/, '')) } : {}),
    });
    const sinkInto = (target: string, files?: LocalFiles): ImageSink<SavedLocalImage> =>
      localFolderSink(
        target,
        function* (payload, info) {
          yield `image-${payload.index}.${info.extension}`;
        },
        files,
      );
    const main = sinkInto(place.folder ?? folder, place.files);
    const { beforeSave } = place;
    const sink: ImageSink<SavedLocalImage> = beforeSave
      ? {
          async save(payload, signal) {
            await beforeSave(signal);
            return main.save(payload, signal);
          },
        }
      : main;
    try {
      return await service.generate(validated.request, sink, place.signal ?? new AbortController().signal, {
        ...(place.rescueFolder ? { rescueSink: sinkInto(place.rescueFolder) } : {}),
      });
    } finally {
      await service.close();
    }
  }

  /** Only whole, valid images are left: no temporary or half-written file. */
  async function assertOnlyCompleteImages(expected: number): Promise<void> {
    const files = await readdir(folder);
    assert.equal(files.length, expected, `files left: ${files.join(', ')}`);
    for (const file of files) {
      inspectImage(await readFile(join(folder, file)));
    }
  }

  function assertKeyNowhere(...texts: string[]): void {
    for (const text of [...texts, ...logLines]) {
      assert.ok(!text.includes(TEST_API_KEY), `the key leaked into: ${text}`);
    }
    for (const download of server.downloadRequests) {
      assert.equal(download.headers.authorization, undefined, 'the image host got an Authorization header');
    }
  }

  for (const fault of FAULTS) {
    it(fault.name, async () => {
      server.enqueue(...(fault.api ?? []));
      server.enqueueDownload(...(fault.downloads ?? []));
      let message = '';
      let saved = 0;
      try {
        const outcome = await run(fault.input ?? {}, fault.options ?? {});
        saved = outcome.saved.length;
        message = [...outcome.failures.map((failure) => failure.message), outcome.interruption?.message ?? ''].filter(Boolean).join(' ');
      } catch (error) {
        message = errorMessage(error);
      }
      assert.match(message, fault.message);
      assert.equal(saved, fault.saved, `saved images (message: ${message})`);
      await assertOnlyCompleteImages(fault.saved);
      assertKeyNowhere(message);
      recordOutcome(fault.name, `${saved} of ${fault.input?.n ?? defaults.n}`, message);
    });
  }

  for (const bad of BAD_INPUTS) {
    it(`refuses before any request: ${bad.name}`, () => {
      const result = validateGeneration({ ...defaults, ...bad.input });
      assert.equal(result.ok, false);
      const message = result.ok ? '' : result.issues.map((issue) => issue.message).join(' ');
      assert.match(message, bad.message);
      assert.equal(server.apiRequests.length, 0);
      recordOutcome(bad.name, 'not sent', message);
    });
  }

  it('refuses an output folder outside the workspace and an unknown file-name variable', () => {
    const context = { workspaceFolderPath: '/ws', documentPath: '/ws/docs/a.md', date: new Date(), model: defaults.model };
    const escaping = resolveOutputFolder('../../etc', context);
    assert.equal(escaping.ok, false);
    assert.throws(() => buildFileName('${colour}', { prompt: 'x', date: new Date(), index: 1, count: 1, model: defaults.model }), /colour/);
    recordOutcome('output folder `../../etc`', 'not sent', escaping.ok ? '' : escaping.message);
  });

  /** Adds a row to the outcome table (README's Reliability section) for a case written out by hand. */
  function recordOutcome(name: string, saved: string, message: string): void {
    // Ports, temporary folders and filler text differ per run: the table shows what stays.
    const steady = message
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replace(/'[^']*\.seedream-[^']*\.part'/g, "'FOLDER/.seedream-ID.part'")
      .replace(/x{20,}/g, 'xxx…');
    outcomes.push(`| ${name} | ${saved} | ${steady.replace(/\|/g, '\\|') || '(nothing: retried and saved)'} |`);
  }

  // Round two, the parsers: the event stream and the JSON body.
  it('a streamed image whose line never ends', async () => {
    server.enqueue({ kind: 'streamLineWithoutEnd' });
    const outcome = await run({ stream: true }, {});
    const message = outcome.interruption?.message ?? '';
    assert.match(message, /an event of the image stream grew past \d+ MB without ending.*Turn off seedream\.stream/);
    assert.equal(outcome.saved.length, 1);
    await assertOnlyCompleteImages(1);
    assertKeyNowhere(message);
    recordOutcome('a streamed image whose line never ends', '1 of 2', message);
  });

  it('a 20 MB string under an unknown key before the images', async () => {
    server.enqueue({ kind: 'imagesAfterLargeUnknownKey', bytes: 20 * 1024 * 1024 });
    const outcome = await run({}, {});
    assert.equal(outcome.saved.length, 2);
    assert.deepEqual(outcome.failures, []);
    await assertOnlyCompleteImages(2);
    assertKeyNowhere();
    recordOutcome('a 20 MB string under an unknown key before the images', '2 of 2', '(nothing: the unknown value is skipped unread)');
  });

  // Round two, network and key: proxies, image links, the key's rules.
  describe('round two: network and key', () => {
    // Required here rather than imported: the suite's import list is shared by every round.

    /** Downloads one link as the image service would, with the dispatcher and loopback rule given. */
    async function downloadRefusal(link: string, allowLoopback: boolean, lookup?: import('node:net').LookupFunction): Promise<string> {
      const dispatcher = http.createDispatcher(5000, { strictSSL: true }, lookup);
      try {
        await download.openDownload(link, {
          dispatcher,
          signal: new AbortController().signal,
          timeoutMs: 5000,
          maxBytes: 1024 * 1024,
          userAgent: 'faults',
          allowLoopback,
        });
        return assert.fail(`${link} was downloaded`);
      } catch (error) {
        return errorMessage(error);
      } finally {
        await dispatcher.close();
      }
    }

    for (const [name, where] of [
      ['a loopback base URL with http.proxy set', 'setting'],
      ['a loopback base URL with HTTPS_PROXY and HTTP_PROXY set', 'environment'],
    ] as const) {
      it(name, async () => {
        const proxy = await ConnectProxy.start();
        try {
          const variables = where === 'environment' ? { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } : {};
          const options = where === 'setting' ? { network: { proxy: proxy.url, strictSSL: true } } : {};
          const outcome = await withEnvironment(variables, () => run({}, options));
          assert.equal(outcome.saved.length, 2);
          assert.deepEqual(proxy.tunnels, [], 'the proxy was asked to tunnel');
          assert.equal(server.apiRequests.length, 1);
          await assertOnlyCompleteImages(2);
          assertKeyNowhere(proxy.sentText);
        } finally {
          await proxy.close();
        }
        recordOutcome(name, '2 of 2', '(nothing: sent directly; the proxy saw no request and no key)');
      });
    }

    it('image link on 127.0.0.1 while the base URL is elsewhere', async () => {
      const message = await downloadRefusal(`${server.filesOrigin}/files/png/0.png`, false);
      assert.match(
        message,
        /image link to 127\.0\.0\.1:\d+ was refused: it is a loopback address \(this machine\), and a generated image's link must be a public https address/,
      );
      assert.equal(server.downloadRequests.length, 0);
      recordOutcome('image link on 127.0.0.1 while the base URL is elsewhere', 'not downloaded', message);
    });

    it('image link whose name resolves to 127.0.0.1 (DNS rebinding)', async () => {
      const toThisMachine: import('node:net').LookupFunction = (_hostname, options, callback) =>
        options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
      const message = await downloadRefusal(
        `https://localtest.me:${new URL(server.filesOrigin).port}/files/png/0.png`,
        false,
        toThisMachine,
      );
      assert.match(message, /download from localtest\.me was refused: the name resolves to 127\.0\.0\.1, a loopback address/);
      assert.equal(server.downloadRequests.length, 0);
      recordOutcome('image link whose name resolves to 127.0.0.1 (DNS rebinding)', 'not downloaded', message);
    });

    it('image link to the cloud metadata address', async () => {
      const data = [
        { url: 'https://169.254.169.254/latest/meta-data/iam/', size: '2048x2048' },
        { url: `${server.filesOrigin}/files/png/1.png`, size: '2048x2048' },
      ];
      server.enqueue({
        kind: 'rawJson',
        body: { model: defaults.model, created: 1757396757, data, usage: { generated_images: 2, output_tokens: 1, total_tokens: 1 } },
      });
      const connections: string[] = [];
      const dispatcher = recordingAgent(connections);
      try {
        const outcome = await run({}, { dispatcher });
        const message = outcome.failures.map((failure) => failure.message).join(' ');
        assert.match(message, /image link to 169\.254\.169\.254 was refused: it is a link-local address/);
        assert.equal(outcome.saved.length, 1);
        assert.ok(
          connections.every((connection) => connection.startsWith('127.0.0.1:')),
          `connected to ${connections.join(', ')}`,
        );
        await assertOnlyCompleteImages(1);
        assertKeyNowhere(message);
        recordOutcome('image link to the cloud metadata address', '1 of 2', message);
      } finally {
        await dispatcher.close();
      }
    });

    for (const [name, location, refusal] of [
      [
        'image URL redirects to a link-local address',
        'https://169.254.169.254/latest/meta-data/',
        /redirected the download to 169\.254\.169\.254, a link-local address/,
      ],
      [
        'image URL redirects to a private address',
        'https://10.0.0.7/a.png',
        /redirected the download to 10\.0\.0\.7, a private network address/,
      ],
    ] as const) {
      it(name, async () => {
        server.enqueueDownload({ kind: 'redirect', location });
        const connections: string[] = [];
        const dispatcher = recordingAgent(connections);
        try {
          const outcome = await run({}, { dispatcher });
          const message = outcome.failures.map((failure) => failure.message).join(' ');
          assert.match(message, refusal);
          assert.equal(outcome.saved.length, 1);
          assert.ok(
            connections.every((connection) => connection.startsWith('127.0.0.1:')),
            `the private address was connected to: ${connections.join(', ')}`,
          );
          await assertOnlyCompleteImages(1);
          assertKeyNowhere(message);
          recordOutcome(name, '1 of 2', message);
        } finally {
          await dispatcher.close();
        }
      });
    }

    for (const [name, key] of [
      ['API key with a zero-width space (U+200B)', `${TEST_API_KEY.slice(0, 11)}\u200b${TEST_API_KEY.slice(11)}`],
      ['API key with "é"', `${TEST_API_KEY.slice(0, 3)}é${TEST_API_KEY.slice(3)}`],
    ] as const) {
      it(`refuses before any request: ${name}`, async () => {
        const atInput = keyPolicy.validateKeyInput(key);
        const stored = keyPolicy.checkKeyCharacters(key, { source: 'stored' });
        // As the extension does: a key is checked before the first request, never sent to find out.
        if (!stored) {
          await run({}, { apiKey: key });
        }
        assert.match(
          atInput ?? '',
          /^The key has (an invisible character U\+200B at position 12|the character "é" U\+00E9 at position 4): copy it again from the provider console\.$/,
        );
        assert.equal(stored?.action, 'setApiKey');
        assert.equal(server.apiRequests.length, 0);
        recordOutcome(name, 'not sent', `At input: ${atInput} Stored: ${stored?.message}`);
      });
    }
  });

  // Round two, the pipeline: saving and rescue, caps and deadlines, retries, redaction.
  describe('round two: the pipeline', () => {
    let rescueFolder: string;
    beforeEach(async () => {
      rescueFolder = await mkdtemp(join(tmpdir(), 'seedream-faults-rescue-'));
    });
    afterEach(() => rm(rescueFolder, { recursive: true, force: true }));

    /** Runs with a refusing folder, or skips where this machine cannot make one. */
    async function withFolder(
      this: Mocha.Context,
      make: () => Promise<RefusingFolder | undefined>,
      use: (path: string) => Promise<void>,
    ): Promise<void> {
      const refusing = await make();
      if (!refusing) {
        this.skip();
      }
      try {
        await use(refusing.path);
      } finally {
        await refusing.dispose();
      }
    }

    for (const stream of [false, true]) {
      const name = `a b64_json image the read-only folder refuses lands whole in the rescue folder${stream ? ' (stream)' : ''}`;
      it(name, async function () {
        await withFolder.call(this, readOnlyFolder, async (readOnly) => {
          const outcome = await run({ responseFormat: 'b64_json', stream }, {}, { folder: readOnly, rescueFolder });
          assert.equal(outcome.failures.length, 0, outcome.failures.map((failure) => failure.message).join(' '));
          assert.deepEqual(
            outcome.rescued.map((image) => image.index),
            [0, 1],
          );
          for (const index of [0, 1]) {
            assert.deepEqual(await readFile(join(rescueFolder, `image-${index}.png`)), server.imageBytes('png', index));
          }
          recordOutcome(name, '2 of 2 kept in the rescue folder', outcome.rescued[0].reason);
        });
      });
    }

    it('a b64_json image that fills the disk midway lands whole in the rescue folder', async function () {
      const large = await FakeApiServer.start({ image: { width: 96, height: 96, noise: true } });
      try {
        await withFolder.call(
          this,
          () => fullFolder(8192),
          async (full) => {
            const outcome = await run({ responseFormat: 'b64_json', n: 1 }, {}, { api: large, folder: full, rescueFolder });
            assert.equal(outcome.failures.length, 0, outcome.failures.map((failure) => failure.message).join(' '));
            assert.match(outcome.rescued[0].reason, /ENOSPC/);
            assert.deepEqual(await readFile(join(rescueFolder, 'image-0.png')), large.imageBytes('png', 0));
            assert.deepEqual(await readdir(full), [], 'no partial file is left on the full disk');
            recordOutcome('a b64_json image that fills the disk midway', '1 of 1 kept in the rescue folder', outcome.rescued[0].reason);
          },
        );
      } finally {
        await large.close();
      }
    });

    // A cancel after the API billed, at each stage of the two downloads' saves. One while the files opened
    // hung the run for good (a progress notification that never ended): the bodies' 'error' and 'close'
    // and the signal's 'abort' had gone out before the writer listened.
    for (const stage of ['before their files open', 'while their files open', 'mid-body'] as const) {
      const name = `a cancel after the API billed, ${stage}, ends the run and reports each unsaved image with its link`;
      it(name, async () => {
        server.enqueueDownload({ kind: 'held' }, { kind: 'held' });
        const controller = new AbortController();
        const { reach: cancelAtStage, finish } = cancelWhenBothReach(controller);
        const files: LocalFiles = {
          async createExclusive(path) {
            const file = await open(path, 'wx');
            if (stage === 'while their files open') {
              await cancelAtStage();
            }
            return {
              async writev(buffers: Uint8Array[]) {
                const written = await file.writev(buffers);
                if (stage === 'mid-body') {
                  await cancelAtStage();
                }
                return written;
              },
              close: () => file.close(),
            };
          },
        };
        let outcome: Awaited<ReturnType<typeof run>>;
        try {
          outcome = await run(
            {},
            {},
            { signal: controller.signal, files, ...(stage === 'before their files open' ? { beforeSave: cancelAtStage } : {}) },
          );
        } finally {
          finish();
        }
        assert.deepEqual(
          outcome.failures.map((failure) => [failure.index, failure.cancelled]),
          [
            [0, true],
            [1, true],
          ],
        );
        assert.ok(
          outcome.failures.every((failure) => /\/files\/png\/\d\.png/.test(failure.remoteUrl ?? '')),
          'each link is kept',
        );
        await assertOnlyCompleteImages(0);
        const message = outcome.failures[0].message;
        assertKeyNowhere(message);
        recordOutcome(`cancel while the billed images download, ${stage}`, '0 of 2, both links logged', message);
      });
    }

    /**
     * Holds both images at one stage of their saves; once both are there, cancels, waits until the cancel
     * has closed both download connections (undici destroys a body it is not reading a turn later), and
     * lets them go on. `finish` ends the wait once the run is over: a run may end with a save still held
     * (mid-body), and the wait then polled on into the next tests, whose server counts from 0 again, so
     * mocha never exited.
     */
    function cancelWhenBothReach(controller: AbortController): { reach: () => Promise<void>; finish: () => void } {
      let arrived = 0;
      let finished = false;
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const reach = async (): Promise<void> => {
        if (++arrived === 2) {
          controller.abort();
          while (server.abandonedDownloads < 2 && !finished) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          await new Promise((resolve) => setImmediate(resolve));
          release();
        }
        await released;
      };
      const finish = (): void => {
        finished = true;
        release();
      };
      return { reach, finish };
    }

    for (const stream of [false, true]) {
      const name = `an inline image over seedream.maxDownloadMB is refused${stream ? ' (stream)' : ''}`;
      it(name, async () => {
        const large = await FakeApiServer.start({ image: { width: 640, height: 640, noise: true } });
        try {
          const outcome = await run({ responseFormat: 'b64_json', stream, n: 1 }, {}, { api: large });
          assert.equal(outcome.saved.length, 0);
          assert.match(outcome.failures[0].message, /larger than the 1 MB download limit.*seedream\.maxDownloadMB/);
          await assertOnlyCompleteImages(0);
          recordOutcome(name, '0 of 1', outcome.failures[0].message);
        } finally {
          await large.close();
        }
      });
    }

    it('a server that trickles its answer is stopped by the deadline of the whole generation', async () => {
      server.enqueue({ kind: 'trickle', bytesPerTick: 16, tickMs: 50 });
      let message = '';
      try {
        await run({ responseFormat: 'b64_json', n: 1 }, { timeoutMs: 300 });
      } catch (error) {
        message = errorMessage(error);
      }
      assert.match(message, /did not finish within 600 ms.*seedream\.requestTimeoutSeconds/);
      await assertOnlyCompleteImages(0);
      recordOutcome('a server that trickles its answer, never silent for the timeout', '0 of 1', message);
    });

    // Under load, an image's file opened slowly while the deadline of the whole generation passed and the image
    // host cut its connection: the download's body failed before anything read it, and its error escaped as an
    // uncaught undici SocketError. The deadline also stood twice in the message (the image's and the run's).
    for (const order of [
      'the deadline passes, then the host resets the download',
      'the host resets the download, then the deadline passes',
    ] as const) {
      const name = `an image still waiting for its file when ${order}`;
      it(name, async () => {
        server.enqueueDownload({ kind: 'trickleUntilReset', tickMs: 50 });
        const stopped = (signal: AbortSignal): Promise<void> =>
          new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
        const outcome = await run(
          { n: 1 },
          { timeoutMs: 200 },
          {
            async beforeSave(signal) {
              if (order.startsWith('the deadline')) {
                await stopped(signal);
                server.resetDownloads();
              } else {
                await new Promise((resolve) => setTimeout(resolve, 100));
                server.resetDownloads();
                await stopped(signal);
              }
            },
          },
        );
        // An error that escaped surfaces within a few turns (undici delays an unread body's error by one): mocha fails this test on it.
        for (let turn = 0; turn < 5; turn++) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        const message = [...outcome.failures.map((failure) => failure.message), outcome.interruption?.message ?? ''].join(' ');
        assert.equal(message.match(/did not finish within 400 ms/g)?.length, 1, message);
        assert.match(
          outcome.failures[0].message,
          /the generation ran out of time before it was saved; the API had already made it, so it is billed/,
        );
        assert.match(outcome.failures[0].remoteUrl ?? '', /\/files\/png\/0\.png/, 'the link of the billed image is kept');
        await assertOnlyCompleteImages(0);
        assertKeyNowhere(message);
        recordOutcome(name, '0 of 1, its link logged', message);
      });
    }

    for (const responseFormat of ['url', 'b64_json'] as const) {
      it(`keeps only the images asked for when the server sends 40 for n=1 (${responseFormat})`, async () => {
        server.enqueue({ kind: 'images', count: 40 });
        const outcome = await run({ n: 1, responseFormat }, {});
        assert.equal(outcome.saved.length, 1);
        assert.equal(outcome.unasked.length, 39);
        assert.equal(server.downloadRequests.length, responseFormat === 'url' ? 1 : 0);
        await assertOnlyCompleteImages(1);
        if (responseFormat === 'url') {
          recordOutcome(
            '40 images sent for n=1',
            '1 of 1, the other 39 only logged',
            '(nothing: the extra images are listed in the log, not saved)',
          );
        }
      });
    }
  });

  describe('reference images', () => {
    let references: string;
    before(async () => {
      references = await mkdtemp(join(tmpdir(), 'seedream-fault-refs-'));
    });
    after(() => rm(references, { recursive: true, force: true }));

    /** A PNG reference in the workspace, checked as it is when written; `byteLength` may say otherwise. */
    function reference(name: string, byteLength?: number): WorkspaceReference {
      const bytes = makePng({ width: 64, height: 48, seed: 5, noise: true });
      const path = join(references, name);
      writeFileSync(path, bytes);
      return { kind: 'file', path, name: `docs/${name}`, byteLength: byteLength ?? bytes.length, format: 'png', width: 64, height: 48 };
    }

    const changed: readonly { name: string; change: (path: string) => Promise<void>; message: RegExp }[] = [
      {
        name: 'a reference deleted after it was checked',
        change: (path) => unlink(path),
        message: /The reference image docs\/gone\.png could not be read \(ENOENT\): check that it still exists, then try again\./,
      },
      {
        name: 'a reference that grew after it was checked',
        change: (path) => appendFile(path, Buffer.alloc(1000)),
        message: /docs\/gone\.png changed after it was checked, so the request was stopped before it was complete \(nothing was billed\)/,
      },
    ];
    for (const { name, change, message: expected } of changed) {
      it(name, async () => {
        const file = reference('gone.png');
        await change(file.path);
        const message = await run({ n: 1, references: [file] }, {}).then(
          () => assert.fail('expected the request to stop'),
          (error: unknown) => errorMessage(error),
        );
        assert.match(message, expected);
        assert.equal(
          server.apiRequests.filter((request) => request.json !== undefined).length,
          0,
          'no complete request reached the server',
        );
        await assertOnlyCompleteImages(0);
        assertKeyNowhere(message);
        recordOutcome(name, '0 of 1, stopped before the request was complete', message);
      });
    }

    it('a reference that fails to read while it is sent', async () => {
      // A folder where the file was, of the size checked: opening it works, reading it fails as a bad disk would.
      const path = join(references, 'unreadable.png');
      mkdirSync(path);
      const file: WorkspaceReference = { ...reference('shape.png'), path, name: 'docs/unreadable.png', byteLength: statSync(path).size };
      const message = await run({ n: 1, references: [file] }, {}).then(
        () => assert.fail('expected the request to stop'),
        (error: unknown) => errorMessage(error),
      );
      assert.match(message, /docs\/unreadable\.png could not be read while it was sent \(EISDIR\).*nothing was billed.*Check the file/);
      assert.doesNotMatch(message, /network|may have been made and billed/);
      await assertOnlyCompleteImages(0);
      assertKeyNowhere(message);
      recordOutcome('a reference that fails to read while it is sent', '0 of 1, stopped before the request was complete', message);
    });

    it('a server that refuses an inline image', async () => {
      server.enqueue({
        kind: 'status',
        status: 400,
        body: { error: { code: 'InvalidParameter', message: 'image: unsupported url scheme', param: 'image' } },
      });
      const message = await run({ n: 1, references: [reference('photo.png')] }, {}).then(
        () => assert.fail('expected a refusal'),
        (error: unknown) => errorMessage(error),
      );
      assert.match(message, /put them at https: addresses and pass those instead/);
      await assertOnlyCompleteImages(0);
      assertKeyNowhere(message);
      recordOutcome('a server that refuses an inline image', '0 of 1', message);
    });

    const refused: readonly { name: string; input: () => Partial<GenerationInput>; message: RegExp }[] = [
      {
        name: 'a reference 1 byte over 10 MB',
        input: () => ({ references: [reference('large.png', 10 * 1024 * 1024 + 1)] }),
        message: /at most 10 MB per reference; docs\/large\.png is 10 MB \(10,485,761 bytes\): export it smaller/,
      },
      {
        name: '11 references through the provider',
        input: () => ({ references: Array.from({ length: 11 }, (_, i) => reference(`ref-${i}.png`)) }),
        message: /at most 10 reference images through the provider .*11 were given: remove 1/,
      },
      {
        name: '10 references and an image set of up to 6',
        input: () => ({ n: 1, maxImages: 6, references: Array.from({ length: 10 }, (_, i) => reference(`ref-${i}.png`)) }),
        message: /10 references and a set of up to 6 make 16: ask for a set of at most 5, or use fewer references/,
      },
      {
        name: 'a data: reference',
        input: () => ({ references: [{ kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' }] }),
        message: /data: addresses are not taken: save the image into the workspace/,
      },
    ];
    for (const bad of refused) {
      it(`refuses before any request: ${bad.name}`, () => {
        const result = validateGeneration({ ...defaults, ...bad.input() });
        assert.equal(result.ok, false);
        const message = result.ok ? '' : result.issues.map((issue) => issue.message).join(' ');
        assert.match(message, bad.message);
        assert.equal(server.apiRequests.length, 0);
        recordOutcome(bad.name, 'not sent', message);
      });
    }
  });

  for (const prompt of ODD_BUT_VALID_PROMPTS) {
    it(`sends an unusual but valid prompt unchanged: ${prompt}`, async () => {
      const outcome = await run({ prompt, n: 1 }, {});
      assert.equal(outcome.saved.length, 1);
      assert.equal(server.apiRequests[0].json?.prompt, prompt);
      await assertOnlyCompleteImages(1);
    });
  }
});
