// Assembles src/segmenters/geodesic/geodesic-kernel.wat. Used by scripts/build-geodesic-kernel.ts
// (writes the committed bytes) and by the test that checks the committed bytes are this source's.
import fs from "node:fs";
import path from "node:path";
import wabtFactory from "wabt";

const DIR = path.join(__dirname, "..", "src", "segmenters", "geodesic");
/** The .wat source of the kernel. */
export const GEODESIC_KERNEL_WAT = path.join(DIR, "geodesic-kernel.wat");
/** The generated module holding the kernel's bytes. */
export const GEODESIC_KERNEL_BYTES_TS = path.join(DIR, "generated", "geodesic-kernel-bytes.ts");

/** The kernel module's bytes. @throws Error on an invalid module. */
export async function assembleGeodesicKernel(): Promise<Uint8Array> {
  const wabt = await wabtFactory();
  const mod = wabt.parseWat("geodesic-kernel.wat", fs.readFileSync(GEODESIC_KERNEL_WAT, "utf8"), { simd: true });
  try {
    mod.validate();
    return Uint8Array.from(mod.toBinary({ write_debug_names: false }).buffer);
  } finally {
    mod.destroy();
  }
}
