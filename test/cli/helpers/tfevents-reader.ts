// A minimal TensorBoard event-file reader for tests: TFRecord framing (CRCs checked by
// readRecords) and a protobuf decoder of Event / Summary / Value written independently of the
// writer's encoder.
import { readFileSync } from "node:fs";
import { readRecords } from "../../../src/cli/tracking/tfrecord";

/** A decoded Event. */
export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars: Array<{ tag: string; value: number }>;
}

/** Protobuf fields of a message: field number -> raw values (numbers for varints, bytes otherwise). */
function fields(bytes: Uint8Array): Array<{ field: number; wire: number; value: number | Uint8Array }> {
  const out: Array<{ field: number; wire: number; value: number | Uint8Array }> = [];
  let at = 0;
  const varint = (): number => {
    let v = 0,
      mul = 1;
    for (;;) {
      const b = bytes[at++]!;
      v += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return v;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8),
      wire = key % 8;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) {
      out.push({ field, wire, value: bytes.subarray(at, at + 8) });
      at += 8;
    } else if (wire === 5) {
      out.push({ field, wire, value: bytes.subarray(at, at + 4) });
      at += 4;
    } else if (wire === 2) {
      const n = varint();
      out.push({ field, wire, value: bytes.subarray(at, at + n) });
      at += n;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const f64 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
const f32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);

/** Decode one Event payload. */
export function decodeEvent(payload: Uint8Array): DecodedEvent {
  const ev: DecodedEvent = { wallTime: NaN, step: 0, scalars: [] };
  for (const f of fields(payload)) {
    if (f.field === 1) ev.wallTime = f64(f.value as Uint8Array);
    else if (f.field === 2) ev.step = f.value as number;
    else if (f.field === 3) ev.fileVersion = new TextDecoder().decode(f.value as Uint8Array);
    else if (f.field === 5) {
      for (const v of fields(f.value as Uint8Array)) {
        if (v.field !== 1) continue;
        let tag = "",
          value = NaN;
        for (const x of fields(v.value as Uint8Array)) {
          if (x.field === 1) tag = new TextDecoder().decode(x.value as Uint8Array);
          if (x.field === 2) value = f32(x.value as Uint8Array);
        }
        ev.scalars.push({ tag, value });
      }
    }
  }
  return ev;
}

/** Every Event of an event file (throws on a CRC mismatch). */
export function readEventFile(path: string): DecodedEvent[] {
  return readRecords(new Uint8Array(readFileSync(path))).map(decodeEvent);
}
