// TFRecord framing: the container format of TensorBoard event files.
import { maskedCrc32c } from "./crc32c";

/**
 * One TFRecord: uint64 LE length, uint32 LE masked CRC-32C of those 8 length bytes, the
 * payload, then uint32 LE masked CRC-32C of the payload (12 + n + 4 bytes in all).
 */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + payload.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length >>> 0, true);
  view.setUint32(4, Math.floor(payload.length / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}

/**
 * Split a TFRecord stream into its payloads, checking both CRCs of every record.
 * @throws Error naming the record's byte offset when a CRC does not match or the stream is truncated.
 */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new Error(`truncated TFRecord header at byte ${at}`);
    const length = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8)))
      throw new Error(`bad length CRC at byte ${at}`);
    const end = at + 12 + length;
    if (end + 4 > bytes.length) throw new Error(`truncated TFRecord payload at byte ${at}`);
    const payload = bytes.subarray(at + 12, end);
    if (view.getUint32(end, true) !== maskedCrc32c(payload)) throw new Error(`bad payload CRC at byte ${at}`);
    records.push(payload);
    at = end + 4;
  }
  return records;
}
