import assert from 'node:assert/strict';
import { fileNameOf, parentPath } from '../../../../src/core/files/posixPath';

describe('posixPath', () => {
  it('fileNameOf gives the last name of a path', () => {
    assert.equal(fileNameOf('/docs/images/a.png'), 'a.png');
    assert.equal(fileNameOf('a.png'), 'a.png');
    assert.equal(fileNameOf('/c:/Users/me/图片.png'), '图片.png');
  });

  it('parentPath gives the folder, and / for a name at the root', () => {
    assert.equal(parentPath('/docs/images/a.png'), '/docs/images');
    assert.equal(parentPath('/a.png'), '/');
    assert.equal(parentPath('/c:/docs'), '/c:');
  });
});
