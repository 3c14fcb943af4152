import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { buildReason, buildService } from './build-service.js';

/**
 * `tsx demo/lib/run-built.ts dist/<file>.js [args]`: runs a file of the built service, building it
 * first when the sources are newer. Tools that boot the Nest engine (`profile:try`) need the
 * build: its dependency injection reads the decorator metadata that tsx does not emit.
 */
const ROOT = resolve(import.meta.dirname, '../..');

async function main(): Promise<number> {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('Usage: tsx demo/lib/run-built.ts dist/<file>.js [args]\n');
    return 2;
  }
  const reason = await buildReason(ROOT);
  if (reason) {
    process.stderr.write(`Building the service (${reason}): npx nest build\n`);
    await buildService(ROOT);
  }
  const child = spawn(process.execPath, [resolve(ROOT, file), ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
