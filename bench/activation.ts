/**
 * Activation cost, in a fresh process: loads the built extension with a stand-in `vscode` module and calls
 * `activate`, as VS Code does on the first command. Prints the time and whether the engine bundle came
 * along (it must not: it loads at the first generation), then the time the first generation spends
 * loading the engine (undici, with its HTTP parser decompressed and compiled).
 */

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { provideVscode, standIn, vscodeModule } from '../test/support/vscodeStandIn';

/** The few values activation reads; everything else of the API is a stand-in. */
const VALUES: Readonly<Record<string, unknown>> = {
  'vscode.version': '1.86.0',
  // English, as VS Code gives it: no translation bundle.
  'vscode.l10n.bundle': undefined,
  'vscode.window.activeTextEditor': undefined,
  'vscode.workspace.workspaceFolders': undefined,
  'vscode.workspace.textDocuments': [],
  'context.subscriptions': [],
  'context.extension.packageJSON': { version: '0.0.0' },
  'context.workspaceState.get()': undefined,
};

async function main(): Promise<void> {
  const distDir = resolve(process.argv[2]);
  provideVscode(vscodeModule(VALUES));
  const requireFromDist = createRequire(join(distDir, 'package.json'));
  const started = performance.now();
  const extension = requireFromDist('./extension.js') as { activate(context: unknown): unknown };
  await extension.activate(standIn('context', VALUES));
  const ms = performance.now() - started;
  const engineLoaded = Object.keys(requireFromDist.cache).some((file) => file.endsWith(join('dist', 'engine.js')));
  const engineStarted = performance.now();
  requireFromDist('./engine.js');
  const engineLoadMs = performance.now() - engineStarted;
  process.stdout.write(`${JSON.stringify({ ms, engineLoaded, engineLoadMs })}\n`);
  // Work the extension defers until after activation (timers) is not part of it, and the stand-ins would not serve it.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
