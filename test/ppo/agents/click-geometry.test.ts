import t from "tap";
import { Box, Dict, Discrete } from "../../../src/spaces";
import { ActionGrid } from "../../../src/envs/sam-seg/action-grid";
import { ImplicitAgent } from "../../../src/ppo/agents/implicit-agent";

// One click geometry: the agent's patch -> grid-cell map must use the env's patch centres
// (ActionGrid), also in imgPatchSize mode, where a 500 px wide image has ceil(500 / 16) = 32
// columns 16 px apart (a copy that divides W by the column count puts them 15.625 px apart).

const H = 375,
  W = 500;
const space = new Dict({
  image: new Box({ low: 0, high: 255, shape: [H, W, 3], dtype: "uint8" }),
  samImageEmbeddings: new Box({ low: -Infinity, high: Infinity, shape: [4, 16, 16], dtype: "float32" }),
  samPredMaskProb: new Box({ low: 0, high: 1, shape: [16, 16], dtype: "float32" }),
});

/** The agent-grid cell [16 x 16 over the 500 x 500 SAM frame] under each env patch centre. */
function expectedGroups(grid: ActionGrid, gridSize: number): number[] {
  const side = Math.max(H, W);
  const out: number[] = [];
  for (let a = 0; a < grid.n; a++) {
    const { x, y } = grid.decode(a);
    const gx = Math.min(Math.floor((x / side) * gridSize), gridSize - 1);
    const gy = Math.min(Math.floor((y / side) * gridSize), gridSize - 1);
    out.push(gy * gridSize + gx);
  }
  return out;
}

t.test("imgPatchSize: the agent reads the env's 16 px patch centres, not 15.625 px", async (t) => {
  const grid = new ActionGrid([H, W], { imgPatchSize: 16 });
  t.same([grid.nW, grid.nH], [32, 24]);
  const agent = new ImplicitAgent(
    space,
    new Discrete(grid.n),
    {
      inputGrid: [16, 16],
      convs: [{ filters: 2, kernel: 3, stride: 2 }],
      hidden: 4,
      actionGrid: [grid.nW, grid.nH],
      patchLayout: { imgPatchSize: 16 },
      noRepeat: "cell",
    },
    1,
  );
  const groups = Array.from(agent.noRepeatGroups ?? []);
  const expected = expectedGroups(grid, 16);
  // Patch column 29: the env clicks at x = 472 (cell column 15); 15.625 px spacing gives x = 460 (column 14).
  t.equal(groups[2 * (29 * grid.nH)], expected[2 * (29 * grid.nH)], "column 29 reads cell column 15");
  t.same(groups, expected, "every action reads the cell under the env's click");
  agent.dispose();
});

t.test("numPatches (the default layout): the same map as the env's grid", async (t) => {
  const grid = new ActionGrid([H, W], { numPatches: 8 });
  const agent = new ImplicitAgent(
    space,
    new Discrete(grid.n),
    {
      inputGrid: [16, 16],
      convs: [{ filters: 2, kernel: 3, stride: 2 }],
      hidden: 4,
      noRepeat: "cell",
    },
    1,
  );
  t.same(Array.from(agent.noRepeatGroups ?? []), expectedGroups(grid, 16));
  agent.dispose();
});
