import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describeMachine, type MachineInfo } from './machine.js';

/** Where results go: `bench/results/`. */
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export interface ResultFile<Body> {
  benchmark: string;
  /** ISO time the file was written. */
  date: string;
  machine: MachineInfo;
  result: Body;
}

/** Writes `bench/results/<name>.json` with the date and the machine; returns its path. */
export async function writeResults<Body>(
  name: string,
  result: Body,
  machine: MachineInfo = describeMachine(),
): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`bad result name: ${name}`);
  const file: ResultFile<Body> = {
    benchmark: name,
    date: new Date().toISOString(),
    machine,
    result,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = `${RESULTS_DIR}${name}.json`;
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
