/** Whether a path found on disk still lies inside the folder it was checked against. */

import { normalizeSegments } from './posixPath';

/**
 * Whether `relativePath`, relative to a folder as `path.relative` gives it (names joined by `separator`),
 * climbs out of that folder. Only a `..` name climbs: a folder called `..images` or `...` stays inside.
 */
export function climbsOutOfFolder(relativePath: string, separator: string): boolean {
  return normalizeSegments(relativePath.split(separator)) === undefined;
}
