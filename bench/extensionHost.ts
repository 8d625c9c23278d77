/**
 * The extension host of a real VS Code (code-server, as the end-to-end tests run it) while the installed
 * .vsix makes four 3K `b64_json` images through the command palette, against the bench server: how far
 * its resident memory rises above what it held just before, for the first generation of a fresh host
 * (the engine loaded then) and for the next. The host is another process: its peak is the kernel's
 * (VmHWM in /proc/PID/status), reset just before each generation, or its resident size sampled.
 */

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, newWorkbenchPage } from '../test/realVscode/browser';
import { startCodeServer } from '../test/realVscode/codeServer';
import { fillInput, runCommand, waitForNotification, waitForWorkbench } from '../test/realVscode/e2e/ui';
import { setApiKey } from '../test/realVscode/e2e/steps';
import { vsixPath } from '../test/realVscode/paths';
import { createScratchWorkspace, freshRunDir } from '../test/realVscode/runFolder';
import { waitUntil } from '../test/realVscode/wait';
import { IMAGES, type BenchCase, type Tier } from './cases';
import { median } from './report';
import { BenchServer } from './server';

/** What the extension host is asked for: the `b64_json` n=4 case of the benchmark. */
export const EXTENSION_HOST_CASE = { tier: '3K', n: 4, responseFormat: 'b64_json' } as const satisfies Pick<
  BenchCase,
  'tier' | 'n' | 'responseFormat'
>;

/** Each run starts a fresh code-server, so each has a cold generation. */
const RUNS = 5;
const GENERATION_TIMEOUT_MS = 180_000;
const WORKBENCH_TIMEOUT_MS = 120_000;
/** The resident size counts as settled once two readings this far apart differ by less than SETTLED_BYTES. */
const SETTLE_INTERVAL_MS = 500;
const SETTLED_BYTES = 1024 * 1024;
const SETTLE_TIMEOUT_MS = 20_000;

export interface ExtensionHostResult {
  /** Medians over the runs, of the peak RSS growth of the extension host. */
  readonly coldMb: number;
  readonly warmMb: number;
  /** Each run's first generation, in the order run: the spread is wide. */
  readonly coldRunsMb: readonly number[];
  /** The extension host's resident size before the first generation (the extension active). */
  readonly baselineMb: number;
  readonly runs: number;
  readonly memoryMethod: string;
}

export async function measureExtensionHost(images: Readonly<Record<Tier, Buffer>>, warmUp: Buffer): Promise<ExtensionHostResult> {
  const server = await BenchServer.start(images, warmUp, [EXTENSION_HOST_CASE]);
  const runs: { cold: number; warm: number; baseline: number; method: string }[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      runs.push(await measureOnce(server));
    }
  } finally {
    await server.close();
  }
  const mb = (bytes: number): number => bytes / 1024 / 1024;
  return {
    coldMb: mb(median(runs.map((run) => run.cold))),
    warmMb: mb(median(runs.map((run) => run.warm))),
    coldRunsMb: runs.map((run) => mb(run.cold)),
    baselineMb: mb(median(runs.map((run) => run.baseline))),
    runs: RUNS,
    memoryMethod: runs[0].method,
  };
}

async function measureOnce(api: BenchServer): Promise<{ cold: number; warm: number; baseline: number; method: string }> {
  const runDir = freshRunDir('bench-extension-host');
  const workspace = createScratchWorkspace(join(runDir, 'workspace'));
  const { model, format } = IMAGES[EXTENSION_HOST_CASE.tier];
  const codeServer = await startCodeServer({
    runDir,
    vsix: vsixPath,
    userSettings: {
      'seedream.baseUrl': api.baseUrl,
      'seedream.model': model,
      'seedream.size': EXTENSION_HOST_CASE.tier,
      'seedream.outputFormat': format,
      'seedream.n': EXTENSION_HOST_CASE.n,
      'seedream.responseFormat': EXTENSION_HOST_CASE.responseFormat,
    },
  });
  const browser = await launchBrowser();
  try {
    const page = await newWorkbenchPage(browser, join(runDir, 'browser-console.log'));
    // A bench may run on a busy machine: the workbench gets longer to load than a test's page.
    await page.goto(codeServer.workbenchUrl(workspace), { timeout: WORKBENCH_TIMEOUT_MS });
    await waitForWorkbench(page, WORKBENCH_TIMEOUT_MS);
    // Activates the extension (its host bundle, not the engine) and keeps the key for the bench server.
    await setApiKey(page, 'sk-bench');
    const host = await extensionHostPid(codeServer.processGroup);
    const probe = peakProbe(host);
    const baseline = await settledRss(host);
    const cold = await generation(page, workspace, probe, baseline, 'a lighthouse at dusk');
    const warm = await generation(page, workspace, probe, await settledRss(host), 'a lighthouse at dawn');
    return { cold, warm, baseline, method: probe.method };
  } finally {
    await browser.close();
    await codeServer.stop();
  }
}

/** One generation from the command palette; the peak RSS growth of the extension host above `before`. */
async function generation(page: Page, workspace: string, probe: PeakProbe, before: number, prompt: string): Promise<number> {
  probe.reset();
  await runCommand(page, 'Seedream: Generate Image');
  await fillInput(page, prompt);
  const slug = prompt.replace(/ /g, '-');
  await waitForNotification(page, `${EXTENSION_HOST_CASE.n} images saved to images: ${slug}`, GENERATION_TIMEOUT_MS);
  const saved = readdirSync(join(workspace, 'images')).filter((name) => name.startsWith(slug));
  if (saved.length !== EXTENSION_HOST_CASE.n) {
    throw new Error(`the extension host saved ${saved.length} of ${EXTENSION_HOST_CASE.n} images: ${saved.join(', ')}`);
  }
  return Math.max(0, probe.peak() - before);
}

/** The extension host in the server's process group (started when the window connects). */
async function extensionHostPid(processGroup: number): Promise<number> {
  let found: number | undefined;
  await waitUntil('the extension host process', 60_000, () => {
    found = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .find((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          // The fifth field after the command's closing parenthesis is the process group.
          const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
          return group === processGroup && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=extensionHost');
        } catch {
          return false; // gone meanwhile
        }
      });
    return found !== undefined;
  });
  return found!;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) {
    throw new Error(`no ${field} for process ${pid}`);
  }
  return Number(match[1]) * 1024;
}

/** The extension host's resident size once it has stopped moving (what it holds between generations). */
async function settledRss(pid: number): Promise<number> {
  let last = statusKb(pid, 'VmRSS');
  await waitUntil('the extension host memory to settle', SETTLE_TIMEOUT_MS, async () => {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_INTERVAL_MS));
    const now = statusKb(pid, 'VmRSS');
    const settled = Math.abs(now - last) < SETTLED_BYTES;
    last = now;
    return settled;
  });
  return last;
}

interface PeakProbe {
  readonly method: string;
  /** Starts a new peak from the resident size now. */
  reset(): void;
  /** The highest resident size since the reset. */
  peak(): number;
}

/** The kernel's peak where it can be reset for another process; else the resident size sampled every 10 ms. */
function peakProbe(pid: number): PeakProbe {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // "5" resets the peak to the current resident size
    return {
      method: 'VmHWM of the extension host, the kernel-kept peak RSS, reset just before each generation',
      reset: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
      peak: () => statusKb(pid, 'VmHWM'),
    };
  } catch {
    let highest = 0;
    let timer: NodeJS.Timeout | undefined;
    return {
      method: 'VmRSS of the extension host, sampled every 10 ms',
      reset: () => {
        clearInterval(timer);
        highest = statusKb(pid, 'VmRSS');
        timer = setInterval(() => (highest = Math.max(highest, statusKb(pid, 'VmRSS'))), 10);
      },
      peak: () => {
        clearInterval(timer);
        return Math.max(highest, statusKb(pid, 'VmRSS'));
      },
    };
  }
}
