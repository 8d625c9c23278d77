// Compiles the integration suites (test/integration/*.test.ts, and those for an untrusted workspace below
// test/integration/untrusted/) and their mocha entry point into out/integration/,
// the JavaScript that the extension host loads. `vscode` and `mocha` stay external: the host provides the first,
// the repo's node_modules the second.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { integrationOutDir, repoRoot, UNTRUSTED_SUITES } from '../paths';

const suitesDir = path.join(repoRoot, 'test', 'integration');

async function main(): Promise<void> {
  const suitesIn = (folder: string): string[] => fs.readdirSync(path.join(suitesDir, folder)).filter((name) => name.endsWith('.test.ts'));
  // Each run's suites sit beside their own copy of the entry point, which runs those beside it.
  const entryPoints = Object.fromEntries(
    ['', UNTRUSTED_SUITES].flatMap((folder) => [
      [path.join(folder, 'index'), path.join(__dirname, 'index.ts')],
      ...suitesIn(folder).map((name) => [path.join(folder, name.replace(/\.ts$/, '')), path.join(suitesDir, folder, name)]),
    ]),
  );
  const suites = ['', UNTRUSTED_SUITES].flatMap(suitesIn);
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
