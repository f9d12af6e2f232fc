// In-process fuzz targets (fast-check generates the inputs). Each check accepts an input and
// verifies the result's invariants, or lets a typed error through; see harness.ts.
import fc from "fast-check";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { AlignSamGymError, ConcurrentCallError, InvalidActionError, Rng, checkOptionKeys } from "../../src/core";
import type { Env } from "../../src/core";
import { CocoDataset, decodeImage, encodeJpeg, encodePng, polygonsToMask, rleDecode, rleEncode } from "../../src/data";
import { SamSegEnv } from "../../src/envs/sam-seg";
import { make } from "../../src/registry";
import { decodeEmbeddingFile, encodeEmbeddingFile } from "../../src/segmenters/cache/embedding-file";
import { FixedSegmenter, InMemoryDataset, boxMask } from "../../src/testing";
import { SyncVectorEnv } from "../../src/vector";
import type { FuzzTarget } from "./harness";
import { InvariantError, invariant } from "./harness";

const sample = <T>(arb: fc.Arbitrary<T>, count: number, seed: number): T[] => fc.sample(arb, { numRuns: count, seed });

/** Action values for a Discrete(n): mostly valid, then out of range, fractional, huge, NaN, wrong types. */
const anyAction = (n: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 40, arbitrary: fc.integer({ min: 0, max: n - 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: 70 }) },
    fc.constantFrom(2 ** 32, 2 ** 31, -(2 ** 31), 2 ** 53, NaN, Infinity, -Infinity, 1.5, -0),
    fc.double(),
    fc.constantFrom<unknown>("1", null, undefined, [], {}, true, 1n),
  );

function samSeg(): SamSegEnv {
  const h = 12;
  const w = 16;
  const mask = boxMask([h, w], [{ x0: 4, y0: 4, x1: 12, y1: 8 }]);
  const image = ndarray(
    Uint8Array.from({ length: h * w * 3 }, (_, i) => (i * 37) & 255),
    [h, w, 3],
  );
  const masks = ndarray(Uint8Array.from(mask.data), [h, w, 1]);
  return new SamSegEnv({
    dataset: new InMemoryDataset({ thing: [{ image, masks }] }),
    segmenter: new FixedSegmenter({ mask }),
    imgShape: [h, w, 3],
    imgPatchSize: 4,
    maxSteps: 5,
  });
}

interface EnvCase {
  seed: number;
  actions: unknown[];
  /** How many copies of each step to issue at once (1 = sequential). */
  overlap: number;
}

const envCases =
  (n: number) =>
  (count: number, seed: number): EnvCase[] =>
    sample(
      fc.record({
        seed: fc.nat(),
        actions: fc.array(anyAction(n), { minLength: 1, maxLength: 12 }),
        overlap: fc.constantFrom(1, 1, 1, 2, 5),
      }),
      count,
      seed,
    );

/** Drive one env through a case: every result must be in the spaces, bad calls typed, state intact. */
async function driveEnv(env: Env<unknown, unknown>, c: EnvCase, maxSteps: number | null): Promise<"typed" | undefined> {
  let refused = false;
  const [obs0] = await env.reset({ seed: c.seed });
  invariant(env.observationSpace.contains(obs0), "reset observation outside the space");
  let steps = 0;
  let done = false;
  for (const a of c.actions) {
    if (done) {
      const [o] = await env.reset();
      invariant(env.observationSpace.contains(o), "reset observation outside the space");
      steps = 0;
      done = false;
    }
    const calls = Array.from({ length: c.overlap }, () => env.step(a));
    const results = await Promise.allSettled(calls);
    const ok = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<
      [unknown, number, boolean, boolean, object]
    >[];
    const bad = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    const valid = env.actionSpace.contains(a);
    for (const r of bad) {
      const expected = r.reason instanceof ConcurrentCallError || (!valid && r.reason instanceof InvalidActionError);
      if (expected) continue;
      if (r.reason instanceof AlignSamGymError)
        throw new InvariantError(`unexpected ${r.reason.name}: ${r.reason.message}`);
      throw r.reason; // untyped: a crash
    }
    if (!valid) {
      refused = true;
      invariant(ok.length === 0, `invalid action ${String(a)} accepted`);
      continue;
    }
    invariant(ok.length === 1, `${ok.length} of ${c.overlap} overlapping steps ran`);
    const [o, reward, terminated, truncated] = ok[0]!.value;
    steps++;
    invariant(env.observationSpace.contains(o), "step observation outside the space");
    invariant(Number.isFinite(reward), `reward ${reward}`);
    invariant(maxSteps === null || steps <= maxSteps, `step ${steps} beyond maxSteps ${maxSteps}`);
    done = terminated || truncated;
  }
  return refused ? "typed" : undefined;
}

/** SamSegEnv (FixedSegmenter) under random, invalid and overlapping actions and seeds. */
export function samSegTarget(): FuzzTarget<EnvCase> {
  const env = samSeg();
  return {
    name: "SamSegEnv actions/seeds/overlap",
    inputs: envCases(24),
    check: (c) => driveEnv(env, c, 5),
    teardown: () => env.close(),
  };
}

/** CartPole-v1 through make()'s wrapper stack. */
export function cartPoleTarget(): FuzzTarget<EnvCase> {
  const env = make("CartPole-v1");
  return {
    name: "CartPole-v1 (make) actions/overlap",
    inputs: envCases(2),
    check: (c) => driveEnv(env, c, 500),
    teardown: () => env.close(),
  };
}

/**
 * SyncVectorEnv of CartPole: a batch with a bad action must change nothing: after each refused
 * batch the env must still match a twin that only ever saw the accepted batches.
 */
export function vectorTarget(): FuzzTarget<unknown[][]> {
  const build = (): SyncVectorEnv => new SyncVectorEnv([0, 1, 2].map(() => () => make("CartPole-v1")));
  let envs = build();
  let twin = build();
  return {
    name: "SyncVectorEnv batches (vs twin)",
    inputs: (count, seed) =>
      sample(
        fc.array(fc.array(anyAction(2), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        count,
        seed,
      ),
    async check(batches) {
      let refused = false;
      await envs.reset({ seed: 7 });
      await twin.reset({ seed: 7 });
      for (const batch of batches) {
        let accepted = true;
        let res;
        try {
          res = await envs.step(batch as never);
        } catch (e) {
          if (!(e instanceof InvalidActionError)) throw e;
          accepted = false;
        }
        const valid = batch.every((a) => envs.singleActionSpace.contains(a));
        invariant(accepted === valid, `batch ${String(batch)} accepted=${accepted} valid=${valid}`);
        if (!accepted) {
          refused = true;
          continue;
        }
        const ref = await twin.step(batch as never);
        const a = Array.from((res![0] as { data: Float32Array }).data);
        const b = Array.from((ref[0] as { data: Float32Array }).data);
        invariant(
          a.every((v, i) => Object.is(v, b[i])),
          "observations diverged from the twin after a refused batch",
        );
        invariant(Array.from(res![1]).join() === Array.from(ref[1]).join(), "rewards diverged from the twin");
      }
      return refused ? "typed" : undefined;
    },
    async teardown() {
      await envs.close();
      await twin.close();
      envs = twin = build();
      await envs.close();
    },
  };
}

/** Valid PNG and JPEG files with random byte mutations, truncations and splices. */
export function imageTarget(): FuzzTarget<Uint8Array> {
  const img = ndarray(
    Uint8Array.from({ length: 24 * 32 * 3 }, (_, i) => (i * 13) & 255),
    [24, 32, 3],
  );
  const seeds = [encodePng(img), encodeJpeg(img, 80)];
  const mutate = fc.record({
    which: fc.nat({ max: 1 }),
    flips: fc.oneof(
      fc.constant([]),
      fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 8 }),
    ),
    cut: fc.option(fc.nat(), { nil: undefined }),
  });
  return {
    name: "decodeImage mutated PNG/JPEG",
    inputs: (count, seed) =>
      sample(mutate, count, seed).map((m) => {
        const src = seeds[m.which]!;
        const out = Uint8Array.from(src);
        for (const f of m.flips) out[f.at % out.length] = f.value;
        return m.cut === undefined ? out : out.subarray(0, m.cut % out.length);
      }),
    check(bytes) {
      const out = decodeImage(bytes, { name: "fuzz" });
      const [h, w, c] = out.shape as [number, number, number];
      invariant(c === 3 && h > 0 && w > 0 && out.data.length === h * w * 3, `decoded shape [${out.shape.join(", ")}]`);
      invariant(h * w <= 6e6, "decoded above the megapixel cap");
    },
    show: (b) => `${b.length} bytes`,
  };
}

interface PolyCase {
  polys: number[][];
  h: number;
  w: number;
}

/** Polygons with huge, negative, odd-length, non-finite coordinates. */
export function polygonTarget(): FuzzTarget<PolyCase> {
  const coord = fc.oneof(
    { weight: 5, arbitrary: fc.double({ min: -40, max: 80, noNaN: true }) },
    fc.constantFrom(1e308, -1e308, 1e9, -1e9, 1e7, NaN, Infinity, 2 ** 31, -0),
    fc.double(),
  );
  return {
    name: "polygonsToMask",
    inputs: (count, seed) =>
      sample(
        fc.record({
          polys: fc.array(fc.array(coord, { minLength: 0, maxLength: 20 }), { minLength: 0, maxLength: 3 }),
          h: fc.integer({ min: 1, max: 48 }),
          w: fc.integer({ min: 1, max: 48 }),
        }),
        count,
        seed,
      ),
    check({ polys, h, w }) {
      const m = polygonsToMask(polys, h, w);
      invariant(m.shape[0] === h && m.shape[1] === w, "mask shape");
      invariant(
        m.data.every((v) => v === 0 || v === 1),
        "mask not binary",
      );
      // Translation equivariance: polygons within the image, shifted by 2 pixels into an image
      // 2 pixels larger, give the same mask shifted (pycocotools' rounding is exact for this).
      const inside =
        polys.length > 0 &&
        polys[0]!.length !== 4 &&
        polys.every((p) => p.every((v) => v >= 0 && v <= Math.min(h, w) - 1));
      if (inside) {
        const shifted = polygonsToMask(
          polys.map((p) => p.map((v) => v + 2)),
          h + 2,
          w + 2,
        );
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++)
            invariant(shifted.get(y + 2, x + 2) === m.get(y, x), `shifted mask differs at (${y}, ${x})`);
        }
      }
    },
  };
}

/** COCO RLEs: random sizes and counts (numbers and strings), and round trips. */
export function rleTarget(): FuzzTarget<{ size: unknown; counts: unknown }> {
  const count = fc.oneof(fc.nat({ max: 40 }), fc.constantFrom(-1, 1.5, NaN, 2 ** 32, 3600000000, 1e20));
  const rle = fc.record({
    size: fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 })) },
      fc.constantFrom<unknown>([60000, 60000], [-1, 2], [1.5, 2], "x", [1e9, 1e9], null),
    ),
    counts: fc.oneof(
      fc.array(count, { maxLength: 12 }),
      fc.string({ maxLength: 16 }),
      fc.constantFrom<unknown>(null, 5, [0, 3600000000]),
    ),
  });
  // Well-formed RLEs too: runs that cover exactly h * w pixels.
  const wellFormed = fc
    .record({
      h: fc.integer({ min: 1, max: 12 }),
      w: fc.integer({ min: 1, max: 12 }),
      runs: fc.array(fc.nat({ max: 30 }), { maxLength: 10 }),
    })
    .map(({ h, w, runs }) => {
      const counts: number[] = [];
      let left = h * w;
      for (const r of runs) {
        const take = Math.min(r, left);
        counts.push(take);
        left -= take;
      }
      counts.push(left);
      return { size: [h, w] as unknown, counts: counts as unknown };
    });
  return {
    name: "rleDecode",
    inputs: (n, seed) => sample(fc.oneof(rle, wellFormed), n, seed),
    check(r) {
      const m = rleDecode(r as never);
      const [h, w] = m.shape as [number, number];
      invariant(
        m.data.every((v) => v === 0 || v === 1),
        "mask not binary",
      );
      const back = rleEncode(m);
      const again = rleDecode(back);
      invariant(
        again.shape[0] === h && again.shape[1] === w && again.data.every((v, i) => v === m.data[i]),
        "encode/decode round trip differs",
      );
    },
  };
}

/** Broken COCO annotation files: hostile file names, segmentations and records. */
export function cocoTarget(): FuzzTarget<unknown> {
  const dir = mkdtempSync(join(tmpdir(), "asg-fuzz-coco-"));
  mkdirSync(join(dir, "images"));
  writeFileSync(join(dir, "images", "ok.png"), encodePng(ndarray(new Uint8Array(10 * 12 * 3).fill(50), [10, 12, 3])));
  symlinkSync("/dev/zero", join(dir, "images", "zero.png"));
  let k = 0;
  const fileName = fc.constantFrom<unknown>(
    "ok.png",
    "ok.png",
    "ok.png",
    "ok.png",
    "ok.png",
    "../../../../etc/passwd",
    "/etc/passwd",
    "/dev/zero",
    "zero.png",
    "..",
    "",
    "missing.png",
    5,
    null,
    "a/../../x.png",
    "./ok.png",
  );
  const seg = fc.oneof(
    { weight: 3, arbitrary: fc.constant<unknown>([[1, 1, 8, 1, 8, 6, 1, 6]]) },
    fc.array(
      fc.array(fc.oneof(fc.double({ min: -5, max: 20, noNaN: true }), fc.constantFrom(1e308, NaN, -1e9)), {
        maxLength: 10,
      }),
      { maxLength: 2 },
    ),
    fc.record({
      size: fc.constantFrom<unknown>([10, 12], [12, 10], [60000, 60000], [-1, 1]),
      counts: fc.oneof(fc.constantFrom<unknown>([120], [0, 120], [3600000000]), fc.string({ maxLength: 8 })),
    }),
    fc.constantFrom<unknown>(null, 7, "x", {}),
  );
  const ann = fc.record({
    segmentation: seg,
    area: fc.oneof(fc.double({ min: 0, max: 200, noNaN: true }), fc.constantFrom<unknown>(NaN, "x", null)),
    iscrowd: fc.constantFrom<unknown>(0, 0, 1, "x"),
  });
  const record = fc.record({
    fileName,
    h: fc.constantFrom<unknown>(10, 10, 10, 10, 12, 0, -1, "10"),
    anns: fc.array(ann, { minLength: 1, maxLength: 3 }),
  });
  return {
    name: "CocoDataset broken files",
    inputs: (count, seed) => sample(record, count, seed),
    async check(input) {
      const r = input as { fileName: unknown; h: unknown; anns: Array<Record<string, unknown>> };
      const json = {
        images: [{ id: 1, file_name: r.fileName, height: r.h, width: 12 }],
        categories: [{ id: 1, name: "cat" }],
        annotations: r.anns.map((a, i) => ({ id: i + 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], ...a })),
      };
      const path = join(dir, `ann-${k++}.json`);
      writeFileSync(path, JSON.stringify(json).slice(0, k % 7 === 0 ? 40 + (k % 50) : undefined));
      const ds = new CocoDataset({
        annotationFile: path,
        imagesDir: join(dir, "images"),
        maxResampleAttempts: 1,
        minAreaFraction: 0,
      });
      const s = await ds.sample("cat", new Rng(0));
      const [h, w] = s.image.shape as [number, number];
      invariant(h === 10 && w === 12, `image [${h}, ${w}]`);
      invariant(s.masks.shape[0] === h && s.masks.shape[1] === w, "mask shape differs from the image");
      invariant(
        s.masks.data.every((v) => v === 0 || v === 1),
        "mask not binary",
      );
      invariant(r.fileName === "ok.png" || r.fileName === "./ok.png", `read ${String(r.fileName)}`);
    },
    teardown: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Embedding cache files with random bit flips and truncations: corrupt, never wrong data. */
export function embeddingFileTarget(): FuzzTarget<{ at: number[]; cut: number | undefined }> {
  const data = Float32Array.from({ length: 2 * 4 * 4 }, (_, i) => Math.sin(i));
  const good = encodeEmbeddingFile(ndarray(data, [2, 4, 4]), data);
  return {
    name: "embedding cache files (flips)",
    inputs: (count, seed) =>
      sample(
        fc.record({
          at: fc.array(fc.nat(), { minLength: 0, maxLength: 3 }),
          cut: fc.option(fc.nat(), { nil: undefined }),
        }),
        count,
        seed,
      ),
    check({ at, cut }) {
      let bytes = Buffer.from(good);
      for (const a of at) bytes[a % bytes.length] ^= 1 << (a % 8);
      if (cut !== undefined) bytes = bytes.subarray(0, cut % bytes.length);
      const r = decodeEmbeddingFile(bytes);
      if (r !== null)
        invariant(
          Buffer.from(r.data.buffer).equals(Buffer.from(data.buffer)) && r.shape.join() === "2,4,4",
          "a corrupted entry decoded to other data",
        );
      if (at.length === 0 && cut === undefined) invariant(r !== null, "a good entry was refused");
    },
    show: (c) => JSON.stringify(c),
  };
}

/** Option objects from JSON with prototype keys at any depth: refused, or read by own keys. */
export function optionsTarget(): FuzzTarget<string> {
  const key = fc.constantFrom("__proto__", "constructor", "prototype", "maxEpisodeSteps", "renderMode", "bogus", "a");
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom<unknown>(1, 5, null, "rgb_array", true),
      fc.dictionary(key, tie("v"), { maxKeys: 3 }),
      fc.array(tie("v"), { maxLength: 2 }),
    ),
  })).v;
  return {
    name: "make() options from JSON",
    inputs: (count, seed) =>
      sample(fc.dictionary(key, value, { maxKeys: 4 }), count, seed).map((o) => JSON.stringify(o)),
    async check(json) {
      const opts = JSON.parse(json) as Record<string, unknown>;
      let forbidden = false;
      try {
        checkOptionKeys(opts, "x");
      } catch {
        forbidden = true;
      }
      let env: Env<unknown, unknown>;
      try {
        env = make("CartPole-v1", opts);
      } catch (e) {
        invariant(
          !(forbidden && !(e instanceof Error && /is not allowed/.test(e.message))),
          `a forbidden key was not refused: ${String(e)}`,
        );
        throw e;
      }
      invariant(!forbidden, "a __proto__/constructor/prototype key was accepted");
      invariant(Object.getPrototypeOf(env.spec!.kwargs) === Object.prototype, "kwargs prototype replaced");
      await env.close();
    },
  };
}

/** Every in-process target, freshly built. */
export function allTargets(): Array<() => FuzzTarget<never>> {
  return [
    samSegTarget,
    cartPoleTarget,
    vectorTarget,
    imageTarget,
    polygonTarget,
    rleTarget,
    cocoTarget,
    embeddingFileTarget,
    optionsTarget,
  ] as unknown as Array<() => FuzzTarget<never>>;
}
