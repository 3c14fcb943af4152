import { OS_STATUSES } from '../../demo/erp-simulator/index.js';

/**
 * Hand-written readers of the two simulator layouts, built on regular expressions over the raw
 * HTML, with their own number and date conversions. They share nothing with the profile-driven
 * extractor, so agreeing with the truth here checks the simulator's pages on their own.
 */

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  nbsp: '\u00a0',
  copy: '©',
};

export function decodeEntities(html: string): string {
  return html.replace(/&(\w+);/g, (whole, name: string) => ENTITIES[name] ?? whole);
}

function must(html: string, pattern: RegExp, what: string): string {
  const match = pattern.exec(html);
  if (!match) throw new Error(`${what} not found`);
  return match[1];
}

function lines(htmlWithBr: string): string {
  return htmlWithBr
    .split(/<br>\s*/)
    .map((line) => decodeEntities(line).trim())
    .join('\n');
}

export function brNumber(text: string): number {
  return Number(
    text
      .replace('R$', '')
      .replace(/[\s\u00a0]/g, '')
      .replace(/\./g, '')
      .replace(',', '.'),
  );
}

function isoDate(text: string): string {
  const [day, month, year] = text.trim().split('/');
  return `${year}-${month}-${day}`;
}

export interface HandParsed {
  record: Record<string, unknown>;
  /** Internal id used by the page to load its items. */
  detailId: string;
}

export function parseLayoutA(html: string, itemsJson: unknown): HandParsed {
  const cell = (id: string): string =>
    must(html, new RegExp(`<td id="${id}"[^>]*>([\\s\\S]*?)</td>`), id);
  const optional = (id: string): string | null => (cell(id) === '&nbsp;' ? null : cell(id));
  const items = itemsJson as {
    os_id: number;
    itens: {
      codigo: string;
      descricao: string;
      quantidade: number;
      valor_unitario: string;
      valor_total: string;
    }[];
  };
  const detailId = must(
    html,
    /<input type="hidden" name="os_id" id="os_id" value="(\d+)">/,
    'os_id',
  );
  if (String(items.os_id) !== detailId) throw new Error('items of another OS');
  const servico = optional('txt_servico');
  const conclusao = optional('dt_conclusao');
  return {
    detailId,
    record: {
      os_number: must(cell('os_numero'), /^<b>(\d+)<\/b>$/, 'os number'),
      cliente_nome: decodeEntities(cell('cli_nome')),
      cliente_cnpj: cell('cli_cnpj'),
      contato_telefone: cell('cli_fone'),
      equipamento_tipo: decodeEntities(cell('eqp_tipo')),
      equipamento_marca: decodeEntities(cell('eqp_marca')),
      equipamento_modelo: decodeEntities(cell('eqp_modelo')),
      equipamento_serie: cell('eqp_serie'),
      status: decodeEntities(cell('os_status')),
      prioridade: decodeEntities(cell('os_prioridade')),
      setor: decodeEntities(cell('os_setor')),
      tecnico: decodeEntities(cell('os_tecnico')),
      horas_trabalhadas: brNumber(cell('os_horas')),
      data_abertura: isoDate(cell('dt_abertura')),
      data_previsao: isoDate(cell('dt_previsao')),
      data_conclusao: conclusao === null ? null : isoDate(conclusao),
      descricao_problema: lines(cell('txt_problema')),
      servico_executado: servico === null ? null : lines(servico),
      itens: items.itens.map((item) => ({
        codigo: item.codigo,
        descricao: item.descricao,
        quantidade: item.quantidade,
        valor_unitario: brNumber(item.valor_unitario),
        valor_total: brNumber(item.valor_total),
      })),
      valor_total: brNumber(cell('os_total')),
    },
  };
}

export function parseLayoutB(html: string, itemsJson: unknown): HandParsed {
  const dd = (field: string): string =>
    decodeEntities(must(html, new RegExp(`<dd data-campo="${field}">([^<]*)</dd>`), field));
  const date = (field: string): string | null => {
    const text = must(
      html,
      new RegExp(`<span class="data" data-campo="${field}">([^<]*)</span>`),
      field,
    );
    return text === '—' ? null : isoDate(text);
  };
  const items = itemsJson as {
    status: string;
    dados: {
      ordem: number;
      linhas: { cod: string; desc: string; qtd: string; vl_unit: number; vl_total: number }[];
    };
  };
  const detailId = must(html, /var ORDEM_ID = (\d+);/, 'ORDEM_ID');
  if (items.status !== 'ok' || String(items.dados.ordem) !== detailId)
    throw new Error('items of another OS');
  const shownStatus = decodeEntities(
    must(html, /<span class="selo-situacao" data-situacao="[^"]*">([^<]*)<\/span>/, 'status'),
  );
  const badge = decodeEntities(must(html, /data-situacao="([^"]*)"/, 'status badge'));
  if (
    badge !== shownStatus.toUpperCase() ||
    !(OS_STATUSES as readonly string[]).includes(shownStatus)
  ) {
    throw new Error(`status badge ${badge} does not match ${shownStatus}`);
  }
  const phone = /<dd class="fone"><a href="tel:\+55(\d+)">([^<]*)<\/a><\/dd>/.exec(html)!;
  if (phone[1] !== phone[2].replace(/\D/g, ''))
    throw new Error('phone link differs from the number shown');
  const servico = must(
    html,
    /<div id="servico-executado" class="texto-longo">([\s\S]*?)<\/div>/,
    'servico',
  );
  return {
    detailId,
    record: {
      os_number: must(html, /<h1 class="titulo-ordem">Ordem de Serviço nº (\d+)<\/h1>/, 'title'),
      cliente_nome: decodeEntities(must(html, /<dd class="razao">([^<]*)<\/dd>/, 'razao')),
      cliente_cnpj: must(html, /<dt>CNPJ<\/dt><dd>([^<]*)<\/dd>/, 'cnpj'),
      contato_telefone: phone[2],
      equipamento_tipo: dd('tipo'),
      equipamento_marca: dd('marca'),
      equipamento_modelo: dd('modelo'),
      equipamento_serie: dd('serie'),
      status: shownStatus,
      prioridade: decodeEntities(
        must(html, /<span class="selo-prioridade">Prioridade: ([^<]*)<\/span>/, 'prioridade'),
      ),
      setor: decodeEntities(must(html, /<dd class="setor">([^<]*)<\/dd>/, 'setor')),
      tecnico: decodeEntities(must(html, /<dd class="tecnico">([^<]*)<\/dd>/, 'tecnico')),
      horas_trabalhadas: brNumber(
        must(html, /<p class="horas">Horas apontadas: <strong>([\d.,]+) h<\/strong><\/p>/, 'horas'),
      ),
      data_abertura: date('abertura'),
      data_previsao: date('previsao'),
      data_conclusao: date('conclusao'),
      descricao_problema: decodeEntities(
        must(html, /<textarea name="problema"[^>]*>\n([\s\S]*?)<\/textarea>/, 'problema'),
      ),
      servico_executado: servico === '—' ? null : lines(servico),
      itens: items.dados.linhas.map((item) => ({
        codigo: item.cod,
        descricao: item.desc,
        quantidade: Number(item.qtd),
        valor_unitario: item.vl_unit,
        valor_total: item.vl_total,
      })),
      valor_total: brNumber(
        decodeEntities(
          must(
            html,
            /<div class="total">Valor total: <span class="moeda">([^<]*)<\/span>/,
            'total',
          ),
        ),
      ),
    },
  };
}
