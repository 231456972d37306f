// Shipping fees: a pure calculation over a table of couriers, priced the way Indonesian couriers
// quote them: a price for the first kilogram plus a price per extra kilogram, the parcel's weight
// rounded up to whole kilograms (1 001 g costs as 2 kg). Rates are practice figures, not quotes.

export type CourierOption = {
  /** Stable code kept on the order form and in tests. */
  code: string;
  courier: string;
  service: string;
  firstKg: number;
  perExtraKg: number;
  /** Delivery estimate in days, shown next to the price. */
  etaDays: string;
};

export const courierOptions: readonly CourierOption[] = [
  { code: 'jne-reg', courier: 'JNE', service: 'REG', firstKg: 10_000, perExtraKg: 8_000, etaDays: '2–3' },
  { code: 'jne-yes', courier: 'JNE', service: 'YES', firstKg: 18_000, perExtraKg: 15_000, etaDays: '1' },
  { code: 'jnt-ez', courier: 'J&T', service: 'EZ', firstKg: 9_000, perExtraKg: 7_000, etaDays: '2–3' },
  { code: 'sicepat-reg', courier: 'SiCepat', service: 'REG', firstKg: 9_500, perExtraKg: 7_500, etaDays: '2–3' },
  { code: 'pos-kilat', courier: 'Pos Indonesia', service: 'Kilat Khusus', firstKg: 8_000, perExtraKg: 6_000, etaDays: '3–5' },
];

export function findCourier(code: string): CourierOption | undefined {
  return courierOptions.find((option) => option.code === code);
}

/** Whole kilograms charged for a parcel: at least 1, any started kilogram counts. */
export function chargeableKg(weightGrams: number): number {
  if (!Number.isInteger(weightGrams) || weightGrams < 0) throw new RangeError(`Weight must be whole grams, got ${weightGrams}`);
  return Math.max(1, Math.ceil(weightGrams / 1000));
}

export function shippingFee(option: Pick<CourierOption, 'firstKg' | 'perExtraKg'>, weightGrams: number): number {
  return option.firstKg + (chargeableKg(weightGrams) - 1) * option.perExtraKg;
}

/** Total weight of a shop's parcel. */
export function parcelWeight(items: { weightGrams: number; quantity: number }[]): number {
  return items.reduce((sum, item) => sum + item.weightGrams * item.quantity, 0);
}

/** Every courier with its fee for this weight, cheapest first: what the checkout offers. */
export function quoteAll(weightGrams: number): (CourierOption & { fee: number })[] {
  return courierOptions.map((option) => ({ ...option, fee: shippingFee(option, weightGrams) })).sort((a, b) => a.fee - b.fee);
}
