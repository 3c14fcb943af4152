import { describe, expect, it } from 'vitest';
import {
  assertPublicHost,
  parseWebhookUrl,
  WebhookUrlError,
} from '../../src/webhooks/webhook-url.policy.js';
import { signWebhook, verifyWebhook } from '../../src/webhooks/webhook-signature.js';

describe('webhook URL policy', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/hook',
    'http://172.20.0.5/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[::1]/hook',
    'http://[fe80::1]/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://localhost/hook',
  ])('refuses %s unless private addresses are allowed', async (text) => {
    const url = parseWebhookUrl(text);
    await expect(assertPublicHost(url, false)).rejects.toThrow(WebhookUrlError);
    await expect(assertPublicHost(url, true)).resolves.toBeUndefined();
  });

  it('accepts a public address', async () => {
    await expect(
      assertPublicHost(parseWebhookUrl('https://93.184.215.14/x'), false),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['not a URL', 'hook', 'url must be an absolute http or https URL'],
    ['another scheme', 'file:///etc/passwd', 'url must be an absolute http or https URL'],
    [
      'credentials',
      'https://a:b@example.com/',
      'url must not carry credentials (use the signing secret)',
    ],
  ])('refuses %s', (_case, text, message) => {
    expect(() => parseWebhookUrl(text)).toThrow(message);
  });
});

describe('webhook signatures', () => {
  const secret = 'a-secret-of-at-least-thirty-two-chars';
  const body = '{"event":"os.changed"}';

  it('verifies within the tolerance and refuses a changed body, another secret or an old timestamp', () => {
    const now = 1_764_600_000;
    const signature = signWebhook(secret, now, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const header = { timestamp: String(now), signature };
    expect(verifyWebhook(secret, header, body, 300, now + 299)).toBe(true);
    expect(verifyWebhook(secret, header, body + ' ', 300, now)).toBe(false);
    expect(verifyWebhook(`${secret}x`, header, body, 300, now)).toBe(false);
    expect(verifyWebhook(secret, header, body, 300, now + 301)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: 'soon', signature }, body, 300, now)).toBe(false);
  });
});
