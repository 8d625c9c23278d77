/** What the benchmark measures: its cases, the three ways of getting their images to disk, and what a run reports. */

export type Tier = '2K' | '3K' | '4K';
export type ResponseFormat = 'url' | 'b64_json';

/** ours: this extension's pipeline; floor: plain HTTP streamed to a file; sdk: the `openai` package and `fs.writeFile`. */
export const VARIANTS = ['ours', 'floor', 'sdk'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface BenchCase {
  readonly name: string;
  readonly tier: Tier;
  readonly n: number;
  readonly responseFormat: ResponseFormat;
  /** How long the image host waits before answering each download; 0 (none) unless given. */
  readonly firstByteMs?: number;
  /** Asks for the images as Server-Sent Events (`stream: true`), as the provider sends them. */
  readonly stream?: boolean;
}

export const CASES: readonly BenchCase[] = [
  { name: '3K PNG, n=1, url', tier: '3K', n: 1, responseFormat: 'url' },
  { name: '3K PNG, n=4, url', tier: '3K', n: 4, responseFormat: 'url' },
  { name: '3K PNG, n=1, b64_json', tier: '3K', n: 1, responseFormat: 'b64_json' },
  { name: '3K PNG, n=4, b64_json', tier: '3K', n: 4, responseFormat: 'b64_json' },
  // The same images as Server-Sent Events, each with its own event.
  { name: '3K PNG, n=1, b64_json, stream', tier: '3K', n: 1, responseFormat: 'b64_json', stream: true },
  { name: '3K PNG, n=1, url, stream', tier: '3K', n: 1, responseFormat: 'url', stream: true },
  { name: '2K PNG, n=1, url', tier: '2K', n: 1, responseFormat: 'url' },
  { name: '4K JPEG, n=1, url', tier: '4K', n: 1, responseFormat: 'url' },
  // As an image host over a real network does: each download waits a while before its first byte.
  { name: '3K PNG, n=1, url, 300 ms to first byte', tier: '3K', n: 1, responseFormat: 'url', firstByteMs: 300 },
  { name: '3K PNG, n=4, url, 300 ms to first byte', tier: '3K', n: 4, responseFormat: 'url', firstByteMs: 300 },
];

export interface ImageSpec {
  /** The model that makes this size and format, so the extension's own checks accept the request. */
  readonly model: string;
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
}

/** Pixel noise makes every image as large as its format gets at that size: the worst case. */
export const IMAGES: Readonly<Record<Tier, ImageSpec>> = {
  '2K': { model: 'seedream-5-0-260128', format: 'png', width: 2048, height: 2048 },
  '3K': { model: 'seedream-5-0-260128', format: 'png', width: 3072, height: 3072 },
  '4K': { model: 'seedream-4-5-251128', format: 'jpeg', width: 4096, height: 4096 },
};

/**
 * Generate All Missing Images: one Markdown file with `links` links to images that do not exist yet, made
 * `concurrency` at a time as the extension makes them, each generation request answered after `latencyMs`
 * (the download of the image is not delayed). Ours only: the floor and the SDK have no batch to compare.
 */
export interface BatchCase {
  readonly name: string;
  readonly links: number;
  readonly concurrency: number;
  readonly latencyMs: number;
}

/** The batch of 3 takes one round, so its memory is the baseline that "flat" means for the batch of 12. */
export const BATCH_CASES: readonly BatchCase[] = [
  { name: 'Batch 12 @3, smooth 2K PNG, url, 1 s latency', links: 12, concurrency: 3, latencyMs: 1000 },
  { name: 'Batch 3 @3, smooth 2K PNG, url, 1 s latency', links: 3, concurrency: 3, latencyMs: 1000 },
];

/** What each link of a batch asks for, as the extension's default settings do: one 2K image by url. */
export const BATCH_REQUEST = { tier: '2K', n: 1, responseFormat: 'url' } as const satisfies Pick<
  BenchCase,
  'tier' | 'n' | 'responseFormat'
>;

/** Rounds of `concurrency` requests: how many latencies a batch waits through at the least. */
export function batchRounds({ links, concurrency }: BatchCase): number {
  return Math.ceil(links / concurrency);
}

/** A request with this prompt gets a tiny image: each process warms up with one before it is measured. */
export const WARM_UP_PROMPT = 'warm-up';

/** Where the bench server serves image `index` of a tier (or of the warm-up). */
export function imageUrl(origin: string, name: Tier | 'warm-up', index: number): string {
  const extension = name === 'warm-up' || IMAGES[name].format === 'png' ? 'png' : 'jpg';
  return `${origin}/files/${name}/${index}.${extension}`;
}

/** What the parent asks a child process to measure. */
export interface ChildTask {
  readonly variant: Variant;
  readonly benchCase: BenchCase;
  /** The images API, `{origin}/v1`. */
  readonly baseUrl: string;
  readonly origin: string;
  /** An empty folder for the files, and one for the warm-up's. */
  readonly folder: string;
  readonly warmUpFolder: string;
}

/** What the parent asks a child process to measure for a batch case (always ours). */
export interface BatchTask {
  readonly batchCase: BatchCase;
  readonly baseUrl: string;
  /** An empty folder for the Markdown file (its images go under it), and one for the warm-up's. */
  readonly folder: string;
  readonly warmUpFolder: string;
}

export interface Measurement {
  /** From the request to the last file on disk. */
  readonly ms: number;
  /**
   * CPU time of the process during the run (user + system, every thread): on a machine shared with other
   * work the wall time depends on the load, this much less.
   */
  readonly cpuMs: number;
  /** Peak resident memory during the run minus the resident memory just before it. */
  readonly rssGrowthBytes: number;
  /** How the peak was found. */
  readonly memoryMethod: string;
}
