// Hand-written protobuf encoding of the few TensorBoard messages a scalar log needs:
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary { repeated Value value = 1; }
//   Value   { string tag = 1; float simple_value = 2; }
// (tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto.)

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** Growable byte buffer with protobuf field writers. */
class ProtoWriter {
  private bytes: number[] = [];

  varint(value: number): this {
    let v = value;
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`varint needs a non-negative safe integer, got ${value}`);
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
    return this;
  }

  key(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.key(field, WIRE_FIXED64).bytes.push(...b);
    return this;
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.key(field, WIRE_FIXED32).bytes.push(...b);
    return this;
  }

  int64(field: number, value: number): this {
    return this.key(field, WIRE_VARINT).varint(value);
  }

  message(field: number, body: Uint8Array): this {
    this.key(field, WIRE_LENGTH).varint(body.length);
    for (const b of body) this.bytes.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.message(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** One scalar of a Summary: a tag such as "charts/episodic_return" and its value (stored as float32). */
export interface ScalarValue {
  tag: string;
  value: number;
}

/** An Event carrying `file_version` (the first record of every event file: "brain.Event:2"). */
export function encodeFileVersionEvent(wallTimeSeconds: number, fileVersion = "brain.Event:2"): Uint8Array {
  return new ProtoWriter().double(1, wallTimeSeconds).string(3, fileVersion).finish();
}

/** An Event with a Summary of scalar values, at `step` (a non-negative integer). */
export function encodeScalarEvent(wallTimeSeconds: number, step: number, scalars: readonly ScalarValue[]): Uint8Array {
  const summary = new ProtoWriter();
  for (const s of scalars) summary.message(1, new ProtoWriter().string(1, s.tag).float(2, s.value).finish());
  return new ProtoWriter().double(1, wallTimeSeconds).int64(2, step).message(5, summary.finish()).finish();
}
