// Compiles the integration suites (test/integration/*.test.ts) and their mocha entry point into out/integration/,
// the JavaScript that the extension host loads. `vscode` and `mocha` stay external: the host provides the first,
// the repo's node_modules the second.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { integrationOutDir, repoRoot } from '../paths';

const suitesDir = path.join(repoRoot, 'test', 'integration');

async function main(): Promise<void> {
  const suites = fs.readdirSync(suitesDir).filter((name) => name.endsWith('.test.ts'));
  const entryPoints = Object.fromEntries([
    ['index', path.join(__dirname, 'index.ts')],
    ...suites.map((name) => [name.replace(/\.ts$/, ''), path.join(suitesDir, name)]),
  ]);
  fs.rmSync(integrationOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: integrationOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  console.log(`[bundle] ${suites.length} integration suite(s) -> ${path.relative(repoRoot, integrationOutDir)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
