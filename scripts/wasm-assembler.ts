// Assembles the project's WebAssembly sources (.wat, the one way the package ships WebAssembly:
// a .wat beside its caller, assembled here into a base64 .ts module under a generated/ folder).
// Used by scripts/build-wasm.ts (writes the committed bytes) and by the tests that check the
// committed bytes are their sources'.
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

/** The geodesic-distance kernel's .wat source. */
export const GEODESIC_KERNEL_WAT = path.join(__dirname, "..", "src", "segmenters", "geodesic", "geodesic-kernel.wat");

/** The simd-range kernels' .wat source. */
export const SIMD_RANGE_WAT = path.join(__dirname, "..", "src", "spaces", "simd-range.wat");

/**
 * Assemble a .wat file (SIMD enabled) after replacing each {{NAME}} placeholder by its value.
 * @throws Error on an unknown placeholder or an invalid module.
 */
export async function assembleWat(file: string, values: Record<string, string> = {}): Promise<Uint8Array> {
  const name = path.basename(file);
  const text = fs.readFileSync(file, "utf8").replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`${name}: unknown placeholder {{${key}}}`);
    return v;
  });
  const wabt = await wabtFactory();
  const mod = wabt.parseWat(name, text, { simd: true });
  try {
    mod.validate();
    return Uint8Array.from(mod.toBinary({ write_debug_names: false }).buffer);
  } finally {
    mod.destroy();
  }
}

/** The sigmoid kernel module's bytes (sigmoid-kernel.wat with the constants of sigmoid.ts). */
export function assembleSigmoidKernel(): Promise<Uint8Array> {
  return assembleWat(SIGMOID_KERNEL_WAT, kernelConstants());
}

/** The simd-range kernels' bytes. */
export function assembleSimdRange(): Promise<Uint8Array> {
  return assembleWat(SIMD_RANGE_WAT);
}

/** The geodesic-distance kernel module's bytes. */
export function assembleGeodesicKernel(): Promise<Uint8Array> {
  return assembleWat(GEODESIC_KERNEL_WAT);
}
