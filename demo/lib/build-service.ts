import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DemoError } from './demo-error.js';

/** Newest modification time under `dir` (0 when it does not exist). */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(path));
    else newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

/** Why `dist/` needs building, or undefined when it is up to date. */
export async function buildReason(root: string): Promise<string | undefined> {
  let built: number;
  try {
    built = (await stat(join(root, 'dist', 'main.js'))).mtimeMs;
  } catch {
    return 'dist/main.js is missing';
  }
  const sources = Math.max(
    await newestMtime(join(root, 'src')),
    ...(await Promise.all(
      ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'].map((file) =>
        stat(join(root, file)).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    )),
  );
  return sources > built ? 'the sources changed since the last build' : undefined;
}

/** `npx nest build`, its output kept to show when it fails. */
export async function buildService(root: string): Promise<void> {
  const output: string[] = [];
  const child = spawn('npx', ['nest', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).catch((error: unknown) => {
    throw new DemoError(`could not run npx nest build: ${(error as Error).message}`);
  });
  if (code !== 0) {
    const tail = output.join('').trim().split('\n').slice(-30).join('\n');
    throw new DemoError(`the build failed (npx nest build, exit ${code}):\n${tail}`);
  }
}
