// `npm start`: the built extension in a real VS Code (code-server) on a sample docs workspace, for anyone without
// VS Code desktop. Prints the address to open; Ctrl+C stops everything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLauncher } from './cleanup';
import { startCodeServer } from './codeServer';
import { runProcess } from './exec';
import { cacheDir, repoRoot, vsixPath, workspaceFixtureDir } from './paths';
import { freshRunDir } from './runFolder';

async function main(): Promise<never> {
  await runProcess('npm', ['run', 'package'], { cwd: repoRoot });
  // A copy, so trying things out never changes the test fixture.
  const workspace = path.join(cacheDir, 'sample-workspace');
  if (!fs.existsSync(workspace)) {
    fs.cpSync(workspaceFixtureDir, workspace, { recursive: true });
  }
  const server = await startCodeServer({ runDir: freshRunDir('start'), vsix: vsixPath });
  console.log(`\nSeedream Studio is running in VS Code at:\n\n  ${server.workbenchUrl(workspace)}\n`);
  console.log('Set your key with "Seedream: Set API Key" in the command palette (F1). Press Ctrl+C to stop.');
  // Runs until Ctrl+C, which stops code-server through the cleanup handlers.
  return new Promise<never>(() => undefined);
}

runLauncher('start', main);
