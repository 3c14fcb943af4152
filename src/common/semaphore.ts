/**
 * At most `capacity` holders at a time, served first come, first served. `acquire` resolves to
 * the function that gives the permit back (calling it twice gives it back once).
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private capacity: number) {}

  get limit(): number {
    return this.capacity;
  }

  /** A new capacity: waiters are let in at once when it grows; holders over it finish first. */
  resize(capacity: number): void {
    this.capacity = capacity;
    while (this.held < this.capacity && this.waiters.length > 0) {
      this.held += 1;
      this.waiters.shift()!();
    }
  }

  get inUse(): number {
    return this.held;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Waits for a permit; rejects with `signal.reason` when the signal aborts first. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.held < this.capacity) {
      this.held += 1;
      return this.permit();
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.splice(this.waiters.indexOf(wake), 1);
        reject(signal?.reason);
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.permit();
  }

  /** A permit already counted in `held`; giving it back hands it straight to the next waiter. */
  private permit(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.held <= this.capacity ? this.waiters.shift() : undefined;
      if (next) next();
      else this.held -= 1;
    };
  }
}
