import { InvalidArgumentError } from "../../core/errors";
import { ActionGrid } from "../../envs/sam-seg/action-grid";
import type { PatchLayout } from "../../envs/sam-seg/action-grid";
import type { AgentConfig } from "./agent";
import type { EmbeddingGeometry } from "./embedding-geometry";

/**
 * Geometry between an image agent's input grid and SamSegEnv's click patches (actions
 * `2 * (wi * nH + hi) + label`, x-major, label 0 = positive, 1 = negative). The grid covers
 * the image resized so its longest side fills the grid (SAM's frame: zero-padded at the
 * bottom/right). The click positions are the env's own ({@link ActionGrid}). Pure functions.
 */

/**
 * The env's click grid for an image agent: SamSegEnv's {@link ActionGrid} over the observed
 * image, from the agent's `patchLayout` (the env's imgPatchSize or numPatches) or, without one,
 * `numPatches` = nW of a square `actionGrid` [nW, nH]. The agent reads the env's own patch
 * centres from it: there is one click geometry.
 * @throws InvalidArgumentError when the layout gives another grid than `actionGrid`, or when a
 *   non-square `actionGrid` comes without a layout.
 */
export function clickGridOf(
  geometry: EmbeddingGeometry,
  actionGrid: readonly [number, number],
  layout?: PatchLayout,
): ActionGrid {
  const [nW, nH] = actionGrid;
  if (layout === undefined && nW !== nH) {
    throw new InvalidArgumentError(
      `a non-square actionGrid [${nW}, ${nH}] needs the env's patchLayout ({ imgPatchSize })`,
    );
  }
  const grid = new ActionGrid([geometry.imageHeight, geometry.imageWidth], layout ?? { numPatches: nW });
  if (grid.nW !== nW || grid.nH !== nH) {
    throw new InvalidArgumentError(
      `patchLayout ${JSON.stringify(layout)} gives a [${grid.nW}, ${grid.nH}] click grid, not actionGrid [${nW}, ${nH}]`,
    );
  }
  return grid;
}

/**
 * The env's patch centres (`clickGrid.xCentres` / `yCentres`, pixels) in agent-grid units:
 * `xs[wi]` = x * gw / max(H, W), `ys[hi]` = y * gh / max(H, W) (the grid covers SAM's square
 * frame), so cell (gx, gy) spans [gx, gx + 1) x [gy, gy + 1).
 */
function centresOnGrid(
  geometry: EmbeddingGeometry,
  grid: [number, number],
  clickGrid: ActionGrid,
): { xs: Float64Array; ys: Float64Array } {
  const [gh, gw] = grid;
  const scale = 1 / Math.max(geometry.imageHeight, geometry.imageWidth); // image pixel -> fraction of the square frame
  return {
    xs: Float64Array.from(clickGrid.xCentres, (x) => x * scale * gw),
    ys: Float64Array.from(clickGrid.yCentres, (y) => y * scale * gh),
  };
}

/**
 * The grid cell under each patch centre: `[nW * nH]` cell indices `gy * gw + gx`, patch
 * `wi * nH + hi`, for the env's patch centres (`clickGrid.xCentres` / `yCentres`, pixels).
 */
export function patchCells(geometry: EmbeddingGeometry, grid: [number, number], clickGrid: ActionGrid): Int32Array {
  const [gh, gw] = grid;
  const { nW, nH } = clickGrid;
  const { xs, ys } = centresOnGrid(geometry, grid, clickGrid);
  const cells = new Int32Array(nW * nH);
  for (let wi = 0; wi < nW; wi++) {
    for (let hi = 0; hi < nH; hi++) {
      const gx = Math.min(Math.floor(xs[wi] as number), gw - 1);
      const gy = Math.min(Math.floor(ys[hi] as number), gh - 1);
      cells[wi * nH + hi] = gy * gw + gx;
    }
  }
  return cells;
}

/** How a click patch takes its logit from the agent grid's cell logits (see `patchLogits`). */
export type PatchLogits = "cell" | "bilinear";

/**
 * The matrix [gh * gw, nW * nH] mapping agent-grid cell logits to click-patch logits (patch
 * `wi * nH + hi`); each column sums to 1. "cell": 0/1, patch (wi, hi) takes the cell under its
 * centre ({@link patchCells}). "bilinear": the cell values interpolated bilinearly at the patch
 * centre, cell (gx, gy) standing at ((gx + 0.5) / gw, (gy + 0.5) / gh) of the square frame;
 * centres beyond the outermost cell centres take the border cells' values (clamped).
 */
export function cellToPatchMatrix(
  geometry: EmbeddingGeometry,
  grid: [number, number],
  clickGrid: ActionGrid,
  mode: PatchLogits = "cell",
): Float32Array {
  const [gh, gw] = grid;
  const { nW, nH } = clickGrid;
  const patches = nW * nH;
  const m = new Float32Array(gh * gw * patches);
  if (mode === "cell") {
    patchCells(geometry, grid, clickGrid).forEach((cell, patch) => (m[cell * patches + patch] = 1));
    return m;
  }
  // Cell centres sit at half-integer grid coordinates: shift by 0.5 so they are the integers.
  const { xs, ys } = centresOnGrid(geometry, grid, clickGrid);
  const columns = Array.from(xs, (x) => lerpCells(x - 0.5, gw));
  const rows = Array.from(ys, (y) => lerpCells(y - 0.5, gh));
  for (let wi = 0; wi < nW; wi++) {
    const [x0, x1, fx] = columns[wi] as [number, number, number];
    for (let hi = 0; hi < nH; hi++) {
      const [y0, y1, fy] = rows[hi] as [number, number, number];
      const patch = wi * nH + hi;
      m[(y0 * gw + x0) * patches + patch] += (1 - fy) * (1 - fx);
      m[(y0 * gw + x1) * patches + patch] += (1 - fy) * fx;
      m[(y1 * gw + x0) * patches + patch] += fy * (1 - fx);
      m[(y1 * gw + x1) * patches + patch] += fy * fx;
    }
  }
  return m;
}

/** The two cells around grid coordinate u (cell centres at integers, clamped to [0, size - 1]) and the weight of the second. */
function lerpCells(u: number, size: number): [number, number, number] {
  const c = Math.min(Math.max(u, 0), size - 1);
  const lo = Math.floor(c);
  return [lo, Math.min(lo + 1, size - 1), c - lo];
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
