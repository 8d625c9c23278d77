import assert from 'node:assert/strict';
import type { HistoryEntryView } from '../../../src/shared/protocol';
import { entrySlots, galleryContent } from '../../../src/webview/galleryModel';
import { filterHistory } from '../../../src/webview/historySearch';

function entry(id: string, prompt: string, extra: Partial<HistoryEntryView['input']> = {}): HistoryEntryView {
  return {
    id,
    createdAt: 0,
    input: {
      prompt,
      model: 'seedream-5-0-260128',
      size: '2K',
      n: 1,
      outputFormat: 'auto',
      responseFormat: 'url',
      watermark: false,
      stream: false,
      ...extra,
    },
    images: [
      {
        ref: `ref-${id}`,
        name: `${id}.png`,
        src: 'https://file+.vscode-resource/x.png',
        width: 2048,
        height: 2048,
        format: 'png',
        byteLength: 1000,
      },
    ],
    notSaved: 0,
  };
}

const history = [
  entry('a', 'A Watercolor lighthouse at dusk'),
  entry('b', 'Login flow diagram', { model: 'seedream-4-0-250828', size: '1280x720', seed: 1234 }),
];

describe('history search', () => {
  it('shows everything for an empty query', () => {
    assert.equal(filterHistory(history, '  ').length, 2);
  });

  it('matches every word, case-insensitively, in prompt, model, size, seed and file name', () => {
    assert.deepEqual(
      filterHistory(history, 'watercolor DUSK').map((e) => e.id),
      ['a'],
    );
    assert.deepEqual(
      filterHistory(history, 'seedream 4.0').map((e) => e.id),
      ['b'],
    );
    assert.deepEqual(
      filterHistory(history, '1280x720').map((e) => e.id),
      ['b'],
    );
    assert.deepEqual(
      filterHistory(history, '1234').map((e) => e.id),
      ['b'],
    );
    assert.deepEqual(
      filterHistory(history, 'a.png').map((e) => e.id),
      ['a'],
    );
    assert.deepEqual(filterHistory(history, 'lighthouse diagram'), []);
  });
});

describe('gallery content', () => {
  const running = { id: 'r', prompt: 'p', status: 'running' as const, message: '', slots: [{ state: 'waiting' as const }], issues: [] };

  it('always shows a running run', () => {
    assert.equal(galleryContent({ kind: 'entry', id: 'a' }, running, history).kind, 'run');
  });

  it('shows the picked entry, else the finished run, else the newest entry', () => {
    const finished = { ...running, status: 'finished' as const };
    assert.deepEqual(galleryContent({ kind: 'entry', id: 'b' }, finished, history), { kind: 'entry', entry: history[1] });
    assert.deepEqual(galleryContent({ kind: 'run' }, finished, history), { kind: 'run', run: finished });
    assert.deepEqual(galleryContent({ kind: 'entry', id: 'gone' }, undefined, history), { kind: 'entry', entry: history[0] });
    assert.deepEqual(galleryContent(undefined, undefined, []), { kind: 'empty' });
  });

  it('keeps showing images when the latest run failed', () => {
    const failed = { ...running, status: 'failed' as const, slots: [] };
    assert.deepEqual(galleryContent({ kind: 'run' }, failed, history), { kind: 'entry', entry: history[0] });
  });

  it("turns an entry's images into saved slots", () => {
    assert.deepEqual(entrySlots(history[0]!), [{ state: 'saved', image: history[0]!.images[0] }]);
  });
});
