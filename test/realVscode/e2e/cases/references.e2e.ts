// Reference images through the UI: Edit Image… on a PNG from the Explorer's context menu, and the Image Studio
// with two references and an image set of 3. The local API server decodes every inline reference, so each case
// checks that the request carried the files' exact bytes, in order.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FrameLocator, Page } from 'playwright-core';
import { TEST_API_KEY, type FakeApiServer } from '../../../support/fakeApiServer';
import { makePng } from '../../../support/images';
import { waitUntil } from '../../wait';
import { fakeApi } from '../fakeApi';
import { e2eCase, type E2eContext } from '../harness';
import { goToPosition, setApiKey, waitForFile } from '../steps';
import { openFile, pickQuickItem, QUICK_INPUT_BOX, runCommand, runMenuItem, studioFrame, waitForNotification } from '../ui';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A reference image in the scratch workspace, distinct per `seed`. */
function writePng(workspaceDir: string, relative: string, width: number, height: number, seed: number): Buffer {
  const bytes = makePng({ width, height, seed });
  fs.mkdirSync(path.dirname(path.join(workspaceDir, relative)), { recursive: true });
  fs.writeFileSync(path.join(workspaceDir, relative), bytes);
  return bytes;
}

async function useFakeApi({ page, setUserSettings }: Pick<E2eContext, 'page' | 'setUserSettings'>, theme: string): Promise<FakeApiServer> {
  const api = await fakeApi();
  await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'workbench.colorTheme': theme });
  await setApiKey(page, TEST_API_KEY);
  return api;
}

/** The Explorer's row of a file at the workspace root. */
async function explorerRow(page: Page, name: string) {
  await runCommand(page, 'View: Show Explorer');
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: new RegExp(`^${name.replace('.', '\\.')}$`) });
  await row.waitFor({ state: 'visible' });
  return row;
}

/** Chooses `relative` in the file picker (code-server's own dialog: a path typed into a quick input). */
async function pickFile(page: Page, workspaceDir: string, relative: string): Promise<void> {
  const input = page.locator(QUICK_INPUT_BOX);
  const target = path.join(workspaceDir, relative);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: path.basename(relative) });
  await input.waitFor({ state: 'visible' });
  // The dialog fills in its starting folder once it has read it, which can overwrite what was typed before:
  // type again until the path stays and the dialog offers the file.
  await waitUntil(`the file dialog to offer ${relative}`, 30_000, async () => {
    if ((await input.inputValue().catch(() => '')) !== target) {
      await input.fill(target);
    }
    return (await input.inputValue()) === target && (await row.count()) > 0;
  });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

async function openStudio(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'Seedream: Open Image Studio');
  const studio = studioFrame(page);
  await studio.locator('#prompt').waitFor();
  return studio;
}

/** Waits until `count` images under `selector` show, each loaded from disk. */
async function waitForLoaded(studio: FrameLocator, selector: string, count: number): Promise<void> {
  const images = studio.locator(selector);
  await images.nth(count - 1).waitFor();
  await waitUntil(`${count} loaded images in ${selector}`, 30_000, async () => {
    const loaded = await images.evaluateAll((elements) => elements.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length);
    return loaded === count;
  });
}

/** Switches the color theme as a person does, through Preferences: Color Theme. */
async function useTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await pickQuickItem(page, label);
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'hidden' });
}

/**
 * Drops files on the References strip as the workbench hands a drop from the Explorer to the page: their URIs
 * in a `text/uri-list`.
 */
async function dropOnStrip(studio: FrameLocator, uris: readonly string[]): Promise<void> {
  await studio.locator('.references').evaluate((strip, list) => {
    const data = new DataTransfer();
    data.setData('text/uri-list', list.join('\r\n'));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      strip.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, uris);
}

export default [
  e2eCase(
    'References: the Image Studio with two references and an image set of 3 give three images together, in order; Insert Set links them in order',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await useFakeApi({ page, setUserSettings }, 'Default Dark Modern');
      const photo = writePng(workspaceDir, 'docs/images/photo.png', 640, 400, 5);
      const palette = writePng(workspaceDir, 'docs/images/palette.png', 400, 400, 9);
      await openFile(page, 'docs/getting-started.md');
      await goToPosition(page, 8);

      const studio = await openStudio(page);
      await studio.locator('#prompt').fill('A storyboard of the login flow in the style of image 2, starting from image 1');
      await studio.locator('#add-references').click();
      await pickFile(page, workspaceDir, 'docs/images/photo.png');
      await waitForLoaded(studio, '.reference-thumb img', 1);
      // A drop from the Explorer names files by URI; one outside the workspace is refused beside the strip.
      const outside = path.join(path.dirname(workspaceDir), 'outside.png');
      fs.writeFileSync(outside, makePng({ width: 64, height: 64 }));
      await dropOnStrip(studio, [pathToFileURL(outside).href, pathToFileURL(path.join(workspaceDir, 'docs/images/palette.png')).href]);
      await studio.locator('.reference-notice').filter({ hasText: 'outside.png is outside the workspace' }).waitFor();
      await waitForLoaded(studio, '.reference-thumb img', 2);
      assert.deepEqual(await studio.locator('.reference-name').allTextContents(), ['photo.png', 'palette.png']);
      await studio.locator('#references-count').filter({ hasText: '2 of 14' }).waitFor();

      // Order matters ("image 1", "image 2"): move the palette first, then back.
      await studio.getByRole('button', { name: 'Move palette.png earlier' }).click();
      assert.deepEqual(await studio.locator('.reference-name').allTextContents(), ['palette.png', 'photo.png']);
      await studio.getByRole('button', { name: 'Move palette.png later' }).click();
      assert.deepEqual(await studio.locator('.reference-name').allTextContents(), ['photo.png', 'palette.png']);

      // A rule broken is said beside the strip before anything is sent: 2 references and a set of 14 make 16.
      await studio.locator('#image-set').check();
      await studio.locator('#maxImages').selectOption('14');
      await studio.locator('#maxImages-error').filter({ hasText: '2 references and a set of up to 14 make 16' }).waitFor();
      await studio.locator('#maxImages').selectOption('3');
      await studio.locator('#maxImages-error').waitFor({ state: 'hidden' });
      assert.equal(await studio.locator('#n').isDisabled(), true, 'an image set is one request');
      await studio.locator('#generate').click();

      await waitForLoaded(studio, '.tile img', 3);
      await studio.locator('.status').filter({ hasText: 'Image set of 3 (up to 3) saved to docs/images' }).waitFor();
      assert.deepEqual(await studio.locator('.tile .set-position').allTextContents(), ['1 of 3', '2 of 3', '3 of 3']);
      const names = await studio.locator('.tile .name').allTextContents();
      assert.equal(names.length, 3);

      assert.equal(api.apiRequests.length, 1);
      const [request] = api.apiRequests;
      assert.equal(request!.json?.sequential_image_generation, 'auto');
      assert.deepEqual(request!.json?.sequential_image_generation_options, { max_images: 3 });
      assert.deepEqual(
        request!.references,
        [photo, palette].map((bytes) => ({ kind: 'inline', format: 'png', byteLength: bytes.length, sha256: sha256(bytes) })),
        'both references, exact bytes, in order',
      );
      for (const name of names) {
        assert.ok(fs.existsSync(path.join(workspaceDir, 'docs', 'images', name)), name);
      }

      // The history keeps the set together, with what it was made from.
      const entry = studio.locator('.entry').first();
      await entry.filter({ hasText: 'image set of 3 (up to 3)' }).waitFor();
      assert.deepEqual(await entry.locator('.entry-references li').allTextContents(), ['photo.png', 'palette.png']);
      await waitForLoaded(studio, '.entry-references img', 2);
      // Wide enough for the Studio's two columns: the strip and the form beside the set.
      await page.setViewportSize({ width: 1920, height: 1200 });
      await runCommand(page, 'View: Close Primary Side Bar');
      await studio.locator('#prompt').scrollIntoViewIfNeeded();
      // The pointer rests on the empty end of the document, where it raises no tooltip.
      await page.mouse.move(300, 900);
      await screenshot('studio-references-set-dark');

      await studio.locator('#insert-set').click();
      await studio.locator('.notice-line').filter({ hasText: '3 links inserted into getting-started.md.' }).waitFor();
      await page.locator('.tabs-container .tab').filter({ hasText: 'getting-started.md' }).click();
      await page.keyboard.press('Control+S');
      const links = names.map((name) => `![A storyboard of the login flow in the style of image 2, starting from image 1](images/${name})`);
      await waitForFile(path.join(workspaceDir, 'docs', 'getting-started.md'), (content) =>
        content.toString().includes(links.join('\n\n')),
      );

      // Load into form brings the references back, in order.
      await studio.locator('#prompt').fill('');
      await studio.getByRole('button', { name: 'Remove photo.png' }).click();
      await studio.getByRole('button', { name: 'Remove palette.png' }).click();
      await studio.locator('.reference-empty').waitFor();
      await entry.getByRole('button', { name: /^Load into the form/ }).click();
      await waitForLoaded(studio, '.reference-thumb img', 2);
      assert.deepEqual(await studio.locator('.reference-name').allTextContents(), ['photo.png', 'palette.png']);
      assert.equal(await studio.locator('#image-set').isChecked(), true);
      assert.equal(await studio.locator('#maxImages').inputValue(), '3');

      await useTheme(page, 'Light Modern');
      await studio.locator('#prompt').scrollIntoViewIfNeeded();
      await screenshot('studio-references-set-light');
    },
    { timeoutMs: 240_000 },
  ),
  e2eCase(
    'References: Edit Image… from the Explorer: the edit is saved beside the PNG, the PNG is untouched, and the API got its exact bytes',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await useFakeApi({ page, setUserSettings }, 'Default Dark Modern');
      const original = writePng(workspaceDir, 'login-flow.png', 640, 400, 3);

      const row = await explorerRow(page, 'login-flow.png');
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .action-item').filter({ hasText: /^Edit Image…/ });
      await item.waitFor({ state: 'visible' });
      await screenshot('edit-image-explorer-menu-dark');
      await runMenuItem(page, item);

      await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Edit login-flow.png' }).waitFor();
      await page.locator(QUICK_INPUT_BOX).fill('make the background white');
      await screenshot('edit-image-instruction-dark');
      await page.locator(QUICK_INPUT_BOX).press('Enter');

      const edited = await waitForFile(path.join(workspaceDir, 'login-flow-edit.png'));
      await waitForNotification(page, 'Saved login-flow-edit.png, edited from login-flow.png');
      assert.deepEqual(fs.readFileSync(path.join(workspaceDir, 'login-flow.png')), original, 'the original is untouched');
      assert.ok(edited.length > 0);

      assert.equal(api.apiRequests.length, 1);
      const [request] = api.apiRequests;
      assert.equal(request!.json?.prompt, 'make the background white');
      assert.deepEqual(request!.references, [{ kind: 'inline', format: 'png', byteLength: original.length, sha256: sha256(original) }]);

      await useTheme(page, 'Light Modern');
      await (await explorerRow(page, 'login-flow-edit.png')).click();
      await page.locator('.tabs-container .tab.active').filter({ hasText: 'login-flow-edit.png' }).waitFor();
      // The image preview is a webview too: wait until it shows the picture.
      const preview = studioFrame(page).locator('img');
      await waitUntil('the edited image in its preview', 30_000, async () =>
        preview.evaluateAll((images) => images.some((img) => (img as HTMLImageElement).naturalWidth > 0)).catch(() => false),
      );
      await screenshot('edit-image-result-light');
    },
    { timeoutMs: 180_000 },
  ),
];
