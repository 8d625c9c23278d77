// Child-process helpers for the launchers: run a tool to completion, with its output shown or captured.
import { spawn, type SpawnOptions } from 'node:child_process';

export type RunOptions = Pick<SpawnOptions, 'cwd' | 'env'>;

/** Runs a command with inherited stdio; rejects with the command line when it fails. */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Runs a command and returns its stdout; stderr passes through so errors stay visible. */
export function captureOutput(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/**
 * The environment for a tool started from inside `npm run` or a VS Code terminal, without the variables
 * those leave behind: npm's would steer a nested npm (prefix, user agent, package fields), and VS Code's
 * make code-server hand `--install-extension` and friends to the VS Code that owns the terminal.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !isInjectedVariable(name));
  return { ...Object.fromEntries(inherited), ...extra };
}

function isInjectedVariable(name: string): boolean {
  return (
    /^npm_(package|lifecycle)_/.test(name) ||
    /^npm_config_(local_prefix|global_prefix|user_agent|node_gyp|npm_version)$/.test(name) ||
    ['npm_execpath', 'npm_node_execpath', 'NODE', 'INIT_CWD'].includes(name) ||
    /^VSCODE_/.test(name) ||
    name === 'ELECTRON_RUN_AS_NODE'
  );
}

export function secondsSince(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
}
