/**
 * Streams bytes into a new file on the local disk without ever overwriting one or leaving a partial
 * file: write a temporary file in the target folder, then give it the first free name atomically.
 */

import { createWriteStream } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { temporaryFileName } from './temporaryName';

/**
 * What the file stream may hold while a write is on its way to the disk: the next chunks are received
 * (and decoded) meanwhile, then written together. With the default 16 KB each chunk waited for the
 * previous write, which made saving a 3K image about 15% slower.
 */
const WRITE_BUFFER_BYTES = 1024 * 1024;

export async function writeNewLocalFile(
  folder: string,
  chunks: AsyncIterable<Uint8Array>,
  /** Called once the bytes are on disk; yields the names to try, in order. */
  candidateNames: () => Iterable<string>,
  signal: AbortSignal,
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, temporaryFileName());
  try {
    const file = createWriteStream(temporary, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES });
    await pipeline(chunks, file, { signal });
    for (const name of candidateNames()) {
      const target = join(folder, name);
      if (await claimName(temporary, target)) {
        return target;
      }
    }
    throw new Error('no free file name'); // unreachable: the candidates are unbounded
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/**
 * Gives the temporary file the name `target` unless that exists. A hard link fails atomically on an
 * existing name; where links are not supported, an exclusive create reserves the name first.
 */
async function claimName(temporary: string, target: string): Promise<boolean> {
  try {
    await link(temporary, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      return false;
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
      throw error;
    }
  }
  try {
    await (await open(target, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
  await rename(temporary, target);
  return true;
}
