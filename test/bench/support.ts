/** Shared measuring helpers for the benchmarks (never used by tests). */

/** Latency percentiles and throughput of a load run. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Runs `concurrency` loops calling `request` for `seconds`, bounded in time and count, and
 * returns throughput and latency percentiles in milliseconds.
 */
export async function load(
  request: () => Promise<Response>,
  options: { seconds: number; concurrency: number; maxRequests?: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const max = options.maxRequests ?? 1_000_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && latencies.length + errors < max) {
        const t = performance.now();
        try {
          const response = await request();
          await response.arrayBuffer();
          if (response.ok) latencies.push(performance.now() - t);
          else errors += 1;
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** Resident set size of a process in MiB, from /proc. */
export function rssMiB(pid: number = process.pid): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const match = status.match(/VmRSS:\s+(\d+) kB/);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Peak resident set size of a process in MiB (VmHWM). */
export function peakRssMiB(pid: number = process.pid): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const match = status.match(/VmHWM:\s+(\d+) kB/);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Prints one aligned result line. */
export function report(label: string, value: string): void {
  console.log(`${label.padEnd(48)} ${value}`);
}

/** Formats a number with fixed decimals. */
export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
