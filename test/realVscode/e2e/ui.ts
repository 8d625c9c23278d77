// Person-like steps in the VS Code workbench: the command palette, input boxes, quick picks, notifications and
// Quick Open, each waiting for what a person would wait to see.
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const QUICK_INPUT = '.quick-input-widget';
export const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** The quick-input row whose label is exactly `label` (rows may also show a description or keybinding). */
export function quickItem(page: Page, label: string | RegExp): Locator {
  const exactLabel = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  return page.locator(QUICK_INPUT_ROW).filter({ has: page.locator('.label-name').filter({ hasText: exactLabel }) });
}

/** Opens the command palette (F1) with `filter` typed in. */
export async function openCommandPalette(page: Page, filter: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${filter}`);
}

/** Runs a command by its palette label, e.g. `Seedream: Set API Key`. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await openCommandPalette(page, label);
  await pickQuickItem(page, label);
}

/** Chooses an entry of the open quick pick (or palette) by its label. */
export async function pickQuickItem(page: Page, label: string | RegExp): Promise<void> {
  const item = quickItem(page, label).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
}

/** Types into the open input box (showInputBox, or a quick pick's filter) and presses Enter. */
export async function fillInput(page: Page, text: string): Promise<void> {
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** Waits for a notification toast containing `text` and returns it. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).last();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  // Toasts fade in: a screenshot taken before the fade ends shows them half transparent. (Their progress bars
  // animate forever, so waiting for every animation to finish would never end.)
  await page.waitForFunction((element) => element && getComputedStyle(element).opacity === '1', await toast.elementHandle(), {
    timeout: timeoutMs,
  });
  return toast;
}

/** Clicks a notification's action button, e.g. `Insert` or `Open`. */
export async function clickNotificationAction(notification: Locator, label: string): Promise<void> {
  await notification.getByRole('button', { name: label, exact: true }).click();
}

/** Opens a workspace file through Quick Open, as a person would, and waits for its editor tab. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await runCommand(page, 'Go to File...');
  await page.locator(QUICK_INPUT_BOX).fill(relativePath);
  await pickQuickItem(page, path.basename(relativePath));
  await page
    .locator('.tabs-container .tab.active')
    .filter({ hasText: path.basename(relativePath) })
    .waitFor();
}

const ACTION_WIDGET = '.action-widget';

/** Opens the Quick Fix menu (Ctrl+.) at the cursor of the focused editor and waits for it to show. */
export async function openQuickFixMenu(page: Page): Promise<void> {
  await page.keyboard.press('Control+.');
  await page.locator(`${ACTION_WIDGET} .monaco-list-row`).first().waitFor({ state: 'visible' });
}

/** The entry of the open Quick Fix (code action) menu whose title is exactly `label`. */
export function codeActionItem(page: Page, label: string | RegExp): Locator {
  const exactLabel = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  return page.locator(`${ACTION_WIDGET} .monaco-list-row`).filter({ has: page.locator('.title').filter({ hasText: exactLabel }) });
}

/** Runs an entry of the open Quick Fix menu and waits for the menu to close. */
export async function pickCodeAction(page: Page, label: string | RegExp): Promise<void> {
  await runMenuItem(page, codeActionItem(page, label).first());
}

/**
 * Runs an entry of an open menu and waits for the menu to close. VS Code's menus ignore a click that comes
 * too soon after they open: hovering focuses the entry, Enter runs the focused one.
 */
export async function runMenuItem(page: Page, item: Locator): Promise<void> {
  await item.waitFor({ state: 'visible' });
  await item.hover();
  await page.keyboard.press('Enter');
  await item.waitFor({ state: 'hidden' });
}

/** Shows the Problems panel. */
export async function showProblems(page: Page): Promise<void> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  await page.locator('.markers-panel').waitFor({ state: 'visible' });
}

/** The rows of the Problems panel whose text contains `text`. */
export function problemRows(page: Page, text: string | RegExp): Locator {
  return page.locator('.markers-panel .monaco-list-row').filter({ hasText: text });
}

/** Rests the mouse on `text` in the active editor and waits for the editor's hover that contains `expected`. */
export async function hoverEditorText(page: Page, text: string, expected: string | RegExp): Promise<Locator> {
  const token = page.locator('.editor-group-container.active .monaco-editor .view-line span span').filter({ hasText: text }).first();
  await token.hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: expected }).first();
  await hover.waitFor({ state: 'visible' });
  return hover;
}

/** The Image Studio's page: the webview element hosts an iframe that holds the extension's document. */
export function studioFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits until the workbench is up and has loaded its extensions: before that, the command palette would not yet
 * offer their commands. VS Code marks that moment with the performance mark `code/didLoadExtensions`.
 */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  await page.waitForFunction(() => performance.getEntriesByName('code/didLoadExtensions').length > 0, undefined, {
    timeout: timeoutMs,
  });
}
