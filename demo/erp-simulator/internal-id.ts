/**
 * Legacy systems address records by a surrogate key, not by the number users know. The detail
 * page here is reached by such an internal id: a bijection of the OS number (an affine map modulo
 * a prime), so any id can be mapped back without keeping a table, and ids never equal numbers.
 */

/** OS numbers the simulator knows: 1 to 9,999,999. */
export const MAX_OS_NUMBER = 9_999_999;

const PRIME = 10_000_019n;
const MULTIPLIER = 7_368_787n;
const ID_OFFSET = 10_000_000;

function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}

const INVERSE = modInverse(MULTIPLIER, PRIME);

function shiftFor(seed: number): bigint {
  return BigInt(seed >>> 0) % PRIME;
}

/** Internal id (8 digits, from 10,000,000) of an OS number under a seed. */
export function toInternalId(osNumber: number, seed: number): number {
  const mixed = (BigInt(osNumber) * MULTIPLIER + shiftFor(seed)) % PRIME;
  return ID_OFFSET + Number(mixed);
}

/** The OS number behind an internal id, or null when the id cannot come from a valid number. */
export function fromInternalId(internalId: number, seed: number): number | null {
  if (!Number.isSafeInteger(internalId) || internalId < ID_OFFSET) return null;
  const mixed = BigInt(internalId - ID_OFFSET);
  if (mixed >= PRIME) return null;
  const osNumber = Number(
    (((((mixed - shiftFor(seed)) % PRIME) + PRIME) % PRIME) * INVERSE) % PRIME,
  );
  return osNumber >= 1 && osNumber <= MAX_OS_NUMBER ? osNumber : null;
}
