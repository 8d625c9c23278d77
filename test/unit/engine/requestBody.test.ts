import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeedreamError } from '../../../src/core/errors/errors';
import type { ReferenceImage, WorkspaceReference } from '../../../src/core/model/references';
import { validateGeneration, type GenerationInput, type GenerationRequest } from '../../../src/core/model/validation';
import { CHUNK_REUSED_AFTER_BYTES, dataUrlPrefix, requestBody, requestFields } from '../../../src/engine/requestBody';
import { TEST_INPUT } from '../../support/generationInput';
import { makePng } from '../../support/images';

/** Copies each chunk as it comes: the body writes into its buffers again further on. */
async function collect(chunks: AsyncIterable<Uint8Array>, received: Buffer[] = []): Promise<Buffer> {
  for await (const chunk of chunks) {
    received.push(Buffer.from(chunk));
  }
  return Buffer.concat(received);
}

/** What JSON.stringify makes of the same request with every file inlined. */
async function expectedJson(request: GenerationRequest): Promise<string> {
  const fields = requestFields(request);
  if (request.references.length === 0) {
    return JSON.stringify(fields);
  }
  const image = await Promise.all(
    request.references.map(async (reference) =>
      reference.kind === 'url' ? reference.url : `${dataUrlPrefix(reference)}${(await readFile(reference.path)).toString('base64')}`,
    ),
  );
  return JSON.stringify({ ...fields, image });
}

function request(input: Partial<GenerationInput>): GenerationRequest {
  const validated = validateGeneration({ ...TEST_INPUT, ...input });
  assert.ok(validated.ok, validated.ok ? '' : validated.issues.map((issue) => issue.message).join(' '));
  return validated.request;
}

describe('requestBody', () => {
  let folder: string;
  /** Ten small real images whose lengths leave every remainder modulo 3. */
  let files: WorkspaceReference[];

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'seedream-body-'));
    files = [];
    // The encoder reads bytes, never pixels: short files of every remainder modulo 3 keep "every chunk size" quick.
    const lengths = [1, 2, 3, 4, 5, 7, 8, 13, 29, 31];
    for (const [i, length] of lengths.entries()) {
      const bytes = randomBytes(length);
      const name = `ref-${i}.${i < 9 ? 'png' : 'jpg'}`;
      await writeFile(join(folder, name), bytes);
      files.push({
        kind: 'file',
        path: join(folder, name),
        name: `images/${name}`,
        byteLength: bytes.length,
        format: i < 9 ? 'png' : 'jpeg',
        width: 16,
        height: 16,
      });
    }
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  for (const count of [0, 1, 10]) {
    it(`is byte-exact against JSON.stringify with ${count} reference(s), cut at every chunk size`, async () => {
      const references = count === 1 ? [files[9]] : files.slice(0, count);
      const generation = request({ prompt: 'same diagram, "dark" theme \u2014 ünïcode 🐱', references });
      const expected = await expectedJson(generation);
      const largest = Math.max(0, ...generation.references.map((reference) => (reference as WorkspaceReference).byteLength));
      for (let chunkBytes = 1; chunkBytes <= largest + 1; chunkBytes++) {
        const body = requestBody(generation, chunkBytes);
        const sent = await collect(body.open());
        assert.equal(sent.toString('utf8'), expected, `chunk size ${chunkBytes}`);
        assert.equal(body.length, sent.length, `Content-Length at chunk size ${chunkBytes}`);
      }
    });
  }

  it('encodes a file of megabytes into a few buffers it reuses only once the consumer is a megabyte past them', async () => {
    const path = join(folder, 'large.png');
    const bytes = randomBytes(4 * 1024 * 1024 + 1);
    await writeFile(path, bytes);
    const large: WorkspaceReference = { ...files[0], path, name: 'large.png', byteLength: bytes.length };
    const generation = request({ references: [large] });
    // A chunk's memory: its buffer and where in it the chunk starts (the JSON text shares a pooled buffer).
    const seen: { readonly memory: ArrayBufferLike; readonly offset: number; readonly taken: number }[] = [];
    const received: Buffer[] = [];
    let taken = 0;
    for await (const chunk of requestBody(generation).open()) {
      const earlier = seen.filter((entry) => entry.memory === chunk.buffer && entry.offset === chunk.byteOffset).at(-1);
      if (earlier) {
        assert.ok(taken - earlier.taken >= CHUNK_REUSED_AFTER_BYTES, `memory written again ${taken - earlier.taken} bytes later`);
      }
      received.push(Buffer.from(chunk));
      taken += chunk.length;
      seen.push({ memory: chunk.buffer, offset: chunk.byteOffset, taken });
    }
    assert.equal(Buffer.concat(received).toString(), await expectedJson(generation));
    const buffers = new Set(seen.map((entry) => entry.memory)).size;
    assert.ok(buffers <= 10, `${buffers} buffers for ${seen.length} chunks`);
  });

  it('keeps the order of files and addresses, and records what was sent', async () => {
    const references: ReferenceImage[] = [files[9], { kind: 'url', url: 'https://example.com/a b.png' }, files[0]];
    const generation = request({ references, maxImages: 3 });
    const body = requestBody(generation);
    const sent = await collect(body.open());
    assert.equal(sent.toString(), await expectedJson(generation));
    const json = JSON.parse(sent.toString()) as Record<string, unknown>;
    assert.equal(json.sequential_image_generation, 'auto');
    assert.deepEqual(json.sequential_image_generation_options, { max_images: 3 });
    assert.equal('n' in json, false, 'a set asks with max_images, not n');
    const sha = async (file: WorkspaceReference) =>
      createHash('sha256')
        .update(await readFile(file.path))
        .digest('hex');
    assert.deepEqual(body.records(), [
      { path: 'images/ref-9.jpg', sha256: await sha(files[9]) },
      { url: 'https://example.com/a b.png' },
      { path: 'images/ref-0.png', sha256: await sha(files[0]) },
    ]);
    assert.equal(body.inlineImages, 2);
  });

  it('asks an edit for one image explicitly, and a text-only request as before', async () => {
    const edit = JSON.parse((await collect(requestBody(request({ references: [files[0]] })).open())).toString()) as Record<string, unknown>;
    assert.equal(edit.sequential_image_generation, 'disabled');
    assert.equal(edit.n, 1);
    assert.equal((edit.image as string[])[0].startsWith('data:image/png;base64,'), true);
    const plain = JSON.parse((await collect(requestBody(request({})).open())).toString()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(plain), ['model', 'prompt', 'size', 'n', 'response_format', 'watermark', 'output_format']);
  });

  it('stops the body before it is complete when a file changed after it was checked', async () => {
    const path = join(folder, 'changing.png');
    const bytes = makePng({ width: 20, height: 20 });
    await writeFile(path, bytes);
    const reference: WorkspaceReference = { ...files[0], path, name: 'changing.png', byteLength: bytes.length };
    await appendFile(path, Buffer.from('more'));
    await assert.rejects(collect(requestBody(request({ references: [reference] })).open()), (error: unknown) => {
      assert.ok(error instanceof SeedreamError);
      assert.match(
        error.message,
        /changing\.png changed after it was checked, so the request was stopped before it was complete \(nothing was billed\)/,
      );
      return true;
    });
    const wrongDigest = { ...files[8], sha256: '0'.repeat(64) };
    const received: Buffer[] = [];
    await assert.rejects(collect(requestBody(request({ references: [wrongDigest] }), 3).open(), received), /changed after it was checked/);
    assert.equal(Buffer.concat(received).toString().endsWith('"'), false, 'the closing quote of the image was never sent');
  });

  it('says that a reference which fails to read while it is sent stopped the request, not the network (bug: it read as a network failure that may have billed)', async () => {
    // A folder where the file was, of the size checked: opening it works, reading it fails as a bad disk would.
    const path = join(folder, 'unreadable.png');
    await mkdir(path);
    const reference: WorkspaceReference = { ...files[0], path, name: 'images/unreadable.png', byteLength: (await stat(path)).size };
    await assert.rejects(collect(requestBody(request({ references: [reference] })).open()), (error: unknown) => {
      assert.ok(error instanceof SeedreamError, String(error));
      assert.equal(error.kind, 'invalidInput');
      assert.equal(
        error.message,
        'The reference image images/unreadable.png could not be read while it was sent (EISDIR), so the request was stopped before it was complete (nothing was billed). Check the file, then try again.',
      );
      return true;
    });
  });

  it('says which reference is gone', async () => {
    const gone = { ...files[0], path: join(folder, 'deleted.png'), name: 'images/deleted.png' };
    await assert.rejects(
      collect(requestBody(request({ references: [gone] })).open()),
      /The reference image images\/deleted\.png could not be read \(ENOENT\)/,
    );
  });
});
