/** The images the bench server serves, made once with the test image makers and cached (git-ignored). */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeJpeg, makePng } from '../test/support/images';
import { IMAGES, type Tier } from './cases';

export const CACHE_DIR = join(__dirname, '.cache');

export function loadImage(tier: Tier): Buffer {
  const { format, width, height } = IMAGES[tier];
  const file = join(CACHE_DIR, 'images', `${tier}-${width}x${height}.${format}`);
  try {
    return readFileSync(file);
  } catch {
    console.log(`Making the ${tier} ${format.toUpperCase()} (${width}x${height}) once; it is cached in ${file}`);
    const bytes = (format === 'png' ? makePng : makeJpeg)({ width, height, noise: true });
    mkdirSync(join(CACHE_DIR, 'images'), { recursive: true });
    writeFileSync(file, bytes);
    return bytes;
  }
}

export function warmUpImage(): Buffer {
  return makePng({ width: 64, height: 48 });
}

/**
 * What the batch case serves for its 2K requests: a real 2048x2048 PNG of smooth gradients, a few hundred
 * KB instead of the noise's 12.6 MB, so the batch measures its orchestration rather than the disk.
 */
export function batchImage(): Buffer {
  const { width, height } = IMAGES['2K'];
  return makePng({ width, height });
}
