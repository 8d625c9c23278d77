// The commands inside a real VS Code: settings, argument objects, returned URIs, files in the workspace,
// links inserted into open documents. The API is a local server started by the suite.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readEmbeddedMetadata } from '../../src/core/image/imageMetadata';
import { FakeApiServer } from '../support/fakeApiServer';
import { withoutProvenance } from '../support/images';
import { seedreamConfig as config, useLocalApi } from './localApi';

suite('Generate Image', () => {
  const api = useLocalApi();

  suiteTeardown(async () => {
    for (const key of ['model', 'size', 'outputFolder', 'insertLink', 'n']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  async function generate(args: Record<string, unknown>): Promise<vscode.Uri[]> {
    return (await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', args)) ?? [];
  }

  async function writeDocument(relativePath: string, content: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.joinPath(api.workspace, relativePath);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  }

  function select(editor: vscode.TextEditor, text: string): void {
    const offset = editor.document.getText().indexOf(text);
    assert.ok(offset >= 0, `"${text}" is in the document`);
    editor.selection = new vscode.Selection(editor.document.positionAt(offset), editor.document.positionAt(offset + text.length));
  }

  test('an argument object runs without asking and returns the saved files', async () => {
    const uris = await generate({ prompt: 'A lighthouse at dusk', folder: '/generated', n: 2 });
    assert.equal(uris.length, 2);
    for (const [index, uri] of uris.entries()) {
      assert.ok(uri.path.startsWith(`${api.workspace.path}/generated/`), uri.path);
      assert.match(uri.path, /\/a-lighthouse-at-dusk(-\d)?\.png$/);
      const saved = Buffer.from(await vscode.workspace.fs.readFile(uri));
      assert.equal(readEmbeddedMetadata(saved)?.prompt, 'A lighthouse at dusk', 'the file records its prompt');
      assert.deepEqual(withoutProvenance(saved), api.server.imageBytes('png', index));
    }
    const [request] = api.server.apiRequests;
    assert.equal(request.json?.prompt, 'A lighthouse at dusk');
    assert.equal(request.json?.n, 2);
    assert.equal(request.json?.watermark, false);
    assert.equal(
      api.server.downloadRequests.every((download) => download.headers.authorization === undefined),
      true,
    );
  });

  /** Runs `body` with user settings changed, and restores them whatever happens. */
  async function withSettings(settings: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    for (const [key, value] of Object.entries(settings)) {
      await config().update(key, value, vscode.ConfigurationTarget.Global);
    }
    try {
      await body();
    } finally {
      for (const key of Object.keys(settings)) {
        await config().update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    }
  }

  test('a changed setting applies to the next run without a reload', () =>
    withSettings({ model: 'seedream-4-0-250828', size: '1K' }, async () => {
      const uris = await generate({ prompt: '一只橘猫在窗台上睡觉', folder: '/generated' });
      assert.equal(api.server.apiRequests[0].json?.model, 'seedream-4-0-250828');
      assert.equal(api.server.apiRequests[0].json?.size, '1K');
      assert.equal(uris.length, 1);
      assert.match(uris[0].path, /\/一只橘猫在窗台上睡觉\.jpg$/, 'Chinese prompts give Chinese names; JPEG bytes give .jpg');
    }));

  test('an invalid size in the settings sends no request', () =>
    withSettings({ size: '5000x5000' }, async () => {
      assert.deepEqual(await generate({ prompt: 'a cat' }), []);
      assert.equal(api.server.apiRequests.length, 0);
    }));

  test('an empty prompt or a bad argument sends no request', async () => {
    assert.deepEqual(await generate({ prompt: '   ' }), []);
    assert.deepEqual(await generate({ prompt: 'a cat', n: 9 }), []);
    assert.deepEqual(await generate({ prompt: 'a cat', colour: 'red' }), []);
    assert.equal(api.server.apiRequests.length, 0);
  });

  test('a 401 saves nothing', async () => {
    api.server.enqueue({ kind: 'status', status: 401, body: { error: { code: 'AuthenticationError', message: 'invalid key' } } });
    assert.deepEqual(await generate({ prompt: 'a cat', folder: '/unauthorised' }), []);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(api.workspace, 'unauthorised'))));
  });

  test('from Selection in Markdown inserts a relative link under the selected text', async () => {
    const editor = await writeDocument('docs/guide.md', '# Guide\n\nA login flow diagram, flat vector style\n\nMore text.\n');
    select(editor, 'A login flow diagram, flat vector style');
    const uris = (await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateFromSelection')) ?? [];
    assert.equal(uris.length, 1);
    assert.equal(uris[0].path, `${api.workspace.path}/docs/images/a-login-flow-diagram-flat-vector-style.png`);
    assert.equal(
      editor.document.getText(),
      '# Guide\n\nA login flow diagram, flat vector style\n\n![A login flow diagram, flat vector style](images/a-login-flow-diagram-flat-vector-style.png)\n\nMore text.\n',
    );
  });

  test('from Selection in reStructuredText writes an image directive', async () => {
    const editor = await writeDocument('docs/intro.rst', 'Intro\n=====\n\nA red fox in the snow\n');
    select(editor, 'A red fox in the snow');
    const uris = (await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateFromSelection')) ?? [];
    assert.equal(uris.length, 1);
    assert.equal(editor.document.languageId, 'restructuredtext');
    assert.equal(
      editor.document.getText(),
      'Intro\n=====\n\nA red fox in the snow\n\n.. image:: images/a-red-fox-in-the-snow.png\n   :alt: A red fox in the snow\n',
    );
  });

  test('insert: true puts the link at the cursor, relative to the document', async () => {
    const editor = await writeDocument('docs/deep/page.md', 'Before\n\nAfter\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const uris = await generate({ prompt: 'a tiny robot', folder: '/assets', insert: true });
    assert.equal(uris.length, 1);
    assert.equal(editor.document.getText(), 'Before\n![a tiny robot](../../assets/a-tiny-robot.png)\nAfter\n');
  });

  test('an output folder that leaves the api.workspace, also through a symbolic link, is refused before any request', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'seedream-outside-'));
    const link = path.join(api.workspace.fsPath, 'docs', 'linked-out');
    fs.symlinkSync(outside, link);
    try {
      assert.deepEqual(await generate({ prompt: 'a cat', folder: '/docs/linked-out/images' }), []);
      assert.deepEqual(await generate({ prompt: 'a cat', folder: '../../escape' }), []);
      assert.equal(api.server.apiRequests.length, 0);
      assert.deepEqual(fs.readdirSync(outside), []);
    } finally {
      fs.rmSync(link);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('an image the folder refuses is kept in the extension storage, not lost', async () => {
    // A file where the output folder should be: creating the folder fails after the API has billed the image.
    fs.writeFileSync(path.join(api.workspace.fsPath, 'blocker'), 'not a folder');
    try {
      assert.deepEqual(await generate({ prompt: 'a rescued cat', folder: '/blocker/images' }), []);
      assert.equal(api.server.apiRequests.length, 1);
      // The extension's global storage lies in the user data folder, beside the scratch workspace of this run.
      const kept = fs
        .readdirSync(path.join(api.workspace.fsPath, '..'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && path.basename(entry.parentPath) === 'rescued' && entry.name.startsWith('a-rescued-cat'));
      assert.equal(kept.length, 1, 'the image is kept');
      assert.deepEqual(withoutProvenance(fs.readFileSync(path.join(kept[0].parentPath, kept[0].name))), api.server.imageBytes('png', 0));
    } finally {
      fs.rmSync(path.join(api.workspace.fsPath, 'blocker'));
    }
  });

  test('a workspace cannot redirect the key to another server', async () => {
    const intruder = await FakeApiServer.start();
    try {
      const settingsUri = vscode.Uri.joinPath(api.workspace, '.vscode', 'settings.json');
      await vscode.workspace.fs.writeFile(settingsUri, Buffer.from(JSON.stringify({ 'seedream.baseUrl': intruder.baseUrl })));
      const uris = await generate({ prompt: 'a cat', folder: '/generated' });
      assert.equal(uris.length, 1);
      assert.equal(intruder.requests.length, 0, 'the workspace base URL got a request');
      assert.equal(api.server.apiRequests.length, 1);
      await vscode.workspace.fs.delete(settingsUri);
    } finally {
      await intruder.close();
    }
  });
});
