// The workspace's own conventions inside a real VS Code, while seedream.outputFolder is unset: a Docusaurus
// site gets its images in static/img/ with root-absolute links (which its MDX loader resolves from static/),
// markdown.copyFiles.destination is honoured as VS Code's paste honours it, and an output folder set wins.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { FakeApiServer, TEST_API_KEY } from '../support/fakeApiServer';
import { makePng } from '../support/images';

const config = () => vscode.workspace.getConfiguration('seedream');

suite('Docs-site conventions', () => {
  let server: FakeApiServer;
  let workspace: vscode.Uri;
  let site: vscode.Uri;

  suiteSetup(async () => {
    server = await FakeApiServer.start();
    workspace = vscode.workspace.workspaceFolders![0].uri;
    site = vscode.Uri.joinPath(workspace, 'website');
    process.env.APIYI_API_KEY = TEST_API_KEY;
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await config().update('outputFolder', undefined, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    delete process.env.APIYI_API_KEY;
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.delete(site, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await server.close();
  });

  setup(async () => {
    server.reset();
    await vscode.workspace.fs.delete(site, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    const write = (path: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(site, path), Buffer.from(text));
    await write('docusaurus.config.js', "module.exports = { title: 'Sample', url: 'https://example.com', baseUrl: '/' };\n");
    await write('docs/guide.md', '# Guide\n\n![A login screen, flat vector](/img/login-screen.png)\n\nText.\n');
    await write('README.md', '# Website\n');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('docsConvention', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('markdown').update('copyFiles.destination', undefined, vscode.ConfigurationTarget.Workspace);
  });

  async function openPage(path: string): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(site, path)));
    editor.selection = new vscode.Selection(editor.document.lineAt(4).range.end, editor.document.lineAt(4).range.end);
    return editor;
  }

  const generate = (args: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', { prompt: 'A sunrise over hills', insert: true, ...args });

  test('a Docusaurus page gets its image in static/img with a root-absolute link into it', async () => {
    const editor = await openPage('docs/guide.md');
    const [image] = await generate();
    assert.ok(image, 'an image was saved');
    assert.equal(image.path, `${site.path}/static/img/a-sunrise-over-hills.png`);
    assert.match(editor.document.getText(), /!\[A sunrise over hills\]\(\/img\/a-sunrise-over-hills\.png\)/);
  });

  test('a root-absolute link to a missing image is made where Docusaurus looks for it, in static/', async () => {
    const editor = await openPage('docs/guide.md');
    const offset = editor.document.getText().indexOf('/img/login-screen.png');
    const made = await vscode.commands.executeCommand<vscode.Uri>('seedream.generateMissingImage', {
      uri: editor.document.uri.toString(),
      offset,
    });
    assert.equal(made?.path, `${site.path}/static/img/login-screen.png`);
    assert.match(editor.document.getText(), /\]\(\/img\/login-screen\.png\)/, 'the link is kept as written');
  });

  test("a root-absolute from: reference is found where Docusaurus serves it, as the link's own path is (bug: it was looked for at the workspace root)", async () => {
    const source = makePng({ width: 64, height: 48, seed: 4, noise: true });
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(site, 'static/img/login.png'), source);
    const page = vscode.Uri.joinPath(site, 'docs/dark.md');
    const text = '# Dark\n\n![Login, dark](/img/login-dark.png "prompt: the same screen, dark ; from: /img/login.png")\n';
    await vscode.workspace.fs.writeFile(page, Buffer.from(text));
    const document = await vscode.workspace.openTextDocument(page);
    const made = await vscode.commands.executeCommand<vscode.Uri>('seedream.generateMissingImage', {
      uri: document.uri.toString(),
      offset: text.indexOf('/img/login-dark.png'),
    });
    assert.equal(made?.path, `${site.path}/static/img/login-dark.png`);
    assert.deepEqual(server.apiRequests[0].references, [
      { kind: 'inline', format: 'png', byteLength: source.length, sha256: createHash('sha256').update(source).digest('hex') },
    ]);
  });

  test('a page outside docs/ (the site README) keeps the default folder and a relative link', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(site, 'README.md')));
    const [image] = await generate();
    assert.equal(image?.path, `${site.path}/images/a-sunrise-over-hills.png`);
  });

  test('markdown.copyFiles.destination comes first, with its variables, and links relatively', async () => {
    await vscode.workspace
      .getConfiguration('markdown')
      .update('copyFiles.destination', { '/website/docs/**': '/website/media/${documentBaseName}/' }, vscode.ConfigurationTarget.Workspace);
    const editor = await openPage('docs/guide.md');
    const [image] = await generate();
    assert.equal(image?.path, `${site.path}/media/guide/a-sunrise-over-hills.png`);
    assert.match(editor.document.getText(), /\]\(\.\.\/media\/guide\/a-sunrise-over-hills\.png\)/);
  });

  test('seedream.outputFolder set in any scope wins, and seedream.docsConvention "off" turns conventions off', async () => {
    await config().update('outputFolder', 'pictures', vscode.ConfigurationTarget.Workspace);
    await openPage('docs/guide.md');
    assert.equal((await generate())[0]?.path, `${site.path}/docs/pictures/a-sunrise-over-hills.png`);
    await config().update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('docsConvention', 'off', vscode.ConfigurationTarget.Workspace);
    assert.equal((await generate())[0]?.path, `${site.path}/docs/images/a-sunrise-over-hills.png`);
  });
});
