import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A key prefix of its own for one test file. */
export function uniqueRedisPrefix(label = 'e2e'): string {
  return `ros-test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, to stay polite with a shared Redis). */
export async function deleteRedisKeys(prefix: string, url = REDIS_URL): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    await client.close();
  }
  return deleted;
}
