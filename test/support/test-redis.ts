import { randomBytes } from 'node:crypto';
import { deleteRedisKeys as deleteKeysUnder } from '../../demo/lib/redis-keys.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A key prefix of its own for one test file. */
export function uniqueRedisPrefix(label = 'e2e'): string {
  return `ros-test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, to stay polite with a shared Redis). */
export function deleteRedisKeys(prefix: string, url = REDIS_URL): Promise<number> {
  return deleteKeysUnder(url, prefix);
}
