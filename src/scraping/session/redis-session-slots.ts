import { OWNER_ALIVE } from '../target/redis-scripts.js';
import type { RedisService } from '../../redis/redis.service.js';
import type { SessionSlots, StoredSession } from './session-slots.js';

/**
 * KEYS[1] lease key prefix, KEYS[2] session key prefix, KEYS[3] heartbeat key prefix.
 * ARGV: slots, token, ttl. Leases a free slot — or one whose holder stopped beating — preferring
 * slots that already hold a session (fewer logins). Returns the slot or -1.
 */
const LEASE_ANY = `
${OWNER_ALIVE}
local slots = tonumber(ARGV[1])
for pass = 1, 2 do
  for slot = 0, slots - 1 do
    local hasSession = redis.call('EXISTS', KEYS[2] .. slot) == 1
    if (pass == 1) == hasSession then
      local lease = KEYS[1] .. slot
      if redis.call('SET', lease, ARGV[2], 'NX', 'PX', ARGV[3]) then return slot end
      if not ownerAlive(KEYS[3], redis.call('GET', lease) or '') then
        redis.call('SET', lease, ARGV[2], 'PX', ARGV[3])
        return slot
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

  async lease(token: string, ttlMs: number): Promise<number | null> {
    const slot = Number(
      await this.redis.client.eval(LEASE_ANY, {
        keys: [
          this.redis.key('target', this.targetId, 'lease', ''),
          this.redis.key('target', this.targetId, 'session', ''),
          this.heartbeatPrefix,
        ],
        arguments: [String(this.slots), token, String(ttlMs)],
      }),
    );
    return slot >= 0 ? slot : null;
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

  async read(slot: number): Promise<StoredSession | null> {
    const raw = await this.redis.client.get(this.sessionKey(slot));
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  }

  async write(slot: number, session: StoredSession): Promise<void> {
    await this.redis.client.set(this.sessionKey(slot), JSON.stringify(session), {
      expiration: { type: 'PX', value: 24 * 3_600_000 },
    });
  }

  async countUse(slot: number): Promise<void> {
    const session = await this.read(slot);
    if (session) await this.write(slot, { ...session, uses: session.uses + 1 });
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
