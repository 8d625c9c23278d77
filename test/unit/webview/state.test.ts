import assert from 'node:assert/strict';
import { DEFAULT_SET_SIZE, draftFromForm } from '../../../src/webview/formModel';
import { EMPTY_STATE, restoreState, type StudioState } from '../../../src/webview/state';

describe('webview state', () => {
  const draft = draftFromForm({
    prompt: 'a cat',
    model: 'seedream-4-0-250828',
    size: '1280x720',
    n: 3,
    seed: 9,
    outputFormat: 'jpeg',
    responseFormat: 'b64_json',
    watermark: true,
    stream: true,
    references: [{ path: 'docs/photo.png' }, { url: 'https://example.com/logo.png' }],
    maxImages: 6,
  });

  it('round-trips what it saved (the draft survives a reload)', () => {
    const saved: StudioState = {
      draft,
      gallery: { kind: 'entry', id: 'e1' },
      historyQuery: 'cat',
      historyOpen: false,
      focusedEntryId: 'e1',
    };
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(saved))), saved);
  });

  it('starts empty without a saved state', () => {
    for (const stored of [undefined, null, 'text', 42, []]) {
      assert.deepEqual(restoreState(stored), EMPTY_STATE);
    }
  });

  it('repairs fields of an older or damaged state instead of failing', () => {
    const restored = restoreState({
      draft: { prompt: 5, n: 'x', outputFormat: 'webp', responseFormat: 3, watermark: 'yes' },
      gallery: { kind: 'entry' },
      historyOpen: 'no',
    });
    assert.equal(restored.draft?.prompt, '');
    assert.equal(restored.draft?.n, 1);
    assert.equal(restored.draft?.outputFormat, 'auto');
    assert.equal(restored.draft?.responseFormat, 'url');
    assert.equal(restored.draft?.watermark, false);
    assert.equal(restored.gallery, undefined);
    assert.equal(restored.historyOpen, true);
  });

  it('keeps the well-formed references of a stored draft, and a set size in range', () => {
    const restored = restoreState({
      draft: {
        references: [{ path: 'a.png' }, { url: 'https://example.com/b.png' }, { path: 3 }, 'c.png', null],
        imageSet: true,
        maxImages: 99,
      },
    });
    assert.deepEqual(restored.draft?.references, [{ path: 'a.png' }, { url: 'https://example.com/b.png' }]);
    assert.equal(restored.draft?.imageSet, true);
    assert.equal(restored.draft?.maxImages, DEFAULT_SET_SIZE);
    assert.deepEqual(restoreState({ draft: { references: 'a.png' } }).draft?.references, []);
  });
});
