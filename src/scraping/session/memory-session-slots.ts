import type { LeasedSlot, SessionSlots, StoredSession } from './session-slots.js';

/** Session slots in process memory, for scraping inline while Redis is unavailable. */
export class MemorySessionSlots implements SessionSlots {
  private readonly leases = new Map<number, { token: string; until: number }>();
  private readonly sessions = new Map<number, StoredSession>();

  constructor(private readonly slots: number) {}

  async lease(
    token: string,
    ttlMs: number,
    countUse: boolean,
    preferEmpty = false,
  ): Promise<LeasedSlot | null> {
    const now = Date.now();
    const order = [...Array(this.slots).keys()].sort(
      (a, b) =>
        Number(this.sessions.has(a) !== preferEmpty) - Number(this.sessions.has(b) !== preferEmpty),
    );
    for (const slot of order) {
      const lease = this.leases.get(slot);
      if (!lease || lease.until < now) {
        this.leases.set(slot, { token, until: now + ttlMs });
        const stored = this.sessions.get(slot);
        const session = stored ? { ...stored } : null;
        if (stored && countUse) stored.uses += 1;
        return { slot, session };
      }
    }
    return null;
  }

  async renew(slot: number, token: string, ttlMs: number): Promise<void> {
    const lease = this.leases.get(slot);
    if (lease?.token === token) lease.until = Date.now() + ttlMs;
  }

  async unlease(slot: number, token: string): Promise<void> {
    if (this.leases.get(slot)?.token === token) this.leases.delete(slot);
  }

  async write(slot: number, session: StoredSession): Promise<void> {
    this.sessions.set(slot, session);
  }

  async remove(slot: number): Promise<void> {
    this.sessions.delete(slot);
  }
}
