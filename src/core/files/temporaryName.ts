/** Names of the temporary files images are written to before they get their own name. */

import { randomId } from './random';

/** Temporary files start with this, so a crash's leftovers can be recognised and removed. */
export const TEMP_FILE_PREFIX = '.seedream-';
export const TEMP_FILE_SUFFIX = '.part';

export function temporaryFileName(): string {
  return `${TEMP_FILE_PREFIX}${randomId()}${TEMP_FILE_SUFFIX}`;
}

export function isTemporaryFileName(name: string): boolean {
  return name.startsWith(TEMP_FILE_PREFIX) && name.endsWith(TEMP_FILE_SUFFIX);
}
