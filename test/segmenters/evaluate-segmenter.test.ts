import t from "tap";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { evaluateSegmenter } from "../../src/segmenters";
import type { PromptableSegmenter, SegmenterPrediction, SegmenterPrompt } from "../../src/segmenters";
import { discImage, discMask } from "./images";

const H = 40,
  W = 50;
const gt = discMask(H, W, 25, 20, 10);
const image = discImage(H, W, [0, 0, 0], [{ cx: 25, cy: 20, r: 10, colour: [255, 255, 255] }]);

/**
 * A scripted segmenter: three candidate masks (empty, the gt, everything) with scores chosen by
 * `scores`; records every prompt it receives.
 */
class Scripted implements PromptableSegmenter {
  readonly id = "scripted";
  readonly embeddingShape: [number, number, number] = [1, 1, 1];
  readonly lowResShape: [number, number] = [256, 256];
  readonly prompts: SegmenterPrompt[] = [];
  constructor(private readonly scores: (call: number) => number[]) {}
  async embed(): Promise<NdArray<Float32Array>> {
    return ndarray(new Float32Array(1), [1, 1, 1]);
  }
  async predict(_e: NdArray<Float32Array>, prompt: SegmenterPrompt): Promise<SegmenterPrediction> {
    this.prompts.push(prompt);
    const masks = new Float32Array(3 * H * W).fill(-1);
    for (let i = 0; i < H * W; i++) {
      if (gt.data[i]) masks[H * W + i] = 1;
      masks[2 * H * W + i] = 1;
    }
    const low = new Float32Array(3 * 256 * 256);
    for (let k = 0; k < 3; k++) low[k * 65536] = k + 100; // marks which plane was fed back
    return {
      masks: ndarray(masks, [3, H, W]),
      scores: Float32Array.from(this.scores(this.prompts.length - 1)),
      lowResLogits: ndarray(low, [3, 256, 256]),
    };
  }
}

t.test("the best-scored mask is chosen; NoC/NoF/mIoU follow the IoU curve", async (t) => {
  // Call 0 picks the empty mask (IoU 0), later calls pick the gt (IoU 1): NoC@90 = 2.
  const seg = new Scripted((call) => (call === 0 ? [0.9, 0.1, 0.2] : [0.1, 0.9, 0.2]));
  const r = await evaluateSegmenter(seg, [{ image, gt, name: "disc" }], { maxClicks: 5 });
  t.same(r.samples[0].ious.slice(0, 2), [0, 1]);
  t.equal(r.nocAt["0.9"], 2);
  t.equal(r.nofAt["0.9"], 0);
  t.equal(r.miouAt["1"], 0);
  t.equal(r.miouAt["3"], 1);
  // First click: positive at the disc centre; the chosen low-res plane is fed back next time.
  t.same(seg.prompts[0].points, [[25, 20]]);
  t.same(seg.prompts[0].labels, [1]);
  t.equal(seg.prompts[0].maskInput, undefined);
  t.equal(seg.prompts[1].maskInput!.get(0, 0), 100, "plane 0 (chosen at call 0) fed back");
  t.equal(seg.prompts[0].multimask, true);
  t.equal(r.samples[0].clicks.length, 2, "no error left after the perfect mask: no more clicks");
  t.equal(r.samples[0].ious.length, 5, "the curve still has maxClicks entries");
});

t.test("a segmenter that never reaches the threshold scores maxClicks and a failure", async (t) => {
  const seg = new Scripted(() => [0.1, 0.2, 0.9]); // always the full mask
  const r = await evaluateSegmenter(
    seg,
    [
      { image, gt },
      { image, gt },
    ],
    { maxClicks: 4, feedMaskInput: false },
  );
  t.equal(r.nocAt["0.9"], 4);
  t.equal(r.nofAt["0.9"], 2);
  t.ok(
    seg.prompts.every((p) => p.maskInput === undefined),
    "feedMaskInput false",
  );
  t.equal(seg.prompts[1].labels[1], 0, "second click is negative (on the false positive)");
  await t.rejects(evaluateSegmenter(seg, []), /no samples/);
  await t.rejects(evaluateSegmenter(seg, [{ image, gt }], { maxClicks: 0 }), /maxClicks/);
});
