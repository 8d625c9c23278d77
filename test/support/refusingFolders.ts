/**
 * Folders that refuse files as a real disk does: read-only, or full. A root user writes through file
 * permissions, so for root (as in CI containers) they are small tmpfs mounts; otherwise a read-only
 * folder is one without write permission, and a full one cannot be made (undefined: the test skips).
 */

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RefusingFolder {
  readonly path: string;
  dispose(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

/** A folder in which no file can be created (EROFS or EACCES). */
export async function readOnlyFolder(): Promise<RefusingFolder | undefined> {
  const path = await mkdtemp(join(tmpdir(), 'seedream-readonly-'));
  if (!isRoot) {
    await chmod(path, 0o555);
    return { path, dispose: async () => chmod(path, 0o755).then(() => rm(path, { recursive: true, force: true })) };
  }
  return mounted(path, 'ro,size=64k');
}

/** A folder on a disk with `bytes` of room (whole pages): a larger file fails midway with ENOSPC. */
export async function fullFolder(bytes: number): Promise<RefusingFolder | undefined> {
  const path = await mkdtemp(join(tmpdir(), 'seedream-full-'));
  if (!isRoot) {
    await rm(path, { recursive: true });
    return undefined;
  }
  return mounted(path, `size=${Math.ceil(bytes / 4096) * 4096}`);
}

function mounted(path: string, options: string): RefusingFolder | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { stdio: 'ignore' });
  } catch {
    // A container without the right to mount: nothing here can refuse root.
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    dispose: async () => {
      execFileSync('umount', [path]);
      await rm(path, { recursive: true, force: true });
    },
  };
}
