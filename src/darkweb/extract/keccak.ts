/**
 * Keccak-256 as Monero (and Ethereum) use it: the original Keccak submission's padding (0x01 … 0x80),
 * not FIPS 202 SHA3-256 (0x06 … 0x80), which is why node's 'sha3-256' cannot be used. Rare inputs
 * only (address checksums), so 64-bit lanes as BigInt keep it short rather than fast.
 */

const MASK64 = (1n << 64n) - 1n;

/** Round constants of Keccak-f[1600] (FIPS 202 section 3.2.5, iota). */
const ROUND_CONSTANTS = [
  0x0000000000000001n,
  0x0000000000008082n,
  0x800000000000808an,
  0x8000000080008000n,
  0x000000000000808bn,
  0x0000000080000001n,
  0x8000000080008081n,
  0x8000000000008009n,
  0x000000000000008an,
  0x0000000000000088n,
  0x0000000080008009n,
  0x000000008000000an,
  0x000000008000808bn,
  0x800000000000008bn,
  0x8000000000008089n,
  0x8000000000008003n,
  0x8000000000008002n,
  0x8000000000000080n,
  0x000000000000800an,
  0x800000008000000an,
  0x8000000080008081n,
  0x8000000000008080n,
  0x0000000080000001n,
  0x8000000080008008n,
] as const;

/** Rho rotation offsets, lane index x + 5y (FIPS 202 section 3.2.2, table 2). */
const ROTATIONS = [
  0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
] as const;

function rotl(lane: bigint, by: number): bigint {
  if (by === 0) return lane;
  const shift = BigInt(by);
  return ((lane << shift) | (lane >> (64n - shift))) & MASK64;
}

function keccakF1600(state: bigint[]): void {
  const c: bigint[] = new Array<bigint>(5).fill(0n);
  const b: bigint[] = new Array<bigint>(25).fill(0n);
  for (const roundConstant of ROUND_CONSTANTS) {
    // theta
    for (let x = 0; x < 5; x++) c[x] = state[x]! ^ state[x + 5]! ^ state[x + 10]! ^ state[x + 15]! ^ state[x + 20]!;
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1);
      for (let y = 0; y < 25; y += 5) state[x + y] = state[x + y]! ^ d;
    }
    // rho and pi: lane (x, y) moves to (y, 2x + 3y)
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(state[x + 5 * y]!, ROTATIONS[x + 5 * y]!);
    }
    // chi
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) state[x + y] = b[x + y]! ^ (~b[((x + 1) % 5) + y]! & MASK64 & b[((x + 2) % 5) + y]!);
    }
    // iota
    state[0] = state[0]! ^ roundConstant;
  }
}

/**
 * Keccak sponge over Keccak-f[1600]: `rateBytes` per block, `padByte` the first padding byte (0x01 for
 * Keccak, 0x06 for SHA-3; the last padding bit 0x80 is added here), `outputBytes` squeezed (≤ rate).
 */
export function keccakSponge(data: Uint8Array, rateBytes: number, padByte: number, outputBytes: number): Uint8Array {
  const state: bigint[] = new Array<bigint>(25).fill(0n);
  const padded = new Uint8Array(Math.floor(data.length / rateBytes) * rateBytes + rateBytes);
  padded.set(data);
  padded[data.length] = padded[data.length]! ^ padByte;
  padded[padded.length - 1] = padded[padded.length - 1]! ^ 0x80;
  for (let offset = 0; offset < padded.length; offset += rateBytes) {
    for (let lane = 0; lane < rateBytes / 8; lane++) {
      let value = 0n;
      for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(padded[offset + lane * 8 + i]!);
      state[lane] = state[lane]! ^ value;
    }
    keccakF1600(state);
  }
  const out = new Uint8Array(outputBytes);
  for (let i = 0; i < outputBytes; i++) out[i] = Number((state[i >> 3]! >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}

/** Keccak-256 (rate 136 bytes, original padding): Monero's cn_fast_hash. */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccakSponge(data, 136, 0x01, 32);
}
