import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeedreamError } from '../../../src/core/errors/errors';
import { readEmbeddedMetadata, type ImageMetadata } from '../../../src/core/image/imageMetadata';
import type { WorkspaceReference } from '../../../src/core/model/references';
import { validateGeneration, type GenerationInput } from '../../../src/core/model/validation';
import type { GenerationCallbacks } from '../../../src/engine/imageService';
import { localFolderSink, type SavedLocalImage } from '../../../src/engine/localFolderSink';
import type { GenerationOutcome } from '../../../src/engine/pipeline';
import { FakeApiServer } from '../../support/fakeApiServer';
import { TEST_INPUT } from '../../support/generationInput';
import { makeJpeg, makePng } from '../../support/images';
import { testImageService } from '../../support/testImageService';

const provenance: ImageMetadata = {
  prompt: 'same diagram, dark theme',
  model: 'seedream-5-0-260128',
  size: '2K',
  createdAt: '2026-12-01T10:00:00.000Z',
  generator: 'Seedream Studio test',
};

describe('edits, fusion and image sets against a local API server', () => {
  let server: FakeApiServer;
  let workspace: string;
  let output: string;
  let photo: WorkspaceReference;
  let sketch: WorkspaceReference;

  const sha256 = async (path: string): Promise<string> =>
    createHash('sha256')
      .update(await readFile(path))
      .digest('hex');

  async function reference(name: string, bytes: Buffer, format: 'png' | 'jpeg'): Promise<WorkspaceReference> {
    const path = join(workspace, name);
    await writeFile(path, bytes);
    return { kind: 'file', path, name: `docs/${name}`, byteLength: bytes.length, format, width: 64, height: 48 };
  }

  before(async () => {
    server = await FakeApiServer.start();
    workspace = await mkdtemp(join(tmpdir(), 'seedream-refs-'));
    photo = await reference('photo.png', makePng({ width: 64, height: 48, seed: 9, noise: true }), 'png');
    sketch = await reference('sketch.jpg', makeJpeg({ width: 64, height: 48, seed: 3 }), 'jpeg');
  });
  after(async () => {
    await server.close();
    await rm(workspace, { recursive: true, force: true });
  });
  beforeEach(async () => {
    server.reset();
    output = await mkdtemp(join(tmpdir(), 'seedream-refs-out-'));
  });
  afterEach(() => rm(output, { recursive: true, force: true }));

  async function generate(
    input: Partial<GenerationInput>,
    callbacks: GenerationCallbacks<SavedLocalImage> = {},
  ): Promise<GenerationOutcome<SavedLocalImage>> {
    const validated = validateGeneration({ ...TEST_INPUT, prompt: provenance.prompt, ...input });
    assert.ok(validated.ok, validated.ok ? '' : validated.issues.map((issue) => issue.message).join(' '));
    const images = testImageService(server);
    try {
      return await images.generate(
        validated.request,
        localFolderSink(output, (payload, info) => [`image-${payload.index + 1}.${info.extension}`]),
        new AbortController().signal,
        { provenance, ...callbacks },
      );
    } finally {
      await images.close();
    }
  }

  it('sends references of megabytes byte for byte to a server that reads slowly, the body written from reused buffers', async () => {
    // Over 3 MB of base64: each buffer of the body is written again several times while the socket is
    // held back, so a buffer reused before its bytes left would send wrong bytes.
    const slow = await FakeApiServer.start({ readPauseMs: 2 });
    const large = await Promise.all(
      [11, 12].map((seed) => reference(`large-${seed}.png`, makePng({ width: 640, height: 640, seed, noise: true }), 'png')),
    );
    const validated = validateGeneration({ ...TEST_INPUT, prompt: provenance.prompt, references: large });
    assert.ok(validated.ok);
    const images = testImageService(slow);
    try {
      const outcome = await images.generate(
        validated.request,
        localFolderSink(output, (payload, info) => [`image-${payload.index + 1}.${info.extension}`]),
        new AbortController().signal,
        { provenance },
      );
      assert.equal(outcome.saved.length, 1);
      const sent = slow.requests.find((recorded) => recorded.host === 'api')!;
      assert.ok(sent.body.length > 3 * 1024 * 1024, `a body of ${sent.body.length} bytes`);
      assert.deepEqual(
        sent.references,
        await Promise.all(
          large.map(async (file) => ({ kind: 'inline', format: 'png', byteLength: file.byteLength, sha256: await sha256(file.path) })),
        ),
      );
    } finally {
      await images.close();
      await slow.close();
    }
  });

  it('sends an edited file inline, byte for byte, and records it in the image it made', async () => {
    const outcome = await generate({ references: [photo] });
    const [request] = server.apiRequests;
    assert.deepEqual(request.references, [
      { kind: 'inline', format: 'png', byteLength: photo.byteLength, sha256: await sha256(photo.path) },
    ]);
    assert.equal(request.json?.sequential_image_generation, 'disabled');
    assert.equal(request.headers['content-length'], String(Buffer.byteLength(request.body)));
    assert.deepEqual(outcome.references, [{ path: 'docs/photo.png', sha256: await sha256(photo.path) }]);
    const metadata = readEmbeddedMetadata(await readFile(join(output, 'image-1.png')));
    assert.deepEqual(metadata?.references, outcome.references);
    assert.equal(metadata?.set, undefined);
  });

  it('fuses files and addresses in the order given', async () => {
    const outcome = await generate({ references: [sketch, { kind: 'url', url: 'https://example.com/logo.png' }, photo] });
    assert.deepEqual(server.apiRequests[0].references, [
      { kind: 'inline', format: 'jpeg', byteLength: sketch.byteLength, sha256: await sha256(sketch.path) },
      { kind: 'url', url: 'https://example.com/logo.png' },
      { kind: 'inline', format: 'png', byteLength: photo.byteLength, sha256: await sha256(photo.path) },
    ]);
    assert.deepEqual(
      outcome.references.map((record) => ('url' in record ? record.url : record.path)),
      ['docs/sketch.jpg', 'https://example.com/logo.png', 'docs/photo.png'],
    );
  });

  it('says "k of N" for a set with fewer images than asked: no failure', async () => {
    server.enqueue({ kind: 'images', count: 2 });
    const outcome = await generate({ references: [photo], maxImages: 4 });
    assert.equal(outcome.requested, 4);
    assert.equal(outcome.saved.length, 2);
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.interruption, undefined);
    const json = server.apiRequests[0].json!;
    assert.deepEqual(json.sequential_image_generation_options, { max_images: 4 });
    assert.equal(json.n, undefined);
    const second = readEmbeddedMetadata(await readFile(join(output, 'image-2.png')));
    assert.deepEqual(second?.set, { index: 2, maxImages: 4 });
  });

  it('saves each image of a streamed set as its event arrives', async () => {
    // A stream that sends two of three images, then stops without completing: both are on disk.
    server.enqueue({ kind: 'stream', stopAfter: 2 });
    const saved: string[] = [];
    const outcome = await generate(
      { maxImages: 3, stream: true },
      { onProgress: (step) => step.stage === 'saved' && saved.push(`${step.done}/${step.total}`) },
    );
    assert.deepEqual(saved, ['1/3', '2/3']);
    assert.deepEqual((await readdir(output)).sort(), ['image-1.png', 'image-2.png']);
    assert.match(outcome.interruption?.message ?? '', /ended before the API reported completion/);
    server.reset();
    await rm(output, { recursive: true, force: true });
    server.enqueue({ kind: 'stream', count: 2 });
    const fewer = await generate({ maxImages: 5, stream: true });
    assert.equal(fewer.saved.length, 2);
    assert.equal(fewer.requested, 5);
    assert.deepEqual(fewer.failures, []);
    assert.equal(fewer.interruption, undefined);
  });

  it('says that a refused inline image may need an https address instead', async () => {
    server.enqueue({
      kind: 'status',
      status: 400,
      body: {
        error: {
          code: 'InvalidParameter',
          message: 'The parameter image specified in the request is not valid: invalid url',
          param: 'image',
        },
      },
    });
    const error = await generate({ references: [photo] }).then(
      () => assert.fail('expected a refusal'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof SeedreamError);
    assert.equal(
      error.message,
      'The API refused the request (HTTP 400 InvalidParameter): The parameter image specified in the request is not valid: invalid url [parameter: image]. Change "image" and try again. The request carried 1 reference image(s) inline (as data: URLs), which this server may not accept: put them at https: addresses and pass those instead.',
    );
    server.enqueue({ kind: 'status', status: 413, body: '<html><body>413 Request Entity Too Large</body></html>' });
    await assert.rejects(
      generate({ references: [photo, sketch] }),
      /too large \(HTTP 413\): it carried 2 reference image\(s\) inline, 0\.0 MB in all\. Use fewer or smaller reference images, or put them at https: addresses/,
    );
  });

  it('leaves a 400 about something else as it is', async () => {
    server.enqueue({
      kind: 'status',
      status: 400,
      body: { error: { code: 'InvalidParameter', message: 'size is not supported', param: 'size' } },
    });
    await assert.rejects(generate({ references: [photo] }), (error: Error) => !/inline/.test(error.message));
  });
});
