// Drawing: the scene with the mask overlay and click marks, the prior map, the IoU curve.
import type { NdArray } from "ndarray";

/** Overlay colour of the mask (RGBA 0..255) and of positive / negative click marks. */
const MASK_RGBA = [30, 144, 255, 110] as const;
const POSITIVE = "#16a34a";
const NEGATIVE = "#dc2626";

/** A click mark to draw, image pixels. */
export interface Mark {
  x: number;
  y: number;
  positive: boolean;
}

/** Draw `image` with `mask` blended over it and the click marks; sizes the canvas to the image. */
export function drawScene(
  canvas: HTMLCanvasElement,
  image: NdArray<Uint8Array>,
  mask: NdArray<Uint8Array> | null,
  marks: readonly Mark[],
): void {
  const [h, w] = image.shape as [number, number];
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
  const pixels = ctx.createImageData(w, h);
  const out = pixels.data,
    rgb = image.data,
    m = mask?.data ?? null;
  const a = MASK_RGBA[3] / 255;
  for (let p = 0, q = 0, o = 0; p < w * h; p++, q += 3, o += 4) {
    const inside = m !== null && m[p] === 1;
    for (let c = 0; c < 3; c++) {
      const v = rgb[q + c] as number;
      out[o + c] = inside ? v * (1 - a) + (MASK_RGBA[c] as number) * a : v;
    }
    out[o + 3] = 255;
  }
  ctx.putImageData(pixels, 0, 0);
  if (m !== null) outline(ctx, m, h, w);
  for (const k of marks) {
    ctx.beginPath();
    ctx.arc(k.x + 0.5, k.y + 0.5, 6, 0, 2 * Math.PI);
    ctx.fillStyle = k.positive ? POSITIVE : NEGATIVE;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#fff";
    ctx.stroke();
  }
}

/** A 1-pixel white border around the mask. */
function outline(ctx: CanvasRenderingContext2D, m: Uint8Array, h: number, w: number): void {
  ctx.fillStyle = "#fff";
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (m[p] !== 1) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === w - 1 ||
        y === h - 1 ||
        m[p - 1] !== 1 ||
        m[p + 1] !== 1 ||
        m[p - w] !== 1 ||
        m[p + w] !== 1
      )
        ctx.fillRect(x, y, 1, 1);
    }
  }
}

/** Draw a probability map [height, width] in 0..1 as a heat map filling the canvas. */
export function drawPrior(
  canvas: HTMLCanvasElement,
  map: { data: Float32Array; height: number; width: number } | null,
): void {
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (map === null) return;
  const cw = canvas.width / map.width,
    ch = canvas.height / map.height;
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      const v = Math.max(0, Math.min(1, map.data[y * map.width + x] as number));
      ctx.fillStyle = `rgb(${Math.round(255 * v)}, ${Math.round(80 + 100 * v)}, ${Math.round(255 * (1 - v))})`;
      ctx.fillRect(x * cw, y * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
}

/** Draw IoU after each step (0..1) as a line with dots; x = step 0..maxSteps. */
export function drawCurve(canvas: HTMLCanvasElement, values: readonly number[], maxSteps: number): void {
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
  const W = canvas.width,
    H = canvas.height,
    pad = 22;
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = "#9ca3af";
  ctx.lineWidth = 1;
  ctx.strokeRect(pad, 4, W - pad - 4, H - pad - 4);
  ctx.fillStyle = "#374151";
  ctx.font = "10px sans-serif";
  ctx.fillText("1", 8, 12);
  ctx.fillText("0", 8, H - pad);
  ctx.fillText("click", W / 2 - 10, H - 6);
  const px = (i: number): number => pad + ((W - pad - 4) * i) / Math.max(1, maxSteps);
  const py = (v: number): number => 4 + (H - pad - 4) * (1 - v);
  ctx.strokeStyle = "#2563eb";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(px(0), py(0));
  values.forEach((v, i) => ctx.lineTo(px(i + 1), py(v)));
  ctx.stroke();
  ctx.fillStyle = "#2563eb";
  values.forEach((v, i) => {
    ctx.beginPath();
    ctx.arc(px(i + 1), py(v), 3, 0, 2 * Math.PI);
    ctx.fill();
  });
}
