import assert from 'node:assert/strict';
import { climbsOutOfFolder } from '../../../../src/core/files/pathContainment';

describe('pathContainment', () => {
  it('a folder named ..images at the workspace root is not an escape (issue: false positive on ..images)', () => {
    assert.equal(climbsOutOfFolder('..images', '/'), false);
    assert.equal(climbsOutOfFolder('..images/cats', '/'), false);
    assert.equal(climbsOutOfFolder('..images\\cats', '\\'), false);
  });

  it('names made of dots other than .. stay inside', () => {
    assert.equal(climbsOutOfFolder('...', '/'), false);
    assert.equal(climbsOutOfFolder('.', '/'), false);
    assert.equal(climbsOutOfFolder('', '/'), false);
  });

  it('a .. that climbs above the folder escapes, with either separator', () => {
    assert.equal(climbsOutOfFolder('..', '/'), true);
    assert.equal(climbsOutOfFolder('../x', '/'), true);
    assert.equal(climbsOutOfFolder('..\\x', '\\'), true);
    assert.equal(climbsOutOfFolder('a/../..', '/'), true);
  });

  it('a .. that stays below the folder does not escape', () => {
    assert.equal(climbsOutOfFolder('a/..', '/'), false);
    assert.equal(climbsOutOfFolder('a/b/../c', '/'), false);
  });

  it('a backslash is part of a name where it is not the separator', () => {
    assert.equal(climbsOutOfFolder('..\\x', '/'), false);
  });
});
