import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistroOsClient, type TaskStatus } from '../../clients/typescript/src/index.js';
import { ServiceProcess } from '../support/service-process.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { ADMIN, testEnv } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { deleteRedisKeys, uniqueRedisPrefix } from '../support/test-redis.js';

/**
 * The generated TypeScript client (clients/typescript) against the built service and the ERP
 * simulator, along the seed frontend's flow: log in, submit a batch, poll its status, fetch the
 * results as JSON and CSV. Every path and body below is checked by the compiler against
 * openapi.json, and the answers against the simulator's truth.
 */
describe('the generated TypeScript client drives a real batch', () => {
  let sim: RunningSimulator;
  let db: TestDatabase;
  let service: ServiceProcess;
  const redisPrefix = uniqueRedisPrefix('client');

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 5 });
    db = await createTestDatabase('client');
    service = await ServiceProcess.start(['all'], {
      ...testEnv(db, redisPrefix),
      ...targetEnv(sim),
      TARGET_MAX_RPS: '0',
    });
    await service.waitUntilUp();
  });
  afterAll(async () => {
    await service?.stop();
    await sim?.close();
    await db?.drop();
    await deleteRedisKeys(redisPrefix);
  });

  it('is built from the contract the running service serves (openapi.json = /api/docs-json)', async () => {
    const served = (await (await fetch(`${service.url}/api/docs-json`)).json()) as unknown;
    const committed = JSON.parse(
      readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(served).toEqual(committed);
  });

  it('logs in, submits a batch, polls it to the end and reads its results', async () => {
    const client = createRegistroOsClient(service.url);

    // An admin creates the user; the user logs in as a frontend would.
    const adminLogin = await client.POST('/api/auth/login', { body: ADMIN });
    expect(adminLogin.response.status).toBe(200);
    client.setToken(adminLogin.data!.access_token);
    const user = { username: 'cliente', password: 'client-password-1' };
    const created = await client.POST('/api/admin/users', { body: { ...user, role: 'user' } });
    expect(created.response.status).toBe(201);
    expect(created.data?.username).toBe(user.username);

    client.setToken(undefined);
    const refused = await client.POST('/api/auth/login', {
      body: { username: user.username, password: 'not-the-password' },
    });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.message).toBeTruthy();
    const login = await client.POST('/api/auth/login', { body: user });
    client.setToken(login.data!.access_token);

    const osNumbers = Array.from({ length: 8 }, (_, i) => String(61_000 + i * 3));
    const submitted = await client.POST('/api/desenvolvimento/scraping-batch', {
      body: { os_numbers: osNumbers, batch_name: 'lote do cliente gerado' },
      params: { header: { 'idempotency-key': `client-e2e-${redisPrefix}` } },
    });
    expect(submitted.response.status).toBe(202);
    const taskId = submitted.data!.task_id;
    expect(submitted.data!.total).toBe(osNumbers.length);

    let status: TaskStatus | undefined;
    for (let polls = 0; polls < 600; polls += 1) {
      const answer = await client.GET('/api/desenvolvimento/scraping-batch-status/{task_id}', {
        params: { path: { task_id: taskId } },
      });
      expect(answer.response.status).toBe(200);
      status = answer.data!;
      if (status.status !== 'processing') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status?.status).toBe('completed');
    expect(status?.processed).toBe(osNumbers.length);

    const results = await client.GET('/api/desenvolvimento/scraping-batch/{task_id}/results', {
      params: { path: { task_id: taskId }, query: { format: 'json' } },
    });
    expect(results.response.status).toBe(200);
    const json = results.data;
    if (json === undefined || typeof json === 'string') throw new Error('expected JSON results');
    expect(json.task_id).toBe(taskId);
    expect(json.items.map((item) => item.os_number)).toEqual(osNumbers);
    for (const item of json.items) {
      const truth = await truthOf(sim, item.os_number);
      expect(item.outcome).toBe(truth ? 'success' : 'not_found');
      if (truth) expect(item.data).toEqual(truth);
    }

    const csv = await client.GET('/api/desenvolvimento/scraping-batch/{task_id}/results', {
      params: { path: { task_id: taskId }, query: { format: 'csv' } },
      parseAs: 'text',
    });
    expect(csv.response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (csv.data as string).replace(/^\uFEFF/, '');
    expect(text).toMatch(/^os_number;outcome;path;attempts;duration_ms;error/);
    // One record per OS (quoted fields may span lines): each starts with its number and outcome.
    for (const item of json.items) {
      expect(text).toMatch(new RegExp(`^${item.os_number};${item.outcome};`, 'm'));
    }

    const stored = json.items.find((item) => item.outcome === 'success')!;
    const order = await client.GET('/api/desenvolvimento/os/{os_number}', {
      params: { path: { os_number: stored.os_number } },
    });
    expect(order.response.status).toBe(200);
    expect(order.data && 'data' in order.data ? order.data.data : undefined).toEqual(stored.data);
  });
});
