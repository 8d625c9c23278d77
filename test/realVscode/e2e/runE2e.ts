// End-to-end tier: builds the .vsix, installs it into code-server (without the smoke-test driver, so notification
// toasts show), and runs every case in cases/*.e2e.ts against the workbench in Chromium, as a person would.
// Usage: npx tsx test/realVscode/e2e/runE2e.ts [part of a case name]
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newWorkbenchPage } from '../browser';
import { runLauncher } from '../cleanup';
import { startCodeServer, writeUserSettings, type CodeServer } from '../codeServer';
import { runProcess, secondsSince } from '../exec';
import { artifactsDir, repoRoot, vsixPath } from '../paths';
import { createScratchWorkspace, freshRunDir } from '../runFolder';
import { withTimeout } from '../wait';
import type { E2eCase, E2eContext } from './harness';
import { waitForWorkbench } from './ui';

const casesDir = path.join(__dirname, 'cases');
const screenshotsDir = path.join(artifactsDir, 'e2e');
/** The screenshots the README shows, refreshed on request (see E2eContext.publishedScreenshot). */
const publishedScreenshotsDir = path.join(repoRoot, 'media', 'screenshots');
const DEFAULT_CASE_TIMEOUT_MS = 120_000;

type CaseResult = { name: string; seconds: string; error?: string };

async function main(): Promise<number> {
  const started = Date.now();
  const cases = await loadCases(process.argv[2]);
  await runProcess('npm', ['run', 'package'], { cwd: repoRoot });
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });

  const runDir = freshRunDir('e2e');
  const server = await startCodeServer({ runDir, vsix: vsixPath });
  console.log(`[e2e] code-server ${server.url} up with the .vsix after ${secondsSince(started)} (run folder: ${runDir})`);
  const browser = await launchBrowser();

  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const result = await runCase(testCase, server, browser, runDir);
    console.log(result.error ? `  ✗ ${result.name} (${result.seconds})\n      ${result.error}` : `  ✓ ${result.name} (${result.seconds})`);
    results.push(result);
  }

  const failed = results.filter((result) => result.error).length;
  const screenshots = fs.readdirSync(screenshotsDir);
  console.log(`[e2e] screenshots (${screenshots.length}) in ${path.relative(repoRoot, screenshotsDir)}/: ${screenshots.join(', ')}`);
  console.log(`[e2e] total ${secondsSince(started)}`);
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

async function loadCases(nameFilter: string | undefined): Promise<E2eCase[]> {
  const files = fs
    .readdirSync(casesDir)
    .filter((name) => name.endsWith('.e2e.ts'))
    .sort();
  const cases: E2eCase[] = [];
  for (const file of files) {
    const loaded = ((await import(path.join(casesDir, file))) as { default: E2eCase | E2eCase[] }).default;
    cases.push(...(Array.isArray(loaded) ? loaded : [loaded]));
  }
  const selected = nameFilter ? cases.filter((testCase) => testCase.name.includes(nameFilter)) : cases;
  if (selected.length === 0) throw new Error(`No e2e case${nameFilter ? ` matching "${nameFilter}"` : ''} in ${casesDir}`);
  return selected;
}

async function runCase(testCase: E2eCase, server: CodeServer, browser: Browser, runDir: string): Promise<CaseResult> {
  const started = Date.now();
  const slug = testCase.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const caseDir = path.join(runDir, 'cases', slug);
  const workspaceDir = createScratchWorkspace(path.join(caseDir, 'workspace'));
  writeUserSettings(server.userSettingsPath, testCase.userSettings ?? {});
  const page = await newWorkbenchPage(browser, path.join(caseDir, 'browser-console.log'), testCase.locale);
  const screenshot = async (name: string): Promise<string> => {
    const file = path.join(screenshotsDir, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
  const context: E2eContext = {
    page,
    workspaceDir,
    userSettingsPath: server.userSettingsPath,
    setUserSettings: (settings) => applyUserSettings(page, server.userSettingsPath, settings),
    screenshot,
    publishedScreenshot: async (name) => {
      const file = await screenshot(name);
      if (process.env.SEEDREAM_REFRESH_SCREENSHOTS === '1') {
        fs.mkdirSync(publishedScreenshotsDir, { recursive: true });
        fs.copyFileSync(file, path.join(publishedScreenshotsDir, `${name}.png`));
      }
      return file;
    },
  };
  const timeoutMs = testCase.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  try {
    // The first page in another display language waits while the server builds that language's translations.
    await page.goto(testCase.noFolder ? server.emptyWindowUrl : server.workbenchUrl(workspaceDir), { timeout: 90_000 });
    await waitForWorkbench(page);
    await withTimeout(testCase.run(context), timeoutMs, `timed out after ${timeoutMs / 1000} s`);
    return { name: testCase.name, seconds: secondsSince(started) };
  } catch (error) {
    await screenshot(`failed-${slug}`).catch(() => undefined);
    // The message, and where in the case files it happened: the step that failed.
    const steps = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /e2e\/(cases|steps)/.test(line)) : [];
    const message = [error instanceof Error ? error.message : String(error), ...steps.map((line) => line.trim())].join('\n      ');
    // Playwright colours its call logs; CI logs show the escape codes as text.
    return { name: testCase.name, seconds: secondsSince(started), error: message.replace(/\u001b\[[0-9;]*m/g, '') };
  } finally {
    await page.context().close();
  }
}

let settingsRevision = 0;

/**
 * Writes the settings with a marker in `window.title`, and waits for the marker in the page title: VS Code picks
 * the file up by itself a few seconds later, and this tells when it has. The marker is the revision number in
 * zero-width characters, so the title bar in screenshots looks as usual.
 */
async function applyUserSettings(page: Page, userSettingsPath: string, settings: Record<string, unknown>): Promise<void> {
  const bits = (++settingsRevision).toString(2);
  const marker = `\u2060${bits.replace(/0/g, '\u200b').replace(/1/g, '\u200c')}\u2060`;
  writeUserSettings(userSettingsPath, { ...settings, 'window.title': `\${rootName}${marker}` });
  await page.waitForFunction((expected) => document.title.includes(expected), marker, { timeout: 30_000 });
}

runLauncher('e2e', main);
