import type { AgentConfig } from "./agent";
import type { EmbeddingGeometry } from "./implicit-agent";

/**
 * Geometry between an image agent's input grid and SamSegEnv's click patches (actions
 * `2 * (wi * nH + hi) + label`, x-major, label 0 = positive, 1 = negative). The grid covers
 * the image resized so its longest side fills the grid (SAM's frame: zero-padded at the
 * bottom/right). Pure functions.
 */

/**
 * The grid cell under each patch centre: `[nW * nH]` cell indices `gy * gw + gx`, patch
 * `wi * nH + hi`. Centres are SamSegEnv's (trunc(wi * pw + pw / 2), trunc(hi * ph + ph / 2)),
 * clamped into the image.
 */
export function patchCells(geometry: EmbeddingGeometry, grid: [number, number], actionGrid: [number, number]): Int32Array {
  const [gh, gw] = grid;
  const [nW, nH] = actionGrid;
  const { imageHeight: H, imageWidth: W } = geometry;
  const scale = 1 / Math.max(H, W); // image pixel -> fraction of the square frame
  const pw = W / nW, ph = H / nH;
  const cells = new Int32Array(nW * nH);
  for (let wi = 0; wi < nW; wi++) {
    for (let hi = 0; hi < nH; hi++) {
      const x = Math.min(Math.trunc(wi * pw + pw / 2), W - 1);
      const y = Math.min(Math.trunc(hi * ph + ph / 2), H - 1);
      const gx = Math.min(Math.floor(x * scale * gw), gw - 1);
      const gy = Math.min(Math.floor(y * scale * gh), gh - 1);
      cells[wi * nH + hi] = gy * gw + gx;
    }
  }
  return cells;
}

/**
 * The 0/1 matrix [gh * gw, nW * nH] mapping agent-grid cells to click patches: patch
 * (wi, hi) takes the cell under its centre ({@link patchCells}).
 */
export function cellToPatchMatrix(geometry: EmbeddingGeometry, grid: [number, number], actionGrid: [number, number]): Float32Array {
  const cells = patchCells(geometry, grid, actionGrid);
  const patches = cells.length;
  const m = new Float32Array(grid[0] * grid[1] * patches);
  cells.forEach((cell, patch) => (m[cell * patches + patch] = 1));
  return m;
}

/** An image agent's `noRepeat` rule. */
export type NoRepeatRule = NonNullable<Extract<AgentConfig, { kind: "implicit" }>["noRepeat"]>;

/**
 * The action groups of a no-repeat rule (see EpisodeActionMask), or null for "off": "action"
 * -> each action its own group; "patch" -> floor(a / 2); "cell" -> the grid cell of the
 * action's patch (`cells()` gives {@link patchCells}, called only for this rule).
 */
export function noRepeatGroups(rule: NoRepeatRule, numActions: number, cells: () => Int32Array): Int32Array | null {
  switch (rule) {
    case "off":
      return null;
    case "action":
      return Int32Array.from({ length: numActions }, (_, a) => a);
    case "patch":
      return Int32Array.from({ length: numActions }, (_, a) => a >> 1);
    default: {
      const c = cells();
      return Int32Array.from({ length: numActions }, (_, a) => c[a >> 1] as number);
    }
  }
}
