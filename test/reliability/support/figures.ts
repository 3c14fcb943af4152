import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeMachine } from '../../../bench/lib/machine.js';

export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../../test-artifacts/reliability');

/**
 * Figures of one reliability test file, written as JSON to `test-artifacts/reliability/<name>.json`
 * (git-ignored) as each test adds to them, so a failing run still leaves what it measured.
 * docs/reliability.md is filled from these files.
 */
export class Figures {
  private readonly data: Record<string, unknown> = {};
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly name: string) {}

  set(key: string, value: unknown): void {
    this.data[key] = value;
    this.write();
  }

  private write(): void {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(
      resolve(ARTIFACTS_DIR, `${this.name}.json`),
      `${JSON.stringify(
        {
          file: this.name,
          started_at: this.startedAt,
          written_at: new Date().toISOString(),
          machine: describeMachine(),
          figures: this.data,
        },
        null,
        2,
      )}\n`,
    );
  }
}

/** A small seeded generator (mulberry32), so a random fault schedule can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of this run: `RELIABILITY_SEED` to replay one, else a fresh one (recorded). */
export function runSeed(): number {
  const given = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
}

/** Long soaks run only with `RELIABILITY_SOAK=1`. */
export const SOAK = process.env.RELIABILITY_SOAK === '1';
