import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { assertPublicHost, parseWebhookUrl } from './webhook-url.policy.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowPrivate: boolean;
  timeoutMs: number;
}

/**
 * POSTs a delivery and answers the receiver's status. The connection uses the addresses checked
 * here, not a second resolution, so a name cannot be re-pointed between check and connect.
 */
export async function sendWebhook(delivery: WebhookRequest): Promise<number> {
  const url = parseWebhookUrl(delivery.url);
  await assertPublicHost(url, delivery.allowPrivate);
  const checkedLookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, { all: true, verbatim: true })
      .then(async (addresses) => {
        for (const { address } of addresses)
          await assertPublicHost(
            new URL(`http://${address.includes(':') ? `[${address}]` : address}`),
            delivery.allowPrivate,
          );
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: Error) => callback(error as NodeJS.ErrnoException, '', 0));
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(delivery.body),
          'user-agent': 'RegistroOS-Webhooks/1',
          ...delivery.headers,
        },
        lookup: checkedLookup,
        timeout: delivery.timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${delivery.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(delivery.body);
  });
}
