import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectPageFixtures } from '../fixtures/pages/page-fixtures.js';

const root = new URL('../fixtures/pages/', import.meta.url);

function committed(): string[] {
  return ['layout-a', 'layout-b'].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, root)).map((file) => `${dir}/${file}`),
  );
}

describe('saved pages under test/fixtures/pages', () => {
  it('equal what the simulator serves today (regenerate with generate-page-fixtures.ts)', async () => {
    const fresh = await collectPageFixtures();
    expect(committed().sort()).toEqual([...fresh.keys()].sort());
    for (const [path, bytes] of fresh) {
      const saved = readFileSync(new URL(path, root));
      if (path.endsWith('.json')) {
        // Formatting of JSON files is Prettier's business; their content is what counts.
        expect(JSON.parse(saved.toString('utf8')), path).toEqual(
          JSON.parse(bytes.toString('utf8')),
        );
      } else {
        expect(saved.equals(bytes), `${path} differs from what the simulator serves`).toBe(true);
      }
    }
  });
});
