import type { OverlapSums } from "../../rewards/overlap-sums";
import { addOverlapTail, overlapSums } from "../../rewards/overlap-sums";
import { sigmoidInto } from "./sigmoid";
import { instantiateSigmoidKernel } from "./sigmoid-kernel";
import type { SigmoidKernelInstance } from "./sigmoid-kernel";

/** Rounds a byte count up to a multiple of 16 (the kernel's v128 alignment). */
function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * SamSegEnv's probability maps: the full-resolution map sigmoid(logits) with its Dice/IoU sums
 * against the episode's ground truth, and the low-resolution map. The values are `sigmoid32`'s and
 * the sums `overlapSums`' exactly, computed by the WebAssembly SIMD kernel (four values at a
 * time, the sums fused in) or, where WebAssembly SIMD is unavailable or `simd` is false, by the
 * scalar functions: both paths give bit-identical numbers. The two full-resolution maps the env
 * alternates between live in the kernel's own fixed-size memory, so no step allocates them.
 *
 * @example
 * ```ts
 * const maps = new ProbabilityMaps(375 * 500, 256 * 256);
 * maps.setGroundTruth(gt.data);                      // [H, W] uint8 (> 0 = foreground), once per episode
 * const sums = maps.fullResolution(logits.data, 0, 0); // maps.prob[0] = sigmoid(logits)
 * const dice = softDiceFromSums(sums);
 * ```
 */
export class ProbabilityMaps {
  /** The two full-resolution probability maps, float32, `fullSize` values each. */
  readonly prob: readonly [Float32Array, Float32Array];
  private readonly kernel: SigmoidKernelInstance | null;
  /** Byte addresses of the buffers in the kernel's memory (or in the scalar path's buffer). */
  private readonly addr: { input: number; prob: [number, number]; gt: number; lowRes: number; results: number };
  private readonly input: Float32Array;
  private readonly gt: Uint8Array;
  private readonly lowRes: Float32Array;
  private readonly results: DataView;

  /**
   * @param fullSize values of a full-resolution map (H * W)
   * @param lowResSize values of a low-resolution map (256 * 256 for SAM)
   * @param options simd: false forces the scalar path (default: the kernel where available)
   */
  constructor(
    private readonly fullSize: number,
    private readonly lowResSize: number,
    options: { simd?: boolean } = {},
  ) {
    const prob0 = align16(Math.max(fullSize, lowResSize) * 4);
    const prob1 = prob0 + align16(fullSize * 4);
    const gt = prob1 + align16(fullSize * 4);
    const lowRes = gt + align16(fullSize);
    const results = lowRes + align16(lowResSize * 4);
    this.addr = { input: 0, prob: [prob0, prob1], gt, lowRes, results };
    this.kernel = options.simd === false ? null : instantiateSigmoidKernel(results + 32);
    const buffer = this.kernel?.buffer ?? new ArrayBuffer(results + 32);
    this.input = new Float32Array(buffer, 0, Math.max(fullSize, lowResSize));
    this.prob = [new Float32Array(buffer, prob0, fullSize), new Float32Array(buffer, prob1, fullSize)];
    this.gt = new Uint8Array(buffer, gt, fullSize);
    this.lowRes = new Float32Array(buffer, lowRes, lowResSize);
    this.results = new DataView(buffer, results, 32);
  }

  /** Whether the WebAssembly SIMD kernel computes the maps (false: the scalar path). */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** Copies the episode's ground truth ([H, W] uint8, > 0 = foreground, `fullSize` values from `offset`). */
  setGroundTruth(gt: Uint8Array, offset = 0): void {
    this.gt.set(gt.subarray(offset, offset + this.fullSize));
  }

  /**
   * prob[target] = sigmoid32(src[offset .. offset + fullSize)); returns the overlap sums of the
   * new map against the ground truth (exactly `overlapSums`' numbers).
   */
  fullResolution(src: Float32Array, offset: number, target: 0 | 1): OverlapSums {
    const n = this.fullSize;
    const out = this.prob[target];
    if (this.kernel === null) {
      sigmoidInto(src, offset, out);
      return overlapSums(this.gt, 0, out, 0, n);
    }
    const body = n - (n % 4);
    this.input.set(src.subarray(offset, offset + n));
    this.kernel.sigmoidMap(this.addr.input, this.addr.prob[target], body / 4, 1, this.addr.gt, this.addr.results);
    const sums: OverlapSums = {
      sum: this.results.getFloat64(0, true),
      inter: this.results.getFloat64(8, true),
      gtCount: this.results.getInt32(24, true),
      hardPred: this.results.getInt32(16, true),
      hardInter: this.results.getInt32(20, true),
    };
    sigmoidInto(src, offset + body, out.subarray(body, n));
    addOverlapTail(sums, this.gt, 0, out, 0, body, n);
    return sums;
  }

  /** out[i] = sigmoid32(src[offset + i]) for i < lowResSize (out: float32, length >= lowResSize). */
  lowResolution(src: Float32Array, offset: number, out: Float32Array): void {
    const n = this.lowResSize;
    if (this.kernel === null) {
      sigmoidInto(src, offset, out.subarray(0, n));
      return;
    }
    const body = n - (n % 4);
    this.input.set(src.subarray(offset, offset + n));
    this.kernel.sigmoidMap(this.addr.input, this.addr.lowRes, body / 4, 0, 0, this.addr.results);
    out.set(this.lowRes);
    sigmoidInto(src, offset + body, out.subarray(body, n));
  }
}
