import assert from 'node:assert/strict';
import { runBounded } from '../../../../src/core/concurrency/boundedPool';

/** A task whose completion the test controls, to observe how many run at once. */
function controlledTasks() {
  const release = new Map<number, () => void>();
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (item: number) => {
    running++;
    peak = Math.max(peak, running);
    started.push(item);
    return new Promise<number>((resolve, reject) => {
      release.set(item, () => {
        running--;
        if (item < 0) {
          reject(new Error(`item ${item} failed`));
        } else {
          resolve(item * 10);
        }
      });
    });
  };
  return { task, release, started, peak: () => peak };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runBounded', () => {
  it('never runs more than the limit at once and keeps results in item order', async () => {
    const { task, release, started, peak } = controlledTasks();
    const items = [1, 2, 3, 4, 5, 6, 7];
    const done = runBounded(items, 3, task, new AbortController().signal);
    await tick();
    assert.deepEqual(started, [1, 2, 3]);
    // Finish out of order: the next item starts in the freed slot.
    release.get(2)!();
    await tick();
    assert.deepEqual(started, [1, 2, 3, 4]);
    for (const item of items) {
      await tick();
      release.get(item)?.();
    }
    for (let i = 0; i < 10; i++) {
      await tick();
      items.forEach((item) => release.get(item)?.());
    }
    const results = await done;
    assert.equal(peak(), 3);
    assert.deepEqual(
      results,
      items.map((item) => ({ status: 'done', value: item * 10 })),
    );
  });

  it('a failed task does not stop the others', async () => {
    const results = await runBounded(
      [1, -2, 3],
      2,
      async (item) => {
        if (item < 0) throw new Error('boom');
        return item;
      },
      new AbortController().signal,
    );
    assert.equal(results[0].status, 'done');
    assert.equal(results[1].status, 'failed');
    assert.deepEqual(results[2], { status: 'done', value: 3 });
  });

  it('cancelling starts nothing new but lets the started tasks finish', async () => {
    const { task, release, started } = controlledTasks();
    const stop = new AbortController();
    const done = runBounded([1, 2, 3, 4, 5], 2, task, stop.signal);
    await tick();
    stop.abort();
    release.get(1)!();
    release.get(2)!();
    const results = await done;
    assert.deepEqual(started, [1, 2]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['done', 'done', 'notStarted', 'notStarted', 'notStarted'],
    );
  });

  it('handles an empty list and a nonsense limit', async () => {
    assert.deepEqual(await runBounded([], 3, async () => 1, new AbortController().signal), []);
    assert.deepEqual(await runBounded([1, 2], 0, async (item) => item, new AbortController().signal), [
      { status: 'done', value: 1 },
      { status: 'done', value: 2 },
    ]);
  });
});
