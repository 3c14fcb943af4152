/** A target session as stored between uses. */
export interface StoredSession {
  id: string;
  cookies: Record<string, string>;
  createdAt: number;
  uses: number;
}

/** A slot just leased, with the session it holds (as it was before this use). */
export interface LeasedSlot {
  slot: number;
  session: StoredSession | null;
}

/**
 * Where session slots are leased and sessions kept: Redis in normal operation (shared by every
 * process, which keeps the total under the target's cap), process memory while Redis is away.
 */
export interface SessionSlots {
  /**
   * Leases a free slot for `ttlMs` and reads its session (counting a use, when asked) in one
   * step; null when every slot is leased. `preferEmpty`: a slot with no session first (the caller
   * logs in anyway).
   */
  lease(
    token: string,
    ttlMs: number,
    countUse: boolean,
    preferEmpty?: boolean,
  ): Promise<LeasedSlot | null>;
  renew(slot: number, token: string, ttlMs: number): Promise<void>;
  unlease(slot: number, token: string): Promise<void>;
  write(slot: number, session: StoredSession): Promise<void>;
  remove(slot: number): Promise<void>;
}
