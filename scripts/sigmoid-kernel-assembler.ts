// Assembles src/envs/sam-seg/sigmoid-kernel.wat with the constants of sigmoid.ts filled in.
// Used by scripts/build-sigmoid-kernel.ts (writes the committed bytes) and by the test that
// checks the committed bytes are this source's.
import fs from "node:fs";
import path from "node:path";
import wabtFactory from "wabt";
import { EXP_COEFFS, LN2_HI, LN2_LO, LOG2E_F32, Y_MAX, Y_MIN } from "../src/envs/sam-seg/sigmoid";

/** The .wat source of the kernel. */
export const SIGMOID_KERNEL_WAT = path.join(__dirname, "..", "src", "envs", "sam-seg", "sigmoid-kernel.wat");

/** A float32 value as an exact WebAssembly hex float literal (e.g. 0x1.715476p+0). */
export function hexFloat32(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || f !== x) throw new Error(`hexFloat32: ${x} is not a finite float32`);
  if (f === 0) return Object.is(f, -0) ? "-0x0p+0" : "0x0p+0";
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  const sign = bits >>> 31 ? "-" : "";
  const biased = (bits >>> 23) & 0xff;
  if (biased === 0) throw new Error(`hexFloat32: ${x} is subnormal`);
  const mantissa = ((bits & 0x7fffff) << 1).toString(16).padStart(6, "0").replace(/0+$/, "");
  const e = biased - 127;
  return `${sign}0x1${mantissa ? "." + mantissa : ""}p${e >= 0 ? "+" : ""}${e}`;
}

/** The values of the {{NAME}} placeholders. */
export function kernelConstants(): Record<string, string> {
  const c: Record<string, string> = {
    Y_MIN: hexFloat32(Y_MIN),
    Y_MAX: hexFloat32(Y_MAX),
    LOG2E: hexFloat32(LOG2E_F32),
    LN2_HI: hexFloat32(LN2_HI),
    LN2_LO: hexFloat32(LN2_LO),
  };
  EXP_COEFFS.forEach((v, i) => (c[`C${i}`] = hexFloat32(v)));
  return c;
}

/** The kernel module's bytes. @throws Error on an unknown placeholder or an invalid module. */
export async function assembleSigmoidKernel(): Promise<Uint8Array> {
  const values = kernelConstants();
  const text = fs.readFileSync(SIGMOID_KERNEL_WAT, "utf8").replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`sigmoid-kernel.wat: unknown placeholder {{${name}}}`);
    return v;
  });
  const wabt = await wabtFactory();
  const mod = wabt.parseWat("sigmoid-kernel.wat", text, { simd: true });
  try {
    mod.validate();
    return Uint8Array.from(mod.toBinary({ write_debug_names: false }).buffer);
  } finally {
    mod.destroy();
  }
}
