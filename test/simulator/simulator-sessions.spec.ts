import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../demo/erp-simulator/index.js';
import { LAYOUT_PATHS, SimulatorClient, type Layout } from './simulator-client.js';

let sim: RunningSimulator | undefined;

async function start(options: Partial<SimulatorOptions>): Promise<RunningSimulator> {
  sim = await startSimulator(options);
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const expired = (text: string): boolean => text.includes('Sessão expirada');

describe.each(['a', 'b'] as Layout[])('sessions, layout %s', (layout) => {
  const home = LAYOUT_PATHS[layout].home;

  it('login sets a session cookie and redirects home', async () => {
    const s = await start({ layout });
    const client = new SimulatorClient(s.url, layout);
    const response = await client.login();
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(home);
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(client.sessionId()).toMatch(/^[0-9a-f]{32}$/);
    const page = await client.request(home);
    expect(page.text).toContain(layout === 'a' ? 'Bem-vindo, demo!' : 'Olá, demo');
    expect(s.stats()).toMatchObject({ logins: { successful: 1, failed: 0 }, activeSessions: 1 });
  });

  it('the session cap logs the oldest session out', async () => {
    const s = await start({ layout, maxSessions: 2 });
    const clients = [1, 2, 3].map(() => new SimulatorClient(s.url, layout));
    for (const client of clients) await client.login();
    expect(expired((await clients[0].request(home)).text)).toBe(true);
    expect(expired((await clients[1].request(home)).text)).toBe(false);
    expect(expired((await clients[2].request(home)).text)).toBe(false);
    expect(s.stats()).toMatchObject({
      sessionsEvicted: 1,
      activeSessions: 2,
      peakActiveSessions: 2,
    });
  });

  it('an idle session expires; one in use does not', async () => {
    const s = await start({ layout, sessionIdleMs: 300 });
    const idle = new SimulatorClient(s.url, layout);
    const busy = new SimulatorClient(s.url, layout);
    await idle.login();
    await busy.login();
    for (let i = 0; i < 12; i++) {
      await sleep(50);
      expect(expired((await busy.request(home)).text)).toBe(false);
    }
    const page = await idle.request(home);
    expect(page.status).toBe(200);
    expect(expired(page.text)).toBe(true);
    expect(s.stats().sessionsExpired).toBeGreaterThanOrEqual(1);
  });

  it('a session ends at its absolute lifetime even when in use', async () => {
    const s = await start({ layout, sessionMaxAgeMs: 300 });
    const client = new SimulatorClient(s.url, layout);
    await client.login();
    let ended = false;
    for (let i = 0; i < 20 && !ended; i++) {
      await sleep(50);
      ended = expired((await client.request(home)).text);
    }
    expect(ended).toBe(true);
  });

  it('the JSON endpoint answers an ended session with the HTML page, status 200', async () => {
    const s = await start({ layout, maxSessions: 1 });
    const client = new SimulatorClient(s.url, layout);
    await client.login();
    const { detailId } = await client.openOrder('1002');
    await new SimulatorClient(s.url, layout).login(); // evicts the first session
    const items = await client.items(detailId!);
    expect(items.status).toBe(200);
    expect(items.headers.get('content-type')).toMatch(/^text\/html/);
    expect(expired(items.text)).toBe(true);
  });

  it('rejects a reused CSRF token, a wrong password, and counts them', async () => {
    const s = await start({ layout });
    const client = new SimulatorClient(s.url, layout);
    const paths = LAYOUT_PATHS[layout];
    const csrf = layout === 'a' ? '_csrf' : 'token_csrf';
    const page = await client.request(paths.login);
    const token = new RegExp(`name="${csrf}" value="([^"]+)"`).exec(page.text)![1];
    const form = (password: string): Record<string, string> =>
      layout === 'a'
        ? { _csrf: token, usuario: 'demo', senha: password }
        : { token_csrf: token, origem: 'portal', login: 'demo', senha: password };
    expect((await client.request(paths.loginAction, { form: form('demo') })).status).toBe(302);
    const reused = await client.request(paths.loginAction, { form: form('demo') });
    expect(reused.status).toBe(200);
    expect(reused.text).toMatch(
      layout === 'a' ? /Formulário expirado/ : /página de acesso expirou/,
    );
    const wrong = await new SimulatorClient(s.url, layout).login('demo', 'errada');
    expect(wrong.status).toBe(200);
    expect(wrong.text).toMatch(
      layout === 'a' ? /Usuário ou senha inválidos/ : /Login ou senha incorretos/,
    );
    expect(s.stats().logins).toEqual({ successful: 1, failed: 2 });
  });

  it('logout ends the session', async () => {
    const s = await start({ layout });
    const client = new SimulatorClient(s.url, layout);
    await client.login();
    const id = client.sessionId()!;
    await client.request(layout === 'a' ? '/logout' : '/acesso/sair');
    client.cookies.set(LAYOUT_PATHS[layout].cookie, id);
    expect(expired((await client.request(home)).text)).toBe(true);
    expect(s.stats().activeSessions).toBe(0);
  });
});

describe('pages without a session', () => {
  it('layout a redirects to the login page', async () => {
    const s = await start({ layout: 'a' });
    const response = await new SimulatorClient(s.url, 'a').request('/os/detalhe?numero=1002');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('layout b answers 200 with the login form, without the expiry notice', async () => {
    const s = await start({ layout: 'b' });
    const response = await new SimulatorClient(s.url, 'b').request('/ordens/ficha?cod=10000000');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<form name="frmLogin"');
    expect(expired(response.text)).toBe(false);
  });

  it('layout b refuses a login post that did not come from its form', async () => {
    const s = await start({ layout: 'b' });
    const client = new SimulatorClient(s.url, 'b');
    const page = await client.request('/acesso/entrar');
    const token = /name="token_csrf" value="([^"]+)"/.exec(page.text)![1];
    const response = await client.request('/acesso/autenticar', {
      form: { token_csrf: token, login: 'demo', senha: 'demo' },
    });
    expect(response.status).toBe(200);
    expect(s.stats().logins.failed).toBe(1);
  });
});
