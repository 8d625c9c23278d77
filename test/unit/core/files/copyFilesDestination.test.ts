// markdown.copyFiles.destination read as VS Code's Markdown paste and drop read it.
import assert from 'node:assert/strict';
import { matchingDestination, resolveCopyFilesDestination, type CopyFilesContext } from '../../../../src/core/files/copyFilesDestination';

const context: CopyFilesContext = {
  documentPath: '/ws/docs/guide/setup.md',
  workspaceFolderPath: '/ws',
  fileName: 'a-lighthouse.png',
  now: new Date('2026-12-03T08:40:32.123Z'),
};

describe('markdown.copyFiles.destination', () => {
  it('the first entry whose glob matches the document wins; relative globs match anywhere', () => {
    const destinations = { '**/*.rst': 'rst/', 'guide/*.md': 'guide-media/', '*.md': 'media/' };
    assert.equal(matchingDestination(destinations, '/ws/docs/guide/setup.md', ['/ws']), 'guide-media/');
    assert.equal(matchingDestination(destinations, '/ws/README.md', ['/ws']), 'media/');
    assert.equal(matchingDestination(destinations, '/ws/notes.txt', ['/ws']), undefined);
  });

  it('a glob starting with / is anchored at each workspace folder, and dot folders match', () => {
    const destinations = { '/docs/**': '/static/img/' };
    assert.equal(matchingDestination(destinations, '/ws/docs/.drafts/a.md', ['/other', '/ws']), '/static/img/');
    assert.equal(matchingDestination(destinations, '/ws/blog/docs/a.md', ['/ws']), undefined);
  });

  it('a destination is relative to the document, or to the workspace folder with a leading /', () => {
    assert.equal(resolveCopyFilesDestination('images/', context), '/ws/docs/guide/images/a-lighthouse.png');
    assert.equal(resolveCopyFilesDestination('/static/img/', context), '/ws/static/img/a-lighthouse.png');
    assert.equal(resolveCopyFilesDestination('../assets/${fileName}', context), '/ws/docs/assets/a-lighthouse.png');
    assert.equal(resolveCopyFilesDestination('  ', context), '/ws/docs/guide/a-lighthouse.png', 'empty: beside the document');
  });

  it('knows every variable of VS Code, and keeps an unknown one as written', () => {
    assert.equal(
      resolveCopyFilesDestination('/media/${documentRelativeDirName}/${documentBaseName}-${unixTime}.${fileExtName}', context),
      '/ws/media/docs/guide/setup-1796287232123.png',
    );
    assert.equal(resolveCopyFilesDestination('${documentWorkspaceFolder}/x/${documentExtName}/', context), '/ws/x/md/a-lighthouse.png');
    assert.equal(
      resolveCopyFilesDestination('/y/${documentRelativeFilePath}-${isoTime}', context),
      '/ws/y/docs/guide/setup.md-2026-12-03T08:40:32.123Z',
    );
    assert.equal(resolveCopyFilesDestination('/z/${nope}/', context), '/ws/z/${nope}/a-lighthouse.png');
  });

  it('transforms a value with ${name/regex/replacement/} and reads \\$ as a dollar', () => {
    assert.equal(resolveCopyFilesDestination('/img/${documentBaseName/set/SET/}/', context), '/ws/img/SETup/a-lighthouse.png');
    assert.equal(resolveCopyFilesDestination('/img/${documentRelativeDirName/\\//-/}/', context), '/ws/img/docs-guide/a-lighthouse.png');
    assert.equal(resolveCopyFilesDestination('/img/\\$money/', context), '/ws/img/$money/a-lighthouse.png');
  });

  it('a destination that climbs above the root resolves to nothing', () => {
    assert.equal(resolveCopyFilesDestination('../../../../../x/', context), undefined);
  });
});
