// House rules. The import rules encode the architecture: each folder under src/ belongs to one bundle or
// one runtime, and what a folder may import follows from that (README, "Layout"); test/unit/bundles.test.ts
// checks that these rules refuse what they should, and that the bundles hold what they should.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node modules that touch the disk, the network or other processes: none of them in pure code. */
const NODE_IO = ['fs', 'fs/promises', 'net', 'tls', 'http', 'https', 'http2', 'dns', 'child_process', 'worker_threads', 'dgram'].flatMap(
  (name) => [name, `node:${name}`],
);

const ENGINE = {
  group: ['**/engine', '**/engine/**'],
  message: 'The engine bundle is loaded lazily (src/host/engineLoader.ts): import its types only.',
};

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', 'bench/results/', 'bench/.cache/', 'artifacts/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'always'],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Binary formats and control-character checks are written as regular expressions on purpose.
      'no-control-regex': 'off',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a union of string literals.' }],
    },
  },
  {
    // The activation bundle: the engine only as types, so activating the extension never loads undici.
    files: ['src/extension.ts', 'src/host/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ ...ENGINE, allowTypeImports: true }] }] },
  },
  {
    // Pure code: no VS Code, no engine, no I/O. Unit-tested without either.
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core and src/shared are pure: the VS Code layer lives in src/host.' },
            { name: 'undici', message: 'Networking belongs to the engine (src/engine).' },
            ...NODE_IO.map((name) => ({ name, message: 'I/O belongs to the engine (src/engine) or the host (src/host).' })),
          ],
          patterns: [
            { ...ENGINE, allowTypeImports: true, message: 'Pure code never runs engine code (its types are fine).' },
            { group: ['**/host', '**/host/**'], message: 'Pure code never depends on the host.' },
          ],
        },
      ],
    },
  },
  {
    // The webview bundle runs in the browser: shared protocol and its own code only.
    files: ['src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview talks to the host through src/shared/protocol.ts.' }],
          patterns: [
            { group: ['node:*', 'undici'], message: 'The webview runs in a browser.' },
            {
              group: ['**/host', '**/host/**', '**/engine', '**/engine/**'],
              message: 'The webview talks to the host through src/shared/protocol.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is loaded by the host, never the other way round.
    files: ['src/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The engine runs without VS Code (it is benchmarked and unit-tested in plain Node).' }],
          patterns: [{ group: ['**/host', '**/host/**'], message: 'The engine never depends on the host.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
);
