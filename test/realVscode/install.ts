// Installs the real VS Code that the integration and end-to-end tiers run: Node 24 and code-server, into the
// git-ignored .vscode-test/ folder. Idempotent: what is already there is reused. Run: npx tsx test/realVscode/install.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureOutput, cleanEnv, runProcess, secondsSince } from './exec';
import {
  CODE_SERVER_VERSION,
  NODE_MAJOR,
  chromiumPath,
  codeServerDir,
  codeServerEntry,
  codeServerInstalledMarker,
  node24Bin,
  node24Dir,
  node24Home,
} from './paths';

async function main(): Promise<void> {
  const started = Date.now();
  assertChromiumInstalled();
  await timed(`Node ${NODE_MAJOR}`, installNode);
  await timed(`code-server ${CODE_SERVER_VERSION}`, installCodeServer);
  console.log(`[install] ready in ${secondsSince(started)}`);
}

function assertChromiumInstalled(): void {
  if (!fs.existsSync(chromiumPath())) {
    throw new Error(`Chromium not found at ${chromiumPath()}: run \`apt-get install chromium\` (or set CHROMIUM_PATH).`);
  }
}

async function timed(what: string, install: () => Promise<string>): Promise<void> {
  const started = Date.now();
  const outcome = await install();
  console.log(`[install] ${what}: ${outcome} (${secondsSince(started)})`);
}

async function installNode(): Promise<string> {
  if (await hasExpectedNode()) return `reused ${path.relative(process.cwd(), node24Dir)}`;
  if (process.platform !== 'linux') throw new Error('The real-VS-Code tests install Node from npm for Linux only.');
  fs.rmSync(node24Dir, { recursive: true, force: true });
  fs.mkdirSync(node24Dir, { recursive: true });
  // The registry package node-linux-<arch> is a complete Node build, headers included (native modules need them).
  const packed = await captureOutput('npm', ['pack', `node-linux-${process.arch}@${NODE_MAJOR}`, '--json'], {
    cwd: node24Dir,
    env: cleanEnv(),
  });
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  await runProcess('tar', ['xzf', filename], { cwd: node24Dir });
  fs.renameSync(path.join(node24Dir, 'package'), node24Home);
  fs.rmSync(path.join(node24Dir, filename));
  return `installed ${(await nodeVersion()).trim()}`;
}

async function hasExpectedNode(): Promise<boolean> {
  if (!fs.existsSync(node24Bin)) return false;
  const version = await nodeVersion().catch(() => 'unusable');
  return version.startsWith(`v${NODE_MAJOR}.`);
}

function nodeVersion(): Promise<string> {
  return captureOutput(node24Bin, ['--version']);
}

async function installCodeServer(): Promise<string> {
  if (fs.existsSync(codeServerInstalledMarker)) return `reused ${path.relative(process.cwd(), codeServerDir)}`;
  // Start clean: a half-finished install (interrupted, or built for another Node) is not worth repairing.
  fs.rmSync(codeServerDir, { recursive: true, force: true });
  fs.mkdirSync(codeServerDir, { recursive: true });
  fs.writeFileSync(
    path.join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'real-vscode-cache', private: true, description: 'Tools of the real-VS-Code tests' }, null, 2),
  );
  await runProcess('npm', ['install', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerDir,
    env: cleanEnv({
      // Node 24 first on PATH, so npm, the postinstall scripts and node-gyp all run on it ...
      PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
      // ... and native modules are built against its headers, not the system Node's.
      npm_config_nodedir: node24Home,
      // npm 11 skips install scripts not approved in package.json#allowScripts or an npmrc, but code-server's
      // postinstall runs nested `npm install`s in its lib/vscode, whose native modules (node-pty, spdlog,
      // sqlite3, kerberos, ...) must be built. Those read no policy of ours, and an allow-list handed down
      // through the environment is refused in a project install; this switch is the one that reaches them.
      // It applies to this pinned code-server only, never to the project's own dependencies.
      npm_config_dangerously_allow_all_scripts: 'true',
    }),
  });
  const version = await codeServerVersion();
  fs.writeFileSync(codeServerInstalledMarker, `${version}\n`);
  return `installed ${version}`;
}

/** Runs the installed code-server once; its own --config keeps it away from the user's config.yaml. */
async function codeServerVersion(): Promise<string> {
  const config = path.join(codeServerDir, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const output = await captureOutput(node24Bin, [codeServerEntry, '--config', config, '--version'], { env: cleanEnv() });
  return output.trim();
}

main().catch((error: unknown) => {
  console.error(`[install] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
