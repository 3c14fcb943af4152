import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sleep } from '../../common/sleep.js';
import { AppConfig } from '../../config/app-config.js';
import { ProcessHeartbeat } from '../../redis/process-heartbeat.service.js';
import { RedisService } from '../../redis/redis.service.js';
import { ScrapeError } from '../scrape-errors.js';
import { OWNER_ALIVE } from '../target/redis-scripts.js';
import { TargetDefinition } from '../target/target-definition.js';
import { LoginCapReachedError } from './login-errors.js';

/**
 * KEYS[1] lock, KEYS[2] heartbeat key prefix. ARGV: token, ttl ms. Takes the lock when it is free
 * or held by a process that stopped beating (killed with SIGKILL mid-login): 1 when taken.
 */
const TAKE_LOCK = `${OWNER_ALIVE}
local holder = redis.call('GET', KEYS[1])
if holder and ownerAlive(KEYS[2], holder) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1`;

/** KEYS[1] lock. ARGV: token. Deletes the lock only when this token still holds it. */
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS[1] failures zset. ARGV: window ms. Drops failures past the window; returns how many are left. */
const COUNT_FAILURES = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])`;

/** KEYS[1] failures zset. ARGV: window ms, member. Counts one failed login now. */
const ADD_FAILURE = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1`;

/** Failed logins of the target's credentials in the window (a sorted set of times). */
export function loginFailuresKey(redis: RedisService, targetId: string): string {
  return redis.key('target', targetId, 'login', 'failures');
}

/** A login turn: how long it may hold the lock at most (every browser step has its own timeout). */
const TURN_TTL_MS = 120_000;
const TURN_WAIT_MS = 180_000;

/**
 * What keeps logins polite across every worker (Redis): one login to the target at a time, at most
 * TARGET_MAX_FAILED_LOGINS failed ones per TARGET_FAILED_LOGIN_WINDOW_MS, and the memory of a
 * target whose browser login worked where the HTTP one did not.
 */
@Injectable()
export class LoginGuard {
  private readonly lockKey: string;
  private readonly failuresKey: string;
  private readonly modeKey: string;
  /** Without Redis only this process scrapes (inline): the same rules, in memory. */
  private localLock: Promise<void> = Promise.resolve();
  private readonly localFailures: number[] = [];
  private localBrowserLogin = false;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly heartbeat: ProcessHeartbeat,
    target: TargetDefinition,
  ) {
    this.lockKey = redis.key('target', target.id, 'login', 'lock');
    this.failuresKey = loginFailuresKey(redis, target.id);
    this.modeKey = redis.key('target', target.id, 'login', 'mode');
  }

  /** Runs `work` while no other login to the target runs, in any process. */
  async inTurn<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.redis.isReady) {
      const previous = this.localLock;
      let done!: () => void;
      this.localLock = new Promise((resolve) => (done = resolve));
      await previous;
      try {
        return await work();
      } finally {
        done();
      }
    }
    const token = this.heartbeat.token(randomUUID());
    const deadline = Date.now() + TURN_WAIT_MS;
    while (!(await this.takeLock(token))) {
      if (signal?.aborted)
        throw new ScrapeError('cancelled', 'stopped while waiting to log in', false);
      if (Date.now() > deadline)
        throw new ScrapeError('target_busy', 'another login to the target did not end', true);
      await sleep(50 + Math.random() * 100, signal).catch(() => undefined);
    }
    try {
      return await work();
    } finally {
      await this.redis.client
        .eval(RELEASE_LOCK, { keys: [this.lockKey], arguments: [token] })
        .catch(() => undefined);
    }
  }

  private async takeLock(token: string): Promise<boolean> {
    const taken = await this.redis.client.eval(TAKE_LOCK, {
      keys: [this.lockKey, this.heartbeat.keyPrefix],
      arguments: [token, String(TURN_TTL_MS)],
    });
    return taken === 1;
  }

  /** Throws when one more failed login would pass the cap; call before sending credentials. */
  async assertMaySubmit(): Promise<void> {
    const failures = await this.failuresInWindow();
    const cap = this.config.TARGET_MAX_FAILED_LOGINS;
    if (failures >= cap) {
      const minutes = Math.round(this.config.TARGET_FAILED_LOGIN_WINDOW_MS / 60_000);
      throw new LoginCapReachedError(
        `${failures} failed logins in the last ${minutes} min (TARGET_MAX_FAILED_LOGINS=${cap}); logins pause until the window passes`,
      );
    }
  }

  /** Counts a login whose credentials were sent and not accepted. */
  async recordFailure(): Promise<void> {
    const window = this.config.TARGET_FAILED_LOGIN_WINDOW_MS;
    if (!this.redis.isReady) {
      this.localFailures.push(Date.now());
      return;
    }
    await this.redis.client.eval(ADD_FAILURE, {
      keys: [this.failuresKey],
      arguments: [String(window), randomUUID()],
    });
  }

  async failuresInWindow(): Promise<number> {
    const window = this.config.TARGET_FAILED_LOGIN_WINDOW_MS;
    if (!this.redis.isReady) {
      const since = Date.now() - window;
      while (this.localFailures.length > 0 && this.localFailures[0]! < since)
        this.localFailures.shift();
      return this.localFailures.length;
    }
    return Number(
      await this.redis.client.eval(COUNT_FAILURES, {
        keys: [this.failuresKey],
        arguments: [String(window)],
      }),
    );
  }

  /** Whether the browser logged in where HTTP could not (login.mode "auto"). */
  async remembersBrowserLogin(): Promise<boolean> {
    if (!this.redis.isReady) return this.localBrowserLogin;
    return (await this.redis.client.get(this.modeKey)) === 'browser';
  }

  async rememberLoginMode(mode: 'http' | 'browser'): Promise<void> {
    this.localBrowserLogin = mode === 'browser';
    if (!this.redis.isReady) return;
    if (mode === 'browser') await this.redis.client.set(this.modeKey, 'browser');
    else await this.redis.client.del(this.modeKey);
  }
}
