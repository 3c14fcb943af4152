import { ServiceUnavailableException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config.js';
import { HashGate } from './hash-gate.service.js';

const gate = (ceiling: number) =>
  new HashGate(Object.assign(new AppConfig(), { LOGIN_MAX_CONCURRENT_HASHES: ceiling }));

describe('HashGate', () => {
  it('lets in up to the ceiling at once, then refuses with 503 and Retry-After', () => {
    const hashes = gate(2);
    const first = hashes.enter();
    hashes.enter();
    let refusal: unknown;
    try {
      hashes.enter();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ServiceUnavailableException);
    expect((refusal as ServiceUnavailableException).getResponse()).toMatchObject({
      message: 'too many logins are being checked at once (limit 2); try again in 1 s',
      retry_after: 1,
    });
    // Leaving frees a place; leaving twice frees only one.
    first();
    first();
    hashes.enter();
    expect(() => hashes.enter()).toThrow(ServiceUnavailableException);
  });

  it('has no ceiling when set to 0', () => {
    const hashes = gate(0);
    expect(() => {
      for (let i = 0; i < 1000; i += 1) hashes.enter();
    }).not.toThrow();
  });
});
