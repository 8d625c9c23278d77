// Runs the integration suites (out/integration) inside the extension host of a real VS Code: code-server with the
// smoke-test driver, opened in Chromium with a payload naming the extension and the tests, as @vscode/test-electron
// does with VS Code desktop. The host's output is relayed here; the exit code is the suite's.
// Usage: npx tsx test/realVscode/runIntegration.ts [--untrusted]
// With --untrusted, workspace trust is on and the suites for an untrusted workspace run in Restricted Mode.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, newWorkbenchPage } from './browser';
import { runLauncher } from './cleanup';
import { startCodeServer } from './codeServer';
import { secondsSince } from './exec';
import { integrationOutDir, repoRoot, UNTRUSTED_SUITES } from './paths';
import { createScratchWorkspace, freshRunDir } from './runFolder';
import { withTimeout } from './wait';

const untrusted = process.argv.includes('--untrusted');
const tier = untrusted ? 'integration-untrusted' : 'integration';

/** Generous for a 2-core machine and a growing suite: today's run takes well under a minute. */
const RUN_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(path.join(integrationOutDir, 'index.js'))) {
    throw new Error('No compiled integration tests: run `npx tsx test/realVscode/integration/bundle.ts` first.');
  }
  const testsDir = untrusted ? path.join(integrationOutDir, UNTRUSTED_SUITES) : integrationOutDir;
  const runDir = freshRunDir(tier);
  const workspaceDir = createScratchWorkspace(path.join(runDir, 'workspace'));
  const server = await startCodeServer({ runDir, smokeTestDriver: true, workspaceTrust: untrusted });
  console.log(`[${tier}] code-server ${server.url} up after ${secondsSince(started)} (run folder: ${runDir})`);

  const browser = await launchBrowser();
  const page = await newWorkbenchPage(browser, path.join(runDir, 'browser-console.log'));
  let reportExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  // The workbench calls these two when the smoke-test driver is on: the host's log lines, then the exit code.
  await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown[]) => console.log(format(...args)));
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  await page.goto(
    server.workbenchUrl(workspaceDir, [
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(testsDir)],
      ['skipWelcome', 'true'],
    ]),
  );
  const exitCode = await withTimeout(
    exited,
    RUN_TIMEOUT_MS,
    `The integration tests did not report an end within ${RUN_TIMEOUT_MS / 60_000} min ` +
      `(logs: ${server.logPath}, ${path.join(runDir, 'browser-console.log')}, ${path.join(runDir, 'user-data', 'logs')})`,
  );
  console.log(`[${tier}] code-server launcher: exit code ${exitCode} after ${secondsSince(started)}`);
  return exitCode;
}

runLauncher(tier, main);
