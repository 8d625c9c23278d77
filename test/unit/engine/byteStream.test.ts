import assert from 'node:assert/strict';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteStream, chunksOf } from '../../../src/engine/byteStream';

const bytes = (text: string): Buffer => Buffer.from(text);

async function readAll(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) {
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString();
}

/** A writable that records each chunk it is given, as a file stream would receive them. */
function recorder(): { sink: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, chunks };
}

describe('ByteStream', () => {
  it('passes every chunk of a Node stream through the step, then the flush', async () => {
    const seen: string[] = [];
    const stream = new ByteStream(Readable.from([bytes('ab'), bytes('cd')], { objectMode: false }), {
      step: (chunk) => {
        seen.push(Buffer.from(chunk).toString());
        return [chunk, bytes('|')];
      },
      flush: () => [bytes('end')],
    });
    assert.equal(await readAll(stream), 'ab|cd|end');
    assert.deepEqual(seen, ['ab', 'cd']);
  });

  it('reads an async iterable source too, and passes chunks through unchanged without a step', async () => {
    async function* source(): AsyncIterable<Uint8Array> {
      yield bytes('one ');
      yield bytes('two');
    }
    assert.equal(await readAll(new ByteStream(source())), 'one two');
  });

  it('hands each chunk on as it is, without merging them, when piped', async () => {
    const source = new PassThrough();
    const { sink, chunks } = recorder();
    const piped = pipeline(new ByteStream(source), sink);
    for (const part of ['first', 'second', 'third']) {
      source.write(bytes(part));
    }
    source.end();
    await piped;
    assert.deepEqual(
      chunks.map((chunk) => chunk.toString()),
      ['first', 'second', 'third'],
    );
  });

  it('does not touch its source before the first read', async () => {
    let pulled = 0;
    async function* source(): AsyncIterable<Uint8Array> {
      pulled++;
      yield bytes('x');
    }
    const stream = new ByteStream(source());
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stream.started, false);
    assert.equal(pulled, 0);
    assert.equal(await readAll(stream), 'x');
    assert.equal(stream.started, true);
  });

  it('pauses its source while its own buffer is full, and resumes it when read', async () => {
    const source = new PassThrough();
    const stream = new ByteStream(source);
    const chunk = Buffer.alloc(64 * 1024, 1);
    stream.read(0); // starts the flow, as a consumer's first read does
    for (let i = 0; i < 4; i++) {
      source.write(chunk);
    }
    source.end();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.isPaused(), true);
    assert.equal(stream.readableLength, chunk.length, 'one chunk buffered, the rest left in the source');
    assert.equal((await readAll(stream)).length, 4 * chunk.length);
  });

  it('ends with the error a step throws, and destroys its source', async () => {
    const source = new PassThrough();
    const stream = new ByteStream(source, {
      step: () => {
        throw new Error('not an image');
      },
    });
    const reading = readAll(stream);
    source.write(bytes('<html>'));
    await assert.rejects(reading, /not an image/);
    assert.equal(source.destroyed, true);
  });

  it('turns a failure of its source into the error sourceError makes of it', async () => {
    const source = new PassThrough();
    const stream = new ByteStream(source, { sourceError: (error) => new Error(`mapped: ${(error as Error).message}`) });
    const reading = readAll(stream);
    source.write(bytes('abc'));
    source.destroy(new Error('ECONNRESET'));
    await assert.rejects(reading, /^Error: mapped: ECONNRESET$/);
  });

  it('fails when its source is closed before its end', async () => {
    const source = new PassThrough();
    const stream = new ByteStream(source, { sourceError: (error) => new Error(`mapped: ${(error as Error).message}`) });
    const reading = readAll(stream);
    source.write(bytes('abc'));
    source.destroy();
    await assert.rejects(reading, /mapped: The stream was closed before its end/);
  });

  // A cancel destroys the download's body while its file is still opening, before anyone reads it: its
  // 'error' and 'close' are gone by the first read, and a stream that waited for them hung the run.
  for (const [ending, failure, expected] of [
    ['fails', new Error('aborted'), /mapped: aborted/],
    ['is closed', undefined, /mapped: The stream was closed before its end/],
  ] as const) {
    it(`fails at its first read when its source ${ending} before it (the hang on cancel)`, async () => {
      const source = new PassThrough();
      source.on('error', () => undefined);
      source.destroy(failure);
      await new Promise((resolve) => setImmediate(resolve));
      const stream = new ByteStream(source, { sourceError: (error) => new Error(`mapped: ${(error as Error).message}`) });
      await assert.rejects(readAll(stream), expected);
    });
  }

  it('destroys its source when it is destroyed (a cancelled save)', async () => {
    const source = new PassThrough();
    const stream = new ByteStream(source);
    stream.resume();
    source.write(bytes('abc'));
    stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.destroyed, true);
  });
});

describe('chunksOf', () => {
  it('gives the chunks one by one as they arrived, even when several wait for a slow reader', async () => {
    const source = new PassThrough();
    const written = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    for (const part of written) {
      source.write(bytes(part));
    }
    source.end();
    const read: string[] = [];
    for await (const chunk of chunksOf(source)) {
      await new Promise((resolve) => setImmediate(resolve));
      read.push(Buffer.from(chunk).toString());
    }
    assert.deepEqual(read, written);
  });

  it('pauses the stream while it holds a few chunks, so a slow reader bounds the memory', async () => {
    const source = new PassThrough({ highWaterMark: 1 });
    const iterator = chunksOf(source)[Symbol.asyncIterator]();
    const first = iterator.next();
    for (let i = 0; i < 10; i++) {
      source.write(bytes(`chunk ${i}`));
    }
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.isPaused(), true);
    assert.ok(source.readableLength > 0, 'the rest waits in the stream');
    await iterator.return(undefined);
  });

  it("throws the stream's error after the chunks that came before it", async () => {
    const source = new PassThrough();
    source.write(bytes('kept'));
    const read: string[] = [];
    const reading = (async () => {
      for await (const chunk of chunksOf(source)) {
        read.push(Buffer.from(chunk).toString());
        source.destroy(new Error('ECONNRESET'));
      }
    })();
    await assert.rejects(reading, /ECONNRESET/);
    assert.deepEqual(read, ['kept']);
  });

  it('throws when the stream closes before its end', async () => {
    const source = new PassThrough();
    const reading = (async () => {
      for await (const chunk of chunksOf(source)) {
        assert.ok(chunk);
      }
    })();
    source.destroy();
    await assert.rejects(reading, /closed before its end/);
  });

  it('throws at once for a stream that failed before it was called (the hang on cancel)', async () => {
    const source = new PassThrough();
    source.on('error', () => undefined);
    source.destroy(new Error('aborted'));
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(chunksOf(source).next(), /aborted/);
  });

  it('ends at once for a stream that ended before it was called', async () => {
    const source = Readable.from([bytes('read by someone else')], { objectMode: false });
    await readAll(source);
    assert.deepEqual(await chunksOf(source).next(), { done: true, value: undefined });
  });
});
