// The geometry both resize paths share (resize.ts for any array, resize-float32.ts for fixed-size
// float32 planes): the interpolation names and OpenCV's per-axis linear tables.

/** Interpolation of {@link resize}: OpenCV's INTER_LINEAR or INTER_NEAREST. */
export type Interpolation = "linear" | "nearest";

const f32 = Math.fround;

/** Per-axis tables of OpenCV's linear resize: source index (clamped) and float coefficient. */
export interface AxisTable {
  /** First source index of each destination index (already clamped for the x axis). */
  ofs: Int32Array;
  /** Weight of the second tap, float32 (1 - fx is computed in float32 by the caller). */
  frac: Float32Array;
}

/**
 * OpenCV's INTER_LINEAR axis geometry (internal to the resize files): fx = float((d + 0.5) *
 * scale - 0.5), split into a source index and a float32 fraction; `clampToEdge` clamps both ends
 * (OpenCV does this for the x axis only).
 */
export function axisTable(srcLen: number, dstLen: number, clampToEdge: boolean): AxisTable {
  const scale = 1 / (dstLen / srcLen);
  const ofs = new Int32Array(dstLen);
  const frac = new Float32Array(dstLen);
  for (let d = 0; d < dstLen; d++) {
    let f = f32((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = f32(f - s);
    if (clampToEdge) {
      if (s < 0) {
        f = 0;
        s = 0;
      }
      if (s >= srcLen - 1) {
        f = 0;
        s = srcLen - 1;
      }
    }
    ofs[d] = s;
    frac[d] = f;
  }
  return { ofs, frac };
}
