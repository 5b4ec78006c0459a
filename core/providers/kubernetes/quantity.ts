/** Kubernetes resource quantities (`250m`, `1.5Gi`, `128974848`, `1e3`, `100n`) as plain numbers. */

const SUFFIX_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

/** The value of a quantity in base units (cores, bytes), or undefined when it does not parse. */
export function parseQuantity(text: string | number | undefined | null): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * (SUFFIX_FACTORS[match[2] ?? ''] as number);
  return Number.isFinite(value) ? value : undefined;
}

/** Bytes in one GiB. */
export const BYTES_PER_GIB = 2 ** 30;

/** A memory or storage quantity in GiB (0 when absent or unparsable). */
export function quantityGib(text: string | undefined): number {
  return (parseQuantity(text) ?? 0) / BYTES_PER_GIB;
}

/** A CPU quantity in cores (0 when absent or unparsable). */
export function quantityCores(text: string | undefined): number {
  return parseQuantity(text) ?? 0;
}

/** Float noise (0.01 × 1.3 = 0.013000000000000001) must not round a quantity up a whole unit. */
const EPSILON = 1e-9;

/** Formats cores the way kubectl does for requests: millicores below one core. */
export function formatCores(cores: number): string {
  const milli = Math.max(1, Math.ceil(cores * 1000 - EPSILON));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Formats bytes as whole MiB, the usual unit of memory requests. */
export function formatMemory(bytes: number): string {
  const mib = Math.max(1, Math.ceil(bytes / 2 ** 20 - EPSILON));
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
