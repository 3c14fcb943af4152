import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateProfile } from '../profile/profile-validator.js';
import { classifyPage } from './page-classifier.js';
import { extractPageVariables } from './page-variables.js';
import { extractOrder } from './order-extractor.js';

/** The worked example of docs/target-profile.md must stay true: its profile validates and reads its page. */
const doc = readFileSync(new URL('../../../docs/target-profile.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
  lang: m[1],
  body: m[2],
}));
const profileJson = blocks.find(
  (b) => b.lang === 'json' && b.body.includes('"oficina-online"'),
)!.body;
const detailHtml = blocks.find((b) => b.lang === 'html' && b.body.includes('class="numero"'))!.body;
const loginHtml = blocks.find(
  (b) => b.lang === 'html' && b.body.includes('form id="acesso"'),
)!.body;

describe('the worked example in docs/target-profile.md', () => {
  const { profile, errors } = validateProfile(JSON.parse(profileJson));

  it('is a valid profile', () => {
    expect(errors).toEqual([]);
  });

  it('reads the example page and its JSON', () => {
    const page = `<html><body>${detailHtml}</body></html>`;
    expect(extractPageVariables(page, profile!)).toEqual({ ordem_id: '88412' });
    const result = extractOrder(page, profile!, {
      pecas: { pecas: [{ ref: 'F-12', qtd: 2, preco: 35.5 }] },
    });
    expect(result).toEqual({
      kind: 'ok',
      data: {
        os_number: '4521',
        status: 'Fechada',
        cliente_nome: 'Padaria Pão & Mel ME',
        data_abertura: '2025-02-03',
        valor_total: 1250,
        pecas: [{ referencia: 'F-12', quantidade: 2, preco: 35.5 }],
      },
      missing: [],
      invalid: [],
      tableSources: { pecas: 'json' },
    });
  });

  it('tells its ended-session and not-found pages apart', () => {
    const expired = `<html><body><div class="alerta">Sua sessão terminou</div>${loginHtml}</body></html>`;
    expect(classifyPage(expired, profile!)).toBe('session_expired');
    expect(classifyPage(`<html><body>${loginHtml}</body></html>`, profile!)).toBe('login_page');
    expect(
      classifyPage('<html><body><p class="vazio">Ordem inexistente</p></body></html>', profile!),
    ).toBe('not_found');
  });
});
