// Rupiah is a zero-decimal currency: amounts are whole integers, shown as "Rp 150.000".

export function formatRupiah(amount: number): string {
  if (!Number.isInteger(amount)) throw new RangeError(`Rupiah amounts are integers, got ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const digits = Math.abs(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}Rp ${digits}`;
}

/** Parses what a person types for a price ("150.000", "Rp 150000", "150 000") into rupiah. */
export function parseRupiah(input: string): number | null {
  const cleaned = input
    .trim()
    .replace(/^rp\.?\s*/i, '')
    .replace(/[.\s]/g, '');
  if (!/^\d{1,12}$/.test(cleaned)) return null;
  return Number(cleaned);
}
