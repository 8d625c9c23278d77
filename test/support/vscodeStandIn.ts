/**
 * A stand-in for the `vscode` module, to load the VS Code layer in plain Node (the manifest test, the
 * activation bench). Every member and call of the API gives a further stand-in, so registering commands,
 * providers and views just works; `values` fixes the few members a caller reads or watches, by path
 * (`vscode.commands.registerCommand`, `context.subscriptions`, `vscode.window.activeTextEditor`, and
 * `…()` for what a call returns).
 */

import { readFileSync } from 'node:fs';
import Module from 'node:module';

export type StandInValues = Readonly<Record<string, unknown>>;

/** Any part of the API: its members and calls give further stand-ins. */
export function standIn(path: string, values: StandInValues = {}): unknown {
  const member = (memberPath: string): unknown => (memberPath in values ? values[memberPath] : standIn(memberPath, values));
  return new Proxy(function api() {}, {
    get: (_target, key) => (typeof key === 'symbol' || key === 'then' ? undefined : member(`${path}.${key}`)),
    apply: () => member(`${path}()`),
    construct: () => standIn(`new ${path}`, values) as object,
  });
}

/**
 * The module itself has real keys, as bundles and compiled modules copy them (`import * as vscode`): one per
 * name the API's type definitions export.
 */
export function vscodeModule(values: StandInValues = {}): Record<string, unknown> {
  const types = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = [...types.matchAll(/^\texport (?:class|namespace|enum|function|const|let|var) (\w+)/gm)].map((match) => match[1]);
  const root = standIn('vscode', values) as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, root[name]]));
}

/** Makes `require('vscode')` give `module` until the returned function is called. */
export function provideVscode(module: Record<string, unknown>): () => void {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request, ...rest) {
    return request === 'vscode' ? module : load.call(this, request, ...rest);
  };
  return () => {
    loader._load = load;
  };
}
