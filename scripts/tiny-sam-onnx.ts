// Tiny ONNX models following the SAM I/O contract (no weights), generated for the tests and the
// segmenter bench (dev-time only: needs the onnx-proto devDependency).
//
// Encoder: input_image [1, 3, 1024, 1024] -> AveragePool 16x16 -> 1x1 Conv (channel c < 3
// copies colour plane c, the others are 0) -> image_embeddings [1, 256, 64, 64]. So
// embedding[c, i, j] is the mean of the normalised, padded input plane c over one 16x16 block.
//
// Decoder: low_res_masks[0, c] = splat + has_mask_input * mask_input + c, where splat is 0
// except at the low-res cell (floor(y / 4), floor(x / 4)) of each point (x, y) of point_coords
// (1024 frame), which holds label + 10 (the later point wins on a shared cell: padding (0, 0)
// with label -1 shows as 9 at cell (0, 0)). masks = nearest Resize of low_res_masks to
// orig_im_size; iou_predictions = constants [0.1, 0.9, 0.3, 0.5] (first C of them).
import { onnx } from "onnx-proto";

const F = onnx.TensorProto.DataType.FLOAT;
const I64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;
function io(name: string, elemType: number, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
function floats(name: string, dims: number[], values: number[] | Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: F, floatData: Array.from(values) };
}
function ints(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: I64, int64Data: values };
}
function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: onnx.IAttributeProto[] = [],
): onnx.INodeProto {
  return { opType, input, output, attribute, name: output[0] };
}
function model(graph: onnx.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: "alignsam-gym tests",
    opsetImport: [{ domain: "", version: 13 }],
    graph,
  }).finish();
}

/** The encoder stand-in (see the file comment); `dynamicBatch` makes its batch axis symbolic. */
export function tinySamEncoder(opts: { dynamicBatch?: boolean } = {}): Uint8Array {
  const n: Dim = opts.dynamicBatch ? "batch" : 1;
  const w = new Float32Array(256 * 3);
  for (let c = 0; c < 3; c++) w[c * 3 + c] = 1;
  return model({
    name: "tiny_sam_encoder",
    input: [io("input_image", F, [n, 3, 1024, 1024])],
    output: [io("image_embeddings", F, [n, 256, 64, 64])],
    initializer: [floats("w", [256, 3, 1, 1], w)],
    node: [
      node(
        "AveragePool",
        ["input_image"],
        ["pooled"],
        [
          { name: "kernel_shape", type: onnx.AttributeProto.AttributeType.INTS, ints: [16, 16] },
          { name: "strides", type: onnx.AttributeProto.AttributeType.INTS, ints: [16, 16] },
        ],
      ),
      node("Conv", ["pooled", "w"], ["image_embeddings"]),
    ],
  });
}

/** The decoder stand-in with C outputs (4 = SAM's default export, 1 = single-mask export). */
export function tinySamDecoder(opts: { masks?: 1 | 4; renameInput?: [string, string] } = {}): Uint8Array {
  const c = opts.masks ?? 4;
  const rename = (n: string): string => (opts.renameInput && opts.renameInput[0] === n ? opts.renameInput[1] : n);
  return model({
    name: "tiny_sam_decoder",
    input: [
      io(rename("image_embeddings"), F, [1, 256, 64, 64]),
      io(rename("point_coords"), F, [1, "num_points", 2]),
      io(rename("point_labels"), F, [1, "num_points"]),
      io(rename("mask_input"), F, [1, 1, 256, 256]),
      io(rename("has_mask_input"), F, [1]),
      io(rename("orig_im_size"), F, [2]),
    ],
    output: [
      io("masks", F, [1, c, "h", "w"]),
      io("iou_predictions", F, [1, c]),
      io("low_res_masks", F, [1, c, 256, 256]),
    ],
    initializer: [
      floats("four", [], [4]),
      floats("ten", [], [10]),
      ints("xy_weights", [2], [1, 256]),
      ints("last_axis", [1], [-1]),
      ints("shape_n1", [2], [-1, 1]),
      ints("shape_n", [1], [-1]),
      ints("shape_lowres", [4], [1, 1, 256, 256]),
      ints("batch_masks", [2], [1, c]),
      floats("zeros", [65536], new Float32Array(65536)),
      floats(
        "channel_offsets",
        [1, c, 1, 1],
        Array.from({ length: c }, (_, i) => i),
      ),
      floats("iou_values", [1, c], [0.1, 0.9, 0.3, 0.5].slice(0, c)),
      floats("zero_scalar", [], [0]),
    ],
    node: [
      node("Div", [rename("point_coords"), "four"], ["cells_f"]),
      node("Floor", ["cells_f"], ["cells_floor"]),
      node("Cast", ["cells_floor"], ["cells"], [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: I64 }]),
      node("Mul", ["cells", "xy_weights"], ["weighted"]),
      node(
        "ReduceSum",
        ["weighted", "last_axis"],
        ["flat_index"],
        [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      ),
      node("Reshape", ["flat_index", "shape_n1"], ["indices"]),
      node("Add", [rename("point_labels"), "ten"], ["labels10"]),
      node("Reshape", ["labels10", "shape_n"], ["updates"]),
      node("ScatterND", ["zeros", "indices", "updates"], ["splat_flat"]),
      node("Reshape", ["splat_flat", "shape_lowres"], ["splat"]),
      node("Mul", [rename("mask_input"), rename("has_mask_input")], ["prior"]),
      node("Add", ["splat", "prior"], ["with_prior"]),
      node("Add", ["with_prior", "channel_offsets"], ["low_res_masks"]),
      // iou_predictions = constants + 0 * mean(image_embeddings) keeps the embedding input in use.
      node(
        "ReduceMean",
        [rename("image_embeddings")],
        ["emb_mean"],
        [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
      ),
      node("Mul", ["emb_mean", "zero_scalar"], ["emb_zero"]),
      node("Add", ["iou_values", "emb_zero"], ["iou_predictions"]),
      node(
        "Cast",
        [rename("orig_im_size")],
        ["size_i64"],
        [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: I64 }],
      ),
      node(
        "Concat",
        ["batch_masks", "size_i64"],
        ["out_size"],
        [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
      ),
      node(
        "Resize",
        ["low_res_masks", "", "", "out_size"],
        ["masks"],
        [{ name: "mode", type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode("nearest") }],
      ),
    ],
  });
}
