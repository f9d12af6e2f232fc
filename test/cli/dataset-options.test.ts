// The shared dataset and segmenter flags: what each combination becomes, and the errors.
import t from "tap";
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import {
  addDatasetOptions,
  datasetEnvKwargs,
  datasetSpecFromOptions,
  type DatasetCliOptions,
} from "../../src/cli/commands/dataset-options";
import { segmenterEnvKwargs, segmenterSpecFromOptions } from "../../src/cli/commands/segmenter-options";
import { trainEnvOverrides } from "../../src/cli/commands/train";
import { evalEnvKwargs } from "../../src/cli/evaluation";
import { checkDataset } from "../../src/cli/commands/check";
import { createProgram } from "../../src/cli/main";
import { addEmbedCommand } from "../../src/cli/commands/embed";
import { addEvaluateSegmenterCommand } from "../../src/cli/commands/evaluate-segmenter";
import { datasetImageFiles } from "../../src/cli/commands/evaluation-samples";
import { createDataset } from "../../src/data/dataset-spec";
import { CocoDataset } from "../../src/data/coco-dataset";
import { MaskFolderDataset } from "../../src/data/mask-folder-dataset";
import { SyntheticCocoDataset } from "../../src/data/synthetic/ensure-synthetic-coco";
import { createSegmenterFromSpec } from "../../src/segmenters/segmenter-spec";
import { GeodesicSegmenter } from "../../src/segmenters/geodesic/geodesic-segmenter";
import { OnnxSamSegmenter } from "../../src/segmenters/onnx/onnx-sam-segmenter";
import { SamSegEnv } from "../../src/envs/sam-seg";
import { EmbeddingCache } from "../../src/segmenters/cache/embedding-cache";
import { writeCocoExports } from "../data/coco-export-fixture";

/** Parse args with a command that has the dataset flags, return the parsed options. */
function parse(
  args: string[],
  config: Parameters<typeof addDatasetOptions>[1] = { kinds: ["synthetic", "coco", "maskfolder", "grabcut"] },
): DatasetCliOptions {
  const cmd = new Command("x").exitOverride();
  addDatasetOptions(cmd, config);
  cmd.parse(["node", "x", ...args]);
  return cmd.opts<DatasetCliOptions>();
}

t.test("coco: --annotations/--images, --path/--split, categories and file checks", async (t) => {
  t.same(
    datasetSpecFromOptions(
      parse([
        "--dataset",
        "coco",
        "--annotations",
        "voc/annotations.json",
        "--images",
        "voc",
        "--categories",
        "cat, dog",
      ]),
    ),
    {
      kind: "coco",
      annotationFile: "voc/annotations.json",
      imagesDir: "voc",
      categories: ["cat", "dog"],
    },
  );
  t.same(
    datasetSpecFromOptions(
      parse(["--dataset", "coco", "--path", "coco", "--split", "val2017", "--validate-files", "--skip-missing-images"]),
    ),
    {
      kind: "coco",
      annotationFile: join("coco", "annotations", "instances_val2017.json"),
      imagesDir: join("coco", "images", "val2017"),
      validateFiles: true,
      skipMissingImages: true,
    },
  );
  t.same(
    datasetSpecFromOptions(parse(["--dataset", "coco", "--annotations", "x/a.json", "--path", "x"])),
    { kind: "coco", annotationFile: "x/a.json", imagesDir: "x" },
    "--path is the images root with --annotations",
  );
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "coco", "--annotations", "a.json"])),
    /--annotations needs --images <dir>: the folder .*labelme2coco: the folder of annotations\.json/,
  );
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "coco"])),
    /--dataset coco needs --annotations <file> --images <dir>, or --path <root> --split <name>/,
  );
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "coco", "--path", "c"]), { explicitSplit: true }),
    /name the held-out split explicitly: --split <name>/,
  );
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "coco", "--path", "c", "--split", "v", "--masks", "m"])),
    /--masks is for --dataset maskfolder/,
  );
  t.throws(
    () =>
      datasetSpecFromOptions(
        parse(["--dataset", "coco", "--annotations", "a", "--images", "i", "--categories", " , "]),
      ),
    /--categories must list at least one/,
  );
  t.same(
    datasetEnvKwargs(parse(["--dataset", "coco", "--annotations", "a", "--images", "i", "--categories", "cat"])),
    {
      dataset: { kind: "coco", annotationFile: "a", imagesDir: "i", categories: ["cat"] },
    },
    "COCO categories go into the spec (checked for usable instances), not targetCategories",
  );
});

t.test("maskfolder, grabcut, synthetic and bad kinds", async (t) => {
  t.same(datasetSpecFromOptions(parse(["--dataset", "maskfolder", "--path", "root"])), {
    kind: "maskfolder",
    root: "root",
  });
  const rel = (p: string): string => require("node:path").relative(".", p) as string;
  t.same(datasetSpecFromOptions(parse(["--dataset", "maskfolder", "--images", "/d/img", "--masks", "/d/m"])), {
    kind: "maskfolder",
    root: ".",
    imagesDir: rel("/d/img"),
    masksDir: rel("/d/m"),
  });
  t.same(datasetSpecFromOptions(parse(["--dataset", "grabcut", "--path", "g"])), {
    kind: "maskfolder",
    root: "g",
    ignoreValues: [128],
  });
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "maskfolder", "--images", "i"])),
    /needs --path <root> .* or both --images <dir> and --masks <dir>/,
  );
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "maskfolder", "--path", "r", "--validate-files"])),
    /apply to --dataset coco, not maskfolder/,
  );
  t.same(datasetEnvKwargs(parse(["--dataset", "maskfolder", "--path", "r", "--categories", "person"])), {
    dataset: { kind: "maskfolder", root: "r" },
    targetCategories: ["person"],
  });
  t.equal(datasetSpecFromOptions(parse([])), null, "default: the synthetic dataset");
  t.same(datasetEnvKwargs(parse(["--dataset", "synthetic", "--categories", "disc"])), { targetCategories: ["disc"] });
  t.throws(
    () => datasetSpecFromOptions(parse(["--images", "i"])),
    /--images needs --dataset coco, maskfolder or grabcut/,
  );
  t.throws(
    () => datasetSpecFromOptions(parse(["--dataset", "lvis"])),
    /--dataset must be synthetic, coco, maskfolder or grabcut, got "lvis"/,
  );
  t.throws(() => parse(["--split", "x"], { kinds: ["coco"], required: true }), /required option '--dataset <kind>'/);
});

t.test("segmenter flags: specs, cache options, errors; train's overrides clash with --env-kwargs", async (t) => {
  t.equal(segmenterSpecFromOptions({ segmenter: "geodesic" }), null);
  t.same(segmenterSpecFromOptions({ segmenter: "onnx-sam", encoder: "e.onnx", decoder: "d.onnx", threads: "2" }), {
    kind: "onnx-sam",
    decoderPath: "d.onnx",
    encoderPath: "e.onnx",
    intraOpNumThreads: 2,
  });
  t.throws(
    () => segmenterSpecFromOptions({ segmenter: "onnx-sam", encoder: "e.onnx" }),
    /--segmenter onnx-sam needs --decoder <path>/,
  );
  t.throws(
    () => segmenterSpecFromOptions({ segmenter: "geodesic", decoder: "d.onnx" }),
    /--decoder is for --segmenter onnx-sam/,
  );
  t.throws(
    () => segmenterSpecFromOptions({ segmenter: "sam2" }),
    /--segmenter must be "geodesic" or "onnx-sam", got "sam2"/,
  );
  t.same(segmenterEnvKwargs({ segmenter: "geodesic" }), {});
  t.same(segmenterEnvKwargs({ segmenter: "geodesic", cache: "c" }), {
    embeddingCache: { dir: "c", maxBytes: 256 << 20 },
  });
  t.same(segmenterEnvKwargs({ segmenter: "geodesic", cacheMb: "8" }), { embeddingCache: { maxBytes: 8 << 20 } });
  t.same(trainEnvOverrides({ segmenter: "onnx-sam", decoder: "d", dataset: "coco", annotations: "a", images: "i" }), {
    dataset: { kind: "coco", annotationFile: "a", imagesDir: "i" },
    segmenter: { kind: "onnx-sam", decoderPath: "d" },
  });
  t.throws(
    () =>
      trainEnvOverrides({
        dataset: "coco",
        annotations: "a",
        images: "i",
        envKwargs: { dataset: { kind: "synthetic" } },
      }),
    /--env-kwargs sets "dataset" and so do the dataset\/segmenter flags/,
  );
});

t.test("specs build the right objects; SamSegEnv takes specs and plain cache options", async (t) => {
  t.type(createDataset({ kind: "coco", annotationFile: "a.json", imagesDir: "i" }), CocoDataset);
  t.type(createDataset({ kind: "maskfolder", root: "r" }), MaskFolderDataset);
  t.type(createDataset({ kind: "synthetic", images: 3 }), SyntheticCocoDataset);
  t.throws(
    () => createDataset({ kind: "lvis" } as never),
    /unknown dataset kind "lvis"; expected one of coco, maskfolder, synthetic/,
  );
  t.throws(() => createDataset({ kind: "coco", imagesDir: "i" } as never), /needs annotationFile/);
  t.type(createSegmenterFromSpec({ kind: "geodesic" }), GeodesicSegmenter);
  t.throws(() => createSegmenterFromSpec({ kind: "onnx-sam", decoderPath: "/nope/d.onnx" }), {
    name: "SegmenterError",
    message: /segmenter decoderPath "\/nope\/d\.onnx" not found/,
  });
  const dec = join(__dirname, "../../../shared/fixtures/sam-tiny/tiny-sam-decoder.onnx");
  if (require("node:fs").existsSync(dec))
    t.type(createSegmenterFromSpec({ kind: "onnx-sam", decoderPath: dec }), OnnxSamSegmenter);
  const dir = mkdtempSync(join(tmpdir(), "asg-spec-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fx = writeCocoExports(dir);
  const env = new SamSegEnv({
    dataset: { kind: "coco", annotationFile: fx.labelmeAnnotations, imagesDir: fx.root },
    segmenter: { kind: "geodesic" },
    embeddingCache: { maxBytes: 1 << 20 },
    imgShape: [48, 64, 3],
    numPatches: 4,
    renderMode: null,
  });
  t.type(env.segmenter, GeodesicSegmenter);
  t.type(env.embeddingCache, EmbeddingCache);
  const [obs] = await env.reset({ seed: 3 });
  t.ok(["cat", "dog"].includes(obs.targetCategory));
  await env.close();
  t.throws(
    () => new SamSegEnv({ embeddingCache: 5 as never }),
    /embeddingCache must be an EmbeddingCache, its options/,
  );
});

t.test("eval: a run trained on real data needs the held-out data named", async (t) => {
  const trained = { dataset: { kind: "coco", annotationFile: "train.json", imagesDir: "img" } };
  t.throws(
    () => evalEnvKwargs("SamSegEnv-v0", trained, {}),
    /the checkpoint trained on coco data \(train\.json\); name the held-out data explicitly/,
  );
  const held = { dataset: { kind: "coco", annotationFile: "val.json", imagesDir: "img" } };
  t.same(evalEnvKwargs("SamSegEnv-v0", trained, held), { kwargs: held, heldOut: null });
  t.same(
    evalEnvKwargs("SamSegEnv-v0", {}, {}).heldOut,
    { seed: 1, images: 100, split: "val" },
    "synthetic runs still get the held-out synthetic set",
  );
});

t.test("check: counts, target categories, missing files", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fx = writeCocoExports(dir);
  const good = await checkDataset(
    parse(["--dataset", "coco", "--annotations", fx.cvatAnnotations, "--images", join(dir, "images")]),
  );
  t.ok(good.ok);
  t.match(
    good.lines.join("\n"),
    /4 images, 20 annotations, 4 categories\n.*4 without segmentation \(bbox-only\), 0 with an unknown image or category\n.*crowd annotations \(never targets\): 4\n.*target categories \(2\): cat, dog\n.*without a usable instance \(2\): person, car/,
  );
  unlinkSync(join(dir, "images", "2007_002.jpg"));
  const bad = await checkDataset(
    parse(["--dataset", "coco", "--annotations", fx.cvatAnnotations, "--images", join(dir, "images")]),
  );
  t.notOk(bad.ok);
  t.match(bad.lines.join("\n"), /1 missing or unreadable image files:\n\s+.*2007_002\.jpg \(image id 3\): ENOENT/);
  const none = await checkDataset(
    parse([
      "--dataset",
      "coco",
      "--annotations",
      fx.cvatAnnotations,
      "--images",
      join(dir, "images"),
      "--categories",
      "person",
    ]),
  );
  t.notOk(none.ok);
  t.match(none.lines[0], /^error: Category "person" .* has no usable instance/);
});

t.test("embed and evaluate-segmenter read a COCO export through --annotations/--images", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-embed-coco-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fx = writeCocoExports(dir);
  const files = await datasetImageFiles(
    parse(["--dataset", "coco", "--annotations", fx.labelmeAnnotations, "--images", dir]),
  );
  t.same(
    files,
    [0, 1, 2, 3].map((i) => join(dir, "JPEGImages", `2007_00${i}.jpg`)),
    "the annotation file's images, JPEGImages/ names resolved",
  );
  const run = async (args: string[]): Promise<string> => {
    const program = new Command("alignsam-gym").exitOverride();
    addEmbedCommand(program);
    addEvaluateSegmenterCommand(program);
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(" "));
    try {
      await program.parseAsync(["node", "alignsam-gym", ...args]);
    } finally {
      console.log = log;
    }
    return lines.join("\n");
  };
  const coco = [
    "--dataset",
    "coco",
    "--annotations",
    fx.cvatAnnotations,
    "--images",
    join(dir, "images"),
    "--no-progress",
  ];
  t.match(await run(["embed", ...coco, "--cache", join(dir, "cache")]), /^4 images, 4 embedded, 0 already cached/);
  t.match(
    await run(["evaluate-segmenter", ...coco, "--limit", "2", "--max-clicks", "2", "--categories", "dog"]),
    /geodesic.* on coco \(2 samples\)/,
  );
});

t.test("the program registers check, and every data command has the shared dataset flags", async (t) => {
  const program = createProgram();
  for (const name of ["train", "eval", "demo", "embed", "evaluate-segmenter", "check"]) {
    const cmd = program.commands.find((c) => c.name() === name);
    t.ok(cmd, `${name} exists`);
    const flags = cmd!.options.map((o) => o.long);
    for (const f of ["--dataset", "--annotations", "--images", "--masks", "--path", "--split", "--categories"])
      t.ok(flags.includes(f), `${name} ${f}`);
  }
});
