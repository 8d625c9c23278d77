/** A local image file's size on disk and its header (format and pixel size), read without decoding it. */

import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { readImageHeader, type ImageHeader } from '../core/image/imageHeader';

export interface InspectedImageFile {
  readonly byteLength: number;
  /** Undefined when the header is not one of an image format known here. */
  readonly header?: ImageHeader;
}

/**
 * Throws as `open` does (ENOENT, EISDIR, EACCES), for the caller to say which reference it was, and with
 * ENOTFILE for what is neither a file nor a folder (a named pipe, a device).
 */
export async function inspectImageFile(path: string): Promise<InspectedImageFile> {
  // Looked at before it is opened: opening a named pipe waits for a writer, which may never come.
  notAFile(path, await stat(path));
  const file = await open(path, 'r');
  try {
    const stat = await file.stat();
    notAFile(path, stat);
    const header = await readImageHeader(async (offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, stat.size - offset)));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    });
    return { byteLength: stat.size, ...(header ? { header } : {}) };
  } finally {
    await file.close();
  }
}

function notAFile(path: string, stats: Stats): void {
  if (!stats.isFile()) {
    throw Object.assign(new Error(`${path} is not a file`), { code: stats.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
  }
}
