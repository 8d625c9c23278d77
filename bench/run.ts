/**
 * `npm run bench`: packages the extension, serves real-sized images on 127.0.0.1 and measures every case
 * with each variant in fresh processes, then the batch cases (ours, against a server that takes a while
 * to generate), then the extension host of a real VS Code (code-server) making images, then prints the
 * medians with their ratios, the activation cost and the package sizes, and writes them as JSON into
 * bench/results/.
 */

import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import {
  BATCH_CASES,
  BATCH_REQUEST,
  CASES,
  VARIANTS,
  type BatchCase,
  type BatchTask,
  type BenchCase,
  type ChildTask,
  type Measurement,
  type Tier,
  type Variant,
} from './cases';
import { measureExtensionHost } from './extensionHost';
import { batchImage, CACHE_DIR, loadImage, warmUpImage } from './fixtures';
import {
  batchLines,
  extensionHostLine,
  median,
  parallelDownloadsLine,
  streamLines,
  summarise,
  summariseBatch,
  table,
  targets,
  type BatchResult,
  type CaseResult,
  type Report,
  type Sizes,
} from './report';
import { BenchServer } from './server';
import { editLines, editTargets, measureEdit, type EditResult } from './edit';

const RUNS = 5;
const ACTIVATION_RUNS = 9;
const ROOT = join(__dirname, '..');
const PROBES_DIR = join(CACHE_DIR, 'build');
/** The packaged bundles, copied at once: a build started meanwhile (tests, watch) would replace dist/. */
const DIST_COPY = join(CACHE_DIR, 'dist');
const run = promisify(execFile);

/** The load average (1, 5, 15 minutes) as the run starts and as it ends: the machine may be shared. */
interface LoadAverages {
  readonly atStart: readonly number[];
  atEnd?: readonly number[];
}

async function main(): Promise<void> {
  const load: LoadAverages = { atStart: loadavg() };
  if (process.argv[2] === 'edit') {
    // `npm run bench -- edit`: only the edit case.
    await buildProbes();
    const edit = await measureEdit(RUNS, PROBES_DIR);
    load.atEnd = loadavg();
    printEdit(edit);
    printLoad(load);
    save('edit', { edit, targets: editTargets(edit) }, load);
    return;
  }
  if (process.argv[2] === 'stream') {
    // `npm run bench -- stream`: only the cases that stream and the same cases without it, ours and the
    // floor (the SDK reads a streamed 3K b64_json image for minutes of CPU).
    await buildProbes();
    const { cases } = await measureCases(
      CASES.filter((benchCase) => CASES.some((other) => other.stream && sameImages(other, benchCase))),
      ['ours', 'floor'],
    );
    load.atEnd = loadavg();
    console.log(`\n${table(cases)}\n`);
    streamLines({ cases }).forEach((line) => console.log(line));
    printLoad(load);
    save('stream', { cases }, load);
    return;
  }
  console.log('Packaging the extension (npm run package)…');
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (process.argv[2] === 'extension-host') {
    // `npm run bench -- extension-host`: only the extension host of code-server.
    const extensionHost = await measureExtensionHost(allImages(), warmUpImage());
    load.atEnd = loadavg();
    console.log(extensionHostLine(extensionHost));
    printLoad(load);
    save('extension-host', { extensionHost }, load);
    return;
  }
  rmSync(DIST_COPY, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), DIST_COPY, { recursive: true });
  const sizes = packageSizes();
  await buildProbes();
  const images = allImages();
  const { cases, memoryMethod } = await measureCases(CASES);
  const batches = await measureBatches(images);
  const edit = await measureEdit(RUNS, PROBES_DIR);
  console.log('Extension host of code-server making the images (a fresh one per run)…');
  const extensionHost = await measureExtensionHost(images, warmUpImage());
  // Measured last, away from the packaging's burst of disk and CPU work.
  const activation = await measureActivation();
  load.atEnd = loadavg();
  const report: Report = {
    cases,
    batches,
    activationMs: activation.ms,
    engineLoadedAtActivation: activation.engineLoaded,
    engineLoadMs: activation.engineLoadMs,
    sizes,
    extensionHost,
  };
  print(report, memoryMethod);
  printEdit(edit);
  printLoad(load);
  save('bench', { memoryMethod, ...report, edit, targets: [...targets(report), ...editTargets(edit)] }, load);
}

/** A stream case and the case that asks for the same images in one JSON body. */
function sameImages(a: BenchCase, b: BenchCase): boolean {
  return a.tier === b.tier && a.n === b.n && a.responseFormat === b.responseFormat && (a.firstByteMs ?? 0) === (b.firstByteMs ?? 0);
}

/** Each case with each variant in fresh processes, against one server per download delay the cases ask for. */
async function measureCases(
  selected: readonly BenchCase[],
  variants: readonly Variant[] = VARIANTS,
): Promise<{ cases: CaseResult[]; memoryMethod: string }> {
  const images = allImages();
  const delays = [...new Set(selected.map((benchCase) => benchCase.firstByteMs ?? 0))];
  const servers = new Map(
    await Promise.all(
      delays.map(async (firstByteMs) => {
        const served = selected.filter((benchCase) => (benchCase.firstByteMs ?? 0) === firstByteMs);
        return [firstByteMs, await BenchServer.start(images, warmUpImage(), served, { firstByteMs })] as const;
      }),
    ),
  );
  const cases: CaseResult[] = [];
  let memoryMethod = '';
  try {
    for (const benchCase of selected) {
      const runs: Record<Variant, Measurement[]> = { ours: [], floor: [], sdk: [] };
      // Rounds alternate the variants, so a slow moment of the machine does not fall on one of them, and
      // each round starts with the next one, so none always follows the heaviest (the SDK's memory).
      for (let round = 0; round < RUNS; round++) {
        for (const variant of variants.map((_, i) => variants[(round + i) % variants.length])) {
          const measurement = await measureInChild(
            variant,
            benchCase,
            servers.get(benchCase.firstByteMs ?? 0)!,
            images[benchCase.tier].length,
          );
          memoryMethod = measurement.memoryMethod;
          runs[variant].push(measurement);
        }
      }
      cases.push(summarise(benchCase, runs));
      console.log(`  ${benchCase.name}: ours ${cases.at(-1)!.ms.ours.toFixed(0)} ms`);
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.close()));
  }
  return { cases, memoryMethod };
}

function printLoad(load: LoadAverages): void {
  const text = (values: readonly number[] | undefined): string => (values ?? []).map((value) => value.toFixed(2)).join(', ');
  console.log(`\nLoad average (1, 5, 15 min) at the start: ${text(load.atStart)}; at the end: ${text(load.atEnd)} (${cpus().length} CPUs)`);
}

function printEdit(edit: EditResult): void {
  console.log(`\nEdit (time to the request fully sent; MB: peak RSS growth):\n`);
  editLines(edit).forEach((line) => console.log(line));
  console.log('');
  for (const { target, measured, met } of editTargets(edit)) {
    console.log(`${met ? 'met   ' : 'MISSED'}  ${target}: ${measured}`);
  }
}

function allImages(): Record<Tier, Buffer> {
  return { '2K': loadImage('2K'), '3K': loadImage('3K'), '4K': loadImage('4K') };
}

/** The bench's short prompt makes a chunk of about 300 bytes. */
const MAX_PROVENANCE_BYTES = 1024;

async function measureInChild(variant: Variant, benchCase: BenchCase, server: BenchServer, imageBytes: number): Promise<Measurement> {
  const scratch = mkdtempSync(join(tmpdir(), 'seedream-bench-'));
  try {
    const task: ChildTask = {
      variant,
      benchCase,
      baseUrl: server.baseUrl,
      origin: server.origin,
      folder: join(scratch, 'run'),
      warmUpFolder: join(scratch, 'warm-up'),
    };
    mkdirSync(task.folder);
    mkdirSync(task.warmUpFolder);
    const { stdout } = await run(process.execPath, ['--expose-gc', join(PROBES_DIR, 'child.js'), JSON.stringify(task)], {
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout) as Measurement & { files: number; bytes: number };
    // The floor saves a b64_json response as the JSON itself; everything else saves the images, ours with
    // their provenance (a short JSON text chunk) added.
    const savesJson = variant === 'floor' && benchCase.responseFormat === 'b64_json';
    const provenanceBytes = variant === 'ours' ? result.bytes - benchCase.n * imageBytes : 0;
    if (
      savesJson
        ? result.files !== 1
        : result.files !== benchCase.n || provenanceBytes < 0 || provenanceBytes > benchCase.n * MAX_PROVENANCE_BYTES
    ) {
      throw new Error(`${variant}, ${benchCase.name}: ${result.files} files of ${result.bytes} bytes on disk`);
    }
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Each batch case against its own server with the case's latency; rounds alternate the cases, as they do the variants. */
async function measureBatches(images: Readonly<Record<Tier, Buffer>>): Promise<BatchResult[]> {
  const served = { ...images, [BATCH_REQUEST.tier]: batchImage() };
  const servers = await Promise.all(
    BATCH_CASES.map(({ latencyMs }) => BenchServer.start(served, warmUpImage(), [BATCH_REQUEST], { latencyMs })),
  );
  try {
    const runs = BATCH_CASES.map((): Measurement[] => []);
    for (let round = 0; round < RUNS; round++) {
      for (const [index, batchCase] of BATCH_CASES.entries()) {
        runs[index].push(await measureBatchInChild(batchCase, servers[index]));
      }
    }
    const results = BATCH_CASES.map((batchCase, index) => summariseBatch(batchCase, runs[index]));
    results.forEach((result) => console.log(`  ${result.batchCase.name}: ours ${result.ms.toFixed(0)} ms`));
    return results;
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

async function measureBatchInChild(batchCase: BatchCase, server: BenchServer): Promise<Measurement> {
  const scratch = mkdtempSync(join(tmpdir(), 'seedream-bench-'));
  try {
    const task: BatchTask = { batchCase, baseUrl: server.baseUrl, folder: join(scratch, 'run'), warmUpFolder: join(scratch, 'warm-up') };
    mkdirSync(task.folder);
    mkdirSync(task.warmUpFolder);
    const { stdout } = await run(process.execPath, ['--expose-gc', join(PROBES_DIR, 'child.js'), JSON.stringify(task)], {
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout) as Measurement & { files: number; bytes: number };
    if (result.files !== batchCase.links) {
      throw new Error(`${batchCase.name}: ${result.files} of ${batchCase.links} images saved as their links name them, with their prompts`);
    }
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface ActivationRun {
  readonly ms: number;
  readonly engineLoaded: boolean;
  readonly engineLoadMs: number;
}

async function measureActivation(): Promise<ActivationRun> {
  const runs: ActivationRun[] = [];
  for (let i = 0; i < ACTIVATION_RUNS; i++) {
    const { stdout } = await run(process.execPath, [join(PROBES_DIR, 'activation.js'), DIST_COPY]);
    runs.push(JSON.parse(stdout) as ActivationRun);
  }
  return {
    ms: median(runs.map((entry) => entry.ms)),
    engineLoaded: runs.some((entry) => entry.engineLoaded),
    engineLoadMs: median(runs.map((entry) => entry.engineLoadMs)),
  };
}

/** The child processes run plain JavaScript bundles of the probes, so no TypeScript loader is measured with them. */
async function buildProbes(): Promise<void> {
  await build({
    entryPoints: {
      child: join(__dirname, 'child.ts'),
      activation: join(__dirname, 'activation.ts'),
      editChild: join(__dirname, 'editChild.ts'),
    },
    outdir: PROBES_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

function packageSizes(): Sizes {
  const kb = (file: string): number => statSync(file).size / 1024;
  const webview = (() => {
    try {
      return kb(join(DIST_COPY, 'webview.js'));
    } catch {
      return undefined;
    }
  })();
  return {
    hostBundleKb: kb(join(DIST_COPY, 'extension.js')),
    engineBundleKb: kb(join(DIST_COPY, 'engine.js')),
    ...(webview !== undefined ? { webviewBundleKb: webview } : {}),
    vsixKb: kb(join(ROOT, 'seedream-studio.vsix')),
  };
}

function print(report: Report, memoryMethod: string): void {
  const { sizes } = report;
  console.log(
    `\nMedians of ${RUNS} runs, each in a fresh process (${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}). MB: peak RSS growth (${memoryMethod}).\n`,
  );
  console.log(table(report.cases, report.batches));
  console.log(
    `\nBatch (Generate All Missing Images, ours only; each generation request answered after its latency, downloads not delayed):`,
  );
  for (const line of batchLines(report.batches)) {
    console.log(`  ${line}`);
  }
  console.log(
    `\nActivation: ${report.activationMs.toFixed(1)} ms (median of ${ACTIVATION_RUNS} fresh processes); loading the engine at the first generation: ${report.engineLoadMs.toFixed(1)} ms`,
  );
  console.log(
    `Bundles: extension.js ${sizes.hostBundleKb.toFixed(1)} KB, engine.js ${sizes.engineBundleKb.toFixed(1)} KB (loaded at the first generation)` +
      `${sizes.webviewBundleKb !== undefined ? `, webview.js ${sizes.webviewBundleKb.toFixed(1)} KB` : ''}; .vsix ${sizes.vsixKb.toFixed(1)} KB\n`,
  );
  console.log(`${extensionHostLine(report.extensionHost)}\n`);
  console.log('Stream (Server-Sent Events) against one JSON body, same images:');
  for (const line of streamLines(report)) {
    console.log(`  ${line}`);
  }
  console.log('');
  const parallel = parallelDownloadsLine(report);
  if (parallel) {
    console.log(`${parallel}\n`);
  }
  for (const { target, measured, met } of targets(report)) {
    console.log(`${met ? 'met   ' : 'MISSED'}  ${target}: ${measured}`);
  }
}

/** Writes a run's results as JSON into bench/results/, named by what ran and when. */
function save(kind: string, results: Record<string, unknown>, load: LoadAverages): void {
  const folder = join(__dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    runs: RUNS,
    loadAverage: load,
  };
  writeFileSync(file, `${JSON.stringify({ environment, ...results }, null, 2)}\n`);
  console.log(`\nWritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
