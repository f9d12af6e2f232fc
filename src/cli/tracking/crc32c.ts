// CRC-32C (Castagnoli), the checksum of TFRecord framing, and TensorFlow's "masked" form of it.

/** Lookup table of the reflected CRC-32C polynomial 0x82F63B78, one entry per byte value. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32C of `bytes` (initial value and final xor 0xFFFFFFFF), as an unsigned 32-bit integer.
 * Check value: crc32c("123456789") = 0xE3069283.
 */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * TensorFlow's masked CRC-32C, stored in TFRecord files: rotate the CRC right by 15 bits and
 * add 0xA282EAD8 (mod 2^32), so a CRC of data that itself contains CRCs stays well mixed.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
