// Where the real-VS-Code test tier keeps its tools and run folders, all derived from the repo root.
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** Git-ignored cache of the tools below; safe to delete, `install.ts` rebuilds it. */
export const cacheDir = path.join(repoRoot, '.vscode-test');

export const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139 declares `engines.node: 24`; the project itself runs on the system Node. */
export const NODE_MAJOR = 24;

export const node24Dir = path.join(cacheDir, 'node24');
export const node24Home = path.join(node24Dir, 'dist');
export const node24Bin = path.join(node24Home, 'bin', 'node');

export const codeServerDir = path.join(cacheDir, 'code-server');
export const codeServerPackageDir = path.join(codeServerDir, 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerPackageDir, 'out', 'node', 'entry.js');
/** Written last by `install.ts`, so a half-finished install is never mistaken for a usable one. */
export const codeServerInstalledMarker = path.join(codeServerDir, `installed-${CODE_SERVER_VERSION}`);

/** The compiled integration suites and their mocha entry point (index.js), loaded by the extension host. */
export const integrationOutDir = path.join(repoRoot, 'out', 'integration');
/**
 * The folder of the suites for a workspace that is not trusted (Restricted Mode), below test/integration/ and
 * below out/integration/: `runIntegration.ts --untrusted` runs them, in a VS Code whose workspace trust is on.
 */
export const UNTRUSTED_SUITES = 'untrusted';

export const runsDir = path.join(cacheDir, 'runs');
export const artifactsDir = path.join(repoRoot, 'artifacts');
export const vsixPath = path.join(repoRoot, 'seedream-studio.vsix');
export const workspaceFixtureDir = path.join(repoRoot, 'test', 'fixtures', 'workspace');

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}
