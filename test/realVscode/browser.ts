// Chromium, driven by playwright-core, as the window a person would look at.
import * as fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { registerCleanup } from './cleanup';
import { chromiumPath } from './paths';

/** Headless in a container, and quiet: without these Chromium floods the closed network with requests. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LAUNCH_TIMEOUT_MS = 60_000;

/** Starts Chromium, retrying the whole start once: a first start on a cold machine sometimes misses its deadline. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath())) {
    throw new Error(`Chromium not found at ${chromiumPath()}: run \`apt-get install chromium\` (or set CHROMIUM_PATH).`);
  }
  try {
    return await launchOnce();
  } catch (error) {
    console.warn(`[browser] Chromium did not start (${error instanceof Error ? error.message : String(error)}); retrying once`);
    return launchOnce();
  }
}

async function launchOnce(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    timeout: LAUNCH_TIMEOUT_MS,
    // Our cleanup closes the browser before stopping code-server; Playwright still kills it at process exit.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  registerCleanup({ async: () => browser.close(), sync: () => undefined });
  return browser;
}

/**
 * A page the size of a laptop screen whose console goes to `consoleLogPath` (kept for diagnosis, not shown).
 * `locale` is the browser's language (Accept-Language), which code-server takes as the display language when a
 * language pack for it is registered (codeServer.ts, STAND_IN_LANGUAGES).
 */
export async function newWorkbenchPage(browser: Browser, consoleLogPath: string, locale?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...(locale ? { locale } : {}) });
  page.setDefaultTimeout(30_000);
  const consoleLog = fs.createWriteStream(consoleLogPath, { flags: 'a' });
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
  page.on('close', () => consoleLog.end());
  return page;
}
