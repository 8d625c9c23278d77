// Bundles the extension host code (Node, CommonJS) and, when present, the webview code (browser).
const esbuild = require('esbuild');
const fs = require('node:fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
];
if (fs.existsSync('src/webview/main.ts')) {
  targets.push({
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

async function main() {
  fs.rmSync('dist', { recursive: true, force: true });
  const contexts = await Promise.all(
    targets.map((options) =>
      esbuild.context({
        ...options,
        bundle: true,
        minify: production,
        // The source map stays beside the bundle for debugging; .vscodeignore keeps it out of the .vsix.
        sourcemap: production ? 'external' : 'linked',
        sourcesContent: false,
        logLevel: 'info',
        legalComments: 'none',
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
