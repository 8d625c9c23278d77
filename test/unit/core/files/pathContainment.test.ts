import assert from 'node:assert/strict';
import { climbsOutOfFolder } from '../../../../src/core/files/pathContainment';

/** [path relative to the folder, separator, whether it climbs out, what it is] */
const PATHS: readonly (readonly [path: string, separator: string, escapes: boolean, what: string])[] = [
  ['..images', '/', false, 'a folder named ..images at the workspace root (issue: false positive on ..images)'],
  ['..images/cats', '/', false, 'below a folder named ..images'],
  ['..images\\cats', '\\', false, 'below a folder named ..images, with backslashes'],
  ['...', '/', false, 'a name made of three dots'],
  ['.', '/', false, 'the folder itself'],
  ['', '/', false, 'the folder itself, empty'],
  ['..', '/', true, 'the parent'],
  ['../x', '/', true, 'beside the folder'],
  ['..\\x', '\\', true, 'beside the folder, with backslashes'],
  ['a/../..', '/', true, 'above the folder after going down'],
  ['a/..', '/', false, 'down and back'],
  ['a/b/../c', '/', false, 'a .. that stays below the folder'],
  ['..\\x', '/', false, 'a backslash where it is not the separator: part of a name'],
];

describe('climbsOutOfFolder', () => {
  for (const [path, separator, escapes, what] of PATHS) {
    it(`${JSON.stringify(path)} with ${separator} ${escapes ? 'climbs out' : 'stays inside'}: ${what}`, () => {
      assert.equal(climbsOutOfFolder(path, separator), escapes);
    });
  }
});
