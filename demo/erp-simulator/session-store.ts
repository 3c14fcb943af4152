import { randomBytes } from 'node:crypto';

export interface SimulatedSession {
  id: string;
  user: string;
  createdAt: number;
  lastSeenAt: number;
}

export type SessionEndReason = 'idle' | 'max_age' | 'evicted' | 'logout' | 'invalidated';

export type SessionCheck =
  | { state: 'valid'; session: SimulatedSession }
  | { state: 'missing' }
  | { state: 'ended'; reason: SessionEndReason | 'unknown' };

export interface SessionLimits {
  maxSessions: number;
  sessionIdleMs: number;
  sessionMaxAgeMs: number;
}

/** Counters the store reports to the stats. */
export interface SessionEvents {
  onEnded(reason: SessionEndReason): void;
}

const REMEMBERED_ENDINGS = 50_000;

/**
 * Server-side sessions as a legacy app keeps them: idle timeout, absolute lifetime and a
 * per-account cap where a new login logs out the oldest session. Expiry is checked lazily, on
 * use and whenever the active count is read, so there are no timers to clean up.
 */
export class SessionStore {
  private readonly sessions = new Map<string, SimulatedSession>();
  /** Why recently ended sessions ended, so an evicted cookie can be told from a forged one. */
  private readonly endings = new Map<string, SessionEndReason>();

  constructor(
    private readonly limits: () => SessionLimits,
    private readonly events: SessionEvents,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a session, evicting the account's oldest ones beyond the cap. */
  create(user: string): SimulatedSession {
    this.sweep();
    const { maxSessions } = this.limits();
    const own = [...this.sessions.values()].filter((s) => s.user === user);
    // Map order is creation order, so the first ones are the oldest.
    for (const old of own.slice(0, Math.max(0, own.length - maxSessions + 1))) {
      this.end(old.id, 'evicted');
    }
    const at = this.now();
    const session = { id: randomBytes(16).toString('hex'), user, createdAt: at, lastSeenAt: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Ends every open session (logged out by the system); returns how many there were. */
  endAll(): number {
    const ids = [...this.sessions.keys()];
    for (const id of ids) this.end(id, 'invalidated');
    return ids.length;
  }

  /** Validates a session id and marks it used. */
  check(id: string | undefined): SessionCheck {
    if (!id) return { state: 'missing' };
    const session = this.sessions.get(id);
    if (!session) return { state: 'ended', reason: this.endings.get(id) ?? 'unknown' };
    const reason = this.expiry(session);
    if (reason) {
      this.end(id, reason);
      return { state: 'ended', reason };
    }
    session.lastSeenAt = this.now();
    return { state: 'valid', session };
  }

  end(id: string, reason: SessionEndReason): void {
    if (!this.sessions.delete(id)) return;
    this.endings.set(id, reason);
    if (this.endings.size > REMEMBERED_ENDINGS) {
      this.endings.delete(this.endings.keys().next().value as string);
    }
    this.events.onEnded(reason);
  }

  activeCount(): number {
    this.sweep();
    return this.sessions.size;
  }

  private expiry(session: SimulatedSession): SessionEndReason | null {
    const { sessionIdleMs, sessionMaxAgeMs } = this.limits();
    const at = this.now();
    if (at - session.createdAt >= sessionMaxAgeMs) return 'max_age';
    if (at - session.lastSeenAt >= sessionIdleMs) return 'idle';
    return null;
  }

  private sweep(): void {
    for (const session of this.sessions.values()) {
      const reason = this.expiry(session);
      if (reason) this.end(session.id, reason);
    }
  }
}
