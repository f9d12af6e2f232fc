import t from "tap";
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { addEmbedCommand } from "../../src/cli/commands/embed";
import { resolveShard, shardOf } from "../../src/cli/embed/shard";
import { readManifests } from "../../src/cli/embed/manifest";
import { embedShard } from "../../src/cli/embed/embed-shard";
import { EmbeddingCache, GeodesicSegmenter } from "../../src/segmenters";
import { MaskFolderDataset } from "../../src/data";
import { SamSegEnv } from "../../src/envs/sam-seg";
import { InvalidArgumentError } from "../../src/core/errors";
import { writeEmbedDataset } from "../../scripts/embed-dataset";

const root = mkdtempSync(join(tmpdir(), "asg-embed-shard-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const N = 24;
const names = writeEmbedDataset(join(root, "ds"), N);
const segId = new GeodesicSegmenter().id;

/** Run `alignsam-gym ...` in this process; returns stdout and the exit code it set. */
async function run(args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command("alignsam-gym").exitOverride();
  addEmbedCommand(program);
  const lines: string[] = [];
  const log = console.log,
    error = console.error;
  console.log = (...a: unknown[]) => {
    lines.push(a.join(" "));
  };
  console.error = (...a: unknown[]) => {
    lines.push(a.join(" "));
  };
  process.exitCode = 0;
  try {
    await program.parseAsync(["node", "alignsam-gym", ...args]);
  } finally {
    console.log = log;
    console.error = error;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: lines.join("\n"), code };
}
const base = (cache: string, ...more: string[]): string[] => [
  "--dataset",
  "grabcut",
  "--path",
  join(root, "ds"),
  "--cache",
  cache,
  "--no-progress",
  ...more,
];
// SHA-256("a.png") etc., first 6 bytes as a big-endian integer, mod 1000 (computed independently with `sha256sum`).
const PINNED = [783, 414, 697, 122];
const entries = (cache: string): string[] =>
  readdirSync(join(cache, readdirSync(cache)[0])).filter((n) => n.endsWith(".emb"));

t.test("shardOf is a stable hash of the id: pinned values, balanced", async (t) => {
  t.same(
    ["a.png", "b.png", "c.png", "000000000139.jpg"].map((id) => shardOf(id, 1000)),
    PINNED,
    "reference values (SHA-256, first 48 bits mod n)",
  );
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[shardOf(`${String(i).padStart(12, "0")}.jpg`, 3)]++;
  t.ok(
    counts.every((c) => c > 900 && c < 1100),
    `3000 ids over 3 shards: ${counts}`,
  );
});

t.test("resolveShard: flags, then Kubernetes, then Slurm; one clear sentence for every bad value", async (t) => {
  t.same(resolveShard({}, {}), { index: 0, count: 1, source: "none" });
  t.same(resolveShard({ shardIndex: "2", shardCount: "5" }, { JOB_COMPLETION_INDEX: "4" }), {
    index: 2,
    count: 5,
    source: "flags",
  });
  t.same(resolveShard({}, { JOB_COMPLETION_INDEX: "3", ALIGNSAM_SHARD_COUNT: "8" }), {
    index: 3,
    count: 8,
    source: "kubernetes",
  });
  t.same(resolveShard({ shardCount: "4" }, { JOB_COMPLETION_INDEX: "3" }), {
    index: 3,
    count: 4,
    source: "kubernetes",
  });
  t.same(resolveShard({}, { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" }), {
    index: 2,
    count: 3,
    source: "slurm",
  });
  t.same(resolveShard({}, { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_COUNT: "3" }), {
    index: 1,
    count: 3,
    source: "slurm",
  });
  const bad: Array<[Parameters<typeof resolveShard>[0], NodeJS.ProcessEnv, RegExp]> = [
    [
      {},
      { JOB_COMPLETION_INDEX: "1" },
      /^JOB_COMPLETION_INDEX=1 is set \(a Kubernetes Indexed Job\) but the shard count is not: pass --shard-count/,
    ],
    [{ shardIndex: "1" }, {}, /^--shard-index 1 needs --shard-count <n>/],
    [{ shardCount: "3" }, {}, /^--shard-count 3 needs --shard-index <i>/],
    [{ shardIndex: "3", shardCount: "3" }, {}, /^shard index 3 \(from --shard-index\) is outside 0\.\.2 for 3 shards$/],
    [{ shardIndex: "x", shardCount: "3" }, {}, /^--shard-index must be an integer >= 0, got "x"$/],
    [{ shardIndex: "0", shardCount: "0" }, {}, /^--shard-count must be an integer >= 1, got "0"$/],
    [
      {},
      { SLURM_ARRAY_TASK_ID: "9", SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_COUNT: "3" },
      /^shard index 5 \(from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN \(9 - 4\)\) is outside 0\.\.2/,
    ],
    [{}, { SLURM_ARRAY_TASK_ID: "1" }, /^SLURM_ARRAY_TASK_ID=1 is set but SLURM_ARRAY_TASK_COUNT is not/],
  ];
  for (const [flags, env, re] of bad) t.throws(() => resolveShard(flags, env), re);
});

t.test("three shards fill one folder: complete coverage, every image done exactly once; reruns skip", async (t) => {
  const cache = join(root, "c3");
  let total = 0;
  for (const i of [0, 1, 2]) {
    const { out, code } = await run(["embed", ...base(cache, "--shard-index", String(i), "--shard-count", "3")]);
    t.equal(code, 0, out);
    t.match(out, new RegExp(`^shard ${i} of 3 \\(flags\\): \\d+ images, \\d+ embedded, 0 already cached, 0 failed`));
    total += Number(/: (\d+) images/.exec(out)![1]);
  }
  t.equal(total, N, "the shards partition the images");
  const manifests = await readManifests(join(cache, readdirSync(cache)[0], "manifests"));
  t.equal(manifests.length, 3);
  const done = manifests.flatMap((m) => m.done.map((e) => e.image)).sort();
  t.same(done, [...names].sort(), "each image embedded once, by the shard its hash names");
  for (const m of manifests) {
    t.ok(m.finished);
    t.ok(m.done.every((e) => shardOf(e.image, 3) === m.shardIndex));
  }
  t.equal(entries(cache).length, N);
  const again = await run(["embed", ...base(cache, "--shard-index", "1", "--shard-count", "3")]);
  t.match(again.out, /: (\d+) images, 0 embedded, \1 already cached, 0 failed/);
  const verify = await run(["embed", "verify", ...base(cache)]);
  t.equal(verify.code, 0, verify.out);
  t.match(
    verify.out,
    new RegExp(
      `verify ds \\(${segId}\\): ${N} images, ${N} present, 0 missing, 0 corrupt, 0 unreadable, 0 foreign entries, 0 temp files, 0 hashed without a manifest`,
    ),
  );
  t.match(verify.out, /-> complete/);
  const one = await run(["embed", "verify", ...base(cache, "--shard-index", "1", "--shard-count", "3")]);
  const mine = names.filter((n) => shardOf(n, 3) === 1).length;
  t.match(one.out, new RegExp(`^shard 1 of 3 \\(flags\\): verify ds .*: ${mine} images, ${mine} present, 0 missing`));
  t.notMatch(one.out, /foreign/, "the other shards' entries are not foreign to one shard");
});

t.test("verify finds a deleted, a truncated and (with --checksums) a flipped entry, and foreign entries", async (t) => {
  const cache = join(root, "cv");
  t.equal((await run(["embed", ...base(cache)])).code, 0);
  const dir = join(cache, readdirSync(cache)[0]);
  const [manifest] = await readManifests(join(dir, "manifests"));
  const [gone, cut, flip] = manifest.done;
  rmSync(join(dir, `${gone.key}.emb`));
  truncateSync(join(dir, `${cut.key}.emb`), 100);
  const flipPath = join(dir, `${flip.key}.emb`);
  const bytes = readFileSync(flipPath);
  bytes[bytes.length - 5] ^= 0x10;
  writeFileSync(flipPath, bytes);
  writeFileSync(join(dir, `${"f".repeat(64)}.emb`), "from another dataset");
  appendFileSync(join(dir, "x.emb.123.abc.tmp"), "partial");
  const quick = await run(["embed", "--verify", ...base(cache)]);
  t.equal(quick.code, 2, "exit code 2: incomplete");
  t.match(
    quick.out,
    new RegExp(`${N} images, ${N - 2} present, 1 missing, 1 corrupt, 0 unreadable, 1 foreign entries, 1 temp files`),
  );
  t.match(quick.out, new RegExp(`missing: ${gone.image}\\n`));
  t.match(quick.out, new RegExp(`corrupt: ${cut.image}`));
  const deep = await run(["embed", "verify", "--checksums", ...base(cache)]);
  t.match(deep.out, new RegExp(`${N - 3} present, 1 missing, 2 corrupt`));
  // Without manifests, verify finds the keys by decoding and hashing each image.
  rmSync(join(dir, "manifests"), { recursive: true });
  const hashed = await run(["embed", "verify", ...base(cache)]);
  t.match(
    hashed.out,
    new RegExp(
      `${N - 2} present, 1 missing, 1 corrupt, 0 unreadable, 1 foreign entries, 1 temp files, ${N} hashed without a manifest`,
    ),
  );
  // A rerun repairs: the deleted and truncated entries are embedded again; --checksums also replaces the flipped one.
  t.match((await run(["embed", ...base(cache)])).out, new RegExp(`${N} images, 2 embedded, ${N - 2} already cached`));
  t.match(
    (await run(["embed", "--checksums", ...base(cache)])).out,
    new RegExp(`${N} images, 1 embedded, ${N - 1} already cached`),
  );
  t.equal((await run(["embed", "verify", "--checksums", ...base(cache)])).code, 0);
});

t.test("--resize-to makes the entries SamSegEnv's cache finds (same pixels, same key), also as float16", async (t) => {
  const ds = join(root, "mf");
  writeEmbedDataset(ds, 4, { h: 60, w: 80, masks: true, seed: 7 });
  for (const dtype of ["float32", "float16"]) {
    const cache = join(root, `cr-${dtype}`);
    const { out, code } = await run([
      "embed",
      "--dataset",
      "maskfolder",
      "--path",
      ds,
      "--cache",
      cache,
      "--no-progress",
      "--resize-to",
      "48,64",
      "--dtype",
      dtype,
    ]);
    t.equal(code, 0, out);
    const embCache = new EmbeddingCache({ dir: cache });
    const env = new SamSegEnv({
      dataset: new MaskFolderDataset({ root: ds }),
      segmenter: new GeodesicSegmenter(),
      imgShape: [48, 64, 3],
      embeddingCache: embCache,
    });
    t.teardown(() => env.close());
    for (let s = 0; s < 6; s++) await env.reset({ seed: s });
    const st = embCache.stats();
    t.equal(st.misses, 0, `${dtype}: every episode image was precomputed`);
    t.ok(st.diskHits >= 1, `${dtype}: ${st.diskHits} disk hits`);
  }
  const plain = join(root, "cr-none");
  await run(["embed", "--dataset", "maskfolder", "--path", ds, "--cache", plain, "--no-progress"]);
  const embCache = new EmbeddingCache({ dir: plain });
  const env = new SamSegEnv({
    dataset: new MaskFolderDataset({ root: ds }),
    segmenter: new GeodesicSegmenter(),
    imgShape: [48, 64, 3],
    embeddingCache: embCache,
  });
  t.teardown(() => env.close());
  await env.reset({ seed: 0 });
  t.equal(embCache.stats().diskHits, 0, "without --resize-to the 60x80 entries do not serve a 48x64 env");
});

t.test("JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID pick the shard when no flag does", async (t) => {
  const cache = join(root, "cenv");
  const saved = { ...process.env };
  t.teardown(() => {
    process.env = saved;
  });
  process.env.JOB_COMPLETION_INDEX = "1";
  process.env.ALIGNSAM_SHARD_COUNT = "3";
  const k8s = await run(["embed", ...base(cache)]);
  t.match(k8s.out, /^shard 1 of 3 \(kubernetes\): /);
  t.match(k8s.out, /ds\.shard-0001-of-0003\.json/);
  delete process.env.JOB_COMPLETION_INDEX;
  Object.assign(process.env, { SLURM_ARRAY_TASK_ID: "12", SLURM_ARRAY_TASK_MIN: "10", SLURM_ARRAY_TASK_COUNT: "3" });
  const slurm = await run(["embed", ...base(cache)]);
  t.match(slurm.out, /^shard 2 of 3 \(slurm\): /);
  const k = Number(/(\d+) images/.exec(k8s.out)![1]),
    s = Number(/(\d+) images/.exec(slurm.out)![1]);
  t.equal(k, names.filter((n) => shardOf(n, 3) === 1).length);
  t.equal(s, names.filter((n) => shardOf(n, 3) === 2).length);
});

t.test("bad flags fail before any work with one sentence naming the flag", async (t) => {
  const cache = join(root, "cbad");
  const cases: Array<[string[], RegExp]> = [
    [
      ["--shard-index", "3", "--shard-count", "3"],
      /^shard index 3 \(from --shard-index\) is outside 0\.\.2 for 3 shards$/,
    ],
    [
      ["--resize-to", "375"],
      /^--resize-to must be H,W \(two positive integers, e.g\. 375,500 for SamSegEnv's default imgShape\), got "375"$/,
    ],
    [["--dtype", "int8"], /^--dtype must be "float32" or "float16", got "int8"$/],
    [["--batch-size", "0"], /^--batch-size must be a positive integer, got "0"$/],
    [["--batch-size", "4"], /^--batch-size 4 needs --segmenter onnx-sam with a dynamic-batch encoder/],
    [["--execution-provider", "cuda"], /^--execution-provider cuda applies to --segmenter onnx-sam/],
    [["--execution-provider", "cu da"], /^--execution-provider must be provider names separated by commas/],
  ];
  for (const [flags, re] of cases) {
    const err = await run(["embed", ...base(cache, ...flags)]).then(
      () => null,
      (e: unknown) => e,
    );
    t.ok(err instanceof InvalidArgumentError, flags.join(" "));
    t.match((err as Error).message, re);
    t.notMatch((err as Error).message, /\n/, "one line");
  }
  const err = await run(["embed", "check", ...base(cache)]).then(
    () => null,
    (e: unknown) => e,
  );
  t.match((err as Error).message, /^embed takes no argument but "verify" \(to check coverage\), got "check"$/);
  t.throws(() => readdirSync(cache), "nothing was written");
});

t.test("an unreadable image fails alone, with its reason in the manifest; verify reports it", async (t) => {
  const ds = join(root, "bad");
  writeEmbedDataset(ds, 3, { seed: 11 });
  writeFileSync(join(ds, "images", "zz-broken.png"), "not a png at all");
  const cache = join(root, "cbadimg");
  const args = ["--dataset", "grabcut", "--path", ds, "--cache", cache, "--no-progress"];
  const first = await run(["embed", ...args]);
  t.equal(first.code, 1, "exit code 1: some images failed");
  t.match(first.out, /^4 images, 3 embedded, 0 already cached, 1 failed/);
  t.match(first.out, /failed: zz-broken\.png: Cannot decode .*zz-broken\.png.*unsupported format/);
  const [m] = await readManifests(join(cache, readdirSync(cache)[0], "manifests"));
  t.same(
    m.failed.map((f) => f.image),
    ["zz-broken.png"],
  );
  t.ok(m.finished, "a failure does not stop the shard");
  const verify = await run(["embed", "verify", ...args]);
  t.equal(verify.code, 2);
  t.match(verify.out, /4 images, 3 present, 0 missing, 0 corrupt, 1 unreadable/);
  t.match(verify.out, /unreadable: zz-broken\.png \(Cannot decode/);
});

t.test("embedShard with --batch-size > 1 on a segmenter without embedBatch embeds one by one", async (t) => {
  const cache = new EmbeddingCache({ dir: join(root, "cbatch"), maxBytes: 0 });
  const files = names.map((n) => join(root, "ds", "images", n));
  const r = await embedShard({
    files,
    imageRoot: join(root, "ds", "images"),
    dataset: "ds",
    cache,
    segmenter: new GeodesicSegmenter(),
    shard: { index: 0, count: 1, source: "none" },
    resizeTo: null,
    batchSize: 5,
    checksums: false,
  });
  t.equal(r.manifest.done.length, N);
  t.equal(r.manifest.failed.length, 0);
  t.ok(r.manifest.cpuSeconds > 0 && r.manifest.seconds > 0);
});

t.test("two files with the same pixels in one shard: embedded once, the other counted as already cached", async (t) => {
  // The second copy follows the first at once, while the first entry's write may still be in flight.
  const ds = join(root, "twins");
  writeEmbedDataset(ds, 3);
  const images = join(ds, "images");
  writeFileSync(join(images, "img-00000-copy.png"), readFileSync(join(images, "img-00000.png")));
  const files = readdirSync(images)
    .sort()
    .map((n) => join(images, n));
  const seg = new GeodesicSegmenter();
  let calls = 0;
  const counting = Object.assign(Object.create(seg) as GeodesicSegmenter, {
    embed: (image: Parameters<GeodesicSegmenter["embed"]>[0]) => (calls++, seg.embed(image)),
  });
  const r = await embedShard({
    files,
    imageRoot: images,
    dataset: "twins",
    cache: new EmbeddingCache({ dir: join(root, "ctwins"), maxBytes: 0 }),
    segmenter: counting,
    shard: { index: 0, count: 1, source: "none" },
    resizeTo: null,
    batchSize: 1,
    checksums: false,
  });
  t.equal(calls, 3, "3 distinct images embedded");
  t.same(
    r.manifest.done.map((e) => e.image),
    ["img-00000-copy.png", "img-00001.png", "img-00002.png"],
    "in order",
  );
  t.same(
    r.manifest.skipped.map((e) => e.image),
    ["img-00000.png"],
  );
  t.equal(r.manifest.skipped[0].key, r.manifest.done[0].key);
  t.equal(entries(join(root, "ctwins")).length, 3);
  t.ok(r.manifest.finished);
});
