import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Loopback, private, link-local, CGNAT, multicast and other non-public ranges. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Why a webhook URL is refused; the message is the API's answer. */
export class WebhookUrlError extends Error {}

/** Checks the form of a webhook URL: http(s), a host, no credentials. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError('url must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookUrlError('url must be an absolute http or https URL');
  if (url.username || url.password)
    throw new WebhookUrlError('url must not carry credentials (use the signing secret)');
  if (!url.hostname) throw new WebhookUrlError('url must name a host');
  return url;
}

/**
 * Resolves the host and refuses it when any address is not public, unless allowed. Run at
 * registration and again before every delivery, so a name re-pointed later (DNS rebinding) is caught.
 */
export async function assertPublicHost(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new WebhookUrlError(`url host ${host} does not resolve`);
  }
  for (const { address, family } of addresses) {
    if (NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4'))
      throw new WebhookUrlError(
        `url host ${host} resolves to ${address}, a private, loopback or link-local address`,
      );
  }
}
