import {
  AREA_CODES,
  CLIENT_KINDS,
  CLIENT_NAMES,
  CLIENT_SUFFIXES,
  EQUIPMENT,
  ITEM_CATALOG,
  OS_PRIORITIES,
  PRIORITY_WEIGHTS,
  PROBLEM_LINES,
  SECTORS,
  SERVICE_LINES,
  STATUS_WEIGHTS,
  TECHNICIANS,
  type OsPriority,
  type OsStatus,
} from './order-catalog-data.js';
import { MAX_OS_NUMBER, toInternalId } from './internal-id.js';
import { SeededRandom, hash32, unitHash } from './seeded-random.js';

export { OS_PRIORITIES };

export interface ServiceOrderItem {
  codigo: string;
  descricao: string;
  quantidade: number;
  valorUnitarioCents: number;
  valorTotalCents: number;
}

/**
 * One service order as the simulated ERP stores it. Money is kept in cents and dates as ISO
 * strings so that pages (Brazilian formats) and the truth (normalised JSON) derive from the same
 * exact values.
 */
export interface ServiceOrder {
  osNumber: number;
  internalId: number;
  clienteNome: string;
  clienteCnpj: string;
  contatoTelefone: string;
  equipamentoTipo: string;
  equipamentoMarca: string;
  equipamentoModelo: string;
  equipamentoSerie: string;
  status: OsStatus;
  prioridade: OsPriority;
  setor: string;
  tecnico: string;
  /** Hours worked in tenths of an hour (35 = 3,5 h). */
  horasTrabalhadasTenths: number;
  dataAbertura: string;
  dataPrevisao: string;
  dataConclusao: string | null;
  /** Text lines; pages join them with line breaks. */
  descricaoProblema: string[];
  servicoExecutado: string[] | null;
  itens: ServiceOrderItem[];
  valorTotalCents: number;
}

const EXISTS_SALT = 0x5eed_0001;
const DATA_SALT = 0x5eed_0002;
const FIRST_DAY = Date.UTC(2019, 0, 1);
const DAY_MS = 86_400_000;
const SPAN_DAYS = 7 * 365;

/** Whether an OS number exists: a stable share `notFoundRate` of valid numbers does not. */
export function osExists(osNumber: number, seed: number, notFoundRate: number): boolean {
  if (!Number.isSafeInteger(osNumber) || osNumber < 1 || osNumber > MAX_OS_NUMBER) return false;
  return unitHash(seed, EXISTS_SALT, osNumber) >= notFoundRate;
}

function isoDay(epochDay: number): string {
  return new Date(FIRST_DAY + epochDay * DAY_MS).toISOString().slice(0, 10);
}

function cnpj(random: SeededRandom): string {
  const base = random.digits(8) + '0001';
  const digits = base.split('').map(Number);
  const checkDigit = (weights: number[]): number => {
    const sum = weights.reduce((acc, w, i) => acc + w * digits[i], 0);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  digits.push(checkDigit([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
  digits.push(checkDigit([6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
  const d = digits.join('');
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

function phone(random: SeededRandom): string {
  const area = random.pick(AREA_CODES);
  return random.next() < 0.6
    ? `(${area}) 9${random.digits(4)}-${random.digits(4)}`
    : `(${area}) 3${random.digits(3)}-${random.digits(4)}`;
}

function serialNumber(random: SeededRandom): string {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  let out = '';
  for (let i = 0; i < 2; i++) out += letters[random.int(0, letters.length - 1)];
  return `${out}${random.digits(2)}-${random.digits(6)}`;
}

function items(random: SeededRandom): ServiceOrderItem[] {
  const picked = random.sample(ITEM_CATALOG, random.int(1, 6));
  return picked.map((entry) => {
    const isService = entry.code.startsWith('SV');
    const quantidade = isService
      ? random.int(1, 8)
      : random.int(1, entry.priceCents > 1_000_000 ? 4 : 12);
    const valorUnitarioCents = Math.round((entry.priceCents * random.int(80, 120)) / 100);
    return {
      codigo: entry.code,
      descricao: entry.description,
      quantidade,
      valorUnitarioCents,
      valorTotalCents: quantidade * valorUnitarioCents,
    };
  });
}

/**
 * The service order behind a number, generated from (seed, number) alone. Callers check
 * `osExists` first; this always returns a record.
 */
export function generateServiceOrder(osNumber: number, seed: number): ServiceOrder {
  const random = new SeededRandom(hash32(seed, DATA_SALT, osNumber));
  const equipment = random.pick(EQUIPMENT);
  const brand = random.pick(equipment.brands);
  const status = random.weighted(STATUS_WEIGHTS);
  const opened = random.int(0, SPAN_DAYS);
  const closed =
    status === 'Concluída'
      ? opened + random.int(1, 40)
      : status === 'Cancelada'
        ? opened + random.int(0, 10)
        : null;
  const itens = items(random);
  return {
    osNumber,
    internalId: toInternalId(osNumber, seed),
    clienteNome: `${random.pick(CLIENT_KINDS)} ${random.pick(CLIENT_NAMES)} ${random.pick(CLIENT_SUFFIXES)}`,
    clienteCnpj: cnpj(random),
    contatoTelefone: phone(random),
    equipamentoTipo: equipment.type,
    equipamentoMarca: brand.brand,
    equipamentoModelo: random.pick(brand.models),
    equipamentoSerie: serialNumber(random),
    status,
    prioridade: random.weighted(PRIORITY_WEIGHTS),
    setor: random.pick(SECTORS),
    tecnico: random.pick(TECHNICIANS),
    horasTrabalhadasTenths: status === 'Aberta' ? 0 : random.int(1, 80) * 5,
    dataAbertura: isoDay(opened),
    dataPrevisao: isoDay(opened + random.int(2, 30)),
    dataConclusao: closed === null ? null : isoDay(closed),
    descricaoProblema: random.sample(PROBLEM_LINES, random.int(1, 3)),
    servicoExecutado: status === 'Aberta' ? null : random.sample(SERVICE_LINES, random.int(1, 3)),
    itens,
    valorTotalCents: itens.reduce((sum, item) => sum + item.valorTotalCents, 0),
  };
}
