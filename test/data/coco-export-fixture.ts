// Small COCO-format exports shaped like what third-party tools write, built in a temp folder:
// - labelme2coco (labelme's examples/instance_segmentation): <root>/annotations.json with
//   file_name "JPEGImages/<name>.jpg", a "_background_" category (id 0) no annotation uses, and
//   polygon annotations with area and bbox;
// - CVAT "COCO 1.0": <root>/annotations/instances_default.json with file_name "<name>.jpg"
//   relative to <root>/images/, every task label as a category (some unused), rectangles as
//   bbox-only annotations ("segmentation": []), brush masks as iscrowd 1 with uncompressed RLE.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ndarray from "ndarray";
import { encodeJpeg } from "../../src/data/jpeg-encoder";
import { rleCountsFromString, rleEncode } from "../../src/data/rle";

export interface CocoExportFixture {
  root: string;
  /** labelme2coco-like: pass `root` as the images folder. */
  labelmeAnnotations: string;
  /** CVAT-like: pass `root/images` as the images folder. */
  cvatAnnotations: string;
  /** Categories with a usable instance (in file order), the same in both files. */
  usable: string[];
}

const H = 48;
const W = 64;

/** Image i: a red box (cat) and a blue box (dog) on a noisy grey background; their boxes [x0, y0, x1, y1]. */
function drawImage(i: number): { image: ndarray.NdArray<Uint8Array>; cat: number[]; dog: number[] } {
  const cat = [4 + 2 * i, 6, 26 + 2 * i, 30];
  const dog = [36, 10 + i, 58, 40];
  const image = ndarray(new Uint8Array(H * W * 3), [H, W, 3]);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inCat = x >= cat[0]! && x < cat[2]! && y >= cat[1]! && y < cat[3]!;
      const inDog = x >= dog[0]! && x < dog[2]! && y >= dog[1]! && y < dog[3]!;
      const n = (x * 7 + y * 13 + i * 5) % 17;
      const rgb = inCat ? [210, 40, 40] : inDog ? [40, 60, 210] : [110 + n, 110 + n, 100 + n];
      for (let c = 0; c < 3; c++) image.set(y, x, c, rgb[c]!);
    }
  }
  return { image, cat, dog };
}

const poly = (b: number[]): number[] => [b[0]!, b[1]!, b[2]!, b[1]!, b[2]!, b[3]!, b[0]!, b[3]!];
const area = (b: number[]): number => (b[2]! - b[0]!) * (b[3]! - b[1]!);
const bbox = (b: number[]): number[] => [b[0]!, b[1]!, b[2]! - b[0]!, b[3]! - b[1]!];

/** Write both exports (4 images of 48x64) under `root`. */
export function writeCocoExports(root: string, images = 4): CocoExportFixture {
  mkdirSync(join(root, "JPEGImages"), { recursive: true });
  mkdirSync(join(root, "images"), { recursive: true });
  mkdirSync(join(root, "annotations"), { recursive: true });
  const imgRecords: Array<{ name: string; id: number }> = [];
  const drawn = Array.from({ length: images }, (_, i) => drawImage(i));
  drawn.forEach(({ image }, i) => {
    const name = `2007_00${i}.jpg`;
    const bytes = encodeJpeg(image, 95);
    writeFileSync(join(root, "JPEGImages", name), bytes);
    writeFileSync(join(root, "images", name), bytes);
    imgRecords.push({ name, id: i });
  });

  // labelme2coco: ids from 0, "_background_" category, every annotation a polygon (one with a
  // trailing 4-number part, which pycocotools rasterises to nothing).
  let annId = 0;
  const labelme = {
    info: { description: null, version: null },
    licenses: [{ url: null, id: 0, name: null }],
    images: imgRecords.map((r) => ({
      license: 0,
      url: null,
      file_name: `JPEGImages/${r.name}`,
      height: H,
      width: W,
      date_captured: null,
      id: r.id,
    })),
    type: "instances",
    annotations: drawn.flatMap(({ cat, dog }, i) => [
      {
        id: annId++,
        image_id: i,
        category_id: 1,
        segmentation: i === 0 ? [poly(cat), [30, 40, 31, 41]] : [poly(cat)],
        area: area(cat),
        bbox: bbox(cat),
        iscrowd: 0,
      },
      {
        id: annId++,
        image_id: i,
        category_id: 2,
        segmentation: [poly(dog)],
        area: area(dog),
        bbox: bbox(dog),
        iscrowd: 0,
      },
    ]),
    categories: [
      { supercategory: null, id: 0, name: "_background_" },
      { supercategory: null, id: 1, name: "cat" },
      { supercategory: null, id: 2, name: "dog" },
      { supercategory: null, id: 3, name: "bird" },
    ],
  };
  const labelmeAnnotations = join(root, "annotations.json");
  writeFileSync(labelmeAnnotations, JSON.stringify(labelme));

  // CVAT COCO 1.0: ids from 1, labels of the task incl. unused ones, a rectangle (bbox-only), a
  // brush mask (iscrowd 1, uncompressed RLE) and a tiny polygon below 1% of the image.
  annId = 1;
  const crowdMask = ndarray(new Uint8Array(H * W), [H, W]);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) crowdMask.set(y, x, 1);
  const crowdRle = rleEncode(crowdMask);
  const cvat = {
    licenses: [{ name: "", id: 0, url: "" }],
    info: { contributor: "", date_created: "", description: "", url: "", version: "", year: "" },
    categories: [
      { id: 1, name: "cat", supercategory: "" },
      { id: 2, name: "person", supercategory: "" },
      { id: 3, name: "dog", supercategory: "" },
      { id: 4, name: "car", supercategory: "" },
    ],
    images: imgRecords.map((r) => ({
      id: r.id + 1,
      width: W,
      height: H,
      file_name: r.name,
      license: 0,
      flickr_url: "",
      coco_url: "",
      date_captured: 0,
    })),
    annotations: drawn.flatMap(({ cat, dog }, i) => [
      {
        id: annId++,
        image_id: i + 1,
        category_id: 1,
        segmentation: [poly(cat)],
        area: area(cat),
        bbox: bbox(cat),
        iscrowd: 0,
        attributes: { occluded: false },
      },
      {
        id: annId++,
        image_id: i + 1,
        category_id: 3,
        segmentation: [poly(dog)],
        area: area(dog),
        bbox: bbox(dog),
        iscrowd: 0,
        attributes: { occluded: false },
      },
      // a rectangle: bbox only
      {
        id: annId++,
        image_id: i + 1,
        category_id: 2,
        segmentation: [],
        area: 300,
        bbox: [2, 2, 20, 15],
        iscrowd: 0,
        attributes: { occluded: false },
      },
      // a brush mask: crowd, uncompressed RLE
      {
        id: annId++,
        image_id: i + 1,
        category_id: 4,
        segmentation: { size: crowdRle.size, counts: Array.from(rleCountsFromString(crowdRle.counts)) },
        area: 400,
        bbox: [0, 0, 20, 20],
        iscrowd: 1,
        attributes: { occluded: false },
      },
      // a 2x2 polygon: 4 px < 1% of 3072 px
      {
        id: annId++,
        image_id: i + 1,
        category_id: 4,
        segmentation: [[1, 1, 3, 1, 3, 3, 1, 3]],
        area: 4,
        bbox: [1, 1, 2, 2],
        iscrowd: 0,
        attributes: { occluded: false },
      },
    ]),
  };
  const cvatAnnotations = join(root, "annotations", "instances_default.json");
  writeFileSync(cvatAnnotations, JSON.stringify(cvat));
  return { root, labelmeAnnotations, cvatAnnotations, usable: ["cat", "dog"] };
}
