import assert from 'node:assert/strict';
import { resolveOutputFolder, type OutputFolderContext } from '../../../../src/core/files/outputFolder';

const WORKSPACE = '/home/me/site';
const context: OutputFolderContext = {
  workspaceFolderPath: WORKSPACE,
  documentPath: `${WORKSPACE}/docs/guide/intro.md`,
  date: new Date(2024, 2, 5, 23, 59),
  model: 'seedream-4-5-251128',
};

function resolved(template: string, overrides: Partial<OutputFolderContext> = {}): string {
  const result = resolveOutputFolder(template, { ...context, ...overrides });
  assert.ok(result.ok, `expected "${template}" to resolve, got: ${result.ok ? '' : result.message}`);
  return result.path;
}

function refused(template: string, overrides: Partial<OutputFolderContext> = {}): string {
  const result = resolveOutputFolder(template, { ...context, ...overrides });
  assert.ok(!result.ok, `expected "${template}" to be refused, got ${result.ok ? result.path : ''}`);
  assert.ok(result.message.includes(`seedream.outputFolder "${template.trim()}"`), result.message);
  return result.message;
}

describe('outputFolder', () => {
  describe('relative to the document folder', () => {
    const cases: ReadonlyArray<[string, string]> = [
      ['images', `${WORKSPACE}/docs/guide/images`],
      ['images/', `${WORKSPACE}/docs/guide/images`],
      ['./images//cats/.', `${WORKSPACE}/docs/guide/images/cats`],
      ['', `${WORKSPACE}/docs/guide`],
      ['.', `${WORKSPACE}/docs/guide`],
      ['  images  ', `${WORKSPACE}/docs/guide/images`],
      ['../assets', `${WORKSPACE}/docs/assets`],
      ['../../assets', `${WORKSPACE}/assets`],
      ['../..', WORKSPACE],
      ['images/${documentBaseName}', `${WORKSPACE}/docs/guide/images/intro`],
      ['${documentFileName}.assets', `${WORKSPACE}/docs/guide/intro.md.assets`],
      ['by-type/${documentExtName}', `${WORKSPACE}/docs/guide/by-type/md`],
      ['generated/${date}/${model}', `${WORKSPACE}/docs/guide/generated/2024-03-05/seedream-4-5`],
      ['\\$money', `${WORKSPACE}/docs/guide/$money`],
      ['图片 (AI)/猫', `${WORKSPACE}/docs/guide/图片 (AI)/猫`],
      // As in VS Code, documentRelativeDirName needs a leading "/" to start at the root.
      ['${documentRelativeDirName}', `${WORKSPACE}/docs/guide/docs/guide`],
    ];
    for (const [template, expected] of cases) {
      it(`"${template}" -> ${expected}`, () => {
        assert.equal(resolved(template), expected);
      });
    }
  });

  describe('relative to the workspace folder', () => {
    const cases: ReadonlyArray<[string, string]> = [
      ['/images', `${WORKSPACE}/images`],
      ['/', WORKSPACE],
      ['//assets//img/', `${WORKSPACE}/assets/img`],
      ['/assets/${documentRelativeDirName}', `${WORKSPACE}/assets/docs/guide`],
      ['/${documentRelativeDirName}/images', `${WORKSPACE}/docs/guide/images`],
      ['/other/place', `${WORKSPACE}/other/place`],
      ['/docs/../images', `${WORKSPACE}/images`],
    ];
    for (const [template, expected] of cases) {
      it(`"${template}" -> ${expected}`, () => {
        assert.equal(resolved(template), expected);
      });
    }

    it('takes a relative template from the workspace folder when there is no document', () => {
      assert.equal(resolved('images', { documentPath: undefined }), `${WORKSPACE}/images`);
      assert.equal(resolved('/images', { documentPath: undefined }), `${WORKSPACE}/images`);
      assert.equal(resolved('${date}', { documentPath: undefined }), `${WORKSPACE}/2024-03-05`);
    });

    it('gives an empty relative folder for a document at the root', () => {
      const atRoot = { documentPath: `${WORKSPACE}/README.md` };
      assert.equal(resolved('/${documentRelativeDirName}/images', atRoot), `${WORKSPACE}/images`);
      assert.equal(resolved('${documentRelativeDirName}', atRoot), WORKSPACE);
    });
  });

  describe('absolute paths inside the workspace', () => {
    const cases: ReadonlyArray<[string, string]> = [
      ['${documentDirName}/img', `${WORKSPACE}/docs/guide/img`],
      ['${documentDirName}', `${WORKSPACE}/docs/guide`],
      ['${documentWorkspaceFolder}/assets', `${WORKSPACE}/assets`],
      ['${documentWorkspaceFolder}', WORKSPACE],
      ['${documentDirName}/../shared', `${WORKSPACE}/docs/shared`],
      [`${WORKSPACE}/assets`, `${WORKSPACE}/assets`],
    ];
    for (const [template, expected] of cases) {
      it(`"${template}" -> ${expected}`, () => {
        assert.equal(resolved(template), expected);
      });
    }

    it('accepts a workspace folder path with a trailing slash', () => {
      assert.equal(resolved('${documentWorkspaceFolder}/a', { workspaceFolderPath: `${WORKSPACE}/` }), `${WORKSPACE}/a`);
      assert.equal(resolved('/a', { workspaceFolderPath: `${WORKSPACE}/` }), `${WORKSPACE}/a`);
    });
  });

  describe('document name variables', () => {
    it('splits the last extension only', () => {
      const archive = { documentPath: `${WORKSPACE}/notes.v2.tar.md` };
      assert.equal(resolved('${documentBaseName}-${documentExtName}', archive), `${WORKSPACE}/notes.v2.tar-md`);
    });

    it('takes no extension from a leading dot, as path.extname', () => {
      const dotFile = { documentPath: `${WORKSPACE}/docs/.notes` };
      assert.equal(resolved('${documentBaseName}_${documentExtName}x', dotFile), `${WORKSPACE}/docs/.notes_x`);
    });

    it('gives an empty extension to a name without one', () => {
      assert.equal(resolved('a${documentExtName}b', { documentPath: `${WORKSPACE}/Makefile` }), `${WORKSPACE}/ab`);
    });
  });

  describe('Windows drives in URI paths', () => {
    const windows = {
      workspaceFolderPath: '/c:/Users/me/site',
      documentPath: '/c:/Users/me/site/docs/a.md',
    };

    it('resolves like any other path', () => {
      assert.equal(resolved('images', windows), '/c:/Users/me/site/docs/images');
      assert.equal(resolved('/images', windows), '/c:/Users/me/site/images');
      assert.equal(resolved('${documentWorkspaceFolder}/img', windows), '/c:/Users/me/site/img');
    });

    it('treats a c: segment in the template as an ordinary folder name', () => {
      assert.equal(resolved('c:/x', windows), '/c:/Users/me/site/docs/c:/x');
      assert.equal(resolved('/d:/x', windows), '/c:/Users/me/site/d:/x');
    });

    it('refuses leaving the drive folder', () => {
      assert.match(refused('../../..', windows), /outside the workspace folder "\/c:\/Users\/me\/site"/);
    });
  });

  describe('without a workspace folder', () => {
    const noFolder = { workspaceFolderPath: undefined, documentPath: undefined };

    it('takes an absolute path as it is', () => {
      assert.equal(resolved('/data//pics/', noFolder), '/data/pics');
      assert.equal(resolved('/data/pics/${date}', noFolder), '/data/pics/2024-03-05');
    });

    it('refuses a relative path, saying no folder is open', () => {
      assert.match(refused('images', noFolder), /no folder is open/);
      assert.match(refused('', noFolder), /no folder is open/);
    });

    it('refuses the workspace folder variable, saying no folder is open', () => {
      const message = refused('${documentWorkspaceFolder}/img', noFolder);
      assert.match(message, /no folder is open/);
      assert.match(message, /remove \$\{documentWorkspaceFolder\}/);
    });

    it('refuses climbing above the root', () => {
      assert.match(refused('/data/../..', noFolder), /above the root/);
    });
  });

  describe('refusals', () => {
    it('refuses .. that leaves the workspace, naming the result and the workspace', () => {
      const message = refused('../../../etc');
      assert.match(message, /resolves to "\/home\/me\/etc", outside the workspace folder "\/home\/me\/site"/);
      assert.match(message, /relative to the document \("images"\) or to the workspace root \("\/images"\)/);
    });

    const escaping = [
      '../../..',
      '/..',
      '/../x',
      '/images/../../x',
      '${documentWorkspaceFolder}/..',
      '${documentWorkspaceFolder}/../site-other',
      '${documentDirName}/../../../..',
      `${WORKSPACE}/../other`,
      '../'.repeat(20),
    ];
    for (const template of escaping) {
      it(`refuses "${template}"`, () => {
        assert.match(refused(template), /outside the workspace folder/);
      });
    }

    it('refuses .. from the workspace root when there is no document', () => {
      assert.match(refused('..', { documentPath: undefined }), /outside the workspace folder/);
    });

    it('refuses a document variable without a document', () => {
      const message = refused('images/${documentBaseName}', { documentPath: undefined });
      assert.match(message, /no saved document/);
      assert.match(message, /open a saved document or remove \$\{documentBaseName\}/i);
    });

    it('names every missing document variable once', () => {
      const message = refused('${documentDirName}/${documentBaseName}/${documentDirName}', { documentPath: undefined });
      assert.match(message, /remove \$\{documentDirName\}, \$\{documentBaseName\}\./);
    });

    for (const name of ['documentDirName', 'documentRelativeDirName', 'documentFileName', 'documentBaseName', 'documentExtName']) {
      it(`refuses \${${name}} without a document`, () => {
        assert.match(refused(`x/\${${name}}`, { documentPath: undefined }), /no saved document/);
      });
    }

    it('refuses an unknown variable, listing the known ones', () => {
      const message = refused('images/${fileName}');
      assert.match(message, /unknown variable \$\{fileName\}/);
      assert.match(
        message,
        /\$\{documentDirName\}, \$\{documentRelativeDirName\}, \$\{documentFileName\}, \$\{documentBaseName\}, \$\{documentExtName\}, \$\{documentWorkspaceFolder\}, \$\{date\}, \$\{model\}/,
      );
    });

    it('refuses an unknown variable even when it would not be reached', () => {
      assert.match(refused('${prompt}', { workspaceFolderPath: undefined }), /unknown variable \$\{prompt\}/);
    });

    it('refuses an unclosed ${', () => {
      assert.match(refused('images/${date'), /no closing/);
    });

    it('refuses backslashes, which would separate folders on Windows', () => {
      assert.match(refused('images\\cats'), /backslash.*"\/"/);
      assert.match(refused('..\\..\\..\\etc'), /backslash/);
    });
  });
});
