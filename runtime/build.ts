/**
 * Builds the single executable `dist/cws` with `bun build --compile`. The sql.js wasm is embedded
 * because storage/database.ts imports it as a file asset.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dir, '..');
const outfile = process.argv[2] ?? join(root, 'dist', 'cws');
mkdirSync(join(outfile, '..'), { recursive: true });

const result = Bun.spawnSync(
  [
    process.execPath,
    'build',
    '--compile',
    '--minify-syntax',
    '--sourcemap=none',
    join(root, 'runtime', 'main.ts'),
    // Workers are separate entry points in a compiled executable.
    join(root, 'storage', 'replica-worker.ts'),
    '--outfile',
    outfile,
  ],
  { cwd: root, stdout: 'inherit', stderr: 'inherit' },
);
if (result.exitCode !== 0) {
  console.error(`build failed with exit code ${result.exitCode}`);
  process.exit(result.exitCode ?? 1);
}
console.log(`built ${outfile}`);
