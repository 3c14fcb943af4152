import { isDeepStrictEqual } from 'node:util';
import { mapConcurrently } from '../lib/index.js';
import type { ReadOutcome } from './runner-types.js';

/** The simulator's record of each OS (`GET /__truth/os/:n`), null where it does not exist. */
export type Truth = Map<string, Record<string, unknown> | null>;

export async function fetchTruth(simulatorUrl: string, numbers: string[]): Promise<Truth> {
  const records = await mapConcurrently(numbers, 10, async (osNumber) => {
    const response = await fetch(`${simulatorUrl}/__truth/os/${osNumber}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`truth of OS ${osNumber}: HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  });
  return new Map(numbers.map((osNumber, index) => [osNumber, records[index]!]));
}

export interface Verdict {
  checked: number;
  mismatches: number;
  errors: number;
  /** The first few problems, for the log. */
  examples: string[];
}

/** Compares every outcome with the truth: same data field by field, or not found for a 404. */
export function verify(
  numbers: string[],
  outcomes: Record<string, ReadOutcome>,
  truth: Truth,
): Verdict {
  const verdict: Verdict = { checked: numbers.length, mismatches: 0, errors: 0, examples: [] };
  const note = (text: string) => {
    verdict.mismatches += 1;
    if (verdict.examples.length < 5) verdict.examples.push(text);
  };
  for (const osNumber of numbers) {
    const outcome = outcomes[osNumber];
    const expected = truth.get(osNumber);
    if (expected === undefined) throw new Error(`no truth fetched for OS ${osNumber}`);
    if (!outcome) note(`${osNumber}: no outcome`);
    else if (outcome.kind === 'error') {
      verdict.errors += 1;
      note(`${osNumber}: ${outcome.message}`);
    } else if (expected === null) {
      if (outcome.kind !== 'not_found') note(`${osNumber}: read data, the truth is "not found"`);
    } else if (outcome.kind === 'not_found') note(`${osNumber}: "not found", the truth has data`);
    else if (!isDeepStrictEqual(outcome.data, expected)) {
      const fields = Object.keys(expected).filter(
        (key) => !isDeepStrictEqual(outcome.data[key], expected[key]),
      );
      note(`${osNumber}: differs in ${fields.join(', ') || 'extra fields'}`);
    }
  }
  return verdict;
}
