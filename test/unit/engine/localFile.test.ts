import assert from 'node:assert/strict';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesHandedBack } from '../../../src/core/errors/errors';
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

  it('leaves no file when cancelled while writing', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('partial');
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield Buffer.from('rest');
    }
    await assert.rejects(
      writeNewLocalFile(folder, slow(), () => numbered('cat'), controller.signal),
      { name: 'AbortError' },
    );
    assert.deepEqual(await readdir(folder), []);
  });

  it('a cancel while the file is being created ends the save instead of hanging on a held download', async () => {
    const controller = new AbortController();
    const cancelledWhileCreating: LocalFiles = {
      async createExclusive(path) {
        controller.abort();
        return open(path, 'wx');
      },
    };
    // A download whose bytes never come: only the cancel can end the save.
    const held: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) };
    await assert.rejects(
      writeNewLocalFile(folder, held, () => numbered('cat'), controller.signal, cancelledWhileCreating),
      { name: 'AbortError' },
    );
    assert.deepEqual(await readdir(folder), []);
  });

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
