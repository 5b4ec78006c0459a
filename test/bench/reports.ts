/**
 * Report builders at scale: PDF, CSV and HTML for 10,000 findings, each built in a fresh child
 * process so its peak RSS is its own. Prints one line per format and exits 1 when a target is
 * missed (PDF < 5 s, CSV < 0.5 s). Run with `npx bun test/bench/reports.ts`.
 */
import { renderReport, type ReportFormat } from '../../core/reports/generate';
import { bulkFindings, SAMPLE_FINDINGS, sampleSource } from '../fixtures/reports/sample';

const FINDINGS = 10_000;
const FORMATS: ReportFormat[] = ['pdf', 'csv', 'html'];
/** Seconds each format must stay under; HTML has no stated target. */
const TARGETS: Partial<Record<ReportFormat, number>> = { pdf: 5, csv: 0.5 };

/** What a child measures for one format. */
interface Measurement {
  format: ReportFormat;
  seconds: number;
  bytes: number;
  baseline_rss_mb: number;
  peak_rss_mb: number;
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(measure(process.argv[3] as ReportFormat)));
} else {
  process.exit(await runAll());
}

async function runAll(): Promise<number> {
  console.log(
    `reports: ${FINDINGS.toLocaleString('en-US')} findings, one child process per format`,
  );
  let missed = 0;
  for (const format of FORMATS) {
    const child = Bun.spawn([process.execPath, import.meta.path, '--child', format], {
      stdout: 'pipe',
      stderr: 'inherit',
    });
    const output = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) {
      console.log(`reports: ${format.padEnd(4)} FAILED (child exited ${child.exitCode})`);
      missed += 1;
      continue;
    }
    const result = JSON.parse(output.trim().split('\n').at(-1) as string) as Measurement;
    const target = TARGETS[format];
    const verdict =
      target === undefined
        ? 'no target'
        : result.seconds < target
          ? `target < ${target} s: met`
          : `target < ${target} s: MISSED`;
    if (target !== undefined && result.seconds >= target) missed += 1;
    console.log(
      `reports: ${format.padEnd(4)} ${result.seconds.toFixed(3).padStart(7)} s  ` +
        `peak RSS ${result.peak_rss_mb.toFixed(0).padStart(4)} MB ` +
        `(baseline ${result.baseline_rss_mb.toFixed(0)} MB)  ` +
        `${(result.bytes / 1024).toFixed(0)} KiB  ${verdict}`,
    );
  }
  return missed ? 1 : 0;
}

function measure(format: ReportFormat): Measurement {
  const source = sampleSource({ findings: [...SAMPLE_FINDINGS, ...bulkFindings(FINDINGS)] });
  const baseline = process.resourceUsage().maxRSS;
  const started = performance.now();
  const bytes = renderReport(format, source);
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in kilobytes (getrusage); the child's whole life, which is this one build.
  return {
    format,
    seconds,
    bytes: bytes.byteLength,
    baseline_rss_mb: baseline / 1024,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}
