// The key is tied to the origin it was entered for: the rule, with VS Code's real event and URI types.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ApiKeyStore, type KeyChoice } from '../../src/host/secrets';

/** SecretStorage kept in memory, so the suite never touches the user's real secrets. */
class MemorySecrets implements vscode.SecretStorage {
  private readonly values = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changed.fire({ key });
  }
}

suite('API key and its origin', () => {
  const asked: [string | undefined, string][] = [];
  let answer: KeyChoice = 'cancel';
  let secrets: MemorySecrets;
  let keys: ApiKeyStore;

  setup(async () => {
    asked.length = 0;
    secrets = new MemorySecrets();
    keys = new ApiKeyStore(secrets, async (storedOrigin, origin) => {
      asked.push([storedOrigin, origin]);
      return answer;
    });
    await secrets.store('seedream.apiKey', 'sk-stored-key');
    await secrets.store('seedream.apiKeyOrigin', 'https://api.apiyi.com');
  });

  test('the key goes to the origin it was entered for without a question', async () => {
    assert.equal(await keys.keyFor('https://api.apiyi.com/v1'), 'sk-stored-key');
    assert.equal(await keys.keyFor('https://api.apiyi.com/other/v1/'), 'sk-stored-key');
    assert.deepEqual(asked, []);
  });

  test('another origin, even one that merely contains the first, is asked about; declining sends nothing', async () => {
    answer = 'cancel';
    for (const baseUrl of ['https://api.apiyi.com.evil.example/v1', 'https://evil.example/api.apiyi.com/v1', 'https://api.apiyi.com:8443/v1']) {
      assert.equal(await keys.keyFor(baseUrl), undefined, baseUrl);
    }
    assert.deepEqual(asked.map(([, origin]) => origin), ['https://api.apiyi.com.evil.example', 'https://evil.example', 'https://api.apiyi.com:8443']);
    assert.equal(await secrets.get('seedream.apiKeyOrigin'), 'https://api.apiyi.com', 'declining keeps the key tied to its origin');
  });

  test('agreeing ties the key to the new origin', async () => {
    answer = 'send';
    assert.equal(await keys.keyFor('https://proxy.example.com/v1'), 'sk-stored-key');
    assert.equal(await secrets.get('seedream.apiKeyOrigin'), 'https://proxy.example.com');
    answer = 'cancel';
    assert.equal(await keys.keyFor('https://proxy.example.com/v1'), 'sk-stored-key');
    assert.equal(asked.length, 1);
  });

  test('a base URL that would send the key in clear is refused before anything is asked', async () => {
    await assert.rejects(keys.keyFor('http://api.example.com/v1'), /must use https/);
    assert.deepEqual(asked, []);
  });

  test('Clear forgets the key and its origin', async () => {
    await keys.clear();
    assert.equal(await keys.hasKey(), Boolean(process.env.APIYI_API_KEY));
    assert.equal(await secrets.get('seedream.apiKeyOrigin'), undefined);
  });
});
