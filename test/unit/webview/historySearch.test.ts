import assert from 'node:assert/strict';
import type { HistoryEntryView, ImageView, ReferenceThumb, SlotView } from '../../../src/shared/protocol';
import { entrySlots, galleryContent, setPositions } from '../../../src/webview/galleryModel';
import { filterHistory } from '../../../src/webview/historySearch';

function entry(
  id: string,
  prompt: string,
  extra: Partial<HistoryEntryView['input']> = {},
  references: readonly ReferenceThumb[] = [],
): HistoryEntryView {
  return {
    id,
    references,
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
  entry('c', 'Same diagram, dark theme', { references: [{ path: 'docs/login-flow.png' }] }, [
    { path: 'docs/login-flow.png', src: 'https://file+.vscode-resource/login-flow.png' },
    { url: 'https://example.com/palette.png' },
  ]),
];

describe('history search', () => {
  it('shows everything for an empty query', () => {
    assert.equal(filterHistory(history, '  ').length, 3);
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

  it('finds an edit by the file or address it was made from', () => {
    assert.deepEqual(
      filterHistory(history, 'login-flow.png').map((e) => e.id),
      ['c'],
    );
    assert.deepEqual(
      filterHistory(history, 'example.com').map((e) => e.id),
      ['c'],
    );
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

describe('image set positions', () => {
  const image = (name: string): ImageView => ({ ref: name, name, src: '', format: 'png', byteLength: 1 });
  const saved = (name: string): SlotView => ({ state: 'saved', image: image(name) });

  it('numbers the images of a finished set "k of N", N being the images it has', () => {
    assert.deepEqual(setPositions([saved('a'), saved('b'), saved('c')]), ['1 of 3', '2 of 3', '3 of 3']);
  });

  it('counts a set with fewer images than asked by what it has, and leaves failures unnumbered', () => {
    assert.deepEqual(setPositions([saved('a'), { state: 'failed', message: 'refused' }, saved('c')]), ['1 of 2', undefined, '2 of 2']);
  });

  it('numbers only the order while images are still coming', () => {
    assert.deepEqual(setPositions([saved('a'), { state: 'receiving' }, { state: 'waiting' }]), ['1', undefined, undefined]);
  });
});
