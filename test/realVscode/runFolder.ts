// Per-run folders: each launcher gets a fresh one under .vscode-test/runs/, kept after the run for its logs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runsDir, workspaceFixtureDir } from './paths';

/** Empties and returns `.vscode-test/runs/<name>`. */
export function freshRunDir(name: string): string {
  const dir = path.join(runsDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A workspace folder the tests may change: a copy of test/fixtures/workspace, or an empty one with docs/. */
export function createScratchWorkspace(dir: string): string {
  if (fs.existsSync(workspaceFixtureDir)) {
    fs.cpSync(workspaceFixtureDir, dir, { recursive: true });
  } else {
    fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  }
  return dir;
}
