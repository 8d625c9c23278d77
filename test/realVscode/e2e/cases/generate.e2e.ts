// The everyday flows of a docs author, through the UI only: set the key, generate from the palette and from a
// selection, and what the user sees when something is wrong.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEST_API_KEY } from '../../../support/fakeApiServer';
import { inspectImage } from '../../../../src/core/image/imageCheck';
import { readEmbeddedMetadata } from '../../../../src/core/image/imageMetadata';
import { withoutProvenance } from '../../../support/images';
import { waitUntil } from '../../wait';
import { extraApi, fakeApi } from '../fakeApi';
import { e2eCase } from '../harness';
import { clickNotificationAction, fillInput, openFile, QUICK_INPUT_BOX, runCommand, waitForNotification } from '../ui';
import { contextMenuOnSelection, filesBelow, generateFromPalette, saveActiveEditor, selectLine, setApiKey, waitForFile } from '../steps';

const QUICK_INPUT_TITLE = '.quick-input-widget .quick-input-title';

export default [
  e2eCase(
    'Set API Key, then Generate Image saves a valid image where seedream.outputFolder says',
    async ({ page, workspaceDir, userSettingsPath, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'seedream.outputFolder': '/assets/generated' });
      await setApiKey(page, TEST_API_KEY);
      await generateFromPalette(page, 'A lighthouse at dusk, watercolor');
      const notification = await waitForNotification(page, /Image saved to assets\/generated/);
      await screenshot('generate-notification');

      const saved = path.join(workspaceDir, 'assets', 'generated', 'a-lighthouse-at-dusk-watercolor.png');
      const bytes = await waitForFile(saved);
      assert.equal(inspectImage(bytes).format, 'png');
      assert.deepEqual(withoutProvenance(bytes), api.imageBytes('png', 0), 'the served image, plus its provenance');
      assert.equal(readEmbeddedMetadata(bytes)?.prompt, 'A lighthouse at dusk, watercolor');
      assert.deepEqual(
        filesBelow(path.join(workspaceDir, 'assets')),
        ['generated/a-lighthouse-at-dusk-watercolor.png'],
        'no temporary file is left',
      );

      assert.equal(api.apiRequests[0].headers.authorization, `Bearer ${TEST_API_KEY}`);
      assert.ok(api.downloadRequests.length > 0);
      for (const download of api.downloadRequests) {
        assert.ok(!JSON.stringify(download.headers).includes(TEST_API_KEY), 'the image host got the key');
      }
      for (const settingsFile of [userSettingsPath, path.join(workspaceDir, '.vscode', 'settings.json')]) {
        if (fs.existsSync(settingsFile)) {
          assert.ok(!fs.readFileSync(settingsFile, 'utf8').includes(TEST_API_KEY), `${settingsFile} holds the key`);
        }
      }
      await clickNotificationAction(notification, 'Open');
      await page.locator('.tabs-container .tab.active').filter({ hasText: 'a-lighthouse-at-dusk-watercolor.png' }).waitFor();
    },
  ),

  e2eCase(
    'With no folder open, Generate Image asks where to save, then saves exactly there',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl });
      await setApiKey(page, TEST_API_KEY);
      await generateFromPalette(page, 'A red fox in the snow');
      // code-server's own save dialog: a path box, suggesting a name made from the prompt.
      await page.locator(QUICK_INPUT_TITLE).filter({ hasText: 'Save the generated image as' }).waitFor();
      const pathBox = page.locator(QUICK_INPUT_BOX);
      // The dialog fills its box in a moment; typing before that would be overwritten.
      await waitUntil('the suggested file name in the save dialog', 15_000, async () =>
        /\/a-red-fox-in-the-snow\.png$/.test(await pathBox.inputValue()),
      );
      const chosen = path.join(workspaceDir, 'pictures', 'fox.png');
      fs.mkdirSync(path.dirname(chosen), { recursive: true });
      await pathBox.fill(chosen);
      await screenshot('save-dialog-no-folder');
      await pathBox.press('Enter');

      await waitForNotification(page, /Image saved/);
      const bytes = await waitForFile(chosen);
      assert.deepEqual(withoutProvenance(bytes), api.imageBytes('png', 0));
      assert.equal(readEmbeddedMetadata(bytes)?.prompt, 'A red fox in the snow');
      assert.deepEqual(filesBelow(path.dirname(chosen)), ['fox.png'], 'only the chosen file, no temporary one');
      assert.equal(api.apiRequests.length, 1);
    },
    { noFolder: true },
  ),

  e2eCase(
    'Generate Image from Selection in Markdown inserts a working relative link under the selection',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl });
      await setApiKey(page, TEST_API_KEY);
      await openFile(page, 'docs/getting-started.md');
      await selectLine(page, 5);
      await contextMenuOnSelection(page, 'Generate Image from Selection');
      await waitForNotification(page, /Image saved to docs\/images/);
      await saveActiveEditor(page);

      const document = path.join(workspaceDir, 'docs', 'getting-started.md');
      const link =
        '![A login flow diagram, flat vector style, soft pastel colours](images/a-login-flow-diagram-flat-vector-style-soft-pastel-colours.png)';
      const text = (await waitForFile(document, (content) => content.includes(link))).toString();
      assert.ok(text.includes(`A login flow diagram, flat vector style, soft pastel colours\n\n${link}\n\nThe image link`), text);
      assert.ok(
        fs.existsSync(path.join(workspaceDir, 'docs', 'images', 'a-login-flow-diagram-flat-vector-style-soft-pastel-colours.png')),
        'the link points at the saved file',
      );
      await screenshot('inserted-link-markdown');
    },
  ),

  e2eCase(
    'Generate Image from Selection in reStructuredText inserts an image directive',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'seedream.outputFolder': '/_static' });
      await setApiKey(page, TEST_API_KEY);
      await openFile(page, 'docs/architecture.rst');
      await selectLine(page, 4);
      await contextMenuOnSelection(page, 'Generate Image from Selection');
      await waitForNotification(page, /Image saved to _static/);
      await saveActiveEditor(page);

      const name = 'an-isometric-illustration-of-three-servers-connected-by.png';
      const directive = `.. image:: ../_static/${name}\n   :alt: An isometric illustration of three servers connected by glowing cables`;
      await waitForFile(path.join(workspaceDir, 'docs', 'architecture.rst'), (content) => content.includes(directive));
      assert.ok(fs.existsSync(path.join(workspaceDir, '_static', name)));
      await screenshot('inserted-link-rst');
    },
  ),

  e2eCase('an invalid size in the settings shows an error and sends no request', async ({ page, setUserSettings, screenshot }) => {
    const api = await fakeApi();
    await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'seedream.size': '5000x5000' });
    await setApiKey(page, TEST_API_KEY);
    await generateFromPalette(page, 'a red fox');
    const error = await waitForNotification(page, /5000x5000 is too large for seedream-5-0: at most 3225x3225/);
    await error.getByRole('button', { name: 'Open Settings' }).waitFor();
    await screenshot('invalid-size-error');
    assert.equal(api.apiRequests.length, 0);
  }),

  e2eCase('a rejected key (401) says so and offers Set API Key', async ({ page, setUserSettings, screenshot }) => {
    const api = await fakeApi();
    await setUserSettings({ 'seedream.baseUrl': api.baseUrl });
    await setApiKey(page, 'sk-not-the-right-key');
    await generateFromPalette(page, 'a red fox');
    const error = await waitForNotification(page, /The API key was rejected \(HTTP 401 AuthenticationError\)/);
    await screenshot('unauthorized-error');
    await clickNotificationAction(error, 'Set API Key');
    await page.locator(QUICK_INPUT_TITLE).filter({ hasText: 'Seedream: API Key' }).waitFor();
    await page.keyboard.press('Escape');
  }),

  e2eCase('cancel during a slow request leaves no file', async ({ page, workspaceDir, setUserSettings }) => {
    const api = await fakeApi();
    api.enqueue({ kind: 'hang' });
    await setUserSettings({ 'seedream.baseUrl': api.baseUrl });
    await setApiKey(page, TEST_API_KEY);
    const filesBefore = filesBelow(workspaceDir);
    await generateFromPalette(page, 'a slow red fox');
    const progress = await waitForNotification(page, /Generating an image with Seedream 5\.0/);
    await waitUntil('the request to reach the API', 10_000, () => api.apiRequests.length === 1);
    await clickNotificationAction(progress, 'Cancel');
    await progress.waitFor({ state: 'hidden' });
    await waitUntil('the request to be aborted', 10_000, () => api.openRequests === 0);
    assert.deepEqual(filesBelow(workspaceDir), filesBefore, 'no image or temporary file was left');
  }),

  e2eCase('a workspace setting cannot send the key to another server', async ({ page, workspaceDir, setUserSettings }) => {
    const api = await fakeApi();
    const intruder = await extraApi();
    fs.mkdirSync(path.join(workspaceDir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, '.vscode', 'settings.json'), JSON.stringify({ 'seedream.baseUrl': intruder.baseUrl }));
    await setUserSettings({ 'seedream.baseUrl': api.baseUrl });
    await setApiKey(page, TEST_API_KEY);
    await generateFromPalette(page, 'a harmless cat');
    await waitForNotification(page, /Image saved/);
    assert.equal(intruder.requests.length, 0, 'the server named by the workspace got a request');
    assert.equal(api.apiRequests.length, 1);
  }),

  e2eCase('Clear API Key forgets the key: the next run asks for one', async ({ page, setUserSettings }) => {
    const api = await fakeApi();
    await setUserSettings({ 'seedream.baseUrl': api.baseUrl });
    await setApiKey(page, TEST_API_KEY);
    await runCommand(page, 'Seedream: Clear API Key');
    await waitForNotification(page, 'Seedream API key removed');
    await generateFromPalette(page, 'a red fox');
    await page.locator(QUICK_INPUT_TITLE).filter({ hasText: 'Seedream: API Key' }).waitFor();
    await fillInput(page, TEST_API_KEY);
    await waitForNotification(page, /Image saved/);
    assert.equal(api.apiRequests.length, 1);
  }),
];
