// The bundle boundary: activating the extension must not load the engine (undici, sockets, files), and the
// webview runs in a browser. The build shows what each bundle holds; the lint rules stop the import that
// would break it before it is written (eslint.config.mjs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ESLint } from 'eslint';

const repoRoot = join(__dirname, '..', '..');
const { bundleOptions } = require(join(repoRoot, 'esbuild.js')) as { bundleOptions(mode: { production: boolean }): esbuild.BuildOptions[] };

/** The source files and packages a bundle is made of, as esbuild's metafile lists them. */
async function inputsOf(outfile: string): Promise<string[]> {
  const options = bundleOptions({ production: false }).find((bundle) => bundle.outfile === outfile);
  assert.ok(options, `esbuild.js builds no ${outfile}`);
  const result = await esbuild.build({
    ...options,
    absWorkingDir: repoRoot,
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

const engineOrUndici = (input: string): boolean => /^src\/engine\//.test(input) || /(^|\/)node_modules\/undici\//.test(input);

describe('bundle boundary', function () {
  this.timeout(60_000);
  it('the engine bundle holds the engine and undici (so the checks below can see them)', async () => {
    const inputs = await inputsOf('dist/engine.js');
    assert.ok(inputs.some((input) => input.startsWith('src/engine/')));
    assert.ok(inputs.some((input) => input.includes('node_modules/undici/')));
  });

  for (const outfile of ['dist/extension.js', 'dist/webview.js']) {
    it(`${outfile} holds no engine code and no undici`, async () => {
      assert.deepEqual((await inputsOf(outfile)).filter(engineOrUndici), []);
    });
  }
});

describe('import rules', function () {
  // Loading ESLint with the TypeScript parser takes seconds, more on a busy machine.
  this.timeout(120_000);
  const eslint = new ESLint({ cwd: repoRoot });

  /** The import-rule refusals of one line of code, as if written in `filePath`. */
  async function refusals(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${code}\n`, { filePath: join(repoRoot, filePath) });
    return result.messages
      .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((message) => message.message);
  }

  it('the host may import engine types, not engine code', async () => {
    assert.deepEqual(await refusals("import type { Logger } from '../engine/http';", 'src/host/probe.ts'), []);
    const refused = await refusals("import { createDispatcher } from '../engine/http';", 'src/host/probe.ts');
    assert.equal(refused.length, 1);
    assert.match(refused[0], /engine bundle is loaded lazily/);
  });

  it('pure code imports neither VS Code nor the disk', async () => {
    assert.deepEqual(await refusals("import { findModel } from '../model/catalog';", 'src/core/links/probe.ts'), []);
    assert.match(
      (await refusals("import * as vscode from 'vscode';", 'src/core/links/probe.ts')).join(),
      /src\/core and src\/shared are pure/,
    );
    assert.match((await refusals("import { readFile } from 'node:fs';", 'src/core/links/probe.ts')).join(), /I\/O belongs to the engine/);
  });
});
