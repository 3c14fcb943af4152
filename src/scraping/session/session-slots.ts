/** A target session as stored between uses. */
export interface StoredSession {
  id: string;
  cookies: Record<string, string>;
  createdAt: number;
  uses: number;
}

/**
 * Where session slots are leased and sessions kept: Redis in normal operation (shared by every
 * process, which keeps the total under the target's cap), process memory while Redis is away.
 */
export interface SessionSlots {
  /** Leases a free slot for `ttlMs`; null when every slot is leased. */
  lease(token: string, ttlMs: number): Promise<number | null>;
  renew(slot: number, token: string, ttlMs: number): Promise<void>;
  unlease(slot: number, token: string): Promise<void>;
  read(slot: number): Promise<StoredSession | null>;
  write(slot: number, session: StoredSession): Promise<void>;
  countUse(slot: number): Promise<void>;
  remove(slot: number): Promise<void>;
}
