import assert from 'node:assert/strict';
import { onAbort } from '../../../../src/core/concurrency/abort';

describe('onAbort', () => {
  it('runs the listener at once for a signal that aborted before it was added (a cancel while a file opened)', () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    onAbort(controller.signal, () => calls++);
    assert.equal(calls, 1);
  });

  it('runs the listener once when the signal aborts later', () => {
    const controller = new AbortController();
    let calls = 0;
    onAbort(controller.signal, () => calls++);
    assert.equal(calls, 0);
    controller.abort();
    controller.abort();
    assert.equal(calls, 1);
  });

  it('runs nothing once removed', () => {
    const controller = new AbortController();
    let calls = 0;
    const remove = onAbort(controller.signal, () => calls++);
    remove();
    controller.abort();
    assert.equal(calls, 0);
  });
});
