// Starts and stops code-server (VS Code served to a browser) for one test run, with its own config, user data,
// extensions and log under the run folder, so nothing of the user's own VS Code or code-server is touched.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerCleanup } from './cleanup';
import { captureOutput, cleanEnv } from './exec';
import { codeServerEntry, codeServerInstalledMarker, node24Bin } from './paths';
import { waitUntil, withTimeout } from './wait';

export interface CodeServerOptions {
  /** Folder of this run; config, user data, extensions and the server log go below it. */
  runDir: string;
  /** User settings written before the start (on top of {@link QUIET_USER_SETTINGS}). */
  userSettings?: Record<string, unknown>;
  /** Lets the page URL carry an extensionTestsPath payload (integration tier). It also hides notification toasts. */
  smokeTestDriver?: boolean;
  /** A .vsix to install before the start (end-to-end tier). */
  vsix?: string;
  /**
   * Workspace trust on, so a folder opens in Restricted Mode, without the question whether to trust it. Off by
   * default: every folder is trusted.
   */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT`, the authority of the workbench's `vscode-remote://` URIs. */
  readonly authority: string;
  readonly userSettingsPath: string;
  readonly logPath: string;
  /** The process group of the server and everything it starts (its extension host included). */
  readonly processGroup: number;
  /** The workbench page showing `folder`, with an optional smoke-test-driver payload. */
  workbenchUrl(folder: string, payload?: ReadonlyArray<readonly [string, string]>): string;
  /** A window with no folder (code-server would otherwise reopen the last one). */
  readonly emptyWindowUrl: string;
  /** A file or folder of this machine as the workbench names it. */
  remoteUri(absolutePath: string): string;
  stop(): Promise<void>;
}

/** Keeps the workbench free of things a test did not ask for: welcome page, tips, update and telemetry calls. */
const QUIET_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Scratch workspaces lie inside this repo's .vscode-test/: no "git repository found in the parent folders" toast.
  'git.openRepositoryInParentFolders': 'never',
};

const LISTEN_TIMEOUT_MS = 60_000;
const HEALTH_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertInstalled();
  const layout = prepareRunDir(options.runDir);
  writeUserSettings(layout.userSettingsPath, {
    ...(options.workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'never' } : {}),
    ...options.userSettings,
  });
  if (options.vsix) await installExtension(layout, options.vsix);

  const server = spawn(
    node24Bin,
    [
      codeServerEntry,
      ...layoutArgs(layout),
      ...['--auth', 'none', '--bind-addr', '127.0.0.1:0'],
      ...['--disable-telemetry', '--disable-update-check', '--ignore-last-opened'],
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    // Its own process group (setsid): code-server starts helpers that outlive it, and stop kills the group.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: codeServerEnv() },
  );
  const stop = registerCleanup({
    async: () => stopProcessGroup(server),
    sync: () => signalGroup(server, 'SIGKILL'),
  });
  try {
    const url = await waitForListeningUrl(server, layout.logPath);
    await waitUntil(`${url}/healthz`, HEALTH_TIMEOUT_MS, () => isHealthy(url));
    const authority = new URL(url).host;
    return {
      url,
      authority,
      userSettingsPath: layout.userSettingsPath,
      logPath: layout.logPath,
      processGroup: server.pid!,
      workbenchUrl: (folder, payload) =>
        `${url}/?folder=${encodeURIComponent(folder)}` + (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
      emptyWindowUrl: `${url}/?ew=true`,
      remoteUri: (absolutePath) => `vscode-remote://${authority}${absolutePath}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`code-server did not start (log: ${layout.logPath}): ${errorMessage(error)}`);
  }
}

/** Writes user settings; a running workbench picks changes up by itself. */
export function writeUserSettings(userSettingsPath: string, settings: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(userSettingsPath), { recursive: true });
  fs.writeFileSync(userSettingsPath, JSON.stringify({ ...QUIET_USER_SETTINGS, ...settings }, null, 2));
}

type RunLayout = { configPath: string; userDataDir: string; extensionsDir: string; userSettingsPath: string; logPath: string };

function prepareRunDir(runDir: string): RunLayout {
  const layout: RunLayout = {
    configPath: path.join(runDir, 'code-server.yaml'),
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    userSettingsPath: path.join(runDir, 'user-data', 'User', 'settings.json'),
    logPath: path.join(runDir, 'code-server.log'),
  };
  fs.mkdirSync(layout.extensionsDir, { recursive: true });
  // Our own config file: without one, code-server reads (and may write) the user's ~/.config/code-server.
  fs.writeFileSync(layout.configPath, 'auth: none\nbind-addr: 127.0.0.1:0\ncert: false\n');
  writeStandInLanguagePacks(layout.userDataDir);
  return layout;
}

/** Display languages a browser can ask for (its Accept-Language) besides English. */
export const STAND_IN_LANGUAGES = ['zh-cn'] as const;

/**
 * A stand-in language pack for each of {@link STAND_IN_LANGUAGES}, registered as VS Code registers an installed one
 * (`languagepacks.json` in the user data folder). The real packs come from the marketplace, out of reach here. With
 * it, a browser whose language is zh-CN gets a workbench that runs in zh-cn: `vscode.env.language` is `zh-cn`, and
 * VS Code loads each extension's `package.nls.zh-cn.json` and `l10n/bundle.l10n.zh-cn.json` itself, as it would for
 * a user. Its core translations are empty, so VS Code's own words stay English.
 *
 * The server takes the display language from `--locale`, else from `locale` in `User/argv.json`, else from the
 * browser; without an argv.json at all it settles on English, so an empty one is written.
 */
function writeStandInLanguagePacks(userDataDir: string): void {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'argv.json'), '{}\n');
  const packs = Object.fromEntries(
    STAND_IN_LANGUAGES.map((language) => {
      const coreTranslations = path.join(userDataDir, `stand-in-language-pack.${language}.json`);
      fs.writeFileSync(coreTranslations, JSON.stringify({ contents: {} }));
      const pack = {
        hash: `stand-in-${language}`,
        extensions: [{ extensionIdentifier: { id: `stand-in.language-pack-${language}` }, version: '0.0.0' }],
        translations: { vscode: coreTranslations },
        label: language,
      };
      return [language, pack];
    }),
  );
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

function layoutArgs(layout: RunLayout): string[] {
  return ['--config', layout.configPath, '--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir];
}

function assertInstalled(): void {
  if (!fs.existsSync(codeServerInstalledMarker)) {
    throw new Error('code-server is not installed: run `npx tsx test/realVscode/install.ts` first.');
  }
}

function codeServerEnv(): NodeJS.ProcessEnv {
  return cleanEnv({
    // Node 24 first on PATH: code-server and the processes it starts must all run on it.
    PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
    // No extension marketplace: the tests install their .vsix from disk, and queries to a marketplace only fail
    // (or go out to the internet) and fill the log.
    EXTENSIONS_GALLERY: '{}',
  });
}

async function installExtension(layout: RunLayout, vsix: string): Promise<void> {
  if (!fs.existsSync(vsix)) throw new Error(`No extension package at ${vsix}`);
  const output = await captureOutput(node24Bin, [codeServerEntry, ...layoutArgs(layout), '--install-extension', vsix], {
    env: codeServerEnv(),
  });
  fs.appendFileSync(layout.logPath, output);
}

/** Tees the server's output into its log and resolves with the URL it prints once it listens. */
function waitForListeningUrl(server: ChildProcess, logPath: string): Promise<string> {
  const log = fs.createWriteStream(logPath, { flags: 'a' });
  const listening = new Promise<string>((resolve, reject) => {
    let seen = '';
    const onOutput = (chunk: Buffer): void => {
      log.write(chunk);
      seen += chunk.toString('utf8');
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    };
    server.stdout?.on('data', onOutput);
    server.stderr?.on('data', onOutput);
    server.on('error', reject);
    server.on('exit', (code, signal) => reject(new Error(`it exited (${signal ?? `exit code ${code}`}) before listening`)));
  });
  return withTimeout(listening, LISTEN_TIMEOUT_MS, `it printed no listening address within ${LISTEN_TIMEOUT_MS / 1000} s`);
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

async function stopProcessGroup(server: ChildProcess): Promise<void> {
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    signalGroup(server, 'SIGTERM');
    await withTimeout(exited, STOP_GRACE_MS, 'code-server ignored SIGTERM').catch(() => undefined);
  }
  // Whatever of the group is still there (agent host, helpers) goes now.
  signalGroup(server, 'SIGKILL');
  await waitUntil('code-server process group to end', STOP_GRACE_MS, () => !groupIsAlive(server));
}

function signalGroup(server: ChildProcess, signal: NodeJS.Signals): void {
  if (server.pid === undefined) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function groupIsAlive(server: ChildProcess): boolean {
  if (server.pid === undefined) return false;
  try {
    process.kill(-server.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
