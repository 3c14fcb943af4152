import type { TestApp } from './test-app.js';

/** Polls a task's status, as the original client does, until it leaves `processing`. */
export async function waitForTask(
  t: TestApp,
  token: string,
  path: string,
  timeoutMs = 120_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.http().get(path).set('Authorization', `Bearer ${token}`);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
    if (response.body.status !== 'processing') return response.body as Record<string, unknown>;
    if (Date.now() > deadline)
      throw new Error(`${path} still processing after ${timeoutMs} ms: ${response.text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
