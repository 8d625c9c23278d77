// Cost before billing, seen as a user sees it: the estimate beside the Studio's Generate follows the model and
// the count, the workspace's running total grows by what a run was billed, and the Generate Image prompt box
// says count x model ≈ cost before anything is sent.
import * as assert from 'node:assert/strict';
import { TEST_API_KEY } from '../../../support/fakeApiServer';
import { waitUntil } from '../../wait';
import { fakeApi } from '../fakeApi';
import { e2eCase } from '../harness';
import { setApiKey } from '../steps';
import { openFile, QUICK_INPUT, runCommand } from '../ui';

export default e2eCase(
  'Cost before billing: the Studio shows the estimate beside Generate and the running total; the prompt box shows count x model',
  async ({ page, setUserSettings, screenshot }) => {
    const api = await fakeApi();
    // The local test server is not the provider: its prices are the user's own, here the list prices in dollars.
    await setUserSettings({
      'seedream.baseUrl': api.baseUrl,
      'seedream.prices': { currency: 'USD', 'seedream-5-0-260128': 0.035, 'seedream-4-5-251128': 0.04 },
      'workbench.colorTheme': 'Default Light Modern',
    });
    await setApiKey(page, TEST_API_KEY);
    await openFile(page, 'docs/getting-started.md');

    await runCommand(page, 'Seedream: Open Image Studio');
    const studio = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await studio.locator('#prompt').fill('A lighthouse at dusk, watercolor');
    const estimate = studio.locator('#cost-estimate');
    await estimate.filter({ hasText: '1 × seedream-5-0 ≈ $0.035' }).waitFor();
    await studio.locator('#n').selectOption('2');
    await estimate.filter({ hasText: '2 × seedream-5-0 ≈ $0.07' }).waitFor();
    assert.match((await estimate.getAttribute('title')) ?? '', /seedream\.prices/);
    await screenshot('cost-before-billing-studio');
    assert.equal(api.apiRequests.length, 0, 'nothing is billed by looking');

    await studio.locator('#model').selectOption('seedream-4-5-251128');
    await estimate.filter({ hasText: '2 × seedream-4-5 ≈ $0.08' }).waitFor();
    await studio.locator('#model').selectOption('seedream-5-0-260128');
    await studio.locator('#generate').click();
    await studio.locator('#spending').filter({ hasText: 'This workspace so far: 2 images billed · ≈ $0.07' }).waitFor({ timeout: 60_000 });
    await studio.locator('.entry-facts').first().filter({ hasText: 'billed 2 images · $0.07' }).waitFor();
    assert.equal(api.apiRequests.length, 1);
    await screenshot('cost-running-total-studio');

    await runCommand(page, 'Seedream: Generate Image');
    const message = page.locator(`${QUICK_INPUT} .quick-input-message`);
    await waitUntil('the prompt box to show the cost', 30_000, async () =>
      /1 × seedream-5-0 ≈ \$0\.035 · 2K/.test((await message.textContent()) ?? ''),
    );
    await screenshot('cost-before-billing-prompt-box');
    await page.keyboard.press('Escape');
    assert.equal(api.apiRequests.length, 1, 'the prompt box bills nothing');
  },
  { timeoutMs: 180_000 },
);
