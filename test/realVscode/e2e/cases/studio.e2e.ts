// The Image Studio panel, used as a person would: compose, get told what is wrong before anything is sent,
// generate against the local API server, insert the result into a Markdown file, and keep the draft across a reload.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { TEST_API_KEY, type FakeApiServer } from '../../../support/fakeApiServer';
import { waitUntil } from '../../wait';
import { fakeApi } from '../fakeApi';
import { e2eCase, type E2eContext } from '../harness';
import { generateFromPalette, saveActiveEditor, setApiKey, waitForFile } from '../steps';
import { clickNotificationAction, fillInput, openFile, runCommand, waitForNotification, waitForWorkbench } from '../ui';

const PROMPT = 'A lighthouse at dusk, watercolor';

/** The Studio's page: the webview element hosts an iframe that holds the extension's document. */
function studioFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

async function openStudio(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'Seedream: Open Image Studio');
  const studio = studioFrame(page);
  await studio.locator('#prompt').waitFor();
  return studio;
}

/** Waits until `count` of `images` show, each with its picture loaded from disk. */
async function waitForLoaded(images: Locator, count: number, what: string): Promise<void> {
  await images.nth(count - 1).waitFor();
  await waitUntil(`${count} loaded ${what}`, 30_000, async () => {
    const loaded = await images.evaluateAll((elements) => elements.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length);
    return loaded === count;
  });
}

const waitForThumbnails = (studio: FrameLocator, count: number): Promise<void> =>
  waitForLoaded(studio.locator('.tile img'), count, 'thumbnails');

/** A local API server as the base URL, `key` saved as the API key, and the workbench in `theme`. */
async function useFakeApi(
  { page, setUserSettings }: Pick<E2eContext, 'page' | 'setUserSettings'>,
  theme: string,
  key = TEST_API_KEY,
): Promise<FakeApiServer> {
  const api = await fakeApi();
  await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'workbench.colorTheme': theme });
  await setApiKey(page, key);
  return api;
}

async function waitForDraft(studio: FrameLocator, prompt: string): Promise<void> {
  const box = studio.locator('#prompt');
  await waitUntil(
    `the draft "${prompt}" in the prompt box`,
    30_000,
    async () => (await box.inputValue({ timeout: 1_000 }).catch(() => '')) === prompt,
  );
}

/**
 * Answers the workbench's modal confirmation of a delete. A file system without a trash (code-server's, like
 * any remote one) makes the Studio ask a second time before deleting for good.
 */
async function confirmDelete(page: Page, studio: FrameLocator): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByRole('button', { name: 'Move to Trash' }).click();
  const permanently = dialog.getByRole('button', { name: 'Delete Permanently' });
  const deleted = studio.locator('.tile.missing');
  await waitUntil('the image to be deleted', 30_000, async () => {
    if (await permanently.isVisible()) {
      await permanently.click();
    }
    return deleted.isVisible();
  });
}

export default [
  e2eCase(
    'Image Studio: a refused size is shown next to the field and not sent; n=2 generates two thumbnails; Insert links one into Markdown',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await useFakeApi({ page, setUserSettings }, 'Default Dark Modern');
      await openFile(page, 'docs/getting-started.md');
      // The cursor where the image goes: the empty last line.
      await runCommand(page, 'Go to Line/Column...');
      await fillInput(page, ':8');

      const studio = await openStudio(page);
      await studio.locator('#prompt').fill(PROMPT);
      await studio.locator('#size').selectOption('custom');
      await studio.locator('#custom-size').fill('1024x1024');
      const sizeError = studio.locator('#size-error');
      await sizeError.filter({ hasText: '1024x1024 is too small for seedream-5-0: at least 2560x1440' }).waitFor();
      assert.equal(await studio.locator('#custom-size').getAttribute('aria-invalid'), 'true');
      await studio.locator('#generate').click();
      await screenshot('studio-size-refused-dark');

      await studio.getByRole('button', { name: '16:9 (2560×1440)' }).click();
      await sizeError.waitFor({ state: 'hidden' });
      assert.equal(await studio.locator('#custom-size').inputValue(), '2560x1440');
      await studio.locator('#n').selectOption('2');
      await studio.locator('#generate').click();

      await waitForThumbnails(studio, 2);
      await studio.locator('.status').filter({ hasText: '2 images saved to docs/images' }).waitFor();
      assert.equal(api.apiRequests.length, 1, 'only the valid run reached the API');
      assert.deepEqual(
        { n: api.apiRequests[0].json?.n, size: api.apiRequests[0].json?.size, prompt: api.apiRequests[0].json?.prompt },
        { n: 2, size: '2560x1440', prompt: PROMPT },
      );
      for (const index of [1, 2]) {
        assert.ok(fs.existsSync(path.join(workspaceDir, 'docs', 'images', `a-lighthouse-at-dusk-watercolor-${index}.png`)));
      }
      // The thumbnails come from the saved files, never from the API's links.
      const sources = await studio.locator('.tile img').evaluateAll((elements) => elements.map((img) => (img as HTMLImageElement).src));
      assert.ok(
        sources.every((src) => !src.includes(api.filesOrigin) && src.includes('a-lighthouse-at-dusk-watercolor')),
        sources.join('\n'),
      );
      await studio.locator('.tile-actions').first().scrollIntoViewIfNeeded();
      await screenshot('studio-generated-dark');

      const firstTile = studio.locator('.tile').first();
      await firstTile.getByRole('button', { name: /^Insert into getting-started\.md/ }).click();
      await studio.locator('.notice-line').filter({ hasText: 'Inserted into getting-started.md.' }).waitFor();
      await page.locator('.tabs-container .tab').filter({ hasText: 'getting-started.md' }).click();
      await saveActiveEditor(page);
      const link = `![${PROMPT}](images/a-lighthouse-at-dusk-watercolor-1.png)`;
      const text = (
        await waitForFile(path.join(workspaceDir, 'docs', 'getting-started.md'), (content) => content.includes(link))
      ).toString();
      assert.ok(text.endsWith(`under the sentence.\n${link}`), text);

      // A narrow window leaves the Studio a side column of about 300 pixels.
      await page.setViewportSize({ width: 1000, height: 900 });
      await studio.locator('.tile img').first().scrollIntoViewIfNeeded();
      await screenshot('studio-narrow-dark');
    },
    { timeoutMs: 180_000 },
  ),

  e2eCase(
    'Image Studio: light theme, history, delete, and the draft survives a reload',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await useFakeApi({ page, setUserSettings }, 'Default Light Modern');
      await openFile(page, 'docs/getting-started.md');

      // The sparkle button in the title bar of a Markdown editor.
      await page.locator('.editor-actions').getByRole('button', { name: 'Open Image Studio' }).click();
      let studio = studioFrame(page);
      await studio.locator('#prompt').fill('A red fox in the snow');
      await studio.locator('#n').selectOption('2');
      await studio.locator('#stream').check();
      // One held download keeps its placeholder in view while the other image already shows.
      api.enqueueDownload({ kind: 'held' });
      await studio.locator('#generate').click();
      await studio.locator('.tile.pending').filter({ hasText: 'downloading' }).first().waitFor();
      await studio.locator('#cancel').waitFor();
      await screenshot('studio-progress-light');
      api.releaseHeldDownloads();
      await waitForThumbnails(studio, 2);
      assert.equal(api.apiRequests[0].json?.stream, true);
      await studio.locator('.entry').filter({ hasText: 'A red fox in the snow' }).waitFor();
      await studio.locator('#prompt').fill('A red fox in the snow, at night');
      // Wide enough for the two-column layout.
      await page.setViewportSize({ width: 1920, height: 1080 });
      await screenshot('studio-generated-light');

      // Hidden: another editor takes the Studio's place in its group, and the page is dropped until it comes back.
      await studio.locator('#prompt').click();
      await openFile(page, 'docs/architecture.rst');
      await page.locator('.tabs-container .tab').filter({ hasText: 'Image Studio' }).click();
      await waitForDraft(studioFrame(page), 'A red fox in the snow, at night');

      // Reloaded: VS Code restores the panel through the extension's serializer.
      await Promise.all([page.waitForEvent('load'), runCommand(page, 'Developer: Reload Window')]);
      await waitForWorkbench(page);
      studio = studioFrame(page);
      await waitForDraft(studio, 'A red fox in the snow, at night');
      assert.equal(await studio.locator('#n').inputValue(), '2');
      await waitForThumbnails(studio, 2);

      await studio
        .locator('.tile')
        .nth(1)
        .getByRole('button', { name: /^Delete / })
        .click();
      await confirmDelete(page, studio);
      await studio.locator('.tile.missing').filter({ hasText: 'Deleted' }).waitFor();
      await studio.locator('.entry-notes').filter({ hasText: '1 file deleted' }).waitFor();
      assert.ok(!fs.existsSync(path.join(workspaceDir, 'docs', 'images', 'a-red-fox-in-the-snow-2.png')));
      assert.ok(fs.existsSync(path.join(workspaceDir, 'docs', 'images', 'a-red-fox-in-the-snow-1.png')));

      await studio.locator('input[type="search"]').fill('no such prompt');
      await studio.locator('.history .empty').filter({ hasText: 'No generation matches the search.' }).waitFor();
      await studio.locator('input[type="search"]').fill('fox');
      await studio
        .locator('.entry')
        .first()
        .getByRole('button', { name: /^Load into the form/ })
        .click();
      assert.equal(await studio.locator('#prompt').inputValue(), 'A red fox in the snow');
    },
    { timeoutMs: 180_000 },
  ),

  e2eCase(
    'Image Studio: "Open in Studio" on the notification of a palette run shows that run (high contrast)',
    async ({ page, setUserSettings, screenshot }) => {
      await useFakeApi({ page, setUserSettings }, 'Default High Contrast');
      await generateFromPalette(page, 'A red fox in the snow');
      const notification = await waitForNotification(page, /Image saved to images/);
      await clickNotificationAction(notification, 'Open in Studio');
      const studio = studioFrame(page);
      await studio.locator('#gallery-title').filter({ hasText: 'From the history' }).waitFor();
      await studio.locator('.gallery .detail').filter({ hasText: 'A red fox in the snow' }).waitFor();
      await waitForThumbnails(studio, 1);
      await screenshot('studio-from-notification-hc');
    },
  ),

  e2eCase(
    'Image Studio: streamed previews show in their slots until the images arrive, and are removed after the run',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await useFakeApi({ page, setUserSettings }, 'Default Dark Modern');
      await openFile(page, 'docs/getting-started.md');
      const studio = await openStudio(page);
      await studio.locator('#prompt').fill('A paper kite over the dunes');
      await studio.locator('#n').selectOption('2');
      await studio.locator('#stream').check();
      // A preview of each image first; the images themselves 5 s later.
      api.enqueue({ kind: 'stream', previewsFor: 5000 });
      await studio.locator('#generate').click();

      const previews = studio.locator('.tile.has-preview img');
      await waitForLoaded(previews, 2, 'previews');
      await studio.locator('.preview-label').first().filter({ hasText: 'Image 1: preview, the final image is on its way' }).waitFor();
      const previewFiles = (await previews.evaluateAll((elements) => elements.map((img) => (img as HTMLImageElement).src))).map((src) => {
        // The webview address of a local file ends in the file's own path.
        const file = decodeURIComponent(new URL(src).pathname);
        assert.match(file, /\/globalStorage\/[^/]+\/previews\/preview-[^/]+\.png$/, "a preview file in the extension's storage");
        return file;
      });
      assert.ok(
        previewFiles.every((file) => fs.existsSync(file)),
        previewFiles.join('\n'),
      );
      await screenshot('studio-previews-dark');

      await waitForThumbnails(studio, 2);
      await studio.locator('.status').filter({ hasText: '2 images saved to docs/images' }).waitFor();
      assert.equal(await studio.locator('.tile.has-preview').count(), 0, "the images took the previews' places");
      assert.equal(api.apiRequests[0].json?.stream, true);
      for (const index of [1, 2]) {
        assert.ok(fs.existsSync(path.join(workspaceDir, 'docs', 'images', `a-paper-kite-over-the-dunes-${index}.png`)));
      }
      await waitUntil('the previews removed once the run is over', 10_000, async () => previewFiles.every((file) => !fs.existsSync(file)));
    },
    { timeoutMs: 180_000 },
  ),

  e2eCase('Image Studio: a rejected key is shown in the panel with a Set API Key button', async ({ page, setUserSettings, screenshot }) => {
    await useFakeApi({ page, setUserSettings }, 'Default Dark Modern', 'sk-not-the-right-key');
    const studio = await openStudio(page);
    await studio.locator('#prompt').fill('a red fox');
    await studio.locator('#generate').click();
    const error = studio.locator('#run-error');
    await error.filter({ hasText: 'The API key was rejected' }).waitFor();
    await screenshot('studio-unauthorized-dark');
    await error.getByRole('button', { name: 'Set API Key' }).click();
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Seedream: API Key' }).waitFor();
    await page.keyboard.press('Escape');
  }),

  e2eCase(
    'Image Studio: a 504 says the images may have been billed, and its retry button that it may bill again',
    async ({ page, setUserSettings, screenshot }) => {
      const api = await useFakeApi({ page, setUserSettings }, 'Default Dark Modern');
      api.enqueue({ kind: 'status', status: 504, body: { error: { code: 'GatewayTimeout', message: 'upstream timed out' } } });
      const studio = await openStudio(page);
      await studio.locator('#prompt').fill('a red fox');
      await studio.locator('#generate').click();
      const error = studio.locator('#run-error');
      await error.filter({ hasText: 'may have been made and billed all the same' }).waitFor();
      const retry = error.getByRole('button', { name: 'Try Again (may bill again)' });
      await retry.waitFor();
      await screenshot('studio-may-have-billed-dark');
      await retry.click();
      await studio.locator('.status').filter({ hasText: 'Image saved to' }).waitFor();
      assert.equal(api.apiRequests.length, 2, 'the retry sent the request once more, and only when pressed');
    },
  ),

  e2eCase(
    'Image Studio: a Cancel pressed while the API key is asked for sends nothing once the key is entered',
    async ({ page, setUserSettings, screenshot }) => {
      // No key yet: Generate asks for one in a box that stays open while the user clicks elsewhere.
      const api = await fakeApi();
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'workbench.colorTheme': 'Default Dark Modern' });
      const studio = await openStudio(page);
      // The panel has its state from the extension once it tells that no key is set.
      await studio.getByText('No API key is set yet.').waitFor();
      await studio.locator('#prompt').fill('a red fox');
      await studio.locator('#generate').click();
      await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Seedream: API Key' }).waitFor();
      await studio.locator('#cancel').click();
      await fillInput(page, TEST_API_KEY);
      await studio.locator('.status').filter({ hasText: 'Cancelled: nothing was saved.' }).waitFor();
      await screenshot('studio-cancelled-before-sending-dark');
      assert.equal(api.apiRequests.length, 0, 'the cancelled run sent no request');
    },
  ),
];
