import assert from 'node:assert/strict';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { bytesHandedBack } from '../../../src/core/errors/errors';
import { collectGarbage } from '../../support/garbage';
import { writeNewLocalFile, type LocalFiles } from '../../../src/engine/localFile';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    yield Buffer.from(part);
  }
}

function* numbered(base: string): Generator<string> {
  yield `${base}.png`;
  for (let i = 1; ; i++) {
    yield `${base}-${i}.png`;
  }
}

describe('writeNewLocalFile', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'seedream-local-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('creates missing folders and writes the bytes under the first free name', async () => {
    const target = join(folder, 'docs', 'images');
    const path = await writeNewLocalFile(target, chunks('ab', 'cd'), () => numbered('cat'), new AbortController().signal);
    assert.equal(path, join(target, 'cat.png'));
    assert.equal(await readFile(path, 'utf8'), 'abcd');
    assert.deepEqual(await readdir(target), ['cat.png']);
  });

  it('never overwrites: picks -1, -2 ... and leaves the existing files untouched', async () => {
    await writeFile(join(folder, 'cat.png'), 'first');
    await writeFile(join(folder, 'cat-1.png'), 'second');
    const path = await writeNewLocalFile(folder, chunks('third'), () => numbered('cat'), new AbortController().signal);
    assert.equal(path, join(folder, 'cat-2.png'));
    assert.equal(await readFile(join(folder, 'cat.png'), 'utf8'), 'first');
    assert.equal(await readFile(join(folder, 'cat-1.png'), 'utf8'), 'second');
  });

  it('gives parallel writers distinct names', async () => {
    const signal = new AbortController().signal;
    const paths = await Promise.all(
      [1, 2, 3, 4].map((i) => writeNewLocalFile(folder, chunks(`image ${i}`), () => numbered('cat'), signal)),
    );
    assert.equal(new Set(paths).size, 4);
    assert.equal((await readdir(folder)).length, 4);
  });

  it('leaves no file when the source fails midway or the names are refused', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('partial');
      throw new Error('connection reset');
    }
    await assert.rejects(
      writeNewLocalFile(folder, failing(), () => numbered('cat'), new AbortController().signal),
      /connection reset/,
    );
    await assert.rejects(
      writeNewLocalFile(
        folder,
        chunks('whole'),
        () => {
          throw new Error('not an image');
        },
        new AbortController().signal,
      ),
      /not an image/,
    );
    assert.deepEqual(await readdir(folder), []);
  });

  // Each stage a cancel can reach the writer at, with a source the cancel destroys (a download's body, as
  // undici does) and one it does not reach. A cancel while the file opened left the write waiting forever:
  // the body's 'error' and 'close' and the signal's 'abort' had all gone out before anyone listened.
  for (const stage of ['before the file opens', 'while the file opens', 'mid-body'] as const) {
    for (const destroyedByCancel of [true, false]) {
      const source = destroyedByCancel ? 'a body the cancel destroys' : 'a source the cancel does not reach';
      it(`ends with the cancel and leaves no file when cancelled ${stage}, from ${source} (the hang on cancel)`, async () => {
        const controller = new AbortController();
        const body = new PassThrough();
        body.write(Buffer.from('partial'));
        if (destroyedByCancel) {
          // As undici destroys a body on a cancel, with a listener for its error.
          controller.signal.addEventListener('abort', () => body.on('error', () => undefined).destroy(controller.signal.reason));
        }
        let openFiles = 0;
        const files: LocalFiles = {
          async createExclusive(path) {
            const file = await open(path, 'wx');
            openFiles++;
            if (stage === 'while the file opens') {
              controller.abort();
              // Whatever the cancel sets off goes out before the writer has its file.
              await new Promise((resolve) => setImmediate(resolve));
            }
            return {
              async writev(buffers: Uint8Array[]) {
                const written = await file.writev(buffers);
                if (stage === 'mid-body') {
                  controller.abort();
                }
                return written;
              },
              async close() {
                openFiles--;
                await file.close();
              },
            };
          },
        };
        if (stage === 'before the file opens') {
          controller.abort();
        }
        await assert.rejects(
          writeNewLocalFile(folder, body, () => numbered('cat'), controller.signal, files),
          { name: 'AbortError' },
        );
        assert.equal(openFiles, 0, 'the file was closed');
        assert.deepEqual(await readdir(folder), []);
      });
    }
  }

  it('leaves no temporary file when the source fails before the file is open (the flaky leftover)', async () => {
    // eslint-disable-next-line require-yield -- a source that fails before its first chunk
    async function* failingAtOnce(): AsyncGenerator<Uint8Array> {
      throw new Error('refused at once');
    }
    for (let attempt = 0; attempt < 300; attempt++) {
      await assert.rejects(
        writeNewLocalFile(folder, failingAtOnce(), () => numbered('cat'), new AbortController().signal),
        /refused at once/,
      );
    }
    assert.deepEqual(await readdir(folder), []);
  });

  it('holds no chunk it was given while the disk writes (chunks held until written lived on as garbage in the old generation)', async () => {
    let release = (): void => undefined;
    const disk = new Promise<void>((resolve) => (release = resolve));
    const slowDisk: LocalFiles = {
      async createExclusive(path) {
        const file = await open(path, 'wx');
        return {
          async writev(buffers: Uint8Array[]) {
            await disk;
            return file.writev(buffers);
          },
          close: () => file.close(),
        };
      },
    };
    const given: WeakRef<Uint8Array>[] = [];
    let ended = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 8; i++) {
        const chunk = Buffer.alloc(1000, 0x61 + i);
        given.push(new WeakRef(chunk));
        yield chunk;
      }
      ended = true;
    }
    const writing = writeNewLocalFile(folder, source(), () => numbered('cat'), new AbortController().signal, slowDisk);
    while (!ended) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    assert.deepEqual(
      given.map((chunk) => chunk.deref() !== undefined),
      Array(8).fill(false),
      'chunks still held while the first write waits for the disk',
    );
    release();
    const path = await writing;
    assert.equal(
      await readFile(path, 'utf8'),
      'abcdefgh'
        .split('')
        .map((letter) => letter.repeat(1000))
        .join(''),
    );
  });

  it('hands back every byte of an image whose write fails midway (a full disk), so none is lost', async () => {
    const parts = ['0123456789', 'abcdefghij', 'KLMNOPQRST', 'uvwxyz'];
    let room = 15;
    const fullDisk: LocalFiles = {
      // A real file that takes `room` bytes, part of a write at a time, then refuses the rest.
      async createExclusive(path) {
        const file = await open(path, 'wx');
        return {
          async writev(buffers: Uint8Array[]) {
            if (room === 0) {
              throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
            }
            const taken = Buffer.concat(buffers).subarray(0, room);
            room -= taken.length;
            return file.writev([taken]);
          },
          close: () => file.close(),
        };
      },
    };
    let failure: unknown;
    try {
      await writeNewLocalFile(folder, chunks(...parts), () => numbered('cat'), new AbortController().signal, fullDisk);
    } catch (error) {
      failure = error;
    }
    assert.match(String(failure), /ENOSPC/);
    const remainder = bytesHandedBack(failure);
    assert.ok(remainder, 'the bytes are handed back');
    const handedBack: Buffer[] = [];
    for await (const chunk of remainder) {
      handedBack.push(Buffer.from(chunk));
    }
    assert.equal(Buffer.concat(handedBack).toString(), parts.join(''));
    assert.deepEqual(await readdir(folder), [], 'the partial file is gone');
  });
});
