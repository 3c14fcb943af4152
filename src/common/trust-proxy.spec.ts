import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { trustProxySetting } from './trust-proxy.js';

describe('TRUST_PROXY', () => {
  it('is off by default: forwarded headers are not believed', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe('false');
    expect(trustProxySetting('false')).toBe(false);
    expect(trustProxySetting('0')).toBe(false);
  });

  it('takes a hop count or a list of addresses, CIDRs and Express names', () => {
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('10.0.0.0/8, 192.168.1.10,loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      'loopback',
    ]);
    expect(trustProxySetting('fd00::/8')).toEqual(['fd00::/8']);
  });

  it('stops the boot naming the variable when a value is neither', () => {
    for (const value of ['yes', '10.0.0.0/33', '300.1.1.1', 'true', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(
        'TRUST_PROXY must be false, a hop count or a comma list of addresses/CIDRs',
      );
    }
  });
});
