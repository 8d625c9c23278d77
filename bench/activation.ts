/**
 * Activation cost, in a fresh process: loads the built extension with a stand-in `vscode` module and calls
 * `activate`, as VS Code does on the first command. Prints the time and whether the engine bundle came
 * along (it must not: it loads at the first generation), then the time the first generation spends
 * loading the engine (undici, with its HTTP parser decompressed and compiled).
 */

import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

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

/** Any part of the API: its members and calls give further stand-ins, so registering commands and views just works. */
function standIn(path: string): unknown {
  return new Proxy(function api() {}, {
    get: (_target, key) => (typeof key === 'symbol' || key === 'then' ? undefined : member(`${path}.${key}`)),
    apply: () => member(`${path}()`),
    construct: () => standIn(`new ${path}`) as object,
  });
}

function member(path: string): unknown {
  return path in VALUES ? VALUES[path] : standIn(path);
}

/** The module itself has real keys, as the bundle copies them: one per name the API's type definitions export. */
function vscodeModule(): Record<string, unknown> {
  const types = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = [...types.matchAll(/^\texport (?:class|namespace|enum|function|const|let|var) (\w+)/gm)].map((match) => match[1]);
  return Object.fromEntries(names.map((name) => [name, member(`vscode.${name}`)]));
}

async function main(): Promise<void> {
  const distDir = resolve(process.argv[2]);
  const vscode = vscodeModule();
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  const requireFromDist = createRequire(join(distDir, 'package.json'));
  const started = performance.now();
  const extension = requireFromDist('./extension.js') as { activate(context: unknown): unknown };
  await extension.activate(standIn('context'));
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
