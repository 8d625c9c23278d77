// A workspace that is not trusted (Restricted Mode), in a real VS Code whose workspace trust is on: the settings of
// a cloned repository that would cost money or receive the key are ignored, the user's own ones count.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readMissingImageSettings, readSettings } from '../../../src/host/config';
import { FakeApiServer } from '../../support/fakeApiServer';
import { seedreamConfig, useLocalApi } from '../localApi';

suite('Restricted settings in an untrusted workspace', () => {
  const api = useLocalApi();

  /**
   * Runs `body` with `.vscode/settings.json` holding `settings`, as a cloned repository has it (VS Code does not
   * write restricted settings into an untrusted workspace), and `seedream.watermark: true` as a witness: a setting
   * any workspace may set, so its value tells that VS Code has read the file.
   */
  async function withSettingsFile(settings: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    const file = vscode.Uri.joinPath(api.workspace, '.vscode', 'settings.json');
    const witnessIs = (value: boolean): Promise<void> => configured(() => seedreamConfig().get('watermark') === value);
    const content = {
      'seedream.watermark': true,
      ...Object.fromEntries(Object.entries(settings).map(([key, value]) => [`seedream.${key}`, value])),
    };
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(content)));
    try {
      await witnessIs(true);
      await body();
    } finally {
      await vscode.workspace.fs.delete(file);
      await witnessIs(false);
    }
  }

  test('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('workspace values of the restricted settings are ignored: a run bills what the user settings say, without asking', () =>
    withSettingsFile({ n: 4, size: '4K', model: 'seedream-4-0-250828', maxRetries: 5, 'missingImages.concurrency': 8 }, async () => {
      const settings = readSettings(api.workspace);
      assert.deepEqual([settings.n, settings.size, settings.model, settings.maxRetries], [1, '2K', 'seedream-5-0-260128', 2]);
      assert.equal(settings.watermark, true, 'an unrestricted workspace value still counts');
      assert.equal(readMissingImageSettings(api.workspace).concurrency, 3);
      // No question about the workspace's bill: its values do not count here.
      const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', { prompt: 'a cat', folder: '/generated' });
      assert.equal(uris?.length, 1);
      const sent = api.server.apiRequests[0].json;
      assert.deepEqual([sent?.n, sent?.size, sent?.model, sent?.watermark], [1, '2K', 'seedream-5-0-260128', true]);
    }));

  test('a workspace base URL gets no request and no key', async () => {
    const intruder = await FakeApiServer.start();
    try {
      await withSettingsFile({ baseUrl: intruder.baseUrl }, async () => {
        const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', {
          prompt: 'a cat',
          folder: '/generated',
        });
        assert.equal(uris?.length, 1);
        assert.equal(intruder.requests.length, 0, 'the workspace base URL got a request');
        assert.equal(api.server.apiRequests.length, 1);
      });
    } finally {
      await intruder.close();
    }
  });
});

/** Resolves once `holds` is true, checking after each configuration change (VS Code reads the file a moment later). */
function configured(holds: () => boolean): Promise<void> {
  if (holds()) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error('VS Code did not apply the workspace settings file within 20 s'));
    }, 20_000);
    const listener = vscode.workspace.onDidChangeConfiguration(() => {
      if (holds()) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
}
