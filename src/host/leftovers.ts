/**
 * Temporary files a run could not remove itself (VS Code killed mid-write, a crash): the folders written
 * to are remembered, and their stale temporary files are removed at the next start, with stale previews.
 */

import * as vscode from 'vscode';
import { isTemporaryFileName } from '../core/files/temporaryName';
import { log } from './log';

const STATE_KEY = 'seedream.outputFolders';
const MAX_FOLDERS = 50;
/** Older than any run could still be writing. */
const STALE_AFTER_MS = 60 * 60 * 1000;

export function rememberOutputFolder(state: vscode.Memento, folder: vscode.Uri): Thenable<void> {
  const known = state.get<string[]>(STATE_KEY, []).filter((entry) => entry !== folder.toString());
  return state.update(STATE_KEY, [folder.toString(), ...known].slice(0, MAX_FOLDERS));
}

/** Stale temporary files in the folders written to, and stale previews (of runs a crash cut short). */
export async function removeLeftoverTemporaryFiles(state: vscode.Memento, previewFolder: vscode.Uri): Promise<void> {
  for (const entry of state.get<string[]>(STATE_KEY, [])) {
    await removeStaleFiles(vscode.Uri.parse(entry), isTemporaryFileName);
  }
  await removeStaleFiles(previewFolder, () => true);
}

async function removeStaleFiles(folder: vscode.Uri, isLeftover: (name: string) => boolean): Promise<void> {
  let names: [string, vscode.FileType][];
  try {
    names = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return; // the folder is gone or not reachable now (remote not connected)
  }
  for (const [name, type] of names) {
    if (type !== vscode.FileType.File || !isLeftover(name)) {
      continue;
    }
    const file = vscode.Uri.joinPath(folder, name);
    // A file gone since the listing (its own run finished) is no reason to stop the sweep.
    const mtime = await vscode.workspace.fs.stat(file).then(
      (stat) => stat.mtime,
      () => undefined,
    );
    if (mtime !== undefined && Date.now() - mtime > STALE_AFTER_MS) {
      await vscode.workspace.fs.delete(file).then(
        () => log.info(`Removed a leftover file: ${file.toString(true)}`),
        () => undefined,
      );
    }
  }
}
