/**
 * `npm run bench`: builds, runs every benchmark one after the other (each prints its table and
 * writes bench/results/<name>.json), then rewrites the README's performance table.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rewriteReadme } from './readme-table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCHMARKS = [
  'scrape-paths.ts',
  'batch-1000.ts',
  'dashboard.ts',
  'scale-out.ts',
  'browser-soak.ts',
];

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

run('npx', ['nest', 'build']);
for (const benchmark of BENCHMARKS) {
  console.log(`\n=== bench/${benchmark}\n`);
  run('npx', ['tsx', `bench/${benchmark}`]);
}
rewriteReadme();
console.log('\nREADME.md performance table rewritten from bench/results/*.json');
