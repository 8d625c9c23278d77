// The README's pictures, taken from the real UI: the docs workflow (a link written first and generated, the next one
// still missing) and the Image Studio after a run (SEEDREAM_REFRESH_SCREENSHOTS=1 writes them into
// media/screenshots/). And the walkthrough, completing its first step when a key is set.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { FakeApiServer, TEST_API_KEY } from '../../../support/fakeApiServer';
import { registerCleanup } from '../../cleanup';
import { waitUntil } from '../../wait';
import { e2eCase, type E2eContext } from '../harness';
import { setApiKey, waitForFile } from '../steps';
import { fillInput, openFile, pickQuickItem, runCommand, waitForNotification } from '../ui';

const GUIDE = [
  '# Release notes',
  '',
  'The new sign-in page in one picture:',
  '',
  '![A lighthouse at dusk, watercolor, soft light](images/lighthouse.png)',
  '',
  '## How sign-in works',
  '',
  '![A login flow diagram, flat vector style, soft pastel colours](images/login-flow.png)',
  '',
].join('\n');

let showcaseApi: Promise<FakeApiServer> | undefined;

/** A local API whose images are large enough to look like pictures in a screenshot. */
function api(): Promise<FakeApiServer> {
  showcaseApi ??= FakeApiServer.start({ image: { width: 768, height: 432 } }).then((server) => {
    registerCleanup({ async: () => server.close(), sync: () => undefined });
    return server;
  });
  return showcaseApi.then((server) => {
    server.reset();
    return server;
  });
}

async function useApi({ page, setUserSettings }: Pick<E2eContext, 'page' | 'setUserSettings'>, settings = {}): Promise<void> {
  await setUserSettings({ 'seedream.baseUrl': (await api()).baseUrl, ...settings });
  await setApiKey(page, TEST_API_KEY);
}

/** No toasts in a picture meant to show the product. */
async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
}

function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview').nth(index).frameLocator('iframe#active-frame');
}

export default [
  e2eCase('README picture: a link written first is generated and previewed; the next missing one offers its CodeLens', async (context) => {
    const { page, workspaceDir } = context;
    fs.writeFileSync(path.join(workspaceDir, 'docs', 'release-notes.md'), GUIDE);
    await useApi(context, { 'seedream.missingImages.diagnostics': 'warning' });
    await openFile(page, 'docs/release-notes.md');

    const editor = page.locator('.editor-group-container.active .monaco-editor');
    const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^\W*Generate image\s*$/ });
    await waitUntil('two "Generate image" CodeLenses', 30_000, async () => (await lens.count()) === 2);
    await lens.first().click();
    await waitForNotification(page, /lighthouse\.png/);
    await waitForFile(path.join(workspaceDir, 'docs', 'images', 'lighthouse.png'));
    await waitUntil('one CodeLens left', 30_000, async () => (await lens.count()) === 1);

    await runCommand(page, 'Markdown: Open Preview to the Side');
    const preview = webviewFrame(page);
    const picture = preview.locator('img[src*="lighthouse.png"]');
    await picture.waitFor();
    await waitUntil('the picture in the preview', 30_000, () => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0));
    await clearNotifications(page);
    await context.publishedScreenshot('docs-workflow');
  }),

  e2eCase('README picture: the Image Studio after a run of two images, with its history', async (context) => {
    const { page } = context;
    await useApi(context);
    // With no editor open the Studio has the whole width: composer, results and history side by side.
    await runCommand(page, 'Seedream: Open Image Studio');
    const studio = webviewFrame(page);
    // The form takes input once it has the settings (its model list is filled then); earlier typing is not kept.
    await studio.locator('#model option').first().waitFor({ state: 'attached' });
    await studio.locator('#prompt').fill('A lighthouse at dusk, watercolor, soft light');
    await studio.locator('#size').selectOption('custom');
    await studio.getByRole('button', { name: '16:9 (2560×1440)' }).click();
    await studio.locator('#n').selectOption('2');
    await studio.locator('#generate').click();
    const thumbnails = studio.locator('.tile img');
    await waitUntil(
      'two loaded thumbnails',
      30_000,
      async () =>
        (await thumbnails.evaluateAll((images) => images.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length)) === 2,
    );
    await studio.locator('.status').filter({ hasText: '2 images saved to' }).waitFor();
    await clearNotifications(page);
    await context.publishedScreenshot('image-studio');
  }),

  e2eCase('Walkthrough: its steps show with their buttons, and setting the key completes the first step', async ({ page, screenshot }) => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pickQuickItem(page, 'Get started with Seedream Studio');
    // VS Code qualifies each step id with the extension and the walkthrough: `publisher.name#walkthrough#step`.
    const step = (id: string) => page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
    for (const id of ['setApiKey', 'firstImage', 'openStudio', 'linkFirst', 'editImage']) {
      await step(id).waitFor();
    }
    assert.equal(await step('setApiKey').getAttribute('aria-checked'), 'false');
    await screenshot('walkthrough');

    // The step's own button, as a person would press it.
    await page.getByRole('button', { name: 'Set API Key' }).first().click();
    await fillInput(page, TEST_API_KEY);
    await waitForNotification(page, 'Seedream API key saved');
    await waitUntil('the key step to be checked', 30_000, async () => (await step('setApiKey').getAttribute('aria-checked')) === 'true');
    assert.equal(await step('firstImage').getAttribute('aria-checked'), 'false', 'only the step that was done is checked');
    await screenshot('walkthrough-key-set');
  }),
];
