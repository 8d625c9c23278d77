// The docs workflow inside a real VS Code: links to missing images get a diagnostic, a Quick Fix and a
// CodeLens; generating one writes exactly the linked file with its provenance; the hover explains an image.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readEmbeddedMetadata } from '../../src/core/image/imageMetadata';
import { FakeApiServer, TEST_API_KEY } from '../support/fakeApiServer';
import { makePng } from '../support/images';

const config = () => vscode.workspace.getConfiguration('seedream');

/**
 * The code actions at `range` once ours are among them: the diagnostics a Quick Fix answers reach the
 * workbench a moment after the extension publishes them, and the workbench hands them to the provider.
 */
async function seedreamActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  let actions: vscode.CodeAction[] = [];
  for (let waited = 0; waited < 10_000; waited += 100) {
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
    if (actions.some((action) => action.command?.command.startsWith('seedream.'))) {
      return actions;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no Seedream Quick Fix among: ${actions.map((action) => action.title).join(' | ')}`);
}

const GUIDE = [
  '# Guide',
  '',
  '![A login flow diagram, flat vector style](images/login-flow.png)',
  '',
  '![An existing picture](images/existing.png)',
  '',
  '![A remote picture](https://example.com/remote.png)',
  '',
  '![A settings page](images/settings-page.png "prompt: A settings page with dark mode toggles, isometric")',
  '',
  '```markdown',
  '![Only an example](images/in-code.png)',
  '```',
  '',
].join('\n');

suite('Docs workflow', () => {
  let server: FakeApiServer;
  let workspace: vscode.Uri;
  let guide: vscode.Uri;

  suiteSetup(async () => {
    server = await FakeApiServer.start();
    workspace = vscode.workspace.workspaceFolders![0].uri;
    process.env.APIYI_API_KEY = TEST_API_KEY;
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    delete process.env.APIYI_API_KEY;
    for (const key of ['baseUrl', 'model', 'missingImages.diagnostics']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await server.close();
  });

  setup(async () => {
    server.reset();
    const folder = vscode.Uri.joinPath(workspace, 'docs-workflow');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'images', 'existing.png'), makePng({ width: 8, height: 8 }));
    guide = vscode.Uri.joinPath(folder, 'guide.md');
    await vscode.workspace.fs.writeFile(guide, Buffer.from(GUIDE));
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  async function openGuide(): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(guide);
    await vscode.window.showTextDocument(document);
    return document;
  }

  async function diagnosticsOf(uri: vscode.Uri, count: number): Promise<readonly vscode.Diagnostic[]> {
    for (let waited = 0; waited < 10_000; waited += 100) {
      const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Seedream');
      if (found.length === count) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(
      `expected ${count} Seedream diagnostics, got: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`,
    );
  }

  const offsetOf = (document: vscode.TextDocument, text: string) => document.getText().indexOf(text);

  test('marks only the local links whose file is missing, with a Quick Fix and a CodeLens each', async () => {
    const document = await openGuide();
    const diagnostics = await diagnosticsOf(guide, 2);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [/^Image not found: \S+?(?=\. )/.exec(diagnostic.message)?.[0], diagnostic.severity]),
      [
        ['Image not found: images/login-flow.png', vscode.DiagnosticSeverity.Hint],
        ['Image not found: images/settings-page.png', vscode.DiagnosticSeverity.Hint],
      ],
    );
    const actions = await seedreamActions(guide, diagnostics[0].range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Generate image "images/login-flow.png"'), titles.join(' | '));
    assert.ok(titles.includes('Generate all missing images in this file'), titles.join(' | '));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', guide);
    assert.deepEqual(
      lenses.map((lens) => [lens.command?.title, lens.range.start.line]),
      [
        ['Generate all 2 missing', 2],
        ['$(sparkle) Generate image', 2],
        ['$(sparkle) Generate image', 8],
      ],
    );
    assert.equal(document.isDirty, false);
  });

  test('Generate Missing Image writes exactly the linked file, with its provenance, and leaves the link alone', async () => {
    const document = await openGuide();
    const made = await vscode.commands.executeCommand<vscode.Uri>('seedream.generateMissingImage', {
      uri: guide.toString(),
      offset: offsetOf(document, '![A settings page'),
    });
    assert.equal(made?.toString(), vscode.Uri.joinPath(guide, '..', 'images', 'settings-page.png').toString());
    const bytes = await vscode.workspace.fs.readFile(made);
    const metadata = readEmbeddedMetadata(bytes);
    assert.equal(metadata?.prompt, 'A settings page with dark mode toggles, isometric', 'the prompt: title wins over the alt text');
    assert.equal(metadata?.model, 'seedream-5-0-260128');
    assert.match(metadata?.generator ?? '', /^Seedream Studio \d+\.\d+\.\d+$/);
    assert.equal(server.apiRequests.length, 1);
    assert.equal(server.apiRequests[0].json?.n, 1);
    assert.equal(server.apiRequests[0].json?.output_format, 'png');
    assert.equal(document.getText(), GUIDE, 'the link is untouched');
    await diagnosticsOf(guide, 1);
  });

  test('a .png link with a JPEG-only model is flagged with both ways out, and "Link a .jpg instead" edits only the path', async () => {
    await config().update('model', 'seedream-4-5-251128', vscode.ConfigurationTarget.Global);
    try {
      const document = await openGuide();
      const diagnostics = await diagnosticsOf(guide, 2);
      assert.match(diagnostics[0].message, /seedream-4-5 makes JPEG only/);
      const actions = await seedreamActions(guide, diagnostics[0].range);
      const titles = actions.map((action) => action.title);
      assert.ok(titles.includes('Generate image "images/login-flow.png" with Seedream 5.0'), titles.join(' | '));
      const relink = actions.find((action) => action.title === 'Link a .jpg instead');
      assert.ok(relink?.edit);
      assert.ok(await vscode.workspace.applyEdit(relink.edit));
      assert.ok(document.getText().includes('![A login flow diagram, flat vector style](images/login-flow.jpg)'));
      assert.equal(server.apiRequests.length, 0, 'nothing was sent');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('hovering a generated image shows its prompt and settings, with Regenerate, Variations and Open in Image Studio', async () => {
    const document = await openGuide();
    await vscode.commands.executeCommand('seedream.generateMissingImage', {
      uri: guide.toString(),
      offset: offsetOf(document, '![A login'),
    });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      guide,
      document.positionAt(offsetOf(document, 'login-flow.png')),
    );
    const text = hovers
      .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
      .join('\n');
    assert.match(text, /\*\*Prompt:\*\* A login flow diagram, flat vector style/);
    assert.match(text, /Seedream 5\.0 · 2K/);
    assert.match(text, /\*\*\d+×\d+ PNG\*\* · \d+ KB/);
    for (const command of ['seedream.regenerateImage', 'seedream.imageVariations', 'seedream.openImageInStudio']) {
      assert.ok(text.includes(`command:${command}?`), `${command} link in the hover`);
    }
  });

  test('Regenerate makes a new file beside the image with the same prompt, never overwriting it', async () => {
    const document = await openGuide();
    const original = await vscode.commands.executeCommand<vscode.Uri>('seedream.generateMissingImage', {
      uri: guide.toString(),
      offset: offsetOf(document, '![A login'),
    });
    const before = await vscode.workspace.fs.readFile(original);
    const again = await vscode.commands.executeCommand<vscode.Uri>('seedream.regenerateImage', {
      uri: guide.toString(),
      offset: offsetOf(document, '![A login'),
    });
    assert.ok(again?.path.endsWith('/images/login-flow-1.png'), again?.path);
    assert.deepEqual(await vscode.workspace.fs.readFile(original), before, 'the original is untouched');
    assert.equal(server.apiRequests[1].json?.prompt, 'A login flow diagram, flat vector style');
    assert.equal(readEmbeddedMetadata(await vscode.workspace.fs.readFile(again))?.prompt, 'A login flow diagram, flat vector style');
  });

  test('Generate All Missing Images in Workspace opens only the docs files that have a missing image', async () => {
    const folder = vscode.Uri.joinPath(workspace, 'docs-workflow', 'workspace-scan');
    const stamp = Date.now();
    const missing = vscode.Uri.joinPath(folder, `missing-${stamp}.md`);
    const complete = vscode.Uri.joinPath(folder, `complete-${stamp}.md`);
    await vscode.workspace.fs.writeFile(missing, Buffer.from('# Kites\n\n![A red kite over the dunes](kite.png)\n'));
    await vscode.workspace.fs.writeFile(complete, Buffer.from('# Done\n\n![Existing](../images/existing.png)\n'));
    const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand('seedream.generateAllMissingImagesInWorkspace')).finally(
      () => (settled = true),
    );
    // The preview comes up once the workspace is scanned; closing it bills nothing.
    while (!settled) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (isOpen(missing)) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      }
    }
    assert.equal(await running, undefined, 'closing the preview generates nothing');
    assert.ok(isOpen(missing), 'the file with a missing image was opened for its links');
    assert.ok(!isOpen(complete), 'the file whose images all exist was only read, never opened');
    assert.equal(server.apiRequests.length, 0);
  });
});

suite('Docs workflow in other syntaxes', () => {
  let workspace: vscode.Uri;

  suiteSetup(() => {
    workspace = vscode.workspace.workspaceFolders![0].uri;
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  const cases: ReadonlyArray<[string, string, string]> = [
    [
      'page.html',
      '<p>Intro</p>\n<img src="images/html-diagram.png" alt="An architecture diagram">\n<img src="https://example.com/a.png" alt="remote">\n',
      'images/html-diagram.png',
    ],
    ['page.rst', 'Title\n=====\n\n.. image:: images/rst-diagram.png\n   :alt: A deployment diagram\n', 'images/rst-diagram.png'],
    [
      'page.adoc',
      '= Title\n\nimage::images/adoc-diagram.png[A sequence diagram]\n\n----\nimage::images/in-listing.png[not an image]\n----\n',
      'images/adoc-diagram.png',
    ],
  ];
  for (const [name, text, missing] of cases) {
    test(`${name}: the missing image is marked, with its Quick Fix`, async () => {
      const uri = vscode.Uri.joinPath(workspace, 'docs-syntaxes', name);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      let diagnostics: vscode.Diagnostic[] = [];
      for (let waited = 0; waited < 10_000 && diagnostics.length === 0; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        diagnostics = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Seedream');
      }
      assert.deepEqual(
        diagnostics.map((diagnostic) => diagnostic.message.startsWith(`Image not found: ${missing}. `)),
        [true],
      );
      const actions = await seedreamActions(uri, diagnostics[0].range);
      assert.ok(
        actions.some((action) => action.title === `Generate image "${missing}"`),
        actions.map((action) => action.title).join(' | '),
      );
    });
  }
});
