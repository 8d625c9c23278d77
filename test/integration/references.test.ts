// Editing, fusion and image sets inside a real VS Code: Edit Image with one file and with several, references and
// maxImages in Generate Image's argument object, and Swap Link as one undoable edit. The API is a local server that
// decodes every inline reference and records its sha256.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { readEmbeddedMetadata } from '../../src/core/image/imageMetadata';
import { FakeApiServer, TEST_API_KEY } from '../support/fakeApiServer';
import { makeJpeg, makePng } from '../support/images';

const config = () => vscode.workspace.getConfiguration('seedream');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

suite('Reference images', () => {
  let server: FakeApiServer;
  let workspace: vscode.Uri;
  const photoBytes = makePng({ width: 96, height: 64, seed: 5, noise: true });
  const sketchBytes = makeJpeg({ width: 64, height: 96, seed: 6 });

  suiteSetup(async () => {
    server = await FakeApiServer.start();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite needs a workspace folder');
    workspace = folder.uri;
    process.env.APIYI_API_KEY = TEST_API_KEY;
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    delete process.env.APIYI_API_KEY;
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  setup(() => server.reset());
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  async function write(relativePath: string, bytes: Uint8Array | string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(workspace, relativePath);
    await vscode.workspace.fs.writeFile(uri, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    return uri;
  }

  test('Edit Image with one file URI saves a new file beside it from its exact bytes, the original untouched', async () => {
    const photo = await write('edit-one/login-flow.png', photoBytes);
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.editImage', photo, {
      instruction: 'make the background white',
    });
    assert.equal(uris.length, 1);
    assert.equal(uris[0].path, `${workspace.path}/edit-one/login-flow-edit.png`);
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(photo)), photoBytes, 'the original is untouched');
    const [request] = server.apiRequests;
    assert.equal(request.json?.prompt, 'make the background white');
    assert.deepEqual(request.references, [{ kind: 'inline', format: 'png', byteLength: photoBytes.length, sha256: sha256(photoBytes) }]);
    const metadata = readEmbeddedMetadata(await vscode.workspace.fs.readFile(uris[0]));
    assert.deepEqual(metadata?.references, [{ path: 'edit-one/login-flow.png', sha256: sha256(photoBytes) }]);

    const again = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.editImage', photo, { instruction: 'dark theme' });
    assert.equal(again[0].path, `${workspace.path}/edit-one/login-flow-edit-1.png`, 'an earlier edit is never overwritten');
  });

  test('Edit Image with several files fuses them in the order selected', async () => {
    const photo = await write('fuse/photo.png', photoBytes);
    const sketch = await write('fuse/sketch.jpg', sketchBytes);
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.editImage', sketch, [sketch, photo], {
      instruction: 'the sketch of image 1 drawn in the style of image 2',
    });
    assert.equal(uris.length, 1);
    assert.equal(uris[0].path, `${workspace.path}/fuse/sketch-edit.jpg`, 'beside the first, in its format where the model makes it');
    assert.deepEqual(
      server.apiRequests[0].references?.map((reference) => (reference.kind === 'inline' ? reference.sha256 : reference.url)),
      [sha256(sketchBytes), sha256(photoBytes)],
    );
  });

  test('Edit Image refuses a file outside the workspace before anything is sent', async () => {
    const outside = vscode.Uri.joinPath(workspace, '..', `outside-${Date.now()}.png`);
    await vscode.workspace.fs.writeFile(outside, photoBytes);
    try {
      const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.editImage', outside, { instruction: 'x' });
      assert.deepEqual(uris, []);
      assert.equal(server.apiRequests.length, 0);
    } finally {
      await vscode.workspace.fs.delete(outside);
    }
  });

  test('Generate Image takes references (path, file: URI, https address) and maxImages, and inserts a set in order', async () => {
    const photo = await write('set/photo.png', photoBytes);
    await write('set/sketch.jpg', sketchBytes);
    const document = await vscode.workspace.openTextDocument(await write('set/story.md', '# Story\n\n'));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    server.enqueue({ kind: 'images', count: 2 });
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', {
      prompt: 'a storyboard of the login flow',
      references: ['set/sketch.jpg', photo.toString(), 'https://example.com/logo.png'],
      maxImages: 3,
      folder: '/set/board',
      insert: true,
    });
    assert.equal(uris.length, 2, 'a set with fewer images than asked is kept: 2 of 3');
    const [request] = server.apiRequests;
    assert.equal(request.json?.sequential_image_generation, 'auto');
    assert.deepEqual(request.json?.sequential_image_generation_options, { max_images: 3 });
    assert.deepEqual(
      request.references?.map((reference) => (reference.kind === 'inline' ? reference.sha256 : reference.url)),
      [sha256(sketchBytes), sha256(photoBytes), 'https://example.com/logo.png'],
    );
    const links = document
      .getText()
      .split('\n')
      .filter((line) => line.startsWith('!['));
    assert.deepEqual(
      links.map((line) => /\((.*)\)/.exec(line)?.[1]),
      uris.map((uri) => vscode.workspace.asRelativePath(uri).replace(/^set\//, '')),
      'each image of the set on its own line, in order',
    );
    for (const [index, uri] of uris.entries()) {
      assert.deepEqual(readEmbeddedMetadata(await vscode.workspace.fs.readFile(uri))?.set, { index: index + 1, maxImages: 3 });
    }
  });

  test('Generate Image refuses a reference rule before sending, naming the rule', async () => {
    await write('rules/tiny.png', makePng({ width: 10, height: 40 }));
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', {
      prompt: 'x',
      references: ['rules/tiny.png'],
    });
    assert.deepEqual(uris, []);
    assert.equal(server.apiRequests.length, 0);
  });

  test('Swap Link points every link to the source at the edit as one undoable edit', async () => {
    const photo = await write('swap/diagram.png', photoBytes);
    const text = '# Guide\n\n![Diagram](diagram.png)\n\nAgain: ![Diagram](./diagram.png "prompt: a diagram")\n';
    const document = await vscode.workspace.openTextDocument(await write('swap/guide.md', text));
    await vscode.window.showTextDocument(document);
    const [edited] = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.editImage', photo, {
      instruction: 'same diagram, dark theme',
      swapLinks: true,
    });
    assert.equal(edited.path, `${workspace.path}/swap/diagram-edit.png`);
    assert.equal(
      document.getText(),
      '# Guide\n\n![Diagram](diagram-edit.png)\n\nAgain: ![Diagram](diagram-edit.png "prompt: a diagram")\n',
    );
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), text, 'one undo restores both links');
  });
});
