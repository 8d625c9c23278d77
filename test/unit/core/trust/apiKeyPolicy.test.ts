import assert from 'node:assert/strict';
import {
  checkKeyCharacters,
  findKeyCharacterProblem,
  keyMayGoUnasked,
  parseApprovedOrigins,
  validateKeyInput,
} from '../../../../src/core/trust/apiKeyPolicy';

describe('API key characters', () => {
  it('accepts printable ASCII, with white space around it', () => {
    for (const key of ['sk-0123456789abcdef', '  sk-abc_DEF.ghi~!@#$%^&*()+=[]{}|;:\'",<>/?`\n', '\tsk-abc\r\n']) {
      assert.equal(findKeyCharacterProblem(key), undefined, JSON.stringify(key));
      assert.equal(validateKeyInput(key), undefined, JSON.stringify(key));
    }
  });

  it('names the first character no key has, as U+XXXX, with its position', () => {
    const table: readonly (readonly [key: string, character: string, position: number])[] = [
      ['sk-abcdefgh\u200bij', 'an invisible character U+200B', 12],
      ['\u200bsk-abc', 'an invisible character U+200B', 1],
      ['sk-abc\ufeffdef', 'an invisible character U+FEFF', 7],
      ['sk-abc\u00a0def', 'an invisible character U+00A0', 7],
      ['sk-abc\u0007def', 'an invisible character U+0007', 7],
      ['sk-abc\u0301def', 'an invisible character U+0301', 7],
      ['sk-caf\u00e9', 'the character "\u00e9" U+00E9', 7],
      ['sk-\u043a\u043b\u044e\u0447', 'the character "\u043a" U+043A', 4],
      ['sk-\u{1f511}-x', 'the character "\u{1f511}" U+1F511', 4],
      ['sk-\u{1f511}\u00e9', 'the character "\u{1f511}" U+1F511', 4],
      ['sk-abc def', 'a space U+0020', 7],
      ['sk-abc\ndef', 'a line break U+000A', 7],
      ['sk-abc\tdef', 'a tab U+0009', 7],
    ];
    for (const [key, character, position] of table) {
      assert.deepEqual(findKeyCharacterProblem(key), { character, position }, JSON.stringify(key));
    }
  });

  it('says in the input box what is wrong and what to do', () => {
    assert.equal(
      validateKeyInput('sk-abcdefgh\u200bij'),
      'The key has an invisible character U+200B at position 12: copy it again from the provider console.',
    );
    assert.equal(
      validateKeyInput('sk-caf\u00e9'),
      'The key has the character "\u00e9" U+00E9 at position 7: copy it again from the provider console.',
    );
    assert.equal(validateKeyInput('  '), 'Enter the key, or press Escape to cancel.');
  });

  it('refuses a stored or environment key with Set API Key, naming where it comes from', () => {
    const stored = checkKeyCharacters('sk-ab\u200bc', { source: 'stored' });
    assert.equal(stored?.action, 'setApiKey');
    assert.match(stored?.message ?? '', /^The stored API key has an invisible character U\+200B at position 6, .*"Seedream: Set API Key"/);
    const environment = checkKeyCharacters('sk-caf\u00e9', { source: 'environment', variable: 'APIYI_API_KEY' });
    assert.equal(environment?.action, 'setApiKey');
    assert.match(
      environment?.message ?? '',
      /^The API key in the environment variable APIYI_API_KEY has the character "\u00e9" U\+00E9 at position 7, .*into APIYI_API_KEY, or store one with "Seedream: Set API Key"/,
    );
    assert.equal(checkKeyCharacters('sk-fine', { source: 'stored' }), undefined);
  });
});

describe('keyMayGoUnasked', () => {
  const DEFAULT = 'https://api.apiyi.com';

  it('sends a stored key only to the origin it was entered for', () => {
    assert.ok(keyMayGoUnasked('https://proxy.example.com', { source: 'stored', storedOrigin: 'https://proxy.example.com' }));
    assert.ok(!keyMayGoUnasked(DEFAULT, { source: 'stored', storedOrigin: 'https://proxy.example.com' }));
    assert.ok(!keyMayGoUnasked(DEFAULT, { source: 'stored', storedOrigin: undefined }));
  });

  it('sends the environment key to the default origin and to those agreed to, nowhere else', () => {
    const ties = { source: 'environment', defaultOrigin: DEFAULT, approvedOrigins: ['https://proxy.example.com'] } as const;
    assert.ok(keyMayGoUnasked(DEFAULT, ties));
    assert.ok(keyMayGoUnasked('https://proxy.example.com', ties));
    for (const origin of [
      'https://api.apiyi.com.evil.example',
      'https://api.apiyi.com:8443',
      'http://api.apiyi.com',
      'https://evil.example',
    ]) {
      assert.ok(!keyMayGoUnasked(origin, ties), origin);
    }
    assert.ok(
      !keyMayGoUnasked(DEFAULT, { source: 'environment', defaultOrigin: undefined, approvedOrigins: [] }),
      'no default known: always ask',
    );
  });

  it('sends the environment key to a server on this machine, but not a stored key', () => {
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:8080', 'https://localhost']) {
      assert.ok(keyMayGoUnasked(origin, { source: 'environment', defaultOrigin: DEFAULT, approvedOrigins: [] }), origin);
      assert.ok(!keyMayGoUnasked(origin, { source: 'stored', storedOrigin: DEFAULT }), origin);
    }
    for (const origin of ['https://10.0.0.1', 'https://localhost.example.com', 'https://127.0.0.1.example.com']) {
      assert.ok(!keyMayGoUnasked(origin, { source: 'environment', defaultOrigin: DEFAULT, approvedOrigins: [] }), origin);
    }
  });

  it('reads the agreed origins as stored, anything else as none', () => {
    assert.deepEqual(parseApprovedOrigins('["https://a.example","https://b.example"]'), ['https://a.example', 'https://b.example']);
    assert.deepEqual(parseApprovedOrigins('["https://a.example",3,null]'), ['https://a.example']);
    for (const stored of [undefined, '', 'not json', '{"a":1}', '"https://a.example"']) {
      assert.deepEqual(parseApprovedOrigins(stored), [], String(stored));
    }
  });
});
