// Stops what a launcher started (code-server's process group, the browser) however the launcher ends:
// normally, on an error, on Ctrl+C or SIGTERM, or at process exit.

type Cleanup = {
  /** Awaited on a normal stop and on SIGINT/SIGTERM. */
  async: () => Promise<void>;
  /** Last resort at process exit, where nothing can be awaited. */
  sync: () => void;
};

const pending = new Set<Cleanup>();
let handlersInstalled = false;

/** Registers a cleanup; call the returned function to run it early (it then runs only once). */
export function registerCleanup(cleanup: Cleanup): () => Promise<void> {
  installHandlers();
  pending.add(cleanup);
  return async () => {
    if (!pending.delete(cleanup)) return;
    await cleanup.async();
  };
}

export async function cleanupAll(): Promise<void> {
  const cleanups = [...pending].reverse();
  pending.clear();
  for (const cleanup of cleanups) {
    await cleanup.async().catch((error: unknown) => console.error('[cleanup]', error));
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const cleanup of pending) cleanup.sync();
  });
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`[cleanup] ${signal}: stopping code-server and the browser`);
      void cleanupAll().finally(() => process.exit(exitCode));
    });
  }
}

/** Runs a launcher's `main`, stops everything it started, and exits with its code (1 after an error, shown with `tag`). */
export function runLauncher(tag: string, main: () => Promise<number>): void {
  main()
    .catch((error: unknown) => {
      console.error(`[${tag}] ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    })
    .then(async (exitCode) => {
      await cleanupAll();
      process.exit(exitCode);
    });
}
