import { InvalidArgumentError } from "../../core/errors";

/** A decoded action: the click position (image pixels) and its label. */
export interface DecodedAction {
  /** Column of the patch centre, pixels. */
  x: number;
  /** Row of the patch centre, pixels. */
  y: number;
  /** true: positive click (even action ids); false: negative (odd ids). */
  positive: boolean;
}

/** How the image is divided into patches: exactly one of the two. */
export type PatchLayout =
  { imgPatchSize: number; numPatches?: undefined } | { numPatches: number; imgPatchSize?: undefined };

/**
 * The reference's discrete click grid over an image of [H, W] pixels: nW x nH patches, each with
 * two consecutive action ids (even = positive click at the patch centre, odd = negative), patches
 * enumerated x-major (all rows of column 0 first). Centres are clamped into the image (FIX: the
 * reference could place the last centre outside it in imgPatchSize mode).
 *
 * @example
 * ```ts
 * const grid = new ActionGrid([375, 500], { numPatches: 32 });
 * grid.n;                     // 2048
 * grid.decode(64);            // { x: 23, y: 5, positive: true }
 * grid.actionFor({ x: 25, y: 4 }, false); // 65
 * ```
 */
export class ActionGrid {
  /** Number of patches along x (columns) and y (rows). */
  readonly nW: number;
  readonly nH: number;
  /** Patch width and height, pixels (floats in numPatches mode). */
  readonly patchWidth: number;
  readonly patchHeight: number;
  /** Effective patch size max(pw, ph): the scale of the repeat coefficient and of snapping. */
  readonly patchSize: number;
  /** Number of actions: 2 * nW * nH. */
  readonly n: number;
  /** Centre column of each patch column wi, pixels. */
  readonly xCentres: Int32Array;
  /** Centre row of each patch row hi, pixels. */
  readonly yCentres: Int32Array;

  /**
   * @param imageSize [H, W] pixels.
   * @param layout imgPatchSize (square patches of that many pixels; nW = ceil(W / size)) or
   *   numPatches (that many patches per axis; pw = W / n, ph = H / n).
   * @throws InvalidArgumentError unless exactly one of imgPatchSize / numPatches is a positive number.
   */
  constructor(imageSize: readonly [number, number], layout: PatchLayout) {
    const [h, w] = imageSize;
    const hasSize = layout.imgPatchSize !== undefined && layout.imgPatchSize !== null;
    const hasNum = layout.numPatches !== undefined && layout.numPatches !== null;
    if (hasSize === hasNum) {
      throw new InvalidArgumentError(
        `exactly one of imgPatchSize and numPatches must be given, got imgPatchSize=${String(layout.imgPatchSize)} and numPatches=${String(layout.numPatches)}`,
      );
    }
    if (hasSize) {
      const size = layout.imgPatchSize as number;
      if (typeof size !== "number" || !Number.isFinite(size) || size <= 0)
        throw new InvalidArgumentError(`imgPatchSize must be a positive number, got ${String(size)}`);
      this.patchWidth = this.patchHeight = size;
      this.nW = Math.ceil(w / size);
      this.nH = Math.ceil(h / size);
      this.patchSize = size;
    } else {
      const num = layout.numPatches as number;
      if (typeof num !== "number" || !Number.isInteger(num) || num <= 0)
        throw new InvalidArgumentError(`numPatches must be a positive integer, got ${String(num)}`);
      this.nW = this.nH = num;
      this.patchWidth = w / num;
      this.patchHeight = h / num;
      this.patchSize = Math.max(this.patchWidth, this.patchHeight);
    }
    this.n = 2 * this.nW * this.nH;
    this.xCentres = Int32Array.from({ length: this.nW }, (_, i) =>
      clamp(Math.trunc(i * this.patchWidth + this.patchWidth / 2), 0, w - 1),
    );
    this.yCentres = Int32Array.from({ length: this.nH }, (_, i) =>
      clamp(Math.trunc(i * this.patchHeight + this.patchHeight / 2), 0, h - 1),
    );
  }

  /** Whether `a` is a valid action id: an integer in [0, n). */
  isValid(a: unknown): a is number {
    return typeof a === "number" && Number.isInteger(a) && a >= 0 && a < this.n;
  }

  /**
   * The click of action `a`: patch = floor(a / 2), wi = floor(patch / nH), hi = patch % nH,
   * positive iff a is even. The caller validates `a` (see {@link isValid}).
   */
  decode(a: number): DecodedAction {
    const patch = a >> 1;
    return {
      x: this.xCentres[Math.floor(patch / this.nH)] as number,
      y: this.yCentres[patch % this.nH] as number,
      positive: (a & 1) === 0,
    };
  }

  /**
   * The action whose patch centre is nearest to `point` (Euclidean, pixels; lowest id on ties)
   * with the given label.
   * @throws InvalidArgumentError when the point is not finite.
   */
  actionFor(point: { x: number; y: number }, positive: boolean): number {
    if (!Number.isFinite(point?.x) || !Number.isFinite(point?.y)) {
      throw new InvalidArgumentError(`actionFor needs a point with finite x and y, got ${JSON.stringify(point)}`);
    }
    // Distances separate per axis, so the nearest centre is the nearest column and nearest row.
    const wi = nearest(this.xCentres, point.x);
    const hi = nearest(this.yCentres, point.y);
    return 2 * (wi * this.nH + hi) + (positive ? 0 : 1);
  }
}

function nearest(centres: Int32Array, v: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < centres.length; i++) {
    const d = Math.abs((centres[i] as number) - v);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
