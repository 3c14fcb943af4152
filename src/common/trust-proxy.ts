import { isIP } from 'node:net';

/**
 * The value of Express's `trust proxy` for a `TRUST_PROXY` setting: `false` (the default: the
 * client address is the socket's, forwarded headers are ignored), a number of proxy hops, or the
 * addresses / CIDRs of the trusted proxies.
 */
export function trustProxySetting(value: string): false | number | string[] {
  const text = value.trim();
  if (text === '' || text === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text) === 0 ? false : Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) continue;
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      rest.length > 0 ||
      (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits))
    ) {
      throw new Error(`TRUST_PROXY: "${entry}" is not an address or CIDR`);
    }
  }
  return entries;
}
