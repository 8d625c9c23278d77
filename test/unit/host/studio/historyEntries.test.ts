import assert from 'node:assert/strict';
import {
  formOfInput,
  MAX_HISTORY_ENTRIES,
  parseStoredHistory,
  withNewEntry,
  type StoredEntry,
} from '../../../../src/host/studio/historyEntries';

function entry(id: string): StoredEntry {
  return {
    id,
    createdAt: 1_700_000_000_000,
    input: {
      prompt: 'a cat',
      model: 'seedream-5-0-260128',
      size: '2K',
      n: 1,
      outputFormat: 'auto',
      responseFormat: 'url',
      watermark: false,
      stream: false,
    },
    images: [{ uri: `file:///ws/images/${id}.png`, width: 2048, height: 2048, format: 'png', byteLength: 1234 }],
    notSaved: 0,
  };
}

describe('studio history entries', () => {
  it('puts the newest first and keeps at most the bound', () => {
    let entries: StoredEntry[] = [];
    for (let i = 0; i < MAX_HISTORY_ENTRIES + 5; i++) {
      entries = withNewEntry(entries, entry(`e${i}`));
    }
    assert.equal(entries.length, MAX_HISTORY_ENTRIES);
    assert.equal(entries[0]!.id, `e${MAX_HISTORY_ENTRIES + 4}`);
  });

  it('reads back what it stored', () => {
    const stored = [
      entry('a'),
      { ...entry('b'), images: [{ uri: 'file:///b.jpg', format: 'jpeg', byteLength: 5 }], generator: 'Seedream Studio 0.1.0' },
    ];
    assert.deepEqual(parseStoredHistory(JSON.parse(JSON.stringify(stored))), stored);
    assert.deepEqual(
      parseStoredHistory([{ ...entry('c'), generator: 42 }]),
      [entry('c')],
      'a malformed generator is dropped, the entry kept',
    );
  });

  it('reads back what each run was billed, and drops a malformed record of it', () => {
    const billed = { ...entry('p'), billed: { images: 2, reported: true, cost: { amount: 0.07, currency: 'USD' } } };
    const unpriced = { ...entry('q'), billed: { images: 1, reported: false } };
    assert.deepEqual(parseStoredHistory(JSON.parse(JSON.stringify([billed, unpriced]))), [billed, unpriced]);
    assert.deepEqual(parseStoredHistory([{ ...entry('r'), billed: { images: -2, reported: true } }]), [entry('r')]);
  });

  it('drops malformed entries instead of trusting them', () => {
    const broken = [
      null,
      'x',
      { ...entry('c'), id: 4 },
      { ...entry('d'), input: { prompt: 'x' } },
      { ...entry('e'), images: [{ uri: 'file:///e.png', format: 'png', byteLength: -1 }] },
      { ...entry('f'), createdAt: 'yesterday' },
    ];
    assert.deepEqual(parseStoredHistory([entry('ok'), ...broken]), [entry('ok')]);
    assert.deepEqual(parseStoredHistory(undefined), []);
    assert.deepEqual(parseStoredHistory({}), []);
  });

  it('keeps only the generation fields of an input', () => {
    const input = { ...entry('x').input, seed: 5, folder: '/tmp', insert: true } as Parameters<typeof formOfInput>[0];
    assert.deepEqual(formOfInput(input), { ...entry('x').input, seed: 5 });
  });
});
