import { SAM_LOW_RES_SIZE } from "../sam-frame";
import { GEODESIC_KERNEL_BASE64 } from "./generated/geodesic-kernel-bytes";
import { WASM_PAGE_BYTES, compileWasm } from "../../core/wasm";
import type { CompiledWasm } from "../../core/wasm";

/** The kernel's functions (byte addresses; see geodesic-kernel.wat). */
export interface KernelExports {
  sweeps(dist: number, east: number, south: number, se: number, sw: number, h: number, w: number, sweeps: number): void;
  minInto(a: number, b: number, rows: number): void;
  logits(pos: number, neg: number, out: number, rows: number, scale: number): void;
  upsample(
    low: number,
    k: number,
    hz: number,
    out: number,
    h: number,
    w: number,
    rows: number,
    x0: number,
    x1: number,
    wx: number,
    y0: number,
    y1: number,
    wy: number,
  ): void;
}

const N = SAM_LOW_RES_SIZE;
const ROW_BYTES = N * 4;
/** One plane: a guard row, 256 rows, a guard row (bytes). */
const PLANE_BYTES = (N + 2) * ROW_BYTES;
/** Planes: the four step-cost planes, then the distance planes. */
const COST_PLANES = 4;
let compiled: CompiledWasm | null | undefined;

function kernelModule(): CompiledWasm | null {
  if (compiled === undefined) compiled = compileWasm(GEODESIC_KERNEL_BASE64);
  return compiled;
}

/** An instance of the kernel module with its own memory of at least `bytes`, or null without WebAssembly SIMD. */
export function instantiateGeodesicKernel(bytes: number): { buffer: ArrayBuffer; exports: KernelExports } | null {
  const m = kernelModule();
  if (m === null) return null;
  try {
    const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
    const memory = new m.api.Memory({ initial: pages, maximum: pages });
    const instance = new m.api.Instance(m.module, { env: { memory } });
    return { buffer: memory.buffer, exports: instance.exports as unknown as KernelExports };
  } catch {
    return null; // e.g. out of memory
  }
}

/**
 * One instance of the geodesic-distance kernel (geodesic-kernel.wat) with its own memory: four
 * step-cost planes (east, south, south-east, south-west) and `distancePlanes` distance planes,
 * each 256x256 float32 (row stride 256) exposed as views that stay valid (the memory never grows).
 * The cost planes must hold +Infinity on every link that leaves the image region, as
 * `stepCosts` writes them.
 */
export class GeodesicKernel {
  /** Distance planes (256x256 float32 views on the kernel's memory). */
  readonly planes: Float32Array[];
  private readonly costViews: Float32Array[];
  private readonly kernel: KernelExports;

  private constructor(buffer: ArrayBuffer, kernel: KernelExports, distancePlanes: number) {
    this.kernel = kernel;
    const plane = (i: number): Float32Array => new Float32Array(buffer, i * PLANE_BYTES + ROW_BYTES, N * N);
    // Guard rows: +Infinity in every plane (costs and distances), never written afterwards.
    new Float32Array(buffer, 0, ((COST_PLANES + distancePlanes) * PLANE_BYTES) / 4).fill(Infinity);
    this.costViews = Array.from({ length: COST_PLANES }, (_, i) => plane(i));
    this.planes = Array.from({ length: distancePlanes }, (_, i) => plane(COST_PLANES + i));
  }

  /** A kernel with `distancePlanes` distance planes, or null where WebAssembly SIMD is unavailable. */
  static create(distancePlanes: number): GeodesicKernel | null {
    const k = instantiateGeodesicKernel((COST_PLANES + distancePlanes) * PLANE_BYTES);
    return k === null ? null : new GeodesicKernel(k.buffer, k.exports, distancePlanes);
  }

  /** Copy four cost planes (east, south, south-east, south-west; 256x256 each) into the kernel. */
  loadCosts(east: Float32Array, south: Float32Array, southEast: Float32Array, southWest: Float32Array): void {
    this.costViews[0].set(east);
    this.costViews[1].set(south);
    this.costViews[2].set(southEast);
    this.costViews[3].set(southWest);
  }

  /** Raster-scan sweeps (`sweeps` forward/backward pairs) of distance plane `i` over the h x w region. */
  sweep(i: number, height: number, width: number, sweeps: number): void {
    const a = (p: number): number => p * PLANE_BYTES + ROW_BYTES;
    this.kernel.sweeps(a(COST_PLANES + i), a(0), a(1), a(2), a(3), height, width, sweeps);
  }

  /**
   * planes[o] = scale * (N - P) / (N + P) over the first `rows` rows, P = planes[p] and N =
   * planes[q]: +scale where only P is finite, -scale where only N is, 0 where neither is.
   */
  logits(p: number, q: number, o: number, rows: number, scale: number): void {
    const a = (i: number): number => (COST_PLANES + i) * PLANE_BYTES + ROW_BYTES;
    this.kernel.logits(a(p), a(q), a(o), rows, scale);
  }

  /** planes[i] = min(planes[i], planes[j]) over the first `rows` rows. */
  minInto(i: number, j: number, rows: number): void {
    const a = (p: number): number => (COST_PLANES + p) * PLANE_BYTES + ROW_BYTES;
    this.kernel.minInto(a(i), a(j), rows);
  }
}
