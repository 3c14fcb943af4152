import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `dist/`, where `npm run build` puts the service. */
export const DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

/**
 * Imports a module of the built service (`dist/<path>`). Benchmarks run the built code because
 * tsx cannot emit the decorator metadata Nest's DI needs. Give the type from src
 * (`loadBuilt<typeof import('../../src/app.module.js')>('app.module.js')`): the types are the
 * same, and type-checking then works before anything is built.
 */
export async function loadBuilt<Module>(path: string): Promise<Module> {
  const file = `${DIST_DIR}${path}`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return (await import(pathToFileURL(file).href)) as Module;
}
