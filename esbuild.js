// Bundles the extension host code (Node, CommonJS) as the command layer and the networking engine it loads
// on first use, and, when present, the webview code (browser). `node esbuild.js` builds; the bundle
// boundary test (test/unit/bundles.test.ts) builds with the same options through `bundleOptions`.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const production = require.main === module && process.argv.includes('--production');
const watch = require.main === module && process.argv.includes('--watch');

/** The engine's entry: everything that moves image bytes, with undici under it. */
const ENGINE_ENTRY = path.resolve('src/engine/index.ts');

/**
 * The command layer reaches the engine with `require` (src/host/engineLoader.ts): that require is pointed at
 * dist/engine.js instead of bundling the engine, so activating the extension does not load undici.
 * @type {import('esbuild').Plugin}
 */
const engineOutside = {
  name: 'engine-outside',
  setup(build) {
    build.onResolve({ filter: /\/engine$/ }, (args) =>
      path.resolve(args.resolveDir, args.path, 'index.ts') === ENGINE_ENTRY ? { path: './engine.js', external: true } : undefined,
    );
  },
};

/**
 * One copy of the `vscode` API's members for the whole bundle. esbuild wraps `require('vscode')` once per
 * importing module (20-odd), copying the API's ~170 members into a new object each time: about 9 ms of
 * activation. Here every module imports this one re-export instead.
 * @type {import('esbuild').Plugin}
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * undici modules the engine never runs, left out of its bundle. Each is replaced by a stand-in that throws
 * its reason: on `require` for modules only required on the path that would use them, on call for modules
 * undici requires up front but calls only for features this extension leaves off.
 */
const UNDICI_LEFT_OUT = {
  // The HTTP parser comes twice as WebAssembly (64 KB each). lib/dispatcher/client-h1.js (undici 6) compiles
  // the SIMD build and requires this plain one only if that compile throws (or under Jest). It does not throw
  // here: VS Code 1.86, the oldest this extension supports, runs Node 18.17, whose V8 compiles WebAssembly
  // SIMD by default on arm64 and on x64 with SSE4.1 (every x64 processor since 2008-2011).
  'lib/llhttp/llhttp-wasm.js': { onRequire: 'This processor cannot run the WebAssembly SIMD build of the HTTP parser (x64 needs SSE4.1).' },
  // fetch's body code (40 KB with FormData, File and WebIDL): client-h1.js and client-h2.js require it only to
  // send a FormData request body; this extension sends JSON text.
  'lib/web/fetch/body.js': { onRequire: 'FormData request bodies are not supported in this build.' },
  // HTTP/2 (7 KB): used only when TLS negotiates h2, which undici offers only with `allowH2`, never set here.
  'lib/dispatcher/client-h2.js': { onCall: 'HTTP/2 is not used by this extension (allowH2 is off).' },
  // Following redirects (3 KB): undici does it only with `maxRedirections` > 0; the API client never follows
  // a redirect and the downloader follows them itself, checking each hop.
  'lib/handler/redirect-handler.js': { onCall: 'undici redirects are off in this extension (maxRedirections is 0).' },
};

/**
 * The HTTP parser's WebAssembly (48 KB) ships as base64 in undici, 65 KB of the engine. It is stored
 * brotli-compressed instead (18 KB as base64) and decompressed when the engine loads, in about 0.5 ms;
 * the build checks that the round trip gives back the very same bytes.
 * @type {import('esbuild').Plugin}
 */
const compressedHttpParser = {
  name: 'compressed-http-parser',
  setup(build) {
    build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]llhttp[\\/]llhttp_simd-wasm\.js$/ }, (args) => {
      const wasm = require(args.path);
      const compressed = zlib.brotliCompressSync(wasm, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length,
        },
      });
      if (!zlib.brotliDecompressSync(compressed).equals(wasm)) {
        throw new Error('The compressed HTTP parser does not decompress to the original.');
      }
      const contents = `module.exports = require('node:zlib').brotliDecompressSync(Buffer.from('${compressed.toString('base64')}', 'base64'));`;
      return { contents, loader: 'js' };
    });
  },
};

/**
 * undici's internal files are not its public API: a release may move them (hence the `~` range in
 * package.json). Those src/engine/undici.ts imports fail the build on their own when they move (esbuild
 * cannot resolve them); one named here that is gone would silently leave its code in the bundle (or the
 * parser uncompressed), so the build stops and names it instead.
 */
function checkUndiciInternals() {
  const undiciDir = path.dirname(require.resolve('undici/package.json'));
  const { version } = require('undici/package.json');
  const expected = [...Object.keys(UNDICI_LEFT_OUT), 'lib/llhttp/llhttp_simd-wasm.js'];
  const missing = expected.filter((file) => !fs.existsSync(path.join(undiciDir, file)));
  if (missing.length > 0) {
    throw new Error(
      `undici ${version} no longer has ${missing.join(', ')}, which esbuild.js replaces or compresses: update UNDICI_LEFT_OUT and compressedHttpParser to this version's files.`,
    );
  }
}

/** @type {import('esbuild').Plugin} */
const undiciLeftOut = {
  name: 'undici-left-out',
  setup(build) {
    build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]/ }, (args) => {
      const file = args.path
        .split(path.sep)
        .join('/')
        .replace(/^.*\/undici\//, '');
      const left = UNDICI_LEFT_OUT[file];
      if (!left) {
        return undefined;
      }
      const contents = left.onRequire
        ? `throw new Error(${JSON.stringify(left.onRequire)});`
        : `module.exports = function leftOut() { throw new Error(${JSON.stringify(left.onCall)}); };`;
      return { contents, loader: 'js' };
    });
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const TARGETS = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    plugins: [vscodeOnce, engineOutside],
  },
  {
    entryPoints: [ENGINE_ENTRY],
    outfile: 'dist/engine.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    plugins: [undiciLeftOut, compressedHttpParser],
  },
];
if (fs.existsSync('src/webview/main.ts')) {
  TARGETS.push({
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

/**
 * The extension's icon: designed as media/icon.svg, rendered here to the 128 px PNG the manifest, the marketplace
 * and the Studio's tab use (media/icon.png, not committed). A build that cannot render it fails.
 */
function renderIcon() {
  const { Resvg } = require('@resvg/resvg-js');
  const png = new Resvg(fs.readFileSync('media/icon.svg'), { fitTo: { mode: 'width', value: 128 } }).render();
  if (png.width !== 128 || png.height !== 128) {
    throw new Error(`media/icon.svg rendered to ${png.width}x${png.height} pixels instead of 128x128.`);
  }
  fs.writeFileSync('media/icon.png', png.asPng());
}

/** The codicon font and its stylesheet for the webview, with the font's licence: node_modules is not part of the .vsix. */
function copyCodicons() {
  const packageDir = path.dirname(require.resolve('@vscode/codicons/package.json'));
  fs.mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['dist/codicon.css', 'dist/codicon.ttf', 'LICENSE']) {
    fs.copyFileSync(path.join(packageDir, file), path.join('dist/codicons', path.basename(file)));
  }
}

/**
 * The build options of every bundle.
 * @param {{ production: boolean }} mode
 * @returns {import('esbuild').BuildOptions[]}
 */
function bundleOptions({ production }) {
  checkUndiciInternals();
  return TARGETS.map((options) => ({
    ...options,
    bundle: true,
    minify: production,
    // The source map stays beside the bundle for debugging; .vscodeignore keeps it out of the .vsix.
    sourcemap: production ? 'external' : 'linked',
    sourcesContent: false,
    logLevel: 'info',
    legalComments: 'none',
  }));
}

async function main() {
  const options = bundleOptions({ production });
  fs.rmSync('dist', { recursive: true, force: true });
  renderIcon();
  copyCodicons();
  const contexts = await Promise.all(options.map((bundle) => esbuild.context(bundle)));
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

module.exports = { bundleOptions };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
