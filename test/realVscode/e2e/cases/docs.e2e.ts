// The docs workflow, through the UI only: a Markdown file links images that do not exist yet; the editor points
// them out, a Quick Fix makes one, "Generate All Missing Images" makes the rest, and the links stay as written.
// Then an image that exists is revised from its hover: Variations, one picked in the Image Studio, the link follows.
// And Generate All Missing cancelled mid-run: the image already requested is kept, the others are never asked for.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { TEST_API_KEY } from '../../../support/fakeApiServer';
import { inspectImage } from '../../../../src/core/image/imageCheck';
import { readEmbeddedMetadata } from '../../../../src/core/image/imageMetadata';
import { withoutProvenance } from '../../../support/images';
import { waitUntil } from '../../wait';
import { fakeApi } from '../fakeApi';
import { e2eCase } from '../harness';
import { filesBelow, goToPosition, saveActiveEditor, setApiKey, waitForFile } from '../steps';
import {
  clickNotificationAction,
  codeActionItem,
  hoverEditorText,
  openFile,
  openQuickFixMenu,
  pickCodeAction,
  problemRows,
  quickItem,
  runCommand,
  showProblems,
  studioFrame,
  waitForNotification,
} from '../ui';

const QUICK_INPUT = '.quick-input-widget';

/** A missing image as the guide links it: `prompt` is what should be sent and embedded. */
interface MissingImage {
  readonly target: string;
  readonly prompt: string;
}

const LOGIN = { target: 'images/login-flow.png', prompt: 'A login flow diagram, flat vector style' } as const satisfies MissingImage;
const SETTINGS = {
  target: 'images/settings-page.png',
  prompt: 'The settings page of a web app with a dark sidebar, clean UI mockup',
} as const satisfies MissingImage;
const EXPORT = {
  target: 'images/export-dialog.png',
  prompt: 'A modal export dialog with a progress bar, isometric illustration',
} as const satisfies MissingImage;
const DASHBOARD = {
  target: 'images/dashboard.png',
  prompt: 'A dashboard with usage charts, soft pastel colours',
} as const satisfies MissingImage;

// The last link's alt text is for readers; its title gives the prompt.
const GUIDE_LINES = [
  '# Guide',
  '',
  'Sign in first: the login flow takes three steps.',
  '',
  `![${LOGIN.prompt}](${LOGIN.target})`,
  '',
  'Then open the settings page from the sidebar and pick a theme.',
  '',
  `![${SETTINGS.prompt}](${SETTINGS.target})`,
  '',
  'Finally, export your settings to a file you can share.',
  '',
  `![Export dialog](${EXPORT.target} "prompt: ${EXPORT.prompt}")`,
  '',
];
const GUIDE = GUIDE_LINES.join('\n');

/** Waits until `locator` matches exactly `count` elements. */
async function waitForCount(locator: Locator, count: number, what: string): Promise<void> {
  await waitUntil(`${count} ${what}`, 30_000, async () => (await locator.count()) === count);
}

export default [
  e2eCase(
    'Docs workflow: Quick Fix one missing image, Generate All Missing for the rest, links untouched',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      const guidePath = path.join(workspaceDir, 'docs', 'guide.md');
      const imagesDir = path.join(workspaceDir, 'docs', 'images');
      const written = Buffer.from(GUIDE, 'utf8');
      fs.writeFileSync(guidePath, written);
      // Every setting at once: code-server does not reliably take a second write of the user settings.
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'seedream.missingImages.diagnostics': 'warning' });
      await setApiKey(page, TEST_API_KEY);
      await openFile(page, 'docs/guide.md');

      // Each missing image is a warning (squiggle and Problems), with a CodeLens above its link.
      const editor = page.locator('.editor-group-container.active .monaco-editor');
      // A wrapped line draws its squiggle in pieces: the Problems panel gives the exact count.
      await waitUntil('the warning squiggles', 30_000, async () => (await editor.locator('.squiggly-warning').count()) >= 3);
      const lenses = editor.locator('.codelens-decoration a').filter({ hasText: /^\W*Generate image\s*$/ });
      await waitForCount(lenses, 3, '"Generate image" CodeLenses');
      await showProblems(page);
      await waitForCount(problemRows(page, 'Image not found'), 3, 'missing-image problems');
      for (const image of [LOGIN, SETTINGS, EXPORT]) {
        const row = problemRows(page, `Image not found: ${image.target}`);
        await row.waitFor({ state: 'visible' });
        assert.match(await row.innerText(), /Seedream/, `the problem of ${image.target} names its source`);
      }
      await screenshot('docs-missing-diagnostics');

      // Quick Fix on the first link.
      const loginLine = GUIDE.split('\n').findIndex((line) => line.includes(LOGIN.target)) + 1;
      await goToPosition(page, loginLine, 5);
      // The light bulb tells the Quick Fixes for the cursor are known.
      await editor.locator('.lightBulbWidget:visible, .codicon-light-bulb:visible').first().waitFor();
      await openQuickFixMenu(page);
      await codeActionItem(page, `Generate image "${LOGIN.target}"`).waitFor({ state: 'visible' });
      await codeActionItem(page, 'Generate all missing images in this file').waitFor({ state: 'visible' });
      await screenshot('docs-quick-fix');
      await pickCodeAction(page, `Generate image "${LOGIN.target}"`);
      await waitForNotification(page, /login-flow\.png/);
      await waitForFile(path.join(imagesDir, 'login-flow.png'));
      await waitForCount(problemRows(page, 'Image not found'), 2, 'missing-image problems after the Quick Fix');
      await waitForCount(lenses, 2, '"Generate image" CodeLenses after the Quick Fix');

      // Generate All Missing: a preview of the two links left, every one ticked.
      await runCommand(page, 'Seedream: Generate All Missing Images in This File');
      await page.locator(`${QUICK_INPUT} .quick-input-title`).filter({ hasText: 'Generate Missing Images' }).waitFor();
      const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
      await waitUntil('the preview to count 2 selected images', 30_000, async () =>
        /^2 of 2 selected\b/.test((await input.getAttribute('placeholder')) ?? ''),
      );
      const placeholder = (await input.getAttribute('placeholder')) ?? '';
      // The local test server is not the provider, so the preview says the cost is unknown (no seedream.prices set).
      assert.match(placeholder, /^2 of 2 selected · 2 images will be billed \(cost unknown\) · Enter to generate/, placeholder);
      const rows = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
      await waitForCount(rows, 2, 'rows in the preview');
      const preview = await rows.evaluateAll((elements) =>
        elements.map((row) => ({
          label: row.querySelector('.label-name')?.textContent?.trim(),
          description: row.querySelector('.label-description')?.textContent?.trim(),
          checked: row.getAttribute('aria-checked'),
        })),
      );
      assert.deepEqual(preview, [
        { label: SETTINGS.target, description: SETTINGS.prompt, checked: 'true' },
        { label: EXPORT.target, description: EXPORT.prompt, checked: 'true' },
      ]);
      assert.equal(await quickItem(page, LOGIN.target).count(), 0, 'the image already made is not offered again');
      await screenshot('docs-generate-all-preview');
      await input.press('Enter');
      await waitForNotification(page, /Missing images: 2 made\./, 60_000);
      await screenshot('docs-generate-all-summary');

      // Three valid PNGs that carry their prompts, nothing else in the folder, and the guide exactly as written.
      for (const image of [LOGIN, SETTINGS, EXPORT]) {
        const file = path.join(path.dirname(guidePath), image.target);
        assert.ok(fs.existsSync(file), `${image.target} was not made`);
        const bytes = fs.readFileSync(file);
        assert.equal(inspectImage(bytes).format, 'png', `${image.target} is a PNG`);
        const metadata = readEmbeddedMetadata(bytes);
        assert.ok(metadata, `${image.target} carries no metadata`);
        assert.equal(metadata.prompt, image.prompt, `the prompt embedded in ${image.target}`);
      }
      assert.deepEqual(filesBelow(imagesDir), ['export-dialog.png', 'login-flow.png', 'settings-page.png']);
      const leftovers = filesBelow(workspaceDir).filter((file) => path.basename(file).startsWith('.seedream-'));
      assert.deepEqual(leftovers, [], 'temporary files were left');
      assert.ok(fs.readFileSync(guidePath).equals(written), 'guide.md changed on disk');
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'guide.md' });
      assert.ok(!((await tab.getAttribute('class')) ?? '').split(/\s+/).includes('dirty'), 'the guide.md editor has unsaved changes');

      // One request per image, one image per request, in the format the link's extension names.
      const generations = api.apiRequests.filter((request) => /\/images\/generations$/.test(request.path));
      assert.equal(api.apiRequests.length, 3, api.apiRequests.map((request) => `${request.method} ${request.path}`).join('\n'));
      assert.equal(generations.length, 3);
      for (const request of generations) {
        assert.equal(request.json?.n, 1, request.body);
        assert.equal(request.json?.output_format, 'png', request.body);
      }
      assert.deepEqual(generations.map((request) => request.json?.prompt).sort(), [LOGIN.prompt, SETTINGS.prompt, EXPORT.prompt].sort());

      // No image is missing any more: the warnings and CodeLenses are gone.
      await waitForCount(problemRows(page, 'Image not found'), 0, 'missing-image problems');
      await waitForCount(lenses, 0, '"Generate image" CodeLenses');

      // Hovering a link to an image that now exists: thumbnail, size and format, prompt, and what to do next.
      const hover = await hoverEditorText(page, 'login-flow.png', 'Regenerate');
      const thumbnail = hover.locator('img').first();
      await thumbnail.waitFor({ state: 'visible' });
      await waitUntil('the hover thumbnail to load', 30_000, () => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0));
      const hoverText = await hover.innerText();
      for (const expected of ['Prompt:', LOGIN.prompt, 'Regenerate', 'Variations', 'Open in Image Studio', 'PNG']) {
        assert.ok(hoverText.includes(expected), `the hover lacks "${expected}":\n${hoverText}`);
      }
      assert.match(hoverText, /64\s*[×x]\s*48/, `the hover lacks the pixel size:\n${hoverText}`);
      await screenshot('docs-hover');
    },
    { timeoutMs: 240_000 },
  ),

  e2eCase(
    'Docs workflow: Variations from the hover, pick one in the Image Studio, the link follows',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      const guidePath = path.join(workspaceDir, 'docs', 'guide.md');
      const imagesDir = path.join(workspaceDir, 'docs', 'images');
      const original = path.join(imagesDir, 'login-flow.png');
      // The guide's opening: the login flow's missing image.
      const guide = GUIDE_LINES.slice(0, 8).join('\n');
      fs.writeFileSync(guidePath, guide);
      // Auto save off, as on the desktop (VS Code in a browser saves after a second and shows no unsaved mark):
      // the chosen link is then an unsaved edit, which the user saves.
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'files.autoSave': 'off' });
      await setApiKey(page, TEST_API_KEY);
      await openFile(page, 'docs/guide.md');

      // The image first, from the link's CodeLens, so that it carries its prompt and settings.
      const editor = page.locator('.editor-group-container.active .monaco-editor');
      const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^\W*Generate image\s*$/ });
      await waitForCount(lens, 1, '"Generate image" CodeLens');
      await lens.click();
      await waitForNotification(page, /login-flow\.png/);
      const originalBytes = await waitForFile(original);
      await waitForCount(lens, 0, '"Generate image" CodeLenses once the image exists');

      // Variations from the hover; one download is held so that the progress can be seen.
      api.enqueueDownload({ kind: 'held' });
      const hover = await hoverEditorText(page, 'login-flow.png', 'Variations');
      await hover
        .locator('a')
        .filter({ hasText: /^\W*Variations$/ })
        .click();
      await waitForNotification(page, /(Downloading image \d|Saved \d) of 4/);
      await screenshot('docs-variations-progress');
      api.releaseHeldDownloads();

      // The Studio shows the run from the history: four saved images, each with Use for the link.
      const studio = studioFrame(page);
      await page.locator('.tabs-container .tab').filter({ hasText: 'Image Studio' }).waitFor();
      await studio.locator('#gallery-title').filter({ hasText: 'From the history' }).waitFor();
      await studio.locator('.gallery .detail').filter({ hasText: LOGIN.prompt }).waitFor();
      const tiles = studio.locator('.tile');
      await waitForCount(tiles, 4, 'tiles in the Studio');
      // The thumbnails load lazily: each is brought into view, as a person scrolling would.
      for (let index = 0; index < 4; index++) {
        const image = studio.locator('.tile img').nth(index);
        await image.scrollIntoViewIfNeeded();
        await waitUntil(`thumbnail ${index + 1} to load`, 30_000, () =>
          image.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0),
        );
      }
      const variations = [1, 2, 3, 4].map((index) => `login-flow-${index}.png`);
      assert.deepEqual(await studio.locator('.tile .name').allInnerTexts(), variations);
      for (const name of variations) {
        await studio.getByRole('button', { name: `Use ${name} for ${LOGIN.target}`, exact: true }).waitFor();
      }
      // The mouse leaves the hover, which closes; the gallery shows from its heading.
      await page.mouse.move(5, 5);
      await page.locator('.monaco-hover').filter({ hasText: 'Variations' }).waitFor({ state: 'hidden' });
      await studio.locator('#gallery-title').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
      await screenshot('docs-variations-studio');

      // Use the second: only the link's path changes, in the editor (unsaved), and the Studio says so.
      await tiles
        .nth(1)
        .getByRole('button', { name: `Use login-flow-2.png for ${LOGIN.target}`, exact: true })
        .click();
      await studio.locator('.notice-line').filter({ hasText: 'guide.md now shows login-flow-2.png.' }).waitFor();
      await studio.locator('#gallery-title').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
      await screenshot('docs-variations-used');
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'guide.md' });
      await waitUntil('the guide.md tab to show unsaved changes', 30_000, async () =>
        ((await tab.getAttribute('class')) ?? '').split(/\s+/).includes('dirty'),
      );
      assert.equal(fs.readFileSync(guidePath, 'utf8'), guide, 'guide.md changed on disk before it was saved');
      await tab.click();
      await saveActiveEditor(page);
      const expected = guide.replace(`](${LOGIN.target})`, '](images/login-flow-2.png)');
      assert.notEqual(expected, guide);
      const saved = (await waitForFile(guidePath, (content) => content.toString('utf8') !== guide)).toString('utf8');
      assert.equal(saved, expected);

      // Four new files beside the original, which is untouched; each carries the prompt.
      assert.deepEqual(filesBelow(imagesDir), [...variations, 'login-flow.png']);
      assert.ok(fs.readFileSync(original).equals(originalBytes), 'login-flow.png changed');
      for (const name of variations) {
        const bytes = fs.readFileSync(path.join(imagesDir, name));
        assert.equal(inspectImage(bytes).format, 'png', `${name} is a PNG`);
        assert.equal(readEmbeddedMetadata(bytes)?.prompt, LOGIN.prompt, `the prompt embedded in ${name}`);
      }
      const leftovers = filesBelow(workspaceDir).filter((file) => path.basename(file).startsWith('.seedream-'));
      assert.deepEqual(leftovers, [], 'temporary files were left');

      // Two requests: the image, then four variations with the same prompt and settings.
      const generations = api.apiRequests.filter((request) => /\/images\/generations$/.test(request.path));
      assert.equal(generations.length, 2, api.apiRequests.map((request) => `${request.method} ${request.path} ${request.body}`).join('\n'));
      const [first, second] = generations.map((request) => request.json ?? {});
      assert.equal(first.n, 1, generations[0].body);
      assert.equal(second.n, 4, generations[1].body);
      assert.equal(second.prompt, LOGIN.prompt, generations[1].body);
      for (const setting of ['model', 'size', 'output_format']) {
        assert.equal(second[setting], first[setting], `${setting}: ${generations[1].body}`);
      }
    },
    { timeoutMs: 240_000 },
  ),

  e2eCase(
    'Docs workflow: Cancel Generate All Missing stops new requests and keeps the finished',
    async ({ page, workspaceDir, setUserSettings, screenshot }) => {
      const api = await fakeApi();
      const guidePath = path.join(workspaceDir, 'docs', 'guide.md');
      const imagesDir = path.join(workspaceDir, 'docs', 'images');
      // The guide of the first case with a fourth missing image.
      const guide = [
        GUIDE.trimEnd(),
        '',
        'The dashboard then shows what you used this month.',
        '',
        `![${DASHBOARD.prompt}](${DASHBOARD.target})`,
        '',
      ].join('\n');
      const written = Buffer.from(guide, 'utf8');
      fs.writeFileSync(guidePath, written);
      // One image at a time, so that cancelling leaves three never requested.
      await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'seedream.missingImages.concurrency': 1, 'files.autoSave': 'off' });
      await setApiKey(page, TEST_API_KEY);
      await openFile(page, 'docs/guide.md');
      const editor = page.locator('.editor-group-container.active .monaco-editor');
      const lenses = editor.locator('.codelens-decoration a').filter({ hasText: /^\W*Generate image\s*$/ });
      await waitForCount(lenses, 4, '"Generate image" CodeLenses');

      // The first image's download is held: it is in flight (and billed) when the user cancels.
      api.enqueueDownload({ kind: 'held' });
      await runCommand(page, 'Seedream: Generate All Missing Images in This File');
      await page.locator(`${QUICK_INPUT} .quick-input-title`).filter({ hasText: 'Generate Missing Images' }).waitFor();
      const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
      await waitUntil('the preview to count 4 selected images', 30_000, async () =>
        /^4 of 4 selected\b/.test((await input.getAttribute('placeholder')) ?? ''),
      );
      await input.press('Enter');
      const progress = await waitForNotification(page, /generating missing images/);
      await waitUntil('the first image to be downloading', 30_000, () => api.downloadRequests.length === 1);
      assert.equal(api.apiRequests.length, 1, 'one image at a time: only the first was requested');
      await screenshot('docs-generate-all-progress');

      // While the image already requested finishes, the user is told so. Checked at the end, so that a missing
      // message does not hide what the rest of the run did.
      await clickNotificationAction(progress, 'Cancel');
      // The mouse leaves, or the next toast's button under it shows its tooltip.
      await page.mouse.move(5, 5);
      const cancelling = 'Cancelled: saving the image already billed';
      const cancellingShown = await waitForNotification(page, cancelling, 10_000).then(
        () => true,
        () => false,
      );
      await screenshot('docs-generate-all-cancelling');
      assert.equal(api.apiRequests.length, 1, 'a request was sent after Cancel');
      api.releaseHeldDownloads();

      await waitForNotification(page, 'Missing images: 1 made, 3 skipped.', 60_000);
      await page
        .locator('.notifications-toasts .notification-toast')
        .filter({ hasText: /generating missing images/ })
        .waitFor({ state: 'hidden' });
      // The image made is no longer pointed out; the three others still are.
      await waitForCount(lenses, 3, '"Generate image" CodeLenses for the images not made');
      await editor
        .locator('.codelens-decoration a')
        .filter({ hasText: /^\W*Generate all 3 missing\s*$/ })
        .waitFor();
      await screenshot('docs-generate-all-cancelled');

      // The first image, whole and with its prompt; nothing else made, nothing left behind, the guide as written.
      assert.deepEqual(filesBelow(imagesDir), ['login-flow.png']);
      const bytes = fs.readFileSync(path.join(imagesDir, 'login-flow.png'));
      assert.equal(inspectImage(bytes).format, 'png', 'login-flow.png is a PNG');
      assert.deepEqual(withoutProvenance(bytes), api.imageBytes('png', 0), 'the served image, plus its provenance');
      const metadata = readEmbeddedMetadata(bytes);
      assert.ok(metadata, 'login-flow.png carries no metadata');
      assert.equal(metadata.prompt, LOGIN.prompt, 'the prompt embedded in login-flow.png');
      const leftovers = filesBelow(workspaceDir).filter((file) => path.basename(file).startsWith('.seedream-'));
      assert.deepEqual(leftovers, [], 'temporary files were left');
      assert.ok(fs.readFileSync(guidePath).equals(written), 'guide.md changed on disk');
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'guide.md' });
      assert.ok(!((await tab.getAttribute('class')) ?? '').split(/\s+/).includes('dirty'), 'the guide.md editor has unsaved changes');

      // Exactly one request, for the first link.
      assert.equal(
        api.apiRequests.length,
        1,
        api.apiRequests.map((request) => `${request.method} ${request.path} ${request.body}`).join('\n'),
      );
      assert.match(api.apiRequests[0].path, /\/images\/generations$/);
      assert.equal(api.apiRequests[0].json?.prompt, LOGIN.prompt, api.apiRequests[0].body);
      assert.equal(api.downloadRequests.length, 1);
      assert.ok(
        cancellingShown,
        `after Cancel, no notification said "${cancelling}…" while the first image finished (see docs-generate-all-cancelling.png)`,
      );
    },
    { timeoutMs: 240_000 },
  ),
];
