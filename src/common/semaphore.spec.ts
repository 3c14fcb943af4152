import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('grants up to its capacity and queues the rest in order', async () => {
    const semaphore = new Semaphore(2);
    const first = await semaphore.acquire();
    await semaphore.acquire();
    const order: number[] = [];
    void semaphore.acquire().then(() => order.push(3));
    void semaphore.acquire().then(() => order.push(4));
    await tick();
    expect(order).toEqual([]);
    expect(semaphore.waiting).toBe(2);
    first();
    await tick();
    expect(order).toEqual([3]);
    expect(semaphore.inUse).toBe(2);
  });

  it('hands a returned permit to the waiter, so a newcomer cannot slip past the capacity', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const waiter = semaphore.acquire();
    release();
    // The waiter has not run yet; a newcomer must still wait behind it.
    let newcomer = false;
    void semaphore.acquire().then(() => (newcomer = true));
    await waiter;
    await tick();
    expect(newcomer).toBe(false);
    expect(semaphore.inUse).toBe(1);
  });

  it('gives a permit back once however often release is called', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    release();
    release();
    expect(semaphore.inUse).toBe(0);
    await semaphore.acquire();
    await semaphore.acquire(AbortSignal.timeout(20)).catch(() => undefined);
    expect(semaphore.inUse).toBe(1);
  });

  it('stops waiting when the signal aborts, and leaves the queue', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    expect(semaphore.waiting).toBe(0);
    await expect(semaphore.acquire(controller.signal)).rejects.toThrow('shutting down');
  });
});

describe('Semaphore.resize', () => {
  it('lets waiters in when it grows, and lets holders over a smaller capacity finish first', async () => {
    const semaphore = new Semaphore(2);
    const first = await semaphore.acquire();
    const second = await semaphore.acquire();
    let third = false;
    void semaphore.acquire().then(() => (third = true));
    semaphore.resize(1);
    first();
    await tick();
    // Two held, capacity one: giving one back leaves one holder and lets nobody in.
    expect(third).toBe(false);
    expect(semaphore.inUse).toBe(1);
    semaphore.resize(3);
    await tick();
    expect(third).toBe(true);
    expect(semaphore.inUse).toBe(2);
    second();
    expect(semaphore.inUse).toBe(1);
  });
});
