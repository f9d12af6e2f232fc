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
 * The grid cell under each patch centre: `[nW * nH]` cell indices `gy * gw + gx`, patch
 * `wi * nH + hi`, for the env's patch centres (`clickGrid.xCentres` / `yCentres`, pixels).
 */
export function patchCells(geometry: EmbeddingGeometry, grid: [number, number], clickGrid: ActionGrid): Int32Array {
  const [gh, gw] = grid;
  const { nW, nH, xCentres, yCentres } = clickGrid;
  const scale = 1 / Math.max(geometry.imageHeight, geometry.imageWidth); // image pixel -> fraction of the square frame
  const cells = new Int32Array(nW * nH);
  for (let wi = 0; wi < nW; wi++) {
    for (let hi = 0; hi < nH; hi++) {
      const gx = Math.min(Math.floor((xCentres[wi] as number) * scale * gw), gw - 1);
      const gy = Math.min(Math.floor((yCentres[hi] as number) * scale * gh), gh - 1);
      cells[wi * nH + hi] = gy * gw + gx;
    }
  }
  return cells;
}

/**
 * The 0/1 matrix [gh * gw, nW * nH] mapping agent-grid cells to click patches: patch
 * (wi, hi) takes the cell under its centre ({@link patchCells}).
 */
export function cellToPatchMatrix(
  geometry: EmbeddingGeometry,
  grid: [number, number],
  clickGrid: ActionGrid,
): Float32Array {
  const cells = patchCells(geometry, grid, clickGrid);
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
