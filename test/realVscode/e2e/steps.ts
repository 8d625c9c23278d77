// Multi-step actions of a Seedream user, built from the person-like UI steps in ui.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { waitUntil } from '../wait';
import { fillInput, runCommand, runMenuItem, waitForNotification } from './ui';

export async function setApiKey(page: Page, key: string): Promise<void> {
  await runCommand(page, 'Seedream: Set API Key');
  await fillInput(page, key);
  await waitForNotification(page, 'Seedream API key saved');
}

export async function generateFromPalette(page: Page, prompt: string): Promise<void> {
  await runCommand(page, 'Seedream: Generate Image');
  await fillInput(page, prompt);
}

/** Selects the whole of line `line` (1-based) of the active editor with the keyboard. */
export async function selectLine(page: Page, line: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column...');
  await fillInput(page, `:${line}`);
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
}

/** Puts the cursor of the active editor at `line`, `column` (both 1-based) with Go to Line/Column. */
export async function goToPosition(page: Page, line: number, column = 1): Promise<void> {
  await runCommand(page, 'Go to Line/Column...');
  await fillInput(page, `:${line}:${column}`);
}

/** Right-clicks the selected text and chooses `label` in the editor's context menu. */
export async function contextMenuOnSelection(page: Page, label: string): Promise<void> {
  // The selection highlight lies under the text layer, which takes the click: click where it is drawn.
  const selection = page.locator('.monaco-editor .selected-text').first();
  // The editor redraws its selection layer whenever decorations arrive (diagnostics, CodeLenses): the element
  // found can be replaced before it is measured, so measure again until one holds still.
  let box: { x: number; y: number; width: number; height: number } | null = null;
  for (let attempt = 0; attempt < 20 && !box; attempt++) {
    await selection.waitFor({ state: 'visible' });
    box = await selection.boundingBox();
    if (!box) await page.waitForTimeout(100);
  }
  if (!box) throw new Error('no visible selection to right-click');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
  await runMenuItem(page, page.getByRole('menuitem', { name: label }));
}

export async function saveActiveEditor(page: Page): Promise<void> {
  await runCommand(page, 'File: Save');
}

/** Waits until a file exists and (optionally) satisfies `accept`, and returns its content. */
export async function waitForFile(file: string, accept: (content: Buffer) => boolean = () => true, timeoutMs = 30_000): Promise<Buffer> {
  let content = Buffer.alloc(0);
  await waitUntil(`${path.basename(file)} to be written`, timeoutMs, () => {
    if (!fs.existsSync(file)) return false;
    content = fs.readFileSync(file);
    return accept(content);
  });
  return content;
}

/** Every file below `dir`, as paths relative to it. */
export function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
