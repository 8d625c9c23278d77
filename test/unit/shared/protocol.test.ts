import assert from 'node:assert/strict';
import { MAX_PROMPT_LENGTH } from '../../../src/core/model/validation';
import { parseFromWebviewMessage, type FromWebviewMessage, type StudioForm } from '../../../src/shared/protocol';

const form: StudioForm = {
  prompt: 'a lighthouse at dusk',
  model: 'seedream-5-0-260128',
  size: '2560x1440',
  n: 2,
  seed: 42,
  outputFormat: 'png',
  responseFormat: 'url',
  watermark: false,
  stream: true,
};

/** One message of every type the webview may send. */
const everyMessage: FromWebviewMessage[] = [
  { type: 'ready' },
  { type: 'generate', form },
  { type: 'cancel' },
  { type: 'setApiKey' },
  { type: 'openSettings' },
  { type: 'showLog' },
  { type: 'refreshHistory' },
  {
    type: 'generate',
    form: { ...form, n: 1, references: [{ path: 'docs/photo.png' }, { url: 'https://example.com/a.png' }], maxImages: 3 },
  },
  { type: 'insertImages', requestId: 'r2', refs: ['a1', 'b2', 'c3'] },
  { type: 'pickReferences' },
  { type: 'dropReferences', uris: ['file:///ws/docs/photo.png'] },
  { type: 'inspectReferences', paths: ['docs/photo.png'] },
  ...(['insert', 'useForLink', 'edit', 'useAsReference', 'open', 'reveal', 'copyPath', 'copyLink', 'delete'] as const).map((action) => ({
    type: 'imageAction' as const,
    requestId: 'r1',
    action,
    ref: '0f8fad5b-d9cb-469f-a165-70867728950e',
  })),
];

/** As the message arrives: through the structured clone of postMessage, like JSON. */
function cloned(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('protocol: messages from the webview', () => {
  it('accepts every message type, unchanged', () => {
    for (const message of everyMessage) {
      assert.deepEqual(parseFromWebviewMessage(cloned(message)), message, message.type);
    }
  });

  it('accepts a form without a seed, and a seed of -1 (random)', () => {
    const { seed: _seed, ...withoutSeed } = form;
    assert.deepEqual(parseFromWebviewMessage({ type: 'generate', form: withoutSeed }), { type: 'generate', form: withoutSeed });
    assert.ok(parseFromWebviewMessage({ type: 'generate', form: { ...form, seed: -1 } }));
  });

  it('refuses values that are not messages', () => {
    for (const value of [undefined, null, 0, 'ready', [], [{ type: 'ready' }], {}, { type: 7 }, { type: 'READY' }, new Date()]) {
      assert.equal(parseFromWebviewMessage(value), undefined, JSON.stringify(value));
    }
  });

  it('refuses unknown types, including ones that look like commands', () => {
    for (const type of ['executeCommand', 'command', 'seedream.setApiKey', 'workbench.action.terminal.new', 'openExternal', 'deleteFile']) {
      assert.equal(parseFromWebviewMessage({ type }), undefined, type);
    }
  });

  it('refuses extra keys, so no message can carry a command name or arguments', () => {
    assert.equal(parseFromWebviewMessage({ type: 'setApiKey', command: 'workbench.action.terminal.new' }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'openSettings', args: ['@ext:other'] }), undefined);
    assert.equal(
      parseFromWebviewMessage({ type: 'imageAction', requestId: 'r1', action: 'open', ref: 'a', uri: 'file:///etc/passwd' }),
      undefined,
    );
    assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, folder: '/tmp' } }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'generate', form, command: 'x' }), undefined);
  });

  it('refuses prototype pollution keys', () => {
    const payloads = [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"type":"cancel","constructor":{"prototype":{"polluted":true}}}',
      `{"type":"generate","form":${JSON.stringify({ ...form })},"__proto__":{"x":1}}`,
      `{"type":"generate","form":${JSON.stringify(form).replace(/}$/, ',"__proto__":{"polluted":true}}')}}`,
      '{"type":"imageAction","requestId":"r1","action":"open","ref":"a","prototype":{}}',
    ];
    for (const payload of payloads) {
      assert.equal(parseFromWebviewMessage(JSON.parse(payload)), undefined, payload);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses objects that are not plain', () => {
    const withPrototype = Object.assign(Object.create({ inherited: true }), { type: 'ready' });
    assert.equal(parseFromWebviewMessage(withPrototype), undefined);
    assert.deepEqual(parseFromWebviewMessage(Object.assign(Object.create(null), { type: 'ready' })), { type: 'ready' });
    const symbolKeyed = { type: 'ready', [Symbol('x')]: 1 };
    assert.equal(parseFromWebviewMessage(symbolKeyed), undefined);
  });

  it('refuses image actions that are not in the list, and malformed ids', () => {
    const valid = { type: 'imageAction', requestId: 'r1', action: 'open', ref: 'abc-123' };
    for (const action of ['run', 'deleteAll', 'executeCommand', '', 1]) {
      assert.equal(parseFromWebviewMessage({ ...valid, action }), undefined, String(action));
    }
    for (const id of ['', 'a'.repeat(65), '../../etc/passwd', 'file:///x', 'a b', 7, null]) {
      assert.equal(parseFromWebviewMessage({ ...valid, requestId: id }), undefined, `requestId ${String(id)}`);
      assert.equal(parseFromWebviewMessage({ ...valid, ref: id }), undefined, `ref ${String(id)}`);
    }
    const { ref: _ref, ...missingRef } = valid;
    assert.equal(parseFromWebviewMessage(missingRef), undefined);
  });

  it('refuses forms with wrong types or missing fields', () => {
    const broken: Record<string, unknown>[] = [
      { prompt: 42 },
      { model: null },
      { size: 2048 },
      { n: '2' },
      { n: 1.5 },
      { n: 0 },
      { n: 5 },
      { n: Number.NaN },
      { seed: '42' },
      { seed: 1.5 },
      { seed: 2 ** 60 },
      { outputFormat: 'webp' },
      { responseFormat: 'file' },
      { watermark: 'false' },
      { stream: 1 },
    ];
    for (const change of broken) {
      assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, ...change } }), undefined, JSON.stringify(change));
    }
    for (const key of Object.keys(form).filter((key) => key !== 'seed')) {
      const { [key]: _removed, ...rest } = form as unknown as Record<string, unknown>;
      assert.equal(parseFromWebviewMessage({ type: 'generate', form: rest }), undefined, `without ${key}`);
    }
    assert.equal(parseFromWebviewMessage({ type: 'generate', form: [form] }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'generate' }), undefined);
  });

  it('refuses references that are not exactly a path or an address', () => {
    const broken: unknown[] = [
      'docs/photo.png',
      [{ path: 'a.png', url: 'https://example.com/a.png' }],
      [{ path: 'a.png', sha256: 'x' }],
      [{ kind: 'file', path: 'a.png' }],
      [{ path: '' }],
      [{ path: 7 }],
      [{ url: null }],
      ['a.png'],
      [{ path: 'p'.repeat(2049) }],
      Array.from({ length: 29 }, (_, i) => ({ path: `${i}.png` })),
    ];
    for (const references of broken) {
      assert.equal(
        parseFromWebviewMessage({ type: 'generate', form: { ...form, references } }),
        undefined,
        JSON.stringify(references).slice(0, 80),
      );
    }
    // As many as two requests may take: the form says "remove 4", not the protocol.
    const many = Array.from({ length: 28 }, (_, i) => ({ path: `${i}.png` }));
    assert.ok(parseFromWebviewMessage({ type: 'generate', form: { ...form, references: many } }));
  });

  it('refuses image set sizes out of range', () => {
    for (const maxImages of [0, 16, 2.5, '4', null]) {
      assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, maxImages } }), undefined, String(maxImages));
    }
    assert.ok(parseFromWebviewMessage({ type: 'generate', form: { ...form, maxImages: 15 } }));
  });

  it('refuses malformed lists of files and images', () => {
    const refused: unknown[] = [
      { type: 'insertImages', requestId: 'r1', refs: [] },
      { type: 'insertImages', requestId: 'r1', refs: ['../x'] },
      { type: 'insertImages', requestId: 'r1', refs: Array.from({ length: 16 }, (_, i) => `r${i}`) },
      { type: 'insertImages', requestId: 'r1', refs: 'a1' },
      { type: 'dropReferences', uris: [3] },
      { type: 'dropReferences', uris: 'file:///etc/passwd' },
      { type: 'dropReferences', uris: Array.from({ length: 29 }, (_, i) => `file:///${i}.png`) },
      { type: 'dropReferences', uris: ['x'.repeat(2049)] },
      { type: 'inspectReferences', paths: [''] },
      { type: 'inspectReferences', paths: ['a.png'], extra: 1 },
      { type: 'pickReferences', folder: '/' },
    ];
    for (const message of refused) {
      assert.equal(parseFromWebviewMessage(message), undefined, JSON.stringify(message).slice(0, 80));
    }
  });

  it('refuses huge strings', () => {
    assert.ok(parseFromWebviewMessage({ type: 'generate', form: { ...form, prompt: 'x'.repeat(MAX_PROMPT_LENGTH) } }));
    assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, prompt: 'x'.repeat(MAX_PROMPT_LENGTH + 1) } }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, prompt: 'x'.repeat(10_000_000) } }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, model: 'm'.repeat(65) } }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'generate', form: { ...form, size: '1'.repeat(100_000) } }), undefined);
    assert.equal(parseFromWebviewMessage({ type: 'imageAction', requestId: 'r'.repeat(100_000), action: 'open', ref: 'a' }), undefined);
  });
});
