/**
 * Runs tasks with at most `limit` at a time, as a batch of billed requests needs: cancelling stops new
 * tasks from starting but lets the started ones finish, since their images are already being paid for.
 */

export type PoolResult<Value> =
  | { readonly status: 'done'; readonly value: Value }
  | { readonly status: 'failed'; readonly error: unknown }
  /** Never started: the batch was cancelled first. */
  | { readonly status: 'notStarted' };

export async function runBounded<Item, Value>(
  items: readonly Item[],
  limit: number,
  task: (item: Item, position: number) => Promise<Value>,
  stopStarting: AbortSignal,
): Promise<PoolResult<Value>[]> {
  const results: PoolResult<Value>[] = items.map(() => ({ status: 'notStarted' }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stopStarting.aborted) {
      const position = next++;
      try {
        results[position] = { status: 'done', value: await task(items[position], position) };
      } catch (error) {
        results[position] = { status: 'failed', error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** A gate for tasks that arrive one by one: at most `limit` run at once, the others wait their turn in order. */
export function createLimiter(limit: number): <Value>(task: () => Promise<Value>) => Promise<Value> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await task();
    } finally {
      // The turn passes straight to the next task waiting, so `running` stays as it is.
      const next = waiting.shift();
      if (next) {
        next();
      } else {
        running--;
      }
    }
  };
}
