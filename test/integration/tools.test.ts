// The language-model tools inside a real VS Code, as a chat's agent calls them: listed in vscode.lm.tools with
// their schemas, invoked with vscode.lm.invokeTool outside a chat session (no confirmation is shown there, so
// what prepareInvocation returns is checked directly), against a local API server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FIND_MISSING_IMAGES_TOOL, GENERATE_IMAGE_TOOL, GENERATE_MISSING_IMAGES_TOOL } from '../../src/core/tools/toolInput';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isCancellation } from '../../src/core/errors/errors';
import { generationInput, ImageGenerator } from '../../src/host/generation';
import { readSettings } from '../../src/host/config';
import { ApiKeyStore } from '../../src/host/secrets';
import { generateImageTool, prepareImageTool } from '../../src/host/tools/generateImageTool';
import { prepareMissingImagesTool } from '../../src/host/tools/missingImageTools';
import { FakeApiServer, TEST_API_KEY } from '../support/fakeApiServer';
import { makePng, withoutProvenance } from '../support/images';

interface ToolInformation {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: unknown;
  readonly tags: readonly string[];
}

interface ResultPart {
  readonly value?: string;
  readonly mimeType?: string;
  readonly data?: Uint8Array;
}

/** The language-model API of VS Code 1.95+, which the typings the extension builds against (1.86) lack. */
const lm = (
  vscode as unknown as {
    lm: {
      readonly tools: readonly ToolInformation[];
      invokeTool(
        name: string,
        options: { input: object; toolInvocationToken: undefined },
        token?: vscode.CancellationToken,
      ): Thenable<{ content: ResultPart[] }>;
    };
  }
).lm;

const config = () => vscode.workspace.getConfiguration('seedream');

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    assert.ok(waited < 10_000, what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

suite('Language-model tools', () => {
  let server: FakeApiServer;
  let workspace: vscode.Uri;
  /** Every result of the suite, to check that none carries the key. */
  const results: ResultPart[][] = [];

  async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<{ text: string; parts: ResultPart[] }> {
    const result = await lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
    results.push(result.content);
    return { text: result.content.map((part) => part.value ?? '').join(''), parts: result.content };
  }

  async function write(relativePath: string, content: string | Uint8Array): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(workspace, relativePath);
    await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? Buffer.from(content) : content);
    return uri;
  }

  async function exists(relativePath: string): Promise<boolean> {
    return Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(workspace, relativePath))).then(
      () => true,
      () => false,
    );
  }

  suiteSetup(async () => {
    server = await FakeApiServer.start();
    workspace = vscode.workspace.workspaceFolders![0].uri;
    process.env.APIYI_API_KEY = TEST_API_KEY;
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    // The tools come with the extension's activation, which their first use also triggers.
    await vscode.extensions.getExtension('seedream-studio.seedream-studio')!.activate();
  });

  suiteTeardown(async () => {
    delete process.env.APIYI_API_KEY;
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  setup(async () => {
    server.reset();
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(workspace, 'tools'), { recursive: true, useTrash: false })
      .then(undefined, () => undefined);
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('the three tools are listed with the schemas and descriptions of package.json', () => {
    const contributed = vscode.extensions.getExtension('seedream-studio.seedream-studio')!.packageJSON.contributes.languageModelTools as {
      name: string;
      modelDescription: string;
      inputSchema: unknown;
    }[];
    for (const name of [GENERATE_IMAGE_TOOL, FIND_MISSING_IMAGES_TOOL, GENERATE_MISSING_IMAGES_TOOL]) {
      const listed = lm.tools.find((tool) => tool.name === name);
      const declared = contributed.find((tool) => tool.name === name)!;
      assert.ok(listed, `${name} is in vscode.lm.tools`);
      assert.deepEqual(listed.inputSchema, declared.inputSchema);
      assert.equal(listed.description, declared.modelDescription);
      assert.ok(listed.tags.includes('seedream'));
    }
    assert.match(contributed.find((tool) => tool.name === GENERATE_IMAGE_TOOL)!.modelDescription, /costs the user money/);
  });

  test('generateImage writes the file named by path, links it into the document and describes what it made', async () => {
    const page = await write('tools/page.md', '# Page\n\nIntro.\nMore.\n');
    const { text, parts } = await invoke(GENERATE_IMAGE_TOOL, {
      prompt: 'A lighthouse at dusk',
      path: 'tools/pictures/lighthouse.png',
      insertInto: { file: 'tools/page.md', line: 4 },
    });
    assert.ok(await exists('tools/pictures/lighthouse.png'), text);
    assert.equal(server.apiRequests.length, 1);
    assert.equal(server.apiRequests[0].json?.prompt, 'A lighthouse at dusk');
    assert.equal(server.apiRequests[0].json?.output_format, 'png', 'the .png extension picks the format');
    assert.match(text, /1 of 1 images saved, made with seedream-5-0-260128 at 2K/);
    assert.match(text, /Billed: 1 image\(s\), as the API reported/);
    assert.match(text, /- tools\/pictures\/lighthouse\.png \(64x48, PNG\)/);
    assert.match(text, /link: !\[A lighthouse at dusk\]\(pictures\/lighthouse\.png\)/);
    const document = await vscode.workspace.openTextDocument(page);
    assert.equal(document.getText(), '# Page\n\nIntro.\n\n![A lighthouse at dusk](pictures/lighthouse.png)\n\nMore.\n');
    // The tool leaves the edit for the user to keep; saved here so that closing the editor asks nothing.
    await document.save();
    const thumbnails = parts.filter((part) => part.mimeType === 'image/png');
    assert.equal(thumbnails.length, 1, 'one thumbnail');
    const thumbnail = Buffer.from(thumbnails[0].data!);
    assert.deepEqual([thumbnail.readUInt32BE(16), thumbnail.readUInt32BE(20)], [64, 48], 'a PNG no larger than the image');
  });

  test('generateImage refuses a path that exists: nothing is overwritten or sent', async () => {
    await write('tools/taken.png', makePng({ width: 8, height: 8 }));
    const { text } = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', path: 'tools/taken.png' });
    assert.match(text, /tools\/taken\.png exists already and is never overwritten/);
    assert.equal(server.apiRequests.length, 0);
  });

  test('an invalid size returns its message and sends nothing', async () => {
    const { text } = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', size: '5000x5000', path: 'tools/cat.png' });
    assert.match(text, /5000x5000 is too large for seedream-5-0: at most 3225x3225/);
    assert.match(text, /Nothing was sent or billed/);
    assert.equal(server.apiRequests.length, 0);
    assert.equal(await exists('tools/cat.png'), false);
  });

  test('input errors come back as text the model can act on, before anything is sent', async () => {
    const outside = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', path: '../outside.png' });
    assert.match(outside.text, /"path" leads outside the workspace folder/);
    const jpegOnly = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', path: 'tools/cat.png', model: 'seedream-4-0-250828' });
    assert.match(jpegOnly.text, /seedream-4-0 makes JPEG only, so it cannot make this \.png/);
    const missingDocument = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', insertInto: { file: 'tools/none.md', line: 1 } });
    assert.match(missingDocument.text, /insertInto\.file tools\/none\.md does not exist/);
    assert.equal(server.apiRequests.length, 0);
  });

  test('generateImage edits a workspace image: the reference goes inline as a data: URL of its bytes, and the result names it', async () => {
    const photo = makePng({ width: 96, height: 64, seed: 7, noise: true });
    await write('tools/photo.png', photo);
    const input = { prompt: 'make the background white', references: ['tools/photo.png'], path: 'tools/photo-white.png' };
    const prepared = await prepareImageTool(input);
    const confirmation = (prepared.confirmationMessages!.message as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(confirmation, /- tools\/photo-white\.png\n\nReference images sent to the API with the prompt:\n1\. tools\/photo\.png\n/);
    const { text } = await invoke(GENERATE_IMAGE_TOOL, input);
    assert.equal(server.apiRequests.length, 1, text);
    assert.deepEqual(server.apiRequests[0].json?.image, [`data:image/png;base64,${photo.toString('base64')}`]);
    assert.ok(await exists('tools/photo-white.png'), text);
    assert.match(text, /- tools\/photo-white\.png \(64x48, PNG\)\n {2}made from: image 1: tools\/photo\.png/);
  });

  test('generateImage makes an image set with maxImages, confirms the most it can bill and saves the images in order', async () => {
    const input = { prompt: 'A storyboard of the login flow in three panels', maxImages: 3, path: 'tools/board/storyboard.png' };
    const prepared = await prepareImageTool(input);
    assert.equal(prepared.confirmationMessages?.title, 'Generate a set of up to 3 images with Seedream?');
    const message = (prepared.confirmationMessages!.message as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(message, /\*\*up to 3 images\*\* · Seedream 5\.0/);
    assert.match(message, /3 × seedream\\?-5\\?-0 (≈|cost unknown)/, 'the estimate is for the whole set');
    assert.match(message, /- tools\/board\/storyboard-1\.png\n- tools\/board\/storyboard-2\.png\n- tools\/board\/storyboard-3\.png/);
    assert.match(String(prepared.invocationMessage), /Generating a set of up to 3 images with Seedream 5\.0 \(2K\)/);

    const { text } = await invoke(GENERATE_IMAGE_TOOL, input);
    assert.equal(server.apiRequests.length, 1, text);
    const body = server.apiRequests[0].json!;
    assert.equal(body.sequential_image_generation, 'auto');
    assert.deepEqual(body.sequential_image_generation_options, { max_images: 3 });
    assert.match(text, /3 of 3 images saved/);
    for (const place of [1, 2, 3]) {
      const saved = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspace, `tools/board/storyboard-${place}.png`));
      assert.ok(
        withoutProvenance(Buffer.from(saved)).equals(server.imageBytes('png', place - 1)),
        `storyboard-${place}.png is image ${place}`,
      );
      assert.match(
        text,
        new RegExp(`- tools/board/storyboard-${place}\\.png \\(64x48, PNG\\)\\n {2}image ${place} of 3 of the set \\(up to 3 asked for\\)`),
      );
    }
  });

  test('a reference outside the workspace, or a plain http: address, returns its message and sends nothing', async () => {
    const outside = vscode.Uri.file(`${os.tmpdir()}/seedream-tool-outside-${process.pid}.png`);
    await vscode.workspace.fs.writeFile(outside, makePng({ width: 32, height: 32 }));
    try {
      const byUri = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', references: [outside.toString()], path: 'tools/out.png' });
      assert.match(byUri.text, /The reference image .*seedream-tool-outside-.*\.png is outside the workspace/);
      assert.equal(byUri.text.match(/Nothing was sent or billed/g)?.length, 1, 'said once');
    } finally {
      await vscode.workspace.fs.delete(outside);
    }
    const climbing = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', references: ['../photo.png'] });
    assert.match(climbing.text, /The reference image \.\.\/photo\.png is outside the workspace/);
    const plain = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', references: ['http://example.com/photo.png'] });
    assert.match(plain.text, /must use https/);
    assert.equal(server.apiRequests.length, 0);
    assert.equal(await exists('tools/out.png'), false);
  });

  test('a document reached through a symbolic link out of the workspace is neither read nor edited (bug: insertInto and file followed the link out)', async () => {
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seedream-tool-outside-'));
    const outsideDocument = path.join(outsideDir, 'notes.md');
    const text = '# Notes\n\n![A private diagram](images/private.png)\n';
    fs.writeFileSync(outsideDocument, text);
    await write('tools/.keep', '');
    fs.symlinkSync(outsideDocument, path.join(workspace.fsPath, 'tools', 'notes.md'));
    fs.symlinkSync(outsideDir, path.join(workspace.fsPath, 'tools', 'linked'));
    try {
      for (const file of ['tools/notes.md', 'tools/linked/notes.md']) {
        const found = await invoke(FIND_MISSING_IMAGES_TOOL, { file });
        assert.match(found.text, /leads through a symbolic link out of the workspace folder/);
        assert.doesNotMatch(found.text, /private/);
        const made = await invoke(GENERATE_MISSING_IMAGES_TOOL, { file });
        assert.match(made.text, /leads through a symbolic link out of the workspace folder/);
        const inserted = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', insertInto: { file, line: 1 } });
        assert.match(inserted.text, /insertInto\.file .* leads through a symbolic link out of the workspace folder/);
        assert.match(inserted.text, /Nothing was sent or billed/);
      }
      assert.equal(server.apiRequests.length, 0);
      const edited = vscode.workspace.textDocuments.filter((document) => document.uri.path.endsWith('/notes.md') && document.isDirty);
      assert.deepEqual(edited, [], 'no document of the outside file was edited');
      assert.equal(fs.readFileSync(outsideDocument, 'utf8'), text);
    } finally {
      fs.rmSync(outsideDir, { recursive: true, force: true });
    }
  });

  test("findMissingImages lists a Markdown file's missing images with line, path and prompt", async () => {
    await write('tools/images/present.png', makePng({ width: 8, height: 8 }));
    await write(
      'tools/guide.md',
      '# Guide\n\n![A login flow, flat vector style](images/login.png)\n\n![Present](images/present.png)\n\n![A chart](images/chart.webp)\n',
    );
    const { text } = await invoke(FIND_MISSING_IMAGES_TOOL, { file: 'tools/guide.md' });
    assert.match(text, /1 missing image\(s\) in tools\/guide\.md can be generated/);
    assert.match(text, /- tools\/images\/login\.png \(linked from tools\/guide\.md:3\), prompt: "A login flow, flat vector style"/);
    assert.match(text, /- tools\/images\/chart\.webp \(linked from tools\/guide\.md:7\): Seedream makes PNG or JPEG images, not \.webp/);
    assert.doesNotMatch(text, /present\.png/);
    assert.equal(server.apiRequests.length, 0, 'finding bills nothing');
  });

  test('generateMissingImages makes the missing images of a file into the files their links name', async () => {
    // Its own name: a document of another test may still be open in VS Code with that test's text.
    await write(
      'tools/batch.md',
      '# Guide\n\n![A login flow, flat vector style](images/login.png)\n\n![A settings page](images/settings.jpg)\n\n![A chart](images/chart.webp)\n',
    );
    const prepared = await prepareMissingImagesTool({ file: 'tools/batch.md' });
    assert.equal(prepared.confirmationMessages?.title, 'Generate 2 missing image(s) with Seedream?');
    const { text, parts } = await invoke(GENERATE_MISSING_IMAGES_TOOL, { file: 'tools/batch.md' });
    assert.ok(await exists('tools/images/login.png'), text);
    assert.ok(await exists('tools/images/settings.jpg'), text);
    assert.equal(server.apiRequests.length, 2);
    assert.deepEqual(server.apiRequests.map((request) => request.json?.prompt).sort(), [
      'A login flow, flat vector style',
      'A settings page',
    ]);
    assert.match(text, /2 of 2 missing image\(s\) made with seedream-5-0-260128 at 2K/);
    assert.match(text, /- tools\/images\/chart\.webp \(linked from tools\/batch\.md:7\): Seedream makes PNG or JPEG images/);
    assert.equal(parts.filter((part) => part.mimeType === 'image/png').length, 2, 'a thumbnail of each');

    server.reset();
    const again = await invoke(GENERATE_MISSING_IMAGES_TOOL, { targets: ['tools/images/login.png'] });
    assert.match(again.text, /Nothing to generate in the workspace; nothing was billed/);
    assert.match(again.text, /tools\/images\/login\.png: no link in the workspace names it as a missing image/);
    assert.equal(server.apiRequests.length, 0);
  });

  test('prepareInvocation confirms count, model, size and file names before billing, and asks nothing for bad input', async () => {
    await write('tools/foxes.md', '# Page\n');
    const prepared = await prepareImageTool({
      prompt: 'Two foxes',
      n: 2,
      size: '3K',
      path: 'tools/fox.png',
      insertInto: { file: 'tools/foxes.md', line: 2 },
    });
    assert.equal(prepared.confirmationMessages?.title, 'Generate 2 images with Seedream?');
    const message = { value: (prepared.confirmationMessages!.message as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ') };
    assert.match(message.value, /\*\*2 images\*\* · Seedream 5\.0 \(`seedream-5-0-260128`\) · \*\*3K\*\*/);
    assert.match(message.value, /2 × seedream\\?-5\\?-0 (≈|cost unknown)/, 'the estimated cost, or why there is none');
    assert.match(message.value, /billed to your Seedream API account/);
    assert.match(message.value, /- tools\/fox-1\.png\n- tools\/fox-2\.png/);
    assert.match(message.value, /The links go into tools\/foxes\.md before line 2/);
    assert.match(String(prepared.invocationMessage), /Generating 2 images with Seedream 5\.0 \(3K\)/);

    const invalid = await prepareImageTool({ prompt: 'a cat', size: '5000x5000' });
    assert.equal(invalid.confirmationMessages, undefined, 'nothing to confirm: nothing will be billed');
    assert.equal(server.apiRequests.length, 0);
  });

  test("generateMissingImages confirms the reference images its links send (bug: a link's from: files were sent unconfirmed)", async () => {
    await write('tools/from/photo.png', makePng({ width: 64, height: 48 }));
    await write(
      'tools/from/page.md',
      '# Page\n\n![Dark](dark.png "prompt: the same photo, dark ; from: photo.png, https://example.com/style.png")\n\n![Plain](plain.png)\n',
    );
    const prepared = await prepareMissingImagesTool({ file: 'tools/from/page.md' });
    const message = (prepared.confirmationMessages!.message as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(
      message,
      /Reference images sent to the API with the prompt:\n1\. tools\/from\/photo.png \(for tools\/from\/dark.png\)\n2\. https:\/\/example.com\/style.png \(for tools\/from\/dark.png\)\n/,
    );
    assert.equal(server.apiRequests.length, 0);
  });

  test("a cancelled token cancels the request, as the notification's Cancel does", async () => {
    const before = new vscode.CancellationTokenSource();
    before.cancel();
    await assert.rejects(
      Promise.resolve(invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', path: 'tools/early.png' }, before.token)),
      /Canceled/,
    );
    assert.equal(server.apiRequests.length, 0, 'VS Code does not even start a tool whose token is cancelled');

    server.enqueue({ kind: 'hang' });
    const during = new vscode.CancellationTokenSource();
    const pending = invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', path: 'tools/late.png' }, during.token);
    await waitFor(() => server.openRequests === 1, 'the request reached the server');
    during.cancel();
    // VS Code answers the caller at once; the tool's own token aborts the request.
    await Promise.resolve(pending).then(
      ({ text }) => assert.match(text, /cancelled/),
      (error: Error) => assert.match(error.message, /Canceled/),
    );
    await waitFor(() => server.openRequests === 0, 'the request was aborted');
    assert.equal(await exists('tools/late.png'), false);
  });

  suite('with a generator of its own', () => {
    /** SecretStorage in memory holding the test key for the local server, so nothing is asked. */
    function memorySecrets(): vscode.SecretStorage {
      const values = new Map([
        ['seedream.apiKey', TEST_API_KEY],
        ['seedream.apiKeyOrigin', new URL(server.baseUrl).origin],
      ]);
      return {
        onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
        get: async (key) => values.get(key),
        store: async (key, value) => void values.set(key, value),
        delete: async (key) => void values.delete(key),
      };
    }

    function generator(): ImageGenerator {
      const state = new Map<string, unknown>();
      const storage = vscode.Uri.file(os.tmpdir());
      const memento = {
        keys: () => [...state.keys()],
        get: (key: string, fallback?: unknown) => (state.has(key) ? state.get(key) : fallback),
        update: async (key: string, value: unknown) => void state.set(key, value),
      };
      return new ImageGenerator({
        keys: new ApiKeyStore(memorySecrets()),
        userAgent: 'seedream-studio-test',
        state: memento as vscode.Memento,
        rescueFolder: vscode.Uri.joinPath(storage, 'seedream-rescued'),
        previewFolder: vscode.Uri.joinPath(storage, 'seedream-previews'),
        generatorName: 'Seedream Studio test',
      });
    }

    test('a token cancelled before the tool runs sends nothing', async () => {
      const cancelled = new vscode.CancellationTokenSource();
      cancelled.cancel();
      const input = { prompt: 'a cat', path: 'tools/never.png' };
      const result = await generateImageTool(generator()).invoke({ input, toolInvocationToken: undefined }, cancelled.token);
      assert.match(String((result.content[0] as ResultPart).value), /cancelled the generation before any image arrived/);
      assert.equal(server.apiRequests.length, 0);
    });

    test('a run cancelled while the key or the place was asked for sends nothing (bug: a cancel that came before the request was ignored)', async () => {
      const input = generationInput(readSettings(), { prompt: 'a cat' });
      const target = vscode.Uri.joinPath(workspace, 'tools', 'asked.png');
      await assert.rejects(
        generator().run({ input, target }, { signal: AbortSignal.abort(), onProgress: () => undefined }),
        (error: unknown) => isCancellation(error),
      );
      assert.equal(server.apiRequests.length, 0);
    });
  });

  test('no result carries the key, also when the server echoes it', async () => {
    server.enqueue({
      kind: 'status',
      status: 401,
      body: { error: { code: 'AuthenticationError', message: `invalid key ${TEST_API_KEY}` } },
    });
    const { text } = await invoke(GENERATE_IMAGE_TOOL, { prompt: 'a cat', path: 'tools/key.png' });
    assert.match(text, /The API key was rejected/);
    assert.match(text, /\[redacted\]/);
    assert.ok(results.length >= 9, 'the results of the whole suite are checked');
    for (const content of results) {
      const serialized = content.map((part) => part.value ?? Buffer.from(part.data ?? []).toString('latin1')).join('\n');
      assert.equal(serialized.includes(TEST_API_KEY), false);
    }
  });
});
