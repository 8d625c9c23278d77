/** Turns the measurements into the table (Markdown, as the README shows it) and checks the targets. */

import { BATCH_CASES, batchRounds, CASES, type BatchCase, type BenchCase, type Measurement, type Variant } from './cases';
import type { ExtensionHostResult } from './extensionHost';

export interface CaseResult {
  readonly benchCase: BenchCase;
  /** Median over the runs of each variant. */
  readonly ms: Readonly<Record<Variant, number>>;
  /** CPU time of the process (user + system), median over the runs: the load of the machine moves it less than the wall time. */
  readonly cpuMs: Readonly<Record<Variant, number>>;
  readonly rssGrowthMb: Readonly<Record<Variant, number>>;
}

/** A batch case: ours only, against the time it would take with nothing but the API's latency. */
export interface BatchResult {
  readonly batchCase: BatchCase;
  /** Rounds of `concurrency` requests times the latency. */
  readonly idealMs: number;
  /** Medians over the runs. */
  readonly ms: number;
  readonly rssGrowthMb: number;
}

export interface Sizes {
  readonly hostBundleKb: number;
  readonly engineBundleKb: number;
  readonly webviewBundleKb?: number;
  readonly vsixKb: number;
}

export interface Report {
  readonly cases: readonly CaseResult[];
  readonly batches: readonly BatchResult[];
  readonly activationMs: number;
  readonly engineLoadedAtActivation: boolean;
  /** Loading dist/engine.js after activation, as the first generation does; reported, no target. */
  readonly engineLoadMs: number;
  readonly sizes: Sizes;
  /** The extension host of a real VS Code making the images. */
  readonly extensionHost: ExtensionHostResult;
}

/** NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarise(benchCase: BenchCase, runs: Readonly<Record<Variant, readonly Measurement[]>>): CaseResult {
  const per = (value: (measurement: Measurement) => number): Record<Variant, number> => ({
    ours: median(runs.ours.map(value)),
    floor: median(runs.floor.map(value)),
    sdk: median(runs.sdk.map(value)),
  });
  return {
    benchCase,
    ms: per((run) => run.ms),
    cpuMs: per((run) => run.cpuMs),
    rssGrowthMb: per((run) => run.rssGrowthBytes / 1024 / 1024),
  };
}

export function summariseBatch(batchCase: BatchCase, runs: readonly Measurement[]): BatchResult {
  return {
    batchCase,
    idealMs: batchRounds(batchCase) * batchCase.latencyMs,
    ms: median(runs.map((run) => run.ms)),
    rssGrowthMb: median(runs.map((run) => run.rssGrowthBytes / 1024 / 1024)),
  };
}

/** The batch cases have no floor or SDK: their columns show `-`. */
export function table(results: readonly CaseResult[], batches: readonly BatchResult[] = []): string {
  const rows = results.map(({ benchCase, ms, rssGrowthMb: mb }) =>
    [
      benchCase.name,
      ...[ms.ours, ms.floor, ms.sdk].map((value) => fixed(value, 0)),
      ratio(ms.ours, ms.floor),
      ratio(ms.ours, ms.sdk),
      ...[mb.ours, mb.floor, mb.sdk].map((value) => fixed(value, 1)),
      ratio(mb.ours, mb.floor),
      ratio(mb.ours, mb.sdk),
    ].join(' | '),
  );
  const batchRows = batches.map(({ batchCase, ms, rssGrowthMb }) =>
    [batchCase.name, ms.toFixed(0), '-', '-', '-', '-', rssGrowthMb.toFixed(1), '-', '-', '-', '-'].join(' | '),
  );
  return [
    '| Case | Ours ms | Floor ms | SDK ms | Time ours/floor | Time ours/SDK | Ours MB | Floor MB | SDK MB | MB ours/floor | MB ours/SDK |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...rows, ...batchRows].map((row) => `| ${row} |`),
  ].join('\n');
}

/** One line per batch case: its median wall time against the ideal, and its memory. */
export function batchLines(batches: readonly BatchResult[]): string[] {
  return batches.map(({ batchCase, idealMs, ms, rssGrowthMb }) => {
    const rounds = batchRounds(batchCase);
    const ideal = `${idealMs} ms (${rounds} round${rounds === 1 ? '' : 's'} x ${batchCase.latencyMs / 1000} s)`;
    return `${batchCase.name}: wall ${ms.toFixed(0)} ms, ideal ${ideal}, ratio ${ratio(ms, idealMs)}; peak RSS growth ${rssGrowthMb.toFixed(1)} MB`;
  });
}

/** n=4 against n=1 for the `url` cases whose downloads wait before their first byte, as a real image host's do. */
export function parallelDownloadsLine(report: Report): string | undefined {
  const delayed = report.cases.filter((result) => result.benchCase.firstByteMs && result.benchCase.responseFormat === 'url');
  const one = delayed.find((result) => result.benchCase.n === 1);
  const four = delayed.find((result) => result.benchCase.n === 4);
  if (!one || !four) {
    return undefined;
  }
  const ms = (result: CaseResult): string => `${result.ms.ours.toFixed(0)} ms`;
  return `With ${one.benchCase.firstByteMs} ms to each download's first byte: n=4 url ${ms(four)} = ${ratio(four.ms.ours, one.ms.ours)} x n=1 (${ms(one)}); floor ${ratio(four.ms.floor, one.ms.floor)} x`;
}

/** Each stream case with the case that asks for the same images in one JSON body. */
function streamPairs(report: Pick<Report, 'cases'>): { readonly stream: CaseResult; readonly plain: CaseResult }[] {
  const key = ({ tier, n, responseFormat, firstByteMs = 0 }: BenchCase): string => `${tier} ${n} ${responseFormat} ${firstByteMs}`;
  return report.cases.flatMap((stream) => {
    const plain = stream.benchCase.stream
      ? report.cases.find((other) => !other.benchCase.stream && key(other.benchCase) === key(stream.benchCase))
      : undefined;
    return plain ? [{ stream, plain }] : [];
  });
}

/** One line per stream case: ours (and the floor) with the events against one JSON body, in time and memory. */
export function streamLines(report: Pick<Report, 'cases'>): string[] {
  return streamPairs(report).map(
    ({ stream, plain }) =>
      `${stream.benchCase.name}: ours ${stream.ms.ours.toFixed(0)} ms = ${ratio(stream.ms.ours, plain.ms.ours)} x without stream (${plain.ms.ours.toFixed(0)} ms; floor ${ratio(stream.ms.floor, plain.ms.floor)} x), ` +
      `CPU ${stream.cpuMs.ours.toFixed(0)} ms = ${ratio(stream.cpuMs.ours, plain.cpuMs.ours)} x (${plain.cpuMs.ours.toFixed(0)} ms), ` +
      `peak RSS growth ${stream.rssGrowthMb.ours.toFixed(1)} MB = ${ratio(stream.rssGrowthMb.ours, plain.rssGrowthMb.ours)} x`,
  );
}

/** The extension host's first generation (each run's, and their median) and the next one. */
export function extensionHostLine(host: ExtensionHostResult): string {
  return (
    `Extension host of code-server (the .vsix installed, ${host.runs} fresh servers), 4 3K b64_json images from the command palette: ` +
    `first generation (the engine loaded then) +${host.coldMb.toFixed(1)} MB (runs: ${host.coldRunsMb.map((mb) => mb.toFixed(1)).join(', ')}), ` +
    `next +${host.warmMb.toFixed(1)} MB; peak RSS growth above ${host.baselineMb.toFixed(0)} MB (${host.memoryMethod})`
  );
}

/** Each target of the performance issue with whether this run met it. */
export function targets(report: Report): { readonly target: string; readonly measured: string; readonly met: boolean }[] {
  const byName = (name: string): CaseResult => report.cases.find((result) => result.benchCase.name === name)!;
  const n1Url = byName(CASES[0].name);
  const n4Url = byName(CASES[1].name);
  const n4B64 = byName(CASES[3].name);
  const worst = (value: (result: CaseResult) => number): CaseResult => report.cases.reduce((a, b) => (value(b) > value(a) ? b : a));
  const floorWorst = worst((result) => result.ms.ours / result.ms.floor);
  const sdkWorst = worst((result) => result.ms.ours / result.ms.sdk);
  const { sizes } = report;
  const hostKb = sizes.hostBundleKb + sizes.engineBundleKb;
  const batch12 = report.batches.find((result) => result.batchCase.name === BATCH_CASES[0].name)!;
  const batch3 = report.batches.find((result) => result.batchCase.name === BATCH_CASES[1].name)!;
  return [
    {
      target: 'time ours/floor <= 1.15, every case',
      measured: `worst ${ratio(floorWorst.ms.ours, floorWorst.ms.floor)} (${floorWorst.benchCase.name})`,
      met: floorWorst.ms.ours <= 1.15 * floorWorst.ms.floor,
    },
    {
      target: 'time ours <= SDK, every case',
      measured: `worst ${ratio(sdkWorst.ms.ours, sdkWorst.ms.sdk)} (${sdkWorst.benchCase.name})`,
      met: sdkWorst.ms.ours <= sdkWorst.ms.sdk,
    },
    { target: 'n=4 url <= 1.5 x n=1 url', measured: `${ratio(n4Url.ms.ours, n1Url.ms.ours)} x`, met: n4Url.ms.ours <= 1.5 * n1Url.ms.ours },
    {
      target: 'b64_json n=4 3K peak RSS growth <= 0.5 x SDK and <= 64 MB',
      measured: `${n4B64.rssGrowthMb.ours.toFixed(1)} MB = ${ratio(n4B64.rssGrowthMb.ours, n4B64.rssGrowthMb.sdk)} x SDK`,
      met: n4B64.rssGrowthMb.ours <= 0.5 * n4B64.rssGrowthMb.sdk && n4B64.rssGrowthMb.ours <= 64,
    },
    {
      target: `batch ${batch12.batchCase.links} @${batch12.batchCase.concurrency} wall <= 1.15 x ideal`,
      measured: `${batch12.ms.toFixed(0)} ms = ${ratio(batch12.ms, batch12.idealMs)} x ${batch12.idealMs} ms`,
      met: batch12.ms <= 1.15 * batch12.idealMs,
    },
    {
      target: `batch memory flat: peak RSS growth for ${batch12.batchCase.links} links <= 1.25 x for ${batch3.batchCase.links}`,
      measured: `${batch12.rssGrowthMb.toFixed(1)} MB vs ${batch3.rssGrowthMb.toFixed(1)} MB = ${ratio(batch12.rssGrowthMb, batch3.rssGrowthMb)} x`,
      met: batch12.rssGrowthMb <= 1.25 * batch3.rssGrowthMb,
    },
    ...streamPairs(report).map(({ stream, plain }) => ({
      target: `time ours stream/no-stream <= 1.15, ${stream.benchCase.name}`,
      measured: `${ratio(stream.ms.ours, plain.ms.ours)} (${stream.ms.ours.toFixed(0)} ms vs ${plain.ms.ours.toFixed(0)} ms)`,
      met: stream.ms.ours <= 1.15 * plain.ms.ours,
    })),
    {
      target: 'extension host, 4 3K b64_json images, first generation (engine loaded): peak RSS growth <= 48 MB',
      measured: `${report.extensionHost.coldMb.toFixed(1)} MB (the next generation: ${report.extensionHost.warmMb.toFixed(1)} MB)`,
      met: report.extensionHost.coldMb <= 48,
    },
    {
      target: 'activation <= 15 ms',
      measured: `${report.activationMs.toFixed(1)} ms (engine loaded: ${report.engineLoadedAtActivation ? 'yes' : 'no'})`,
      met: report.activationMs <= 15 && !report.engineLoadedAtActivation,
    },
    {
      target: 'host bundle <= 250 KB minified',
      measured: `${hostKb.toFixed(1)} KB (extension.js ${sizes.hostBundleKb.toFixed(1)} + engine.js ${sizes.engineBundleKb.toFixed(1)})`,
      met: hostKb <= 250,
    },
    { target: '.vsix <= 400 KB', measured: `${sizes.vsixKb.toFixed(1)} KB`, met: sizes.vsixKb <= 400 },
  ];
}

function ratio(ours: number, other: number): string {
  return other > 0 ? (ours / other).toFixed(2) : '-';
}

/** A median, or `-` for a variant that was not run (`npm run bench -- stream` leaves the SDK out). */
function fixed(value: number, digits: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(digits);
}
