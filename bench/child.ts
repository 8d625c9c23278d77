/**
 * One measured run, in a fresh process: one tiny request first (module loading, WebAssembly compiling
 * and JIT warm-up happen while the real API is still generating, so they are not measured), then the
 * case itself. Prints the measurement and what landed on disk as one JSON line.
 */

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmbeddedMetadata } from '../src/core/image/imageMetadata';
import { generateAllMissingImages, markdownWithMissingImages } from './batch';
import { WARM_UP_PROMPT, type BatchTask, type ChildTask, type Measurement } from './cases';
import { measure } from './memory';
import { VARIANT_RUNS, type Job } from './variants';

type Measured = Measurement & { files: number; bytes: number };

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2]) as ChildTask | BatchTask;
  const measured = 'variant' in task ? await measureCase(task) : await measureBatch(task);
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

async function measureCase(task: ChildTask): Promise<Measured> {
  const run = VARIANT_RUNS[task.variant];
  const { tier, n, responseFormat, stream = false } = task.benchCase;
  const job: Job = {
    baseUrl: task.baseUrl,
    origin: task.origin,
    folder: task.folder,
    tier,
    n,
    responseFormat,
    stream,
    prompt: 'a lighthouse at dusk',
    served: tier,
  };
  await run({ ...job, folder: task.warmUpFolder, n: 1, prompt: WARM_UP_PROMPT, served: 'warm-up' });
  const measurement = await measure(() => run(job));
  const files = readdirSync(task.folder);
  const bytes = files.reduce((total, file) => total + statSync(join(task.folder, file)).size, 0);
  return { ...measurement, files: files.length, bytes };
}

/**
 * The batch warms up with a document of one link, then makes the case's document. `files` counts the
 * images saved under the names their links give, each with its own prompt embedded.
 */
async function measureBatch(task: BatchTask): Promise<Measured> {
  const { links, concurrency } = task.batchCase;
  const prompt = (index: number): string => `a lighthouse at dusk, view ${index + 1}`;
  const warmUp = writeDocument(
    task.warmUpFolder,
    markdownWithMissingImages(1, () => WARM_UP_PROMPT),
  );
  await generateAllMissingImages(warmUp.path, warmUp.text, task.baseUrl, concurrency);
  // Not measured: the extension has the open document's text at hand.
  const document = writeDocument(task.folder, markdownWithMissingImages(links, prompt));
  let saved: string[] = [];
  const measurement = await measure(async () => {
    saved = await generateAllMissingImages(document.path, document.text, task.baseUrl, concurrency);
  });
  const expected = Array.from({ length: links }, (_, index) => join(task.folder, 'images', `figure-${index + 1}.png`));
  const files = expected.filter(
    (file, index) => saved.includes(file) && readEmbeddedMetadata(readFileSync(file))?.prompt === prompt(index),
  );
  const bytes = saved.reduce((total, file) => total + statSync(file).size, 0);
  return { ...measurement, files: files.length, bytes };
}

function writeDocument(folder: string, text: string): { path: string; text: string } {
  const path = join(folder, 'missing-images.md');
  writeFileSync(path, text);
  return { path, text };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
