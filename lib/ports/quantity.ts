/** Kubernetes resource quantities (`100m`, `128Mi`, `1.5`, `1e3`): parsing and formatting. */

const QUANTITY = /^\+?(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
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

/** The value of a non-negative quantity in base units (cores, bytes); undefined when it is not one. */
export function parseQuantity(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : MULTIPLIERS[suffix];
  return number * multiplier;
}

/** A positive Kubernetes quantity. */
export function isPositiveQuantity(text: string): boolean {
  const value = parseQuantity(text);
  return value !== undefined && value > 0;
}

/** CPU cores as a quantity in millicores, rounded up (`0.25` -> `250m`). */
export function formatCpu(cores: number): string {
  return `${Math.ceil(Math.round(cores * 1e6) / 1e3)}m`;
}

/** Bytes as a quantity, in Mi when whole (`134217728` -> `128Mi`), else in bytes rounded up. */
export function formatMemory(bytes: number): string {
  const mebibytes = bytes / 2 ** 20;
  return Number.isInteger(mebibytes) ? `${mebibytes}Mi` : `${Math.ceil(bytes)}`;
}
