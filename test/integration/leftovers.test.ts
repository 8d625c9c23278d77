// The sweep of temporary files a run could not remove itself (VS Code killed mid-write), as the extension
// runs it a few seconds after starting: stale ones go, everything else stays.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { rememberOutputFolder, removeLeftoverTemporaryFiles } from '../../src/host/leftovers';

/** The extension's global state, as far as the sweep uses it. */
class MemoryState implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T {
    return (this.values.has(key) ? this.values.get(key) : defaultValue) as T;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

suite('Leftover temporary files', () => {
  let folder: vscode.Uri;

  setup(async () => {
    folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'leftovers');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await vscode.workspace.fs.createDirectory(folder);
  });

  async function write(name: string, ageHours: number, into = folder): Promise<void> {
    const uri = vscode.Uri.joinPath(into, name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from('bytes'));
    const time = new Date(Date.now() - ageHours * 60 * 60 * 1000);
    fs.utimesSync(uri.fsPath, time, time);
  }

  const namesIn = async (uri: vscode.Uri) => (await vscode.workspace.fs.readDirectory(uri)).map(([name]) => name).sort();

  test('removes stale temporary files from the folders written to, and stale previews, and nothing else', async () => {
    await write('.seedream-0b1c.part', 3);
    await write('.seedream-fresh.part', 0);
    await write('diagram.png', 3);
    await write('.seedream-notes.txt', 3);
    const elsewhere = vscode.Uri.joinPath(folder, 'not-written-to');
    await vscode.workspace.fs.createDirectory(elsewhere);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(elsewhere, '.seedream-old.part'), Buffer.from('bytes'));
    fs.utimesSync(vscode.Uri.joinPath(elsewhere, '.seedream-old.part').fsPath, new Date(0), new Date(0));

    const previews = vscode.Uri.joinPath(folder, 'previews');
    await write('preview-run1-1.png', 3, previews);
    await write('preview-run2-1.png', 0, previews);

    const state = new MemoryState();
    await rememberOutputFolder(state, vscode.Uri.joinPath(folder, 'deleted-since'));
    await rememberOutputFolder(state, folder);
    await removeLeftoverTemporaryFiles(state, previews);

    assert.deepEqual(await namesIn(folder), ['.seedream-fresh.part', '.seedream-notes.txt', 'diagram.png', 'not-written-to', 'previews']);
    assert.deepEqual(await namesIn(previews), ['preview-run2-1.png'], 'the preview of a run that may still be going stays');
    assert.deepEqual(await namesIn(elsewhere), ['.seedream-old.part'], 'only folders the extension wrote to are swept');
  });
});
