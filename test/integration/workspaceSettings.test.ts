// Settings a cloned repository could use to bill the user, and output folders whose names merely start
// with dots, inside a real VS Code with its real configuration levels.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettingsByOrigin } from '../../src/host/config';
import { seedreamConfig, useLocalApi } from './localApi';

suite('Workspace settings that cost money', () => {
  const api = useLocalApi();

  /** Runs `body` with workspace settings changed, as a cloned repository's settings would be, and removes them whatever happens. */
  async function withWorkspaceSettings(settings: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    for (const [key, value] of Object.entries(settings)) {
      await seedreamConfig().update(key, value, vscode.ConfigurationTarget.Workspace);
    }
    try {
      await body();
    } finally {
      for (const key of Object.keys(settings)) {
        await seedreamConfig().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
    }
  }

  test('a workspace setting seedream.n=4 counts only where the workspace is trusted; the user own settings give n=1', () =>
    withWorkspaceSettings({ n: 4, size: '4K', model: 'seedream-4-0-250828' }, async () => {
      // This run has workspace trust off, so the workspace is trusted; `own` is what an untrusted one reads
      // (untrusted/restrictedSettings.test.ts checks that in a run with workspace trust on).
      assert.equal(vscode.workspace.isTrusted, true);
      const { counting, own } = readSettingsByOrigin(api.workspace);
      assert.deepEqual([counting.n, counting.size, counting.model], [4, '4K', 'seedream-4-0-250828']);
      assert.deepEqual([own.n, own.size, own.model], [1, '2K', 'seedream-5-0-260128']);
    }));

  test('a workspace that raises the bill sends nothing before the user agrees', () =>
    withWorkspaceSettings({ n: 4 }, async () => {
      // The test workbench refuses modal dialogs, as a user pressing Cancel would.
      const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', { prompt: 'a cat', folder: '/generated' });
      assert.deepEqual(uris, []);
      assert.equal(api.server.apiRequests.length, 0);
    }));

  test('a workspace setting that asks for no more than the user own settings is not asked about', () =>
    withWorkspaceSettings({ n: 1 }, async () => {
      const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', { prompt: 'a cat', folder: '/generated' });
      assert.equal(uris?.length, 1);
      assert.equal(api.server.apiRequests[0].json?.n, 1);
    }));

  test('a folder named ..images at the workspace root is a folder inside it, not an escape', async () => {
    const dotted = path.join(api.workspace.fsPath, '..images');
    fs.mkdirSync(dotted);
    try {
      const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', {
        prompt: 'a dotted cat',
        folder: '/..images',
      });
      assert.equal(uris?.length, 1);
      assert.equal(path.dirname(uris[0].fsPath), dotted);
    } finally {
      fs.rmSync(dotted, { recursive: true, force: true });
    }
  });
});
