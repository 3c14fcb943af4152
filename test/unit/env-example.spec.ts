import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { declaredVariables, loadConfig } from '../../src/config/load-config.js';

const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('lists exactly the variables the config module declares', () => {
    const listed = Object.keys(parseEnv(text)).sort();
    expect(listed).toEqual([...declaredVariables()].sort());
  });

  it('gives every variable a one-line comment right above it', () => {
    const lines = text.split('\n');
    const uncommented = lines
      .map((line, index) => ({ line, above: lines[index - 1] ?? '' }))
      .filter(({ line }) => /^[A-Z_]+=/.test(line))
      .filter(({ above }) => !above.startsWith('# ') && !/^[A-Z_]+=/.test(above))
      .map(({ line }) => line.split('=')[0]);
    expect(uncommented).toEqual([]);
  });

  it('is a valid configuration as it stands (empty values mean "default")', () => {
    expect(() => loadConfig(parseEnv(text))).not.toThrow();
  });
});
