// Data benchmarks (issue 4): COCO index build time and memory on a val2017-sized file, decode +
// resize of a 640x480 JPEG, bilinear resize alone, and generating the synthetic dataset.
// Run: npm run bench -- data    (BENCH_DATA_LARGE=1 also loads a ~450 MB annotation file)
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import ndarray from "ndarray";
import { Rng } from "../src/core/rng";
import { CocoIndex } from "../src/data/coco-index";
import { decodeImage } from "../src/data/image-io";
import { encodeJpeg } from "../src/data/jpeg-encoder";
import { resize } from "../src/data/resize";
import { generateSyntheticCoco } from "../src/data/synthetic/generate-synthetic-coco";
import { paintBackground, toRgb } from "../src/data/synthetic/texture";
import { median } from "./median";

const min = (xs: number[]): number => Math.min(...xs);
const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;

/** Write a COCO-like instances file: `images` images, `anns` polygon annotations (~700 bytes each). */
async function writeCocoLike(path: string, images: number, anns: number, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const out = createWriteStream(path);
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, "drain");
  };
  await write('{"info":{"description":"bench"},"licenses":[],"images":[');
  for (let i = 0; i < images; i++) {
    await write(
      `${i ? "," : ""}{"license":1,"file_name":"${String(i + 1).padStart(12, "0")}.jpg","coco_url":"http://example/${i}.jpg","height":480,"width":640,"date_captured":"2013-11-14 17:02:52","id":${i + 1}}`,
    );
  }
  await write('],"annotations":[');
  for (let a = 0; a < anns; a++) {
    const n = 2 * rng.integers(14, 64);
    const cx = rng.uniform(50, 590),
      cy = rng.uniform(50, 430),
      r = rng.uniform(5, 60);
    const poly: string[] = [];
    for (let k = 0; k < n / 2; k++) {
      const t = (2 * Math.PI * k) / (n / 2);
      poly.push((cx + r * Math.cos(t)).toFixed(2), (cy + r * Math.sin(t)).toFixed(2));
    }
    const seg =
      rng.random() < 0.01
        ? `{"counts":[${Array.from({ length: 60 }, () => rng.integers(1, 3000)).join(",")}],"size":[480,640]}`
        : `[[${poly.join(",")}]]`;
    await write(
      `${a ? "," : ""}{"segmentation":${seg},"area":${(Math.PI * r * r).toFixed(2)},"iscrowd":${seg[0] === "{" ? 1 : 0},"image_id":${rng.integers(1, images + 1)},"bbox":[${(cx - r).toFixed(2)},${(cy - r).toFixed(2)},${(2 * r).toFixed(2)},${(2 * r).toFixed(2)}],"category_id":${rng.integers(1, 81)},"id":${a + 1}}`,
    );
  }
  await write(
    `],"categories":[${Array.from({ length: 80 }, (_, i) => `{"supercategory":"s","id":${i + 1},"name":"cat${i + 1}"}`).join(",")}]}`,
  );
  out.end();
  await once(out, "finish");
}

async function benchIndex(dir: string): Promise<void> {
  const file = join(dir, "instances_val-like.json");
  await writeCocoLike(file, 5000, 36000, 1);
  const size = statSync(file).size;
  const times: number[] = [];
  const cpu: number[] = [];
  let rssExtra = 0;
  for (let run = 0; run < 3; run++) {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const idx = await CocoIndex.fromFile(file);
    times.push(performance.now() - t0);
    const cu = process.cpuUsage(c0);
    cpu.push((cu.user + cu.system) / 1000);
    rssExtra = Math.max(rssExtra, process.memoryUsage().rss - rss0);
    if (idx.numAnnotations !== 36000) throw new Error("bad index");
  }
  console.log(
    `COCO index, ${mb(size)} file (5000 images, 36000 annotations): build median ${median(times).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (target <= 1500), extra RSS ${mb(rssExtra)} (target <= 300 MB)`,
  );
}

async function benchLargeIndex(dir: string): Promise<void> {
  const file = join(dir, "instances_train-like.json");
  const t0 = performance.now();
  await writeCocoLike(file, 118000, 640000, 2);
  const size = statSync(file).size;
  console.log(`  wrote ${mb(size)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rss0 = process.memoryUsage().rss;
  const t1 = performance.now();
  const idx = await CocoIndex.fromFile(file);
  const rss = process.memoryUsage().rss;
  console.log(
    `COCO index, ${mb(size)} file (118000 images, ${idx.numAnnotations} annotations): ${((performance.now() - t1) / 1000).toFixed(1)} s, RSS ${mb(rss)} (+${mb(rss - rss0)}; target <= 4 GB)`,
  );
}

function textured(h: number, w: number): ndarray.NdArray<Uint8Array> {
  const rgb = new Float32Array(h * w * 3);
  paintBackground(new Rng(5), rgb, h, w);
  return ndarray(toRgb(rgb), [h, w, 3]);
}

function benchDecodeResize(): void {
  const img = textured(480, 640);
  const jpg = encodeJpeg(img, 90);
  const both: number[] = [];
  const dec: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const d = decodeImage(jpg);
    const t1 = performance.now();
    resize(d, [375, 500], "linear");
    both.push(performance.now() - t0);
    dec.push(t1 - t0);
  }
  const cpuBoth = process.cpuUsage(cpu0);
  console.log(
    `decode 640x480 JPEG (${(jpg.length / 1024).toFixed(0)} KB) + resize to 500x375: median ${median(both).toFixed(1)} ms wall, ` +
      `${((cpuBoth.user + cpuBoth.system) / 1000 / 40).toFixed(1)} ms CPU mean, ${min(both).toFixed(1)} ms best (target <= 25; decode alone median ${median(dec).toFixed(1)} ms, best ${min(dec).toFixed(1)} ms)`,
  );
  const lin: number[] = [];
  const cpu1 = process.cpuUsage();
  const near: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    resize(img, [375, 500], "linear");
    const t1 = performance.now();
    resize(img, [375, 500], "nearest");
    lin.push(t1 - t0);
    near.push(performance.now() - t1);
  }
  const cpuRes = process.cpuUsage(cpu1);
  console.log(
    `resize 640x480x3 uint8 -> 500x375: bilinear median ${median(lin).toFixed(2)} ms wall, best ${min(lin).toFixed(2)} ms (target <= 3), nearest ${median(near).toFixed(2)} ms; ` +
      `both together ${((cpuRes.user + cpuRes.system) / 1000 / 100).toFixed(2)} ms CPU mean`,
  );
}

async function benchSynthetic(dir: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res = await generateSyntheticCoco({ outDir: join(dir, "synthetic"), images: 200, seed: 0, size: [375, 500] });
  const cu = process.cpuUsage(c0);
  console.log(
    `generateSyntheticCoco 200 images 375x500: ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${((cu.user + cu.system) / 1e6).toFixed(1)} s CPU (target <= 20), ${res.annotations} annotations`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "alignsam-bench-data-"));
  try {
    benchDecodeResize();
    await benchIndex(dir);
    await benchSynthetic(dir);
    if (process.env.BENCH_DATA_LARGE === "1") await benchLargeIndex(dir);
    else console.log("(set BENCH_DATA_LARGE=1 to also load a ~450 MB annotation file)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
