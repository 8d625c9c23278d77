// The contract of an end-to-end case: a file in cases/ named *.e2e.ts whose default export is one case or a list.
import type { Page } from 'playwright-core';

export interface E2eContext {
  /** A fresh workbench (own browser context: own storage and secrets) showing `workspaceDir`. */
  page: Page;
  /** This case's own scratch copy of the workspace; change it at will. */
  workspaceDir: string;
  userSettingsPath: string;
  /**
   * Replaces the user settings (the quiet defaults stay) and resolves once the running workbench has applied them.
   * `window.title` is taken: it carries the marker that tells the new settings are in force.
   */
  setUserSettings(settings: Record<string, unknown>): Promise<void>;
  /** Saves a screenshot of the page to artifacts/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * A screenshot the README shows: saved like {@link screenshot}, and with the environment
   * variable SEEDREAM_REFRESH_SCREENSHOTS=1 also written to media/screenshots/<name>.png (committed).
   */
  publishedScreenshot(name: string): Promise<string>;
}

export interface E2eCaseOptions {
  /** User settings in force from the moment the workbench opens. */
  userSettings?: Record<string, unknown>;
  /** Opens an empty window, with no folder (`workspaceDir` is still made, as a scratch folder). */
  noFolder?: boolean;
  /** The browser's language, e.g. `zh-CN`: the workbench and the extension then run in that display language. */
  locale?: string;
  timeoutMs?: number;
}

export interface E2eCase extends E2eCaseOptions {
  name: string;
  run(context: E2eContext): Promise<void>;
}

export function e2eCase(name: string, run: E2eCase['run'], options: E2eCaseOptions = {}): E2eCase {
  return { name, run, ...options };
}
