import { SAM_LOW_RES_SIZE } from "../sam-frame";
import type { StepCosts } from "./geodesic-distance";
import { geodesicSweeps } from "./geodesic-distance";
import { GeodesicKernel } from "./geodesic-kernel";

const N = SAM_LOW_RES_SIZE;
/** Plane indices: the two fields, then the scratch plane of an incremental update. */
const POS = 0,
  NEG = 1,
  SCRATCH = 2;

/**
 * The two geodesic distance fields of a prediction, D+ to the positive seeds and D- to the
 * negative seeds (`geodesicSweeps` semantics), computed by the WebAssembly SIMD kernel where
 * available (plain TypeScript otherwise) and reused across calls.
 *
 * Reuse is exact: the sweeps are min-plus linear in the seeds (every update is a min of sums,
 * and float rounding is monotone), so the field of seeds A u B is min(field(A), field(B)) bit for
 * bit. When a call has the same step costs (the same embedding and frame) and the seeds of a
 * field only gained cells since the previous call, as when a click is added, only the new seed
 * cells are swept and merged by a min; an unchanged seed set reuses its field as is; anything
 * else recomputes the field. Owns about 1.8 MB of scratch; one instance per segmenter.
 */
export class DistanceFields {
  private readonly kernel: GeodesicKernel | null;
  /** D+, D-, scratch: kernel views or plain arrays (row stride 256). */
  private readonly planes: Float32Array[];
  private readonly lastSeeds = [new Uint8Array(N * N), new Uint8Array(N * N)];
  private readonly valid = [false, false];
  private lastCosts: StepCosts | null = null;

  constructor(
    private readonly sweeps: number,
    useKernel = true,
  ) {
    this.kernel = useKernel ? GeodesicKernel.create(3) : null;
    this.planes = this.kernel?.planes ?? [0, 1, 2].map(() => new Float32Array(N * N).fill(Infinity));
  }

  /** Whether the WebAssembly kernel is in use. */
  get accelerated(): boolean {
    return this.kernel !== null;
  }

  /**
   * D+ and D- for seed masks `fg` and `bg` (1 = seed, row stride 256) over `costs`; the returned
   * planes are owned by this object and valid until the next call.
   */
  compute(costs: StepCosts, fg: Uint8Array, bg: Uint8Array): { pos: Float32Array; neg: Float32Array } {
    if (costs !== this.lastCosts) {
      this.valid[POS] = this.valid[NEG] = false;
      this.kernel?.loadCosts(costs.east, costs.south, costs.southEast, costs.southWest);
      this.lastCosts = costs;
    }
    this.field(POS, costs, fg);
    this.field(NEG, costs, bg);
    return { pos: this.planes[POS], neg: this.planes[NEG] };
  }

  /**
   * Write the geodesic logits of the fields of the last `compute` into `out` (row stride 256)
   * over the h x w region, leaving other cells alone: scale * (D- - D+) / (D- + D+), +scale
   * where only D+ is finite, -scale where only D- is, 0 where neither is (or both are 0).
   * Clobbers the scratch plane.
   */
  logits(scale: number, h: number, w: number, out: Float32Array): void {
    const dp = this.planes[POS],
      dn = this.planes[NEG];
    if (this.kernel) {
      this.kernel.logits(POS, NEG, SCRATCH, h, scale);
      const src = this.planes[SCRATCH];
      for (let y = 0; y < h; y++) out.set(src.subarray(y * N, y * N + w), y * N);
      return;
    }
    for (let y = 0; y < h; y++) {
      for (let p = y * N; p < y * N + w; p++) {
        const a = dp[p],
          b = dn[p];
        if (a === Infinity) out[p] = b === Infinity ? 0 : -scale;
        else if (b === Infinity) out[p] = scale;
        else out[p] = a + b > 0 ? (scale * (b - a)) / (a + b) : 0;
      }
    }
  }

  /** Forget the previous call (the next compute recomputes both fields). */
  reset(): void {
    this.valid[POS] = this.valid[NEG] = false;
    this.lastCosts = null;
  }

  private field(f: number, costs: StepCosts, seeds: Uint8Array): void {
    const h = costs.height;
    const last = this.lastSeeds[f];
    const end = h * N;
    let added = false,
      removed = false;
    if (this.valid[f]) {
      for (let i = 0; i < end; i++) {
        const s = seeds[i],
          l = last[i];
        if (s !== l) {
          if (s) added = true;
          else {
            removed = true;
            break;
          }
        }
      }
    }
    if (this.valid[f] && !removed) {
      if (!added) return;
      // Sweep the new seed cells alone, then merge.
      this.init(SCRATCH, seeds, last, h);
      this.sweep(SCRATCH, costs);
      this.minInto(f, SCRATCH, h);
    } else {
      this.init(f, seeds, null, h);
      this.sweep(f, costs);
    }
    last.set(seeds.subarray(0, end));
    last.fill(0, end);
    this.valid[f] = true;
  }

  /** Plane p = 0 at seed cells (those not in `except`), +Infinity elsewhere, over the first h rows. */
  private init(p: number, seeds: Uint8Array, except: Uint8Array | null, h: number): void {
    const d = this.planes[p];
    const end = h * N;
    d.fill(Infinity, 0, end);
    for (let i = 0; i < end; i++) if (seeds[i] && !(except && except[i])) d[i] = 0;
  }

  private sweep(p: number, costs: StepCosts): void {
    if (this.kernel) this.kernel.sweep(p, costs.height, costs.width, this.sweeps);
    else geodesicSweeps(costs, this.planes[p], this.sweeps);
  }

  private minInto(a: number, b: number, h: number): void {
    if (this.kernel) return this.kernel.minInto(a, b, h);
    const x = this.planes[a],
      y = this.planes[b];
    for (let i = 0; i < h * N; i++) if (y[i] < x[i]) x[i] = y[i];
  }
}
