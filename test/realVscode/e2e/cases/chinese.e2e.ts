// The extension in Simplified Chinese, in a workbench whose display language is zh-cn (the browser asks for zh-CN;
// code-server then runs the workbench in zh-cn, see codeServer.ts): the manifest's strings in the command palette,
// and a message from each copy of the translations: the activation bundle's (notifications, and the core's check
// of a setting), the webview's (the Studio's own words and the same check in the page) and the engine's (an API error).
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { TEST_API_KEY } from '../../../support/fakeApiServer';
import { fakeApi } from '../fakeApi';
import { e2eCase } from '../harness';
import { fillInput, openCommandPalette, quickItem, runCommand, waitForNotification } from '../ui';

const PROMPT = '黄昏时分的水彩灯塔';
const SIZE_REFUSED = '1024x1024 对 seedream-5-0 来说太小：总像素至少为 2560x1440';

function studioFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

export default e2eCase(
  'In Chinese: the palette, the Image Studio, an API error and a refused setting speak Simplified Chinese',
  async ({ page, setUserSettings, screenshot }) => {
    const api = await fakeApi();
    await setUserSettings({ 'seedream.baseUrl': api.baseUrl, 'seedream.size': '1024x1024' });

    // The manifest's strings (package.nls.zh-cn.json), as the palette lists them.
    await openCommandPalette(page, 'Seedream');
    await quickItem(page, 'Seedream: 打开图像工作室').waitFor();
    await quickItem(page, 'Seedream: 设置 API 密钥').waitFor();
    await screenshot('zh-cn-command-palette');
    await page.keyboard.press('Escape');

    // The activation bundle (vscode.l10n.t), and the core's check of the size setting in that bundle.
    await runCommand(page, 'Seedream: 设置 API 密钥');
    await fillInput(page, TEST_API_KEY);
    await waitForNotification(page, 'Seedream API 密钥已保存到 VS Code 的机密存储中。');
    await runCommand(page, 'Seedream: 生成图片');
    await fillInput(page, PROMPT);
    await waitForNotification(page, `${SIZE_REFUSED}（3,686,400 像素）。`);
    await screenshot('zh-cn-refused-setting');
    assert.equal(api.apiRequests.length, 0, 'the refused size sent nothing');

    // The webview's copy: the Studio's words, and the same check running in the page.
    await runCommand(page, 'Seedream: 打开图像工作室');
    const studio = studioFrame(page);
    await studio.locator('#model option').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('.tab.active .label-name').first().innerText(), '图像工作室');
    await studio.getByText('提示词', { exact: true }).waitFor();
    assert.equal(await studio.locator('#prompt').getAttribute('placeholder'), '用任意语言描述图片，例如：黄昏时分的水彩灯塔');
    await studio.locator('#prompt').fill(PROMPT);
    await studio.locator('#generate').click();
    await studio.locator('#size-error').filter({ hasText: SIZE_REFUSED }).waitFor();

    // The engine's copy: the API's 401 as the Studio shows it, with its fix.
    await studio.getByRole('button', { name: '16:9 (2560×1440)' }).click();
    api.enqueue({ kind: 'status', status: 401 });
    await studio.locator('#generate').click();
    const runError = studio.locator('#run-error');
    await runError.filter({ hasText: 'API 密钥被拒绝（HTTP 401）。请用“Seedream: 设置 API 密钥”设置有效的密钥。' }).waitFor();
    await runError.getByRole('button', { name: '设置 API 密钥' }).waitFor();

    // The activation bundle again: the run's summary in the Studio.
    await studio.locator('#generate').click();
    await studio
      .locator('.status')
      .filter({ hasText: /^图片已保存到 \S+（Seedream 5\.0，2560x1440）。$/ })
      .waitFor();
    await studio.locator('.tile img').first().waitFor();
    await screenshot('zh-cn-image-studio');
    assert.equal(api.apiRequests.length, 2);
  },
  { locale: 'zh-CN' },
);
