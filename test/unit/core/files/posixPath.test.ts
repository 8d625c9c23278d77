import assert from 'node:assert/strict';
import { fileNameOf, parentPath, workspaceFolderOf } from '../../../../src/core/files/posixPath';

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

  it('finds a workspace path in the folder it names when there are two (bug: the Studio read every reference in the first folder)', () => {
    const folders = ['site', 'assets'];
    assert.deepEqual(workspaceFolderOf('assets/img/logo.png', folders), { folder: 1, inside: 'img/logo.png' });
    assert.deepEqual(workspaceFolderOf('/site/docs/a.png', folders), { folder: 0, inside: 'docs/a.png' });
    assert.deepEqual(workspaceFolderOf('img/logo.png', folders), { inside: 'img/logo.png' }, 'names no folder: the default one');
    assert.deepEqual(workspaceFolderOf('assets', folders), { inside: 'assets' }, 'a folder name alone is no file in it');
    assert.deepEqual(workspaceFolderOf('assets/img/logo.png', ['assets']), { inside: 'assets/img/logo.png' }, 'one folder: never a prefix');
  });
});
