import { OWNER_ALIVE } from '../target/redis-scripts.js';
import type { RedisService } from '../../redis/redis.service.js';
import type { LeasedSlot, SessionSlots, StoredSession } from './session-slots.js';

/**
 * KEYS[1] lease key prefix, KEYS[2] session key prefix, KEYS[3] heartbeat key prefix.
 * ARGV: slots, token, ttl, count use (1/0), prefer empty (1/0). Leases a free slot — or one whose
 * holder stopped beating — preferring slots that already hold a session (fewer logins), or empty
 * ones when a new login is wanted anyway. Returns
 * `{slot, session fields}` (the session as it was, then counts the use), or -1.
 */
const LEASE_ANY = `
${OWNER_ALIVE}
local slots = tonumber(ARGV[1])
for pass = 1, 2 do
  for slot = 0, slots - 1 do
    local session = KEYS[2] .. slot
    local hasSession = redis.call('EXISTS', session) == 1
    if (pass == 1) == (hasSession ~= (ARGV[5] == '1')) then
      local lease = KEYS[1] .. slot
      local taken = redis.call('SET', lease, ARGV[2], 'NX', 'PX', ARGV[3])
      if not taken and not ownerAlive(KEYS[3], redis.call('GET', lease) or '') then
        redis.call('SET', lease, ARGV[2], 'PX', ARGV[3])
        taken = true
      end
      if taken then
        local fields = redis.call('HGETALL', session)
        if hasSession and ARGV[4] == '1' then redis.call('HINCRBY', session, 'uses', 1) end
        return {slot, fields}
      end
    end
  end
end
return -1`;

/** KEYS[1] lease key. ARGV: token, ttl (0 deletes). Acts only while the lease is still ours. */
const IF_OWNER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

/** Session slots in Redis, shared by every worker process of the deployment. */
export class RedisSessionSlots implements SessionSlots {
  constructor(
    private readonly redis: RedisService,
    private readonly targetId: string,
    private readonly slots: number,
    private readonly heartbeatPrefix: string,
  ) {}

  async lease(
    token: string,
    ttlMs: number,
    countUse: boolean,
    preferEmpty = false,
  ): Promise<LeasedSlot | null> {
    const answer = (await this.redis.client.eval(LEASE_ANY, {
      keys: [
        this.redis.key('target', this.targetId, 'lease', ''),
        this.redis.key('target', this.targetId, 'session', ''),
        this.heartbeatPrefix,
      ],
      arguments: [
        String(this.slots),
        token,
        String(ttlMs),
        countUse ? '1' : '0',
        preferEmpty ? '1' : '0',
      ],
    })) as number | [number, string[]];
    if (!Array.isArray(answer)) return null;
    const [slot, fields] = answer;
    return { slot: Number(slot), session: toSession(fields) };
  }

  async renew(slot: number, token: string, ttlMs: number): Promise<void> {
    await this.redis.client.eval(IF_OWNER, {
      keys: [this.leaseKey(slot)],
      arguments: [token, String(ttlMs)],
    });
  }

  async unlease(slot: number, token: string): Promise<void> {
    await this.redis.client.eval(IF_OWNER, {
      keys: [this.leaseKey(slot)],
      arguments: [token, '0'],
    });
  }

  async write(slot: number, session: StoredSession): Promise<void> {
    const key = this.sessionKey(slot);
    await this.redis.client
      .multi()
      .del(key)
      .hSet(key, {
        id: session.id,
        cookies: JSON.stringify(session.cookies),
        createdAt: String(session.createdAt),
        uses: String(session.uses),
      })
      .pExpire(key, 24 * 3_600_000)
      .exec();
  }

  async remove(slot: number): Promise<void> {
    await this.redis.client.del(this.sessionKey(slot));
  }

  private leaseKey(slot: number): string {
    return this.redis.key('target', this.targetId, 'lease', slot);
  }

  private sessionKey(slot: number): string {
    return this.redis.key('target', this.targetId, 'session', slot);
  }
}

/** A session from its hash fields (`HGETALL` as a flat list), or null when there is none. */
function toSession(fields: string[]): StoredSession | null {
  if (fields.length === 0) return null;
  const hash: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2)
    hash[fields[index]!] = fields[index + 1]!;
  try {
    return {
      id: hash.id!,
      cookies: JSON.parse(hash.cookies!) as Record<string, string>,
      createdAt: Number(hash.createdAt),
      uses: Number(hash.uses),
    };
  } catch {
    return null;
  }
}
