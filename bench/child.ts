/**
 * One measured run, in a fresh process: one tiny request first (module loading, WebAssembly compiling
 * and JIT warm-up happen while the real API is still generating, so they are not measured), then the
 * case itself. Prints the measurement and what landed on disk as one JSON line.
 */

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WARM_UP_PROMPT, type ChildTask } from './cases';
import { measure } from './memory';
import { VARIANT_RUNS, type Job } from './variants';

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2]) as ChildTask;
  const run = VARIANT_RUNS[task.variant];
  const { tier, n, responseFormat } = task.benchCase;
  const job: Job = { baseUrl: task.baseUrl, origin: task.origin, folder: task.folder, tier, n, responseFormat, prompt: 'a lighthouse at dusk', served: tier };
  await run({ ...job, folder: task.warmUpFolder, n: 1, prompt: WARM_UP_PROMPT, served: 'warm-up' });
  const measurement = await measure(() => run(job));
  const files = readdirSync(task.folder);
  const bytes = files.reduce((total, file) => total + statSync(join(task.folder, file)).size, 0);
  process.stdout.write(`${JSON.stringify({ ...measurement, files: files.length, bytes })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
