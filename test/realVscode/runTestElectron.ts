// Runs the same integration suites (out/integration) in VS Code desktop through @vscode/test-electron, where
// VS Code can be downloaded. Where it cannot (a network that reaches package registries only), it says so and
// exits 0: the code-server launcher has run the same suites in a real VS Code already.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests, SilentReporter } from '@vscode/test-electron';
import { secondsSince } from './exec';
import { cacheDir, integrationOutDir, repoRoot } from './paths';
import { createScratchWorkspace, freshRunDir } from './runFolder';

/** Idle timeout of the download: an offline machine fails at once, a slow one is not cut off. */
const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;

async function main(): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(path.join(integrationOutDir, 'index.js'))) {
    throw new Error('No compiled integration tests: run `npx tsx test/realVscode/integration/bundle.ts` first.');
  }
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version: 'stable',
      cachePath: cacheDir,
      timeout: DOWNLOAD_IDLE_TIMEOUT_MS,
      reporter: new SilentReporter(),
    });
  } catch (error) {
    skip(
      `VS Code desktop could not be downloaded from update.code.visualstudio.com: ${errorMessage(error)}; ` +
        'the code-server launcher ran the same suite',
    );
    return 0;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    skip('VS Code desktop needs a display and none is set (run under xvfb-run); the code-server launcher ran the same suite');
    return 0;
  }

  const runDir = freshRunDir('test-electron');
  const workspaceDir = createScratchWorkspace(path.join(runDir, 'workspace'));
  const exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: integrationOutDir,
    launchArgs: [
      workspaceDir,
      '--user-data-dir',
      path.join(runDir, 'user-data'),
      '--extensions-dir',
      path.join(runDir, 'extensions'),
      '--disable-workspace-trust',
      '--skip-welcome',
    ],
  }).catch((error: unknown) => {
    console.error(`[test-electron] ${errorMessage(error)}`);
    return 1;
  });
  console.log(`[test-electron] exit code ${exitCode} after ${secondsSince(started)}`);
  return exitCode;
}

function skip(reason: string): void {
  console.log(`[test-electron] SKIPPED: ${reason}`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(`[test-electron] ${errorMessage(error)}`);
    process.exit(1);
  },
);
