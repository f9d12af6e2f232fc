import { DT_FAR, squaredDistanceTransformInPlace } from "../../metrics/distance-transform";

/**
 * How the explicit agent shows where the semantic prior and the current mask disagree:
 * - "off": not at all;
 * - "difference": max(q - m, 0) (the prior sees the target where the mask does not: a positive
 *   click helps) and max(m - q, 0) (the mask covers what the prior does not: a negative click
 *   helps);
 * - "distance": the click simulator's view with the prior standing in for the ground truth:
 *   the regions q > 0.5 >= m (missed) and m > 0.5 >= q (spilled), each cell's Euclidean distance
 *   to the region's border (cells outside the grid count as outside the region), divided by the
 *   largest distance over both planes, so the centre of the largest disagreement is 1.
 */
export type CorrectionPlanesMode = "off" | "difference" | "distance";

/** Every mode, "off" first. */
export const CORRECTION_PLANES_MODES: readonly CorrectionPlanesMode[] = Object.freeze([
  "off",
  "difference",
  "distance",
]);

/**
 * Reusable buffers of {@link writeCorrectionPlanes} for a [gh, gw] grid (no allocation per call).
 */
export class CorrectionPlanesScratch {
  readonly missed: Float64Array;
  readonly spilled: Float64Array;
  constructor(
    readonly gh: number,
    readonly gw: number,
  ) {
    this.missed = new Float64Array((gh + 2) * (gw + 2));
    this.spilled = new Float64Array((gh + 2) * (gw + 2));
  }
}

/**
 * The two disagreement planes of a prior map q and a mask m, both [gh, gw] row-major in [0, 1],
 * into pos and neg ([gh * gw] each) for a mode other than "off" (see {@link CorrectionPlanesMode}).
 * Pure apart from the outputs and the scratch buffers.
 */
export function writeCorrectionPlanes(
  mode: Exclude<CorrectionPlanesMode, "off">,
  q: Float32Array,
  m: Float32Array,
  pos: Float32Array,
  neg: Float32Array,
  scratch: CorrectionPlanesScratch,
): void {
  const { gh, gw } = scratch;
  if (mode === "difference") {
    for (let cell = 0; cell < gh * gw; cell++) {
      const d = (q[cell] as number) - (m[cell] as number);
      pos[cell] = d > 0 ? d : 0;
      neg[cell] = d < 0 ? -d : 0;
    }
    return;
  }
  const pw = gw + 2;
  const { missed, spilled } = scratch;
  missed.fill(0);
  spilled.fill(0);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const prior = (q[y * gw + x] as number) > 0.5,
        mask = (m[y * gw + x] as number) > 0.5;
      const j = (y + 1) * pw + x + 1;
      if (prior && !mask) missed[j] = DT_FAR;
      else if (mask && !prior) spilled[j] = DT_FAR;
    }
  }
  squaredDistanceTransformInPlace(missed, gh + 2, pw);
  squaredDistanceTransformInPlace(spilled, gh + 2, pw);
  let top = 0;
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const j = (y + 1) * pw + x + 1;
      top = Math.max(top, missed[j] as number, spilled[j] as number);
    }
  }
  const scale = top > 0 ? 1 / Math.sqrt(top) : 0;
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const j = (y + 1) * pw + x + 1;
      pos[y * gw + x] = Math.sqrt(missed[j] as number) * scale;
      neg[y * gw + x] = Math.sqrt(spilled[j] as number) * scale;
    }
  }
}
