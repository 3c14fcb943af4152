import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.error.js';
import { autoContextRange, autoContexts, machineSize } from '../../src/config/auto-contexts.js';
import { loadConfig } from '../../src/config/load-config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults that work with PostgreSQL and Redis on localhost', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/registro_os');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379/0');
    expect(config.PORT).toBe(3000);
    expect(config.ROLE).toBe('all');
    expect(config.QUEUE_SCRAPING_CONCURRENCY).toBe(3);
    expect(config.QUEUE_BATCH_CONCURRENCY).toBe(2);
    expect(config.QUEUE_MAINTENANCE_CONCURRENCY).toBe(1);
  });

  it('converts numbers, booleans and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      SWAGGER_ENABLED: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.PORT).toBe(8080);
    expect(config.SWAGGER_ENABLED).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer number (got "abc")'],
    [{ PORT: '70000' }, 'PORT must not be greater than 65535 (got "70000")'],
    [
      { ROLE: 'boss' },
      'ROLE must be one of the following values: api, worker, scheduler, all (got "boss")',
    ],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// URL (got "mysql://x")'],
    [
      { REDIS_URL: 'localhost:6379' },
      'REDIS_URL must be a redis:// or rediss:// URL (got "localhost:6379")',
    ],
    [{ SWAGGER_ENABLED: 'maybe' }, 'SWAGGER_ENABLED must be a boolean value (got "maybe")'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET is required when NODE_ENV=production'],
    [{ ADMIN_USERNAME: 'root' }, 'ADMIN_PASSWORD is required when ADMIN_USERNAME is set'],
    [{ QUEUE_BATCH_CONCURRENCY: '0' }, 'QUEUE_BATCH_CONCURRENCY must not be less than 1 (got "0")'],
    [
      { SCRAPER_MAX_CONTEXTS: 'many' },
      'SCRAPER_MAX_CONTEXTS must be an integer number or auto (got "many")',
    ],
  ])('rejects %j with one line naming the variable', (env, expected) => {
    expect(problems(env)).toEqual([expected]);
  });

  it('never echoes a secret value', () => {
    const [problem] = problems({ JWT_SECRET: 'too-short-secret' });
    expect(problem).toBe('JWT_SECRET must be at least 32 characters long');
  });

  it('reports every bad variable at once', () => {
    expect(problems({ PORT: 'x', LOG_LEVEL: 'loud' })).toHaveLength(2);
  });
});

describe('SCRAPER_MAX_CONTEXTS=auto', () => {
  const GB = 1024 ** 3;

  it('sizes the pool for four contexts per core and starts at two, tuning down to one', () => {
    expect(autoContextRange({ cores: 2, memoryBytes: 8 * GB })).toEqual({
      floor: 2,
      start: 4,
      ceiling: 8,
    });
    expect(autoContexts({ cores: 4, memoryBytes: 16 * GB })).toBe(16);
  });

  it('gives fewer when the memory is short, never less than one', () => {
    // 2 GB: 1 GB for Node and Chromium, then 160 MB a context.
    expect(autoContextRange({ cores: 8, memoryBytes: 2 * GB })).toEqual({
      floor: 6,
      start: 6,
      ceiling: 6,
    });
    expect(autoContextRange({ cores: 4, memoryBytes: GB / 2 })).toEqual({
      floor: 1,
      start: 1,
      ceiling: 1,
    });
  });

  it('stops at 16 on a large machine (more workers pay better there)', () => {
    expect(autoContexts({ cores: 64, memoryBytes: 256 * GB })).toBe(16);
  });

  it('is what loadConfig makes of "auto" on this machine; a number stays as given', () => {
    expect(loadConfig({ SCRAPER_MAX_CONTEXTS: 'auto' }).SCRAPER_MAX_CONTEXTS).toBe(
      autoContexts(machineSize()),
    );
    expect(loadConfig({ SCRAPER_MAX_CONTEXTS: 'auto' }).contextsTuned).toBe(true);
    expect(loadConfig({ SCRAPER_MAX_CONTEXTS: '3' }).SCRAPER_MAX_CONTEXTS).toBe(3);
    expect(loadConfig({ SCRAPER_MAX_CONTEXTS: '3' }).contextsTuned).toBe(false);
  });
});
