/**
 * Times one run (wall clock, and the CPU time of the whole process: user and system, all its threads), and finds how far its resident memory rose above what the process held just before.
 * On Linux the kernel keeps the peak (VmHWM), reset for the run through /proc/self/clear_refs; elsewhere
 * the resident size is sampled every millisecond, which can miss a peak while the event loop is busy.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import type { Measurement } from './cases';

interface PeakProbe {
  readonly method: string;
  /** The highest resident size since the probe started, in bytes. */
  stop(): number;
}

export async function measure(run: () => Promise<void>): Promise<Measurement> {
  (globalThis as { gc?: () => void }).gc?.();
  const probe = kernelPeak() ?? sampledPeak();
  const before = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssGrowthBytes: Math.max(0, probe.stop() - before),
    memoryMethod: probe.method,
  };
}

function kernelPeak(): PeakProbe | undefined {
  try {
    writeFileSync('/proc/self/clear_refs', '5'); // "5" resets the peak to the current resident size
  } catch {
    return undefined;
  }
  return {
    method: 'VmHWM, the kernel-kept peak RSS, reset just before the run',
    stop: () => Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024,
  };
}

function sampledPeak(): PeakProbe {
  let highest = process.memoryUsage.rss();
  const timer = setInterval(() => {
    highest = Math.max(highest, process.memoryUsage.rss());
  }, 1);
  return {
    method: 'process.memoryUsage.rss() sampled every millisecond',
    stop: () => {
      clearInterval(timer);
      return Math.max(highest, process.memoryUsage.rss());
    },
  };
}
