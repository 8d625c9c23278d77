import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectImageFile } from '../../../src/engine/imageFileHeader';
import { makePng } from '../../support/images';

describe('inspectImageFile', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'seedream-inspect-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it("reads a file's size from the disk and its format and pixel size from its header", async () => {
    const bytes = makePng({ width: 40, height: 30 });
    await writeFile(join(folder, 'photo.png'), bytes);
    assert.deepEqual(await inspectImageFile(join(folder, 'photo.png')), {
      byteLength: bytes.length,
      header: { format: 'png', width: 40, height: 30 },
    });
  });

  it('refuses a folder as EISDIR', async () => {
    await mkdir(join(folder, 'images.png'));
    await assert.rejects(inspectImageFile(join(folder, 'images.png')), { code: 'EISDIR' });
  });

  it('refuses a named pipe without waiting for a writer (bug: opening it hung the reference check for good)', async function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    this.timeout(3000);
    const pipe = join(folder, 'photo.png');
    execFileSync('mkfifo', [pipe]);
    await assert.rejects(inspectImageFile(pipe), { code: 'ENOTFILE' });
  });
});
