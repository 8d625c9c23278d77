import assert from 'node:assert/strict';
import {
  checkKeyCharacters,
  findKeyCharacterProblem,
  keyMayGoUnasked,
  parseApprovedOrigins,
  type KeyTies,
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

const DEFAULT = 'https://api.apiyi.com';
const PROXY = 'https://proxy.example.com';
const STORED_FOR_PROXY: KeyTies = { source: 'stored', storedOrigin: PROXY };
const STORED_FOR_DEFAULT: KeyTies = { source: 'stored', storedOrigin: DEFAULT };
const ENVIRONMENT: KeyTies = { source: 'environment', defaultOrigin: DEFAULT, approvedOrigins: [PROXY] };

/** [origin the key would go to, the key and what it is tied to, whether it goes without asking, why] */
const DESTINATIONS: readonly (readonly [origin: string, ties: KeyTies, unasked: boolean, why: string])[] = [
  [PROXY, STORED_FOR_PROXY, true, 'a stored key, to the origin it was entered for'],
  [DEFAULT, STORED_FOR_PROXY, false, 'a stored key, to another origin'],
  [DEFAULT, { source: 'stored', storedOrigin: undefined }, false, 'a stored key whose origin is unknown'],
  [DEFAULT, ENVIRONMENT, true, 'the environment key, to the default origin'],
  [PROXY, ENVIRONMENT, true, 'the environment key, to an origin agreed to'],
  ['https://api.apiyi.com.evil.example', ENVIRONMENT, false, 'the environment key, to a look-alike host'],
  ['https://api.apiyi.com:8443', ENVIRONMENT, false, 'the environment key, to another port'],
  ['http://api.apiyi.com', ENVIRONMENT, false, 'the environment key, without TLS'],
  ['https://evil.example', ENVIRONMENT, false, 'the environment key, elsewhere'],
  [
    DEFAULT,
    { source: 'environment', defaultOrigin: undefined, approvedOrigins: [] },
    false,
    'the environment key, when no default origin is known',
  ],
  ...['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:8080', 'https://localhost'].flatMap(
    (origin) =>
      [
        [origin, ENVIRONMENT, true, 'the environment key, to this machine (which can read the environment anyway)'],
        [origin, STORED_FOR_DEFAULT, false, 'a stored key, to this machine'],
      ] as const,
  ),
  ['https://10.0.0.1', ENVIRONMENT, false, 'the environment key, to a private address'],
  ['https://localhost.example.com', ENVIRONMENT, false, 'the environment key, to a name that only starts like localhost'],
  ['https://127.0.0.1.example.com', ENVIRONMENT, false, 'the environment key, to a name that only starts like loopback'],
];

describe('keyMayGoUnasked', () => {
  for (const [origin, ties, unasked, why] of DESTINATIONS) {
    it(`${unasked ? 'sends' : 'asks before sending'} ${why}: ${origin}`, () => {
      assert.equal(keyMayGoUnasked(origin, ties), unasked);
    });
  }
});

describe('parseApprovedOrigins', () => {
  it('reads the agreed origins as stored, anything else as none', () => {
    assert.deepEqual(parseApprovedOrigins('["https://a.example","https://b.example"]'), ['https://a.example', 'https://b.example']);
    assert.deepEqual(parseApprovedOrigins('["https://a.example",3,null]'), ['https://a.example']);
    for (const stored of [undefined, '', 'not json', '{"a":1}', '"https://a.example"']) {
      assert.deepEqual(parseApprovedOrigins(stored), [], String(stored));
    }
  });
});
