/**
 * Units of each supported currency per US dollar. Mid-market reference rates published by the
 * European Central Bank for 2026-11-30, converted to a USD base; operators may override any rate
 * in settings (`currency_rates`).
 */
export const CURRENCY_RATES = {
  rated_at: '2026-11-30',
  source_url:
    'https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/',
  per_usd: {
    USD: 1,
    EUR: 0.92,
    GBP: 0.79,
    JPY: 151.2,
    CNY: 7.24,
    CAD: 1.39,
    AUD: 1.53,
    CHF: 0.88,
    INR: 84.3,
    SGD: 1.34,
    HKD: 7.78,
    SEK: 10.9,
    NOK: 11.0,
    DKK: 6.87,
    BRL: 5.8,
    KRW: 1395,
    MXN: 20.3,
    NZD: 1.7,
    ZAR: 18.1,
    PLN: 4.0,
  } as Record<string, number>,
};

/** ISO 4217 codes the operator can choose. */
export const SUPPORTED_CURRENCIES = Object.keys(CURRENCY_RATES.per_usd);

/** Converts a USD amount, rounding to the currency's minor unit (whole units for JPY and KRW). */
export function convertFromUsd(
  usd: number,
  currency: string,
  overrides: Record<string, number> = {},
): number {
  const rate = overrides[currency] ?? CURRENCY_RATES.per_usd[currency];
  if (rate === undefined) throw new Error(`unsupported currency ${currency}`);
  const digits = currency === 'JPY' || currency === 'KRW' ? 0 : 2;
  const scale = 10 ** digits;
  return Math.round(usd * rate * scale) / scale;
}
