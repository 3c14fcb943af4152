import { randomBytes } from 'node:crypto';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../redis/redis.service.js';
import type { UserRole } from './user-role.js';

/** What the server keeps for one admin-page session. */
export interface AdminSession {
  userId: string;
  /** The user's token version and role when the session opened: a change to either ends it. */
  tokenVersion: number;
  role: UserRole;
  /** Absolute end (ms since the epoch), whatever the use. */
  endsAt: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * The admin page's cookie sessions, kept in Redis under an opaque random id: the cookie holds
 * only the id, so logout (or a password or role change) ends the session on the server. A
 * session ends after `ADMIN_SESSION_IDLE_SECONDS` unused, and after `ADMIN_SESSION_MAX_SECONDS`
 * in any case.
 */
@Injectable()
export class AdminSessionsService {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  open(user: { id: string; tokenVersion: number; role: UserRole }): Promise<string> {
    return this.storeCall(() => this.create(user));
  }

  /** The live session of this id, its idle time restarted; null when unknown or ended. */
  use(id: string): Promise<AdminSession | null> {
    return this.storeCall(() => this.touch(id));
  }

  async close(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await this.storeCall(() => this.redis.client.del(this.key(id)));
  }

  private async create(user: {
    id: string;
    tokenVersion: number;
    role: UserRole;
  }): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const session: AdminSession = {
      userId: user.id,
      tokenVersion: user.tokenVersion,
      role: user.role,
      endsAt: Date.now() + this.config.ADMIN_SESSION_MAX_SECONDS * 1000,
    };
    await this.redis.client.set(this.key(id), JSON.stringify(session), {
      expiration: { type: 'EX', value: this.idleSeconds(session) },
    });
    return id;
  }

  private async touch(id: string): Promise<AdminSession | null> {
    if (!SESSION_ID.test(id)) return null;
    const raw = await this.redis.client.get(this.key(id));
    if (!raw) return null;
    const session = JSON.parse(raw) as AdminSession;
    const idle = this.idleSeconds(session);
    if (idle <= 0) {
      await this.close(id);
      return null;
    }
    await this.redis.client.expire(this.key(id), idle);
    return session;
  }

  /** Sessions live in Redis: without it they can be neither opened nor checked (503). */
  private async storeCall<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new ServiceUnavailableException({
        message:
          'the admin session store (Redis) is unavailable; use a bearer token or try again later',
        retry_after: 30,
      });
    }
  }

  /** Seconds the session may stay unused: the idle timeout, cut by the absolute end. */
  private idleSeconds(session: AdminSession): number {
    const left = Math.floor((session.endsAt - Date.now()) / 1000);
    return Math.min(this.config.ADMIN_SESSION_IDLE_SECONDS, left);
  }

  private key(id: string): string {
    return this.redis.key('admin-session', id);
  }
}
