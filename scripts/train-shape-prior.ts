// Trains the synthetic-shapes prior network (src/ppo/priors/shape-prior-net.ts) and writes its float16
// weights to src/priors/generated/shape-prior-weights.ts. Deterministic given its options (wasm backend).
//
//   npx tsx scripts/train-shape-prior.ts [--images 3000] [--epochs 6] [--batch 16] [--lr 2e-3]
//       [--seed 9001] [--val-seed 9002] [--val-images 200] [--init bundled|<weights.ts>]
//       [--data-dir /tmp/asg-shape-prior] [--out src/priors/generated/shape-prior-weights.ts]
//
// The training scenes come from generateSyntheticCoco with --seed (9001 by default) and the
// validation scenes from seed + 1: neither is a seed the default env (0) or its held-out eval set
// (1) uses. Targets are soft labels: the share of each class (background, disc, box, triangle,
// star, blob, ring) in each 24x32 output cell; crowd regions count as background (they are never
// an episode's target). Augmentation: random horizontal and vertical flips (categories are
// invariant to them).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { generateSyntheticCoco } from "../src/data/synthetic/generate-synthetic-coco";
import { CocoIndex } from "../src/data/coco-index";
import { loadImage } from "../src/data/image-io";
import { segmentationToMask } from "../src/data/polygon";
import { Rng } from "../src/core/rng";
import { selectBackend } from "../src/ppo/nn/backend";
import { Adam } from "../src/ppo/nn/adam";
import { ShapePriorNet } from "../src/ppo/priors/shape-prior-net";
import {
  SHAPE_PRIOR_CLASSES,
  SHAPE_PRIOR_INPUT,
  SHAPE_PRIOR_OUTPUT,
  boxDownsample,
  shapePriorInput,
} from "../src/priors";
import { bundledShapePriorWeights } from "../src/priors/shape-prior-weights";
import { readShapePriorWeightsFile } from "./shape-prior-weights-file";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const IMAGES = Number(option("images", "3000"));
const EPOCHS = Number(option("epochs", "6"));
const BATCH = Number(option("batch", "16"));
const LR = Number(option("lr", "2e-3"));
const SEED = Number(option("seed", "9001"));
const VAL_SEED = Number(option("val-seed", String(SEED + 1)));
const VAL_IMAGES = Number(option("val-images", "200"));
const INIT = option("init", "");
const DATA_DIR = option("data-dir", "/tmp/asg-shape-prior");
const OUT = option("out", "src/priors/generated/shape-prior-weights.ts");
const K = SHAPE_PRIOR_CLASSES.length;
const [IH, IW] = SHAPE_PRIOR_INPUT;
const [OH, OW] = SHAPE_PRIOR_OUTPUT;

interface Split {
  n: number;
  inputs: Float32Array; // [n, IH, IW, 3]
  labels: Float32Array; // [n, OH, OW, K]
}

async function buildSplit(seed: number, images: number, split: string): Promise<Split> {
  const t0 = performance.now();
  const res = await generateSyntheticCoco({ outDir: join(DATA_DIR, `seed-${seed}-${images}`), images, seed, split });
  const index = await CocoIndex.load(res.annotationFile);
  const inputs = new Float32Array(images * IH * IW * 3);
  const labels = new Float32Array(images * OH * OW * K);
  const byImage: number[][] = Array.from({ length: index.numImages }, () => []);
  for (let a = 0; a < index.numAnnotations; a++)
    if (!index.annCrowd[a]) (byImage[index.annImage[a] as number] as number[]).push(a);
  for (let i = 0; i < index.numImages; i++) {
    const image = await loadImage(join(res.imagesDir, index.imageFiles[i] as string));
    const [h, w] = image.shape as [number, number];
    shapePriorInput(image, inputs, i * IH * IW * 3);
    const oneHot = new Uint8Array(h * w * K);
    const owner = new Uint8Array(h * w); // 0 = background, else category index + 1
    for (const a of byImage[i] as number[]) {
      const m = segmentationToMask(index.segmentation(a), h, w).data;
      const cls = (index.annCategory[a] as number) + 1;
      for (let p = 0; p < h * w; p++) if (m[p]) owner[p] = cls;
    }
    for (let p = 0; p < h * w; p++) oneHot[p * K + (owner[p] as number)] = 1;
    boxDownsample(oneHot, [h, w], K, [OH, OW], labels, i * OH * OW * K);
  }
  console.log(`${split}: ${images} images (seed ${seed}) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { n: images, inputs, labels };
}

function batchTensors(s: Split, idx: number[], rng: Rng | null): { x: tf.Tensor4D; y: tf.Tensor4D } {
  return tf.tidy(() => {
    const xs = new Float32Array(idx.length * IH * IW * 3);
    const ys = new Float32Array(idx.length * OH * OW * K);
    idx.forEach((j, b) => {
      xs.set(s.inputs.subarray(j * IH * IW * 3, (j + 1) * IH * IW * 3), b * IH * IW * 3);
      ys.set(s.labels.subarray(j * OH * OW * K, (j + 1) * OH * OW * K), b * OH * OW * K);
    });
    let x = tf.tensor4d(xs, [idx.length, IH, IW, 3]);
    let y = tf.tensor4d(ys, [idx.length, OH, OW, K]);
    if (rng !== null) {
      const axes = [1, 2].filter(() => rng.random() < 0.5);
      if (axes.length) {
        x = tf.reverse(x, axes);
        y = tf.reverse(y, axes);
      }
    }
    return { x, y };
  });
}

/** Soft-label cross-entropy averaged over cells. */
function loss(net: ShapePriorNet, x: tf.Tensor4D, y: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(net.forward(x), -1)), -1))) as tf.Scalar);
}

/** Loss, cell accuracy (argmax vs dominant label) on foreground cells, and per-class IoU. */
function evaluate(net: ShapePriorNet, s: Split): { loss: number; fgAccuracy: number; iou: number[] } {
  let total = 0;
  let fgCells = 0,
    fgRight = 0;
  const inter = new Float64Array(K),
    union = new Float64Array(K);
  for (let start = 0; start < s.n; start += 32) {
    const idx = Array.from({ length: Math.min(32, s.n - start) }, (_, k) => start + k);
    const { x, y } = batchTensors(s, idx, null);
    const l = loss(net, x, y);
    total += (l.dataSync()[0] as number) * idx.length;
    const pred = tf.tidy(() => tf.argMax(net.forward(x), -1));
    const p = pred.dataSync() as Int32Array;
    const lab = y.dataSync() as Float32Array;
    for (let c = 0; c < p.length; c++) {
      let best = 0;
      for (let k = 1; k < K; k++) if ((lab[c * K + k] as number) > (lab[c * K + best] as number)) best = k;
      if (best !== 0) {
        fgCells++;
        if (p[c] === best) fgRight++;
      }
      const q = p[c] as number;
      if (q === best) inter[q] = (inter[q] as number) + 1;
      union[q] = (union[q] as number) + 1;
      if (q !== best) union[best] = (union[best] as number) + 1;
    }
    tf.dispose([x, y, l, pred]);
  }
  return {
    loss: total / s.n,
    fgAccuracy: fgRight / fgCells,
    iou: Array.from(inter, (v, k) => v / Math.max(1, union[k] as number)),
  };
}

/** Mean IoU over the shape classes (background excluded). */
function meanShapeIou(iou: number[]): number {
  return iou.slice(1).reduce((a, b) => a + b, 0) / (K - 1);
}

function toBase64Lines(bits: Uint16Array): string {
  const b64 = Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 100) lines.push(`  "${b64.slice(i, i + 100)}"`);
  return lines.join(" +\n");
}

/** Write the network's float16 weights to OUT as a TypeScript module, with the run's options and validation figures. */
function writeWeights(net: ShapePriorNet, v: { loss: number; fgAccuracy: number; iou: number[] }): void {
  const bits = net.toFloat16();
  writeFileSync(
    OUT,
    `// Generated by scripts/train-shape-prior.ts: do not edit.\n` +
      `// npx tsx scripts/train-shape-prior.ts --images ${IMAGES} --epochs ${EPOCHS} --batch ${BATCH} --lr ${LR} --seed ${SEED} --val-seed ${VAL_SEED} --val-images ${VAL_IMAGES}${INIT !== "" ? ` --init ${INIT}` : ""}\n` +
      `// Validation (${VAL_IMAGES} scenes, seed ${VAL_SEED}): loss ${v.loss.toFixed(4)}, foreground cell accuracy ${v.fgAccuracy.toFixed(3)}, mean shape IoU ${meanShapeIou(v.iou).toFixed(3)}.\n\n` +
      `/** The trained ShapePriorNet weights: ${bits.length} float16 values in parameter order, base64. */\n` +
      `export const SHAPE_PRIOR_WEIGHTS_BASE64 =\n${toBase64Lines(bits)};\n`,
  );
}

async function main(): Promise<void> {
  await selectBackend("wasm");
  const train = await buildSplit(SEED, IMAGES, "train");
  const val = await buildSplit(VAL_SEED, VAL_IMAGES, "val");
  const net = new ShapePriorNet(SEED);
  if (INIT !== "") net.loadFloat16(INIT === "bundled" ? bundledShapePriorWeights() : readShapePriorWeightsFile(INIT));
  let v = evaluate(net, val);
  console.log(
    `start${INIT !== "" ? ` (${INIT})` : ""}: val loss ${v.loss.toFixed(4)}, val fg accuracy ${v.fgAccuracy.toFixed(3)}, mean shape IoU ${meanShapeIou(v.iou).toFixed(3)}`,
  );
  const adam = new Adam(net.params.variables());
  const rng = new Rng(SEED);
  const steps = EPOCHS * Math.floor(train.n / BATCH);
  let step = 0;
  const t0 = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const order = rng.permutation(train.n) as unknown as ArrayLike<number>;
    let running = 0;
    for (let b = 0; b + BATCH <= train.n; b += BATCH) {
      const idx = Array.from({ length: BATCH }, (_, k) => order[b + k] as number);
      const { x, y } = batchTensors(train, idx, rng);
      const lr = LR * 0.5 * (1 + Math.cos((Math.PI * step) / steps)); // cosine decay to 0
      const { value, grads } = tf.variableGrads(() => loss(net, x, y), net.params.variables());
      adam.apply(
        net.params.names().map((n) => grads[net.params.get(n).name] as tf.Tensor),
        lr,
      );
      running += value.dataSync()[0] as number;
      tf.dispose([x, y, value]);
      tf.dispose(grads);
      step++;
    }
    v = evaluate(net, val);
    console.log(
      `epoch ${epoch + 1}/${EPOCHS}: train loss ${(running / Math.floor(train.n / BATCH)).toFixed(4)}, val loss ${v.loss.toFixed(4)}, ` +
        `val fg accuracy ${v.fgAccuracy.toFixed(3)}, val IoU ${v.iou.map((u, k) => `${SHAPE_PRIOR_CLASSES[k]} ${u.toFixed(2)}`).join(" ")} ` +
        `(mean ${meanShapeIou(v.iou).toFixed(3)}; ${((performance.now() - t0) / 1000).toFixed(0)} s, ${tf.memory().numTensors} tensors)`,
    );
    writeWeights(net, v); // after every epoch, so a long run stopped early keeps its last epoch
  }
  if (EPOCHS === 0) writeWeights(net, v);
  console.log(
    `wrote ${OUT}: val fg accuracy ${v.fgAccuracy.toFixed(3)}, mean shape IoU ${meanShapeIou(v.iou).toFixed(3)}`,
  );
  net.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
