import { createClient } from 'redis';

/** Deletes every key under `prefix:` (SCAN, not KEYS: the Redis may be shared). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const client = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
  return deleted;
}
