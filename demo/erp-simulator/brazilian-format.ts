/** How the simulated ERP prints values: Brazilian conventions, as legacy screens do. */

function groupThousands(integerPart: string): string {
  return integerPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** 123456 cents → `1.234,56`. */
export function formatDecimalCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const reais = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}${groupThousands(String(reais))},${rest}`;
}

/** 123456 cents → `R$ 1.234,56`; `separator` lets a layout use a non-breaking space. */
export function formatMoneyBrl(cents: number, separator = ' '): string {
  return `R$${separator}${formatDecimalCents(cents)}`;
}

/** `2024-03-07` → `07/03/2024`. */
export function formatDateBr(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** 35 tenths → `3,5`. */
export function formatTenths(tenths: number): string {
  return `${groupThousands(String(Math.floor(tenths / 10)))},${tenths % 10}`;
}
