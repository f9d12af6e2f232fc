// A person's clicks on one scene: embed once, then every click re-prompts the segmenter with all
// clicks so far (SAM's contract), as SamSegEnv does.
import type { NdArray } from "ndarray";
import ndarray from "ndarray";
import { GeodesicSegmenter, dice, iou } from "../../src/browser";
import type { Scene, SceneObject } from "./scene";
import { objectAt } from "./scene";

/** One prompt click, image pixels. */
export interface DemoClick {
  x: number;
  y: number;
  positive: boolean;
}

/** What the page shows after a click. */
export interface ClickResult {
  /** Foreground [H, W] 0/1 (probability > 0.5), or null before any click. */
  mask: NdArray<Uint8Array> | null;
  /** The ground-truth object (under the first positive click), when the scene has one. */
  target: SceneObject | null;
  iou: number | null;
  dice: number | null;
}

/** The clicks on a scene and the segmenter's mask after them. */
export class ClickSession {
  readonly clicks: DemoClick[] = [];
  private embedding: NdArray<Float32Array> | null = null;
  private readonly mask: NdArray<Uint8Array>;

  constructor(
    readonly scene: Scene,
    private readonly segmenter: GeodesicSegmenter,
  ) {
    const [h, w] = scene.image.shape as [number, number];
    this.mask = ndarray(new Uint8Array(h * w), [h, w]);
  }

  /**
   * Embed the image (once; done ahead of the first click so a click costs a prediction only),
   * then one discarded prediction at the centre, so the first real click runs warm code.
   */
  async prepare(): Promise<void> {
    if (this.embedding !== null) return;
    this.embedding = await this.segmenter.embed(this.scene.image);
    const [h, w] = this.scene.image.shape as [number, number];
    await this.segmenter.predict(this.embedding, { points: [[w >> 1, h >> 1]], labels: [1], imageSize: [h, w] });
  }

  /** Add a click and segment again. */
  async add(click: DemoClick): Promise<ClickResult> {
    this.clicks.push(click);
    return this.segment();
  }

  /** Drop the last click and segment again. */
  async undo(): Promise<ClickResult> {
    this.clicks.pop();
    return this.segment();
  }

  /** Drop every click. */
  reset(): ClickResult {
    this.clicks.length = 0;
    return { mask: null, target: null, iou: null, dice: null };
  }

  /** The mask of the current clicks, and IoU / Dice against the target object when known. */
  async segment(): Promise<ClickResult> {
    if (this.clicks.length === 0) return this.reset();
    await this.prepare();
    const [h, w] = this.scene.image.shape as [number, number];
    const pred = await this.segmenter.predict(this.embedding as NdArray<Float32Array>, {
      points: this.clicks.map((c) => [c.x, c.y]),
      labels: this.clicks.map((c) => (c.positive ? 1 : 0)),
      imageSize: [h, w],
    });
    const logits = pred.masks.data;
    const out = this.mask.data;
    for (let p = 0; p < out.length; p++) out[p] = (logits[p] as number) > 0 ? 1 : 0;
    const first = this.clicks.find((c) => c.positive);
    const target = first === undefined ? null : objectAt(this.scene, first.x, first.y);
    return {
      mask: this.mask,
      target,
      iou: target === null ? null : iou(this.mask, target.mask),
      dice: target === null ? null : dice(this.mask, target.mask),
    };
  }
}
