import assert from 'node:assert/strict';
import {
  cancelledRun,
  failedRun,
  finishedRun,
  previewedImage,
  receivingImage,
  refusedRun,
  savedImage,
  startedRun,
  withoutFile,
} from '../../../../src/host/studio/runProgress';
import type { ImageView } from '../../../../src/shared/protocol';

function image(name: string): ImageView {
  return {
    ref: `ref-${name}`,
    name,
    src: `https://file+.vscode-resource/${name}`,
    width: 2048,
    height: 2048,
    format: 'png',
    byteLength: 10,
  };
}

describe('studio run progress', () => {
  const started = startedRun('run-1', 'a cat', 3, 'Generating 3 images…');

  it('starts with one waiting placeholder per requested image', () => {
    assert.equal(started.status, 'running');
    assert.deepEqual(started.slots, [{ state: 'waiting' }, { state: 'waiting' }, { state: 'waiting' }]);
  });

  it('marks downloads as they start and puts each saved image in its place in the batch', () => {
    let run = receivingImage(started, 1, 'Downloading image 1 of 3…');
    run = receivingImage(run, 2, 'Downloading image 2 of 3…');
    assert.deepEqual(
      run.slots.map((slot) => slot.state),
      ['receiving', 'receiving', 'waiting'],
    );
    assert.equal(run.message, 'Downloading image 2 of 3…');
    run = savedImage(run, 1, image('b.png'));
    assert.deepEqual(
      run.slots.map((slot) => slot.state),
      ['receiving', 'saved', 'waiting'],
    );
    run = savedImage(run, 0, image('a.png'));
    run = savedImage(run, 2, image('c.png'));
    assert.deepEqual(
      run.slots.map((slot) => (slot.state === 'saved' ? slot.image.name : slot.state)),
      ['a.png', 'b.png', 'c.png'],
    );
    assert.equal(savedImage(run, 0, image('d.png')), run, 'no slot left: unchanged');
  });

  it('shows a streamed preview in its slot until the image is saved, and never over a saved image', () => {
    let run = previewedImage(started, 1, 'https://file+.vscode-resource/preview-2.png');
    assert.deepEqual(run.slots[1], { state: 'receiving', preview: 'https://file+.vscode-resource/preview-2.png' });
    run = receivingImage(run, 2, 'Downloading image 2 of 3…');
    assert.deepEqual(
      run.slots[1],
      { state: 'receiving', preview: 'https://file+.vscode-resource/preview-2.png' },
      'the download keeps the preview up',
    );
    run = savedImage(run, 1, image('b.png'));
    assert.equal(previewedImage(run, 1, 'https://file+.vscode-resource/late.png'), run, 'a late preview does not replace the image');
    assert.equal(previewedImage(run, 7, 'https://file+.vscode-resource/x.png'), run, 'no such slot: unchanged');
  });

  it('puts an image whose place is taken or out of range in the oldest open slot', () => {
    let run = receivingImage(started, 1, '');
    run = savedImage(run, 0, image('a.png'));
    run = savedImage(run, 0, image('b.png'));
    run = savedImage(run, 7, image('c.png'));
    assert.deepEqual(
      run.slots.map((slot) => (slot.state === 'saved' ? slot.image.name : slot.state)),
      ['a.png', 'b.png', 'c.png'],
    );
  });

  it('ends with saved images and failures in batch order', () => {
    const done = finishedRun(
      started,
      {
        saved: [
          { index: 2, view: image('c.png') },
          { index: 0, view: image('a.png') },
        ],
        failures: [{ index: 1, message: 'blocked' }],
      },
      '2 of 3 images saved',
      false,
    );
    assert.equal(done.status, 'finished');
    assert.deepEqual(done.slots, [
      { state: 'saved', image: image('a.png') },
      { state: 'failed', message: 'Image 2: blocked' },
      { state: 'saved', image: image('c.png') },
    ]);
    assert.equal(finishedRun(started, { saved: [], failures: [] }, 'x', true).status, 'cancelled');
  });

  it('keeps the fix of a failed run and the fields of a refused one', () => {
    const failed = failedRun(started, { message: 'The API key was rejected', buttons: [{ label: 'Set API Key', action: 'setApiKey' }] });
    assert.deepEqual([failed.status, failed.slots, failed.error?.buttons[0].action], ['failed', [], 'setApiKey']);
    const refused = refusedRun('run-2', 'p', [{ field: 'size', message: 'too small' }]);
    assert.deepEqual([refused.status, refused.issues], ['failed', [{ field: 'size', message: 'too small' }]]);
    assert.deepEqual(cancelledRun(started, 'Cancelled').slots, []);
  });

  it('marks a deleted image as missing', () => {
    const run = withoutFile(savedImage(started, 0, image('a.png')), 'ref-a.png');
    assert.deepEqual(run.slots[0], { state: 'saved', image: { ...image('a.png'), missing: true } });
  });
});
