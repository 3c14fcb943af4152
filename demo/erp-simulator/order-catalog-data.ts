/**
 * Word lists for the generated service orders. Everything here is encodable in windows-1252, so a
 * page served in that charset carries the same text as the truth. Texts deliberately contain
 * quotes, `<`, `>`, `&` and accents, which a careless scraper mangles.
 */

export const OS_STATUSES = [
  'Aberta',
  'Em andamento',
  'Aguardando peça',
  'Concluída',
  'Cancelada',
] as const;
export type OsStatus = (typeof OS_STATUSES)[number];

export const OS_PRIORITIES = ['Baixa', 'Média', 'Alta', 'Urgente'] as const;
export type OsPriority = (typeof OS_PRIORITIES)[number];

export const STATUS_WEIGHTS: readonly (readonly [OsStatus, number])[] = [
  ['Aberta', 15],
  ['Em andamento', 20],
  ['Aguardando peça', 12],
  ['Concluída', 45],
  ['Cancelada', 8],
];

export const PRIORITY_WEIGHTS: readonly (readonly [OsPriority, number])[] = [
  ['Baixa', 25],
  ['Média', 40],
  ['Alta', 25],
  ['Urgente', 10],
];

export const CLIENT_KINDS = [
  'Metalúrgica',
  'Padaria',
  'Supermercado',
  'Indústria Têxtil',
  'Construtora',
  'Hospital',
  'Transportadora',
  'Laticínios',
  'Farmácia',
  'Auto Peças',
  'Frigorífico',
  'Gráfica',
  'Colégio',
  'Hotel',
];

export const CLIENT_NAMES = [
  'São João',
  'Santa Luzia',
  'Nossa Senhora Aparecida',
  'Irmãos Guimarães',
  'Bom Jesus',
  "D'Ávila",
  'Pão & Mel',
  'Três Corações',
  'Vale do Açaí',
  'Müller & Filhos',
  'Estrela do Sertão',
  'Ipê Amarelo',
  'Conceição',
];

export const CLIENT_SUFFIXES = ['Ltda.', 'ME', 'S.A.', 'EIRELI', 'Ltda. - EPP'];

export const AREA_CODES = [
  '11',
  '19',
  '21',
  '27',
  '31',
  '41',
  '47',
  '48',
  '51',
  '61',
  '62',
  '71',
  '81',
  '85',
];

export const EQUIPMENT: readonly {
  type: string;
  brands: readonly { brand: string; models: readonly string[] }[];
}[] = [
  {
    type: 'Compressor de ar',
    brands: [
      { brand: 'Schulz', models: ['MSV 40/350', 'SRP 3015 Lean', 'CSL 20BR/200'] },
      { brand: 'Chiaperini', models: ['CJ 20+ APV', 'MC 15 BPV 175L'] },
      { brand: 'Atlas Copco', models: ['GA 30 VSD+', 'G 15 FF'] },
    ],
  },
  {
    type: 'Ar-condicionado split',
    brands: [
      { brand: 'Springer Midea', models: ['Xtreme Save 12.000 BTU/h', 'AirVolution 18.000 BTU/h'] },
      { brand: 'LG', models: ['Dual Inverter Voice 9.000 BTU/h', 'Artcool 24.000 BTU/h'] },
      { brand: 'Daikin', models: ['Ecoswing Gold 12K', 'Advance 30.000 BTU/h'] },
    ],
  },
  {
    type: 'Empilhadeira',
    brands: [
      { brand: 'Hyster', models: ['H50FT', 'S2.5FT'] },
      { brand: 'Toyota', models: ['8FGU25', '8FBE15U'] },
    ],
  },
  {
    type: 'Gerador a diesel',
    brands: [
      { brand: 'Stemac', models: ['GTA 150 kVA', 'GTA 81 kVA'] },
      { brand: 'Cummins', models: ['C150 D6', 'C40 D6 (silenciado)'] },
    ],
  },
  {
    type: 'Balança rodoviária',
    brands: [
      { brand: 'Toledo', models: ['9850 - 80 t', 'Conquista 30 t'] },
      { brand: 'Filizola', models: ['BR-E 60 t'] },
    ],
  },
  {
    type: 'Câmara fria',
    brands: [
      { brand: 'Gallant', models: ['CF-30 (-18 °C)', 'CR-12 resfriados'] },
      { brand: 'Refrimate', models: ['RM 4x3x2,5 m'] },
    ],
  },
  {
    type: 'Torno CNC',
    brands: [
      { brand: 'Romi', models: ['GL 240M', 'Centur 30D'] },
      { brand: 'Ergomat', models: ['TND 180'] },
    ],
  },
];

export const SECTORS = [
  'Manutenção Industrial',
  'Refrigeração',
  'Elétrica',
  'Calibração',
  'Mecânica Pesada',
  'Assistência Técnica',
];

export const TECHNICIANS = [
  'José Carlos da Silva',
  'Maria Aparecida Souza',
  "João Pedro D'Ávila",
  'Ana Lúcia Gonçalves',
  'Francisco das Chagas',
  'Luís Otávio Müller',
  'Conceição Araújo',
  'Raimundo Nonato Brandão',
];

export const PROBLEM_LINES = [
  'Equipamento não liga após queda de energia na unidade.',
  'Cliente relata ruído "metálico" ao partir o motor & vibração excessiva.',
  'Pressão de trabalho < 6 bar (especificação do fabricante: 8 bar).',
  'Vazamento de óleo na conexão de 3/4" — verificar vedação e abraçadeiras.',
  'Display exibe o código "E-07"; reinicialização não resolve.',
  'Temperatura > 45 °C durante operação contínua, com desarme do térmico.',
  "Chamado aberto por D'Ávila (manutenção) via telefone às 14h.",
  'Falha intermitente: às vezes funciona, às vezes não & sem padrão aparente.',
  'Usuário digitou no campo: <verificar urgente> & "não mexer na placa".',
  'Câmara não atinge -18 °C; gás possivelmente abaixo do nível.',
  'Balança apresenta diferença de 0,5% na pesagem aferida.',
  'Correia do ventilador ressecada, com trincas visíveis.',
  'Preventiva semestral conforme contrato nº 2023/118.',
  'Painel elétrico com cheiro de queimado após chuva forte.',
];

export const SERVICE_LINES = [
  'Substituído o rolamento 6205-2RS e realinhado o eixo.',
  'Troca do capacitor de partida 40 µF.',
  'Limpeza completa do condensador & recarga de gás R-410A.',
  'Ajustado pressostato para 8 bar; teste de estanqueidade "OK".',
  'Reaperto geral de conexões elétricas (torque < 10 N·m).',
  'Calibração com pesos-padrão rastreáveis (certificado anexo).',
  'Substituída a vedação da conexão 3/4" e verificado o torque.',
  'Atualização de firmware do controlador para a versão 2.4.1.',
  'Equipamento testado por 2h em carga — sem anomalias.',
  'Orientado o operador quanto ao uso correto & limpeza diária.',
];

/** Parts and services with a base price in cents; the generator varies the price ±20%. */
export const ITEM_CATALOG: readonly { code: string; description: string; priceCents: number }[] = [
  { code: 'PC-10231', description: 'Rolamento 6205-2RS', priceCents: 4_590 },
  { code: 'PC-10268', description: 'Capacitor de partida 40 µF', priceCents: 8_990 },
  { code: 'PC-10305', description: 'Correia em V perfil A-42', priceCents: 3_450 },
  { code: 'PC-10342', description: 'Filtro de ar "heavy duty"', priceCents: 12_900 },
  { code: 'PC-10379', description: 'Kit vedação 3/4" (anéis & juntas)', priceCents: 6_780 },
  { code: 'PC-10416', description: 'Gás refrigerante R-410A (kg)', priceCents: 18_900 },
  { code: 'PC-10453', description: 'Placa eletrônica controladora <rev. B>', priceCents: 245_000 },
  { code: 'PC-10490', description: 'Pressostato 175 psi', priceCents: 15_650 },
  { code: 'PC-10527', description: 'Contator tripolar 25 A', priceCents: 21_990 },
  { code: 'PC-10564', description: 'Óleo sintético ISO 46 (litro)', priceCents: 5_990 },
  { code: 'PC-10601', description: 'Motor elétrico 5 cv trifásico', priceCents: 389_900 },
  { code: 'PC-10638', description: 'Célula de carga 30 t', priceCents: 1_287_000 },
  { code: 'SV-001', description: 'Mão de obra técnica especializada (hora)', priceCents: 18_000 },
  { code: 'SV-002', description: 'Deslocamento técnico — região metropolitana', priceCents: 9_500 },
  { code: 'SV-003', description: 'Visita técnica de diagnóstico', priceCents: 25_000 },
  { code: 'SV-004', description: 'Calibração com certificado RBC', priceCents: 89_000 },
];
