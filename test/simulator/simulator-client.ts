import iconv from 'iconv-lite';

/**
 * A deliberately plain HTTP client for tests: its own cookie handling and hand-written knowledge
 * of both simulator layouts (paths, form fields), so that what it reads does not depend on the
 * profile or the extractor under test.
 */

export interface SimulatorResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** Body decoded with the charset of its Content-Type. */
  text: string;
  charset: string;
}

export type Layout = 'a' | 'b';

export const LAYOUT_PATHS = {
  a: { login: '/login', loginAction: '/login', home: '/home', cookie: 'ERPSESSID' },
  b: {
    login: '/acesso/entrar',
    loginAction: '/acesso/autenticar',
    home: '/painel',
    cookie: 'SIGO_SESSAO',
  },
} as const;

export class SimulatorClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly layout: Layout,
  ) {}

  async request(
    path: string,
    init: { method?: 'GET' | 'POST'; form?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<SimulatorResponse> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
      signal: init.signal,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => /max-age=0/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const charset =
      /charset=([\w-]+)/i.exec(response.headers.get('content-type') ?? '')?.[1] ?? 'utf-8';
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      text: iconv.decode(bytes, charset),
      charset,
    };
  }

  /** Fills the login form by hand (CSRF read with a regex) and expects the redirect home. */
  async login(user = 'demo', password = 'demo'): Promise<SimulatorResponse> {
    const paths = LAYOUT_PATHS[this.layout];
    const page = await this.request(paths.login);
    const csrfName = this.layout === 'a' ? '_csrf' : 'token_csrf';
    const token = new RegExp(`name="${csrfName}" value="([^"]+)"`).exec(page.text)?.[1];
    if (!token) throw new Error(`No CSRF token on the login page (status ${page.status})`);
    const form: Record<string, string> =
      this.layout === 'a'
        ? { _csrf: token, usuario: user, senha: password }
        : { token_csrf: token, origem: 'portal', login: user, senha: password };
    return this.request(paths.loginAction, { form });
  }

  sessionId(): string | undefined {
    return this.cookies.get(LAYOUT_PATHS[this.layout].cookie);
  }

  /** The detail page of an OS the way a person reaches it (layout b: through the search). */
  async openOrder(
    osNumber: string,
  ): Promise<{ page: SimulatorResponse; detailId: string | null; notFound: boolean }> {
    if (this.layout === 'a') {
      const page = await this.request(`/os/detalhe?numero=${encodeURIComponent(osNumber)}`);
      const detailId = /id="os_id" value="(\d+)"/.exec(page.text)?.[1] ?? null;
      return { page, detailId, notFound: page.text.includes('id="os-nao-encontrada"') };
    }
    const result = await this.request('/ordens/pesquisa', { form: { nr_os: osNumber } });
    const href = /<a class="abrir-ordem" href="([^"]+)"/.exec(result.text)?.[1];
    if (!href)
      return {
        page: result,
        detailId: null,
        notFound: result.text.includes('class="sem-resultado"'),
      };
    const link = new URL(href, new URL('/ordens/pesquisa', this.baseUrl));
    const page = await this.request(link.pathname + link.search);
    const detailId = /var ORDEM_ID = (\d+);/.exec(page.text)?.[1] ?? null;
    return { page, detailId, notFound: false };
  }

  /** The JSON the detail page's script loads. */
  async items(detailId: string): Promise<SimulatorResponse> {
    return this.request(
      this.layout === 'a' ? `/os/itens.json?id=${detailId}` : `/ordens/ficha/itens?cod=${detailId}`,
    );
  }
}

export async function fetchTruth(
  baseUrl: string,
  osNumber: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}/__truth/os/${encodeURIComponent(osNumber)}`);
  return { status: response.status, body: await response.json() };
}
