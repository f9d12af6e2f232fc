import ndarray from "ndarray";
import type { RenderFrame } from "../../core";

/** Frame size of CartPole renders, as Gymnasium: 600 x 400 pixels. */
export const CARTPOLE_FRAME_WIDTH = 600;
export const CARTPOLE_FRAME_HEIGHT = 400;

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

const CART_COLOR: Rgb = [0, 0, 0];
const POLE_COLOR: Rgb = [202, 152, 101];
const AXLE_COLOR: Rgb = [129, 132, 203];

/**
 * Draw the cart-pole scene of Gymnasium's renderer (white background, black track and cart,
 * brown pole, blue axle), without anti-aliasing.
 *
 * @param x cart position (m); @param theta pole angle (rad, 0 = upright, positive = clockwise);
 * @param xThreshold half the visible track width (m); @param halfPoleLength pole half-length (m).
 * @returns a fresh [400, 600, 3] uint8 frame, row 0 at the top.
 */
export function renderCartPole(x: number, theta: number, xThreshold: number, halfPoleLength: number): RenderFrame {
  const W = CARTPOLE_FRAME_WIDTH;
  const H = CARTPOLE_FRAME_HEIGHT;
  const data = new Uint8Array(W * H * 3).fill(255);
  const scale = W / (xThreshold * 2);
  const poleWidth = 10;
  const poleLen = scale * (2 * halfPoleLength);
  const cartWidth = 50;
  const cartHeight = 30;
  const axleOffset = cartHeight / 4;
  const cartX = x * scale + W / 2;
  const cartY = 100; // scene coordinates: y grows upwards from the bottom row

  const cart: Point[] = [
    [cartX - cartWidth / 2, cartY - cartHeight / 2],
    [cartX - cartWidth / 2, cartY + cartHeight / 2],
    [cartX + cartWidth / 2, cartY + cartHeight / 2],
    [cartX + cartWidth / 2, cartY - cartHeight / 2],
  ];
  fillConvexPolygon(data, W, H, cart, CART_COLOR);

  const c = Math.cos(-theta);
  const s = Math.sin(-theta);
  const poleCorners: Point[] = [
    [-poleWidth / 2, -poleWidth / 2],
    [-poleWidth / 2, poleLen - poleWidth / 2],
    [poleWidth / 2, poleLen - poleWidth / 2],
    [poleWidth / 2, -poleWidth / 2],
  ];
  // rotate by -theta around the axle, as pygame's Vector2.rotate_rad(-theta)
  const pole = poleCorners.map(([px, py]): Point => [px * c - py * s + cartX, px * s + py * c + cartY + axleOffset]);
  fillConvexPolygon(data, W, H, pole, POLE_COLOR);
  fillDisc(data, W, H, cartX, cartY + axleOffset, poleWidth / 2, AXLE_COLOR);
  fillRect(data, W, H, 0, W, cartY, cartY + 1, CART_COLOR); // the track
  return ndarray(data, [H, W, 3]);
}

/** Paint pixel (column px, scene row py counted from the bottom) if it is inside the frame. */
function paint(data: Uint8Array, W: number, H: number, px: number, py: number, color: Rgb): void {
  if (px < 0 || px >= W || py < 0 || py >= H) return;
  const i = ((H - 1 - py) * W + px) * 3;
  data[i] = color[0];
  data[i + 1] = color[1];
  data[i + 2] = color[2];
}

function fillRect(
  data: Uint8Array,
  W: number,
  H: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  color: Rgb,
): void {
  for (let py = Math.max(0, Math.floor(y0)); py < Math.min(H, Math.ceil(y1)); py++) {
    for (let px = Math.max(0, Math.floor(x0)); px < Math.min(W, Math.ceil(x1)); px++) paint(data, W, H, px, py, color);
  }
}

/** Fill the pixels whose centres lie inside a convex polygon given in clockwise or counter-clockwise order. */
function fillConvexPolygon(data: Uint8Array, W: number, H: number, pts: readonly Point[], color: Rgb): void {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(W - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(H - 1, Math.ceil(Math.max(...ys)));
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const cx = px + 0.5;
      const cy = py + 0.5;
      let pos = false;
      let neg = false;
      for (let k = 0; k < pts.length; k++) {
        const [ax, ay] = pts[k] as Point;
        const [bx, by] = pts[(k + 1) % pts.length] as Point;
        const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
        if (cross > 0) pos = true;
        else if (cross < 0) neg = true;
      }
      if (!(pos && neg)) paint(data, W, H, px, py, color);
    }
  }
}

function fillDisc(data: Uint8Array, W: number, H: number, cx: number, cy: number, r: number, color: Rgb): void {
  for (let py = Math.floor(cy - r); py <= Math.ceil(cy + r); py++) {
    for (let px = Math.floor(cx - r); px <= Math.ceil(cx + r); px++) {
      const dx = px + 0.5 - cx;
      const dy = py + 0.5 - cy;
      if (dx * dx + dy * dy <= r * r) paint(data, W, H, px, py, color);
    }
  }
}
