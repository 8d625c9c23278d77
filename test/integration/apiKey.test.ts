// The key is tied to the origin it was entered for, the environment's key to the default server's: the rules, with
// VS Code's real event types and the extension's real setting defaults.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SeedreamError } from '../../src/core/errors/errors';
import { API_KEY_ENVIRONMENT_VARIABLE, ApiKeyStore, type KeyChoice, type KeyQuestion } from '../../src/host/secrets';

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
  const asked: KeyQuestion[] = [];
  let answer: KeyChoice = 'cancel';
  let secrets: MemorySecrets;
  let keys: ApiKeyStore;
  const environmentKey = process.env[API_KEY_ENVIRONMENT_VARIABLE];

  setup(async () => {
    asked.length = 0;
    delete process.env[API_KEY_ENVIRONMENT_VARIABLE];
    secrets = new MemorySecrets();
    keys = new ApiKeyStore(secrets, async (question) => {
      asked.push(question);
      return answer;
    });
    await secrets.store('seedream.apiKey', 'sk-stored-key');
    await secrets.store('seedream.apiKeyOrigin', 'https://api.apiyi.com');
  });
  teardown(() => {
    if (environmentKey === undefined) {
      delete process.env[API_KEY_ENVIRONMENT_VARIABLE];
    } else {
      process.env[API_KEY_ENVIRONMENT_VARIABLE] = environmentKey;
    }
  });

  test('the key goes to the origin it was entered for without a question', async () => {
    assert.equal(await keys.keyFor('https://api.apiyi.com/v1'), 'sk-stored-key');
    assert.equal(await keys.keyFor('https://api.apiyi.com/other/v1/'), 'sk-stored-key');
    assert.deepEqual(asked, []);
  });

  test('another origin, even one that merely contains the first, is asked about; declining sends nothing', async () => {
    answer = 'cancel';
    for (const baseUrl of [
      'https://api.apiyi.com.evil.example/v1',
      'https://evil.example/api.apiyi.com/v1',
      'https://api.apiyi.com:8443/v1',
    ]) {
      assert.equal(await keys.keyFor(baseUrl), undefined, baseUrl);
    }
    assert.deepEqual(
      asked.map(({ origin }) => origin),
      ['https://api.apiyi.com.evil.example', 'https://evil.example', 'https://api.apiyi.com:8443'],
    );
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
    assert.equal(await keys.hasKey(), false);
    assert.equal(await secrets.get('seedream.apiKeyOrigin'), undefined);
  });

  suite('the key from APIYI_API_KEY', () => {
    setup(async () => {
      await secrets.delete('seedream.apiKey');
      await secrets.delete('seedream.apiKeyOrigin');
      process.env[API_KEY_ENVIRONMENT_VARIABLE] = 'sk-environment-key';
    });

    test('goes to the default server without a question', async () => {
      const defaultBaseUrl = vscode.workspace.getConfiguration('seedream').inspect<string>('baseUrl')?.defaultValue;
      assert.ok(defaultBaseUrl, 'the extension declares a default base URL');
      assert.equal(await keys.keyFor(defaultBaseUrl), 'sk-environment-key');
      assert.deepEqual(asked, []);
    });

    test('goes to a server on this machine without a question', async () => {
      assert.equal(await keys.keyFor('http://127.0.0.1:8080/v1'), 'sk-environment-key');
      assert.deepEqual(asked, []);
    });

    test('is asked about once for each other origin, naming where the key comes from', async () => {
      answer = 'cancel';
      assert.equal(await keys.keyFor('https://api.apiyi.com.evil.example/v1'), undefined);
      answer = 'send';
      assert.equal(await keys.keyFor('https://proxy.example.com/v1'), 'sk-environment-key');
      answer = 'cancel';
      assert.equal(await keys.keyFor('https://proxy.example.com/other/v1'), 'sk-environment-key');
      assert.deepEqual(asked, [
        { source: 'environment', defaultOrigin: 'https://api.apiyi.com', origin: 'https://api.apiyi.com.evil.example' },
        { source: 'environment', defaultOrigin: 'https://api.apiyi.com', origin: 'https://proxy.example.com' },
      ]);
      await keys.clear();
      assert.equal(await keys.keyFor('https://proxy.example.com/v1'), undefined, 'Clear forgets the origins agreed to');
      assert.equal(asked.length, 3);
    });

    test('with a character no key has, is refused with Set API Key before anything is asked', async () => {
      process.env[API_KEY_ENVIRONMENT_VARIABLE] = 'sk-caf\u00e9-key';
      await assert.rejects(keys.keyFor('https://api.apiyi.com/v1'), (error: unknown) => {
        assert.ok(error instanceof SeedreamError);
        assert.equal(error.action, 'setApiKey');
        assert.match(error.message, /APIYI_API_KEY has the character "\u00e9" U\+00E9 at position 7/);
        return true;
      });
      assert.deepEqual(asked, []);
    });
  });

  test('a stored key with an invisible character is refused with Set API Key, not sent', async () => {
    await secrets.store('seedream.apiKey', 'sk-stored\u200b-key');
    await assert.rejects(keys.keyFor('https://api.apiyi.com/v1'), (error: unknown) => {
      assert.ok(error instanceof SeedreamError);
      assert.equal(error.action, 'setApiKey');
      assert.match(error.message, /stored API key has an invisible character U\+200B at position 10.*Seedream: Set API Key/);
      return true;
    });
  });
});
