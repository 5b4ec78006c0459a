/**
 * Runs every benchmark under test/bench one after another (`npm run bench`), each in its own
 * process so their memory readings stay their own, and ends non-zero when one missed its target.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dir;
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !['run.ts', 'support.ts'].includes(name))
  .sort();
const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const child = Bun.spawn([process.execPath, join(here, name)], {
    stdout: 'inherit',
    stderr: 'inherit',
  });
  if ((await child.exited) !== 0) failed.push(name);
}
console.log(
  `\n${benches.length - failed.length} benchmarks met their targets${failed.length ? `; missed: ${failed.join(', ')}` : ''}`,
);
process.exit(failed.length ? 1 : 0);
