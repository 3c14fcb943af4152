import type { ServiceOrder } from './os-data-generator.js';

export interface OsTruthItem {
  codigo: string;
  descricao: string;
  quantidade: number;
  valor_unitario: number;
  valor_total: number;
}

/**
 * What a correct scraper reads from one OS page, in normalised types: ISO dates, money in reais
 * (2 decimals), integers as numbers, text trimmed with inner whitespace collapsed and line breaks
 * as `\n`. The shipped profiles name their fields after these keys, so the extractor's output
 * deep-equals this record.
 */
export interface OsTruthRecord {
  os_number: string;
  cliente_nome: string;
  cliente_cnpj: string;
  contato_telefone: string;
  equipamento_tipo: string;
  equipamento_marca: string;
  equipamento_modelo: string;
  equipamento_serie: string;
  status: string;
  prioridade: string;
  setor: string;
  tecnico: string;
  horas_trabalhadas: number;
  data_abertura: string;
  data_previsao: string;
  data_conclusao: string | null;
  descricao_problema: string;
  servico_executado: string | null;
  itens: OsTruthItem[];
  valor_total: number;
}

const reais = (cents: number): number => cents / 100;

export function toTruthRecord(order: ServiceOrder): OsTruthRecord {
  return {
    os_number: String(order.osNumber),
    cliente_nome: order.clienteNome,
    cliente_cnpj: order.clienteCnpj,
    contato_telefone: order.contatoTelefone,
    equipamento_tipo: order.equipamentoTipo,
    equipamento_marca: order.equipamentoMarca,
    equipamento_modelo: order.equipamentoModelo,
    equipamento_serie: order.equipamentoSerie,
    status: order.status,
    prioridade: order.prioridade,
    setor: order.setor,
    tecnico: order.tecnico,
    horas_trabalhadas: order.horasTrabalhadasTenths / 10,
    data_abertura: order.dataAbertura,
    data_previsao: order.dataPrevisao,
    data_conclusao: order.dataConclusao,
    descricao_problema: order.descricaoProblema.join('\n'),
    servico_executado: order.servicoExecutado === null ? null : order.servicoExecutado.join('\n'),
    itens: order.itens.map((item) => ({
      codigo: item.codigo,
      descricao: item.descricao,
      quantidade: item.quantidade,
      valor_unitario: reais(item.valorUnitarioCents),
      valor_total: reais(item.valorTotalCents),
    })),
    valor_total: reais(order.valorTotalCents),
  };
}
