#!/usr/bin/env python3
"""Export CLIP-Surgery's image and text encoders to ONNX for alignsam-gym's ClipSurgeryPrior.

Contract (checked by ClipSurgeryPrior.create):
  image encoder  input  `image`  [B, 3, S, S] float32, CLIP-normalised pixels
                 output `image_features` [B, 1+N, D]  (CLS first; CLIP Surgery's dual path applied)
  text encoder   input  `tokens` [B, 77] int64 (CLIP BPE ids)
                 output `text_features` [B, D]

Self-contained: needs only torch (Debian: `apt-get install python3-torch`; no onnx package) and,
for the real model, a local OpenAI CLIP ViT checkpoint (ViT-B-16.pt as `clip.load` downloads it,
a JIT archive, or a plain state dict with OpenAI's key names):

  python3 scripts/export-clip-surgery.py --checkpoint ~/.cache/clip/ViT-B-16.pt --out-dir models/clip-surgery

writes models/clip-surgery/clip-surgery-image.onnx and clip-surgery-text.onnx. The model is
defined below (our own code, following the computation of CLIP Surgery's clip_surgery_model.py
and OpenAI CLIP's model.py). The image size S is traced into the graph (the patch positional
embedding is resized bilinearly when S differs from the checkpoint's resolution): default the
checkpoint's own (224 for ViT-B/16, AlignSAM's size).

`--tiny` builds a tiny random model of the same architecture instead (64x64 input, width 64,
7 blocks, D = 32; `--seed`, default 0, reproduces alignsam's clip-surgery test fixtures).
`--reference FILE` also writes a fixed input and torch's outputs for it (JSON), so an ONNX
runtime can be checked against torch; `--save-checkpoint FILE` saves the state dict built.
"""
import argparse
import json
import math
import os
import sys

TINY_CONFIG = dict(embed_dim=32, image_resolution=64, vision_layers=7, vision_width=64, vision_patch_size=16,
                   context_length=77, vocab_size=49408, transformer_width=16, transformer_heads=2,
                   transformer_layers=2)
SURGERY_BLOCKS = 6  # CLIP Surgery gives the last 6 vision blocks the dual (v-v attention) path
SOT, EOT = 49406, 49407
# The texts of the reference tokens and their CLIP BPE ids (start and end tokens included).
REFERENCE_TEXTS = [("a photo of a dog.", [SOT, 320, 1125, 539, 320, 1929, 269, EOT]), ("", [SOT, EOT])]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="OpenAI CLIP ViT checkpoint (e.g. ViT-B-16.pt): JIT archive or state dict")
    src.add_argument("--tiny", "--tiny-random", dest="tiny", action="store_true",
                     help="a tiny random model of the same architecture (tests)")
    p.add_argument("--out-dir", required=True, help="where the two .onnx files are written")
    p.add_argument("--image-size", type=int, default=None, help="S of the image input (default: the checkpoint's)")
    p.add_argument("--prefix", default="clip-surgery", help="file name prefix (default clip-surgery)")
    p.add_argument("--opset", type=int, default=14, help="ONNX opset (default 14)")
    p.add_argument("--seed", type=int, default=0, help="seed of --tiny and of the reference input (default 0)")
    p.add_argument("--reference", help="write a fixed input and torch's outputs for it to this JSON file")
    p.add_argument("--vision-heads", type=int, default=None,
                   help="attention heads of a checkpoint's image side (default: its width // 64, as OpenAI's)")
    p.add_argument("--text-heads", type=int, default=None,
                   help="attention heads of a checkpoint's text side (default: its width // 64, as OpenAI's)")
    p.add_argument("--save-checkpoint", help="save the model's state dict (OpenAI CLIP key names) to this file")
    return p.parse_args(argv)


def fail(message):
    sys.exit(f"error: {message}")


def define_model(torch):
    """The model classes; defined inside a function so that `--help` works without torch."""
    nn, F = torch.nn, torch.nn.functional

    def split_heads(t, heads):
        b, n, c = t.shape
        return t.reshape(b, n, heads, c // heads).transpose(1, 2)  # [B, heads, N, C/heads]

    def merge_heads(t):
        b, h, n, d = t.shape
        return t.transpose(1, 2).reshape(b, n, h * d)

    class Block(nn.Module):
        """A pre-norm transformer block with OpenAI CLIP's parameter names (attn, ln_1, mlp, ln_2).

        nn.MultiheadAttention only holds the attention weights (in_proj_*, out_proj): the
        attention is computed here, so that the v-v path can reuse the same projections.
        """

        def __init__(self, width, heads):
            super().__init__()
            self.heads = heads
            self.attn = nn.MultiheadAttention(width, heads)
            self.ln_1 = nn.LayerNorm(width)
            self.mlp = nn.Sequential()
            self.mlp.add_module("c_fc", nn.Linear(width, 4 * width))
            self.mlp.add_module("c_proj", nn.Linear(4 * width, width))
            self.ln_2 = nn.LayerNorm(width)

        def qkv(self, x):
            q, k, v = F.linear(x, self.attn.in_proj_weight, self.attn.in_proj_bias).chunk(3, dim=-1)
            return split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads)

        def attend(self, a, b, v, mask=None):
            """softmax(a b^T / sqrt(head dim) + mask) v, heads merged, through out_proj."""
            logits = (a @ b.transpose(-2, -1)) * (a.shape[-1] ** -0.5)
            if mask is not None:
                logits = logits + mask
            return self.attn.out_proj(merge_heads(logits.softmax(dim=-1) @ v))

        def feed_forward(self, x):
            h = self.mlp.c_fc(self.ln_2(x))
            return self.mlp.c_proj(h * torch.sigmoid(1.702 * h))  # CLIP's QuickGELU

        def forward(self, x, mask=None):
            q, k, v = self.qkv(self.ln_1(x))
            x = x + self.attend(q, k, v, mask)
            return x + self.feed_forward(x)

        def forward_dual(self, x_new, x_ori):
            """CLIP Surgery's dual path. Both attentions read ln_1 of the original path: the
            original path is a plain block (q-k attention, then the MLP); the new path adds the
            v-v attention (v as query and key) and skips the MLP."""
            q, k, v = self.qkv(self.ln_1(x_ori))
            x_new = x_new + self.attend(v, v, v)
            x_ori = x_ori + self.attend(q, k, v)
            return x_new, x_ori + self.feed_forward(x_ori)

    class Transformer(nn.Module):
        def __init__(self, width, layers, heads):
            super().__init__()
            self.resblocks = nn.Sequential(*[Block(width, heads) for _ in range(layers)])

    class VisionTransformer(nn.Module):
        def __init__(self, resolution, patch, width, layers, heads, out_dim):
            super().__init__()
            self.patch = patch
            self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
            scale = width ** -0.5
            self.class_embedding = nn.Parameter(scale * torch.randn(width))
            self.positional_embedding = nn.Parameter(scale * torch.randn((resolution // patch) ** 2 + 1, width))
            self.ln_pre = nn.LayerNorm(width)
            self.transformer = Transformer(width, layers, heads)
            self.ln_post = nn.LayerNorm(width)
            self.proj = nn.Parameter(scale * torch.randn(width, out_dim))

        def resize_positions(self, grid):
            """Resample the patch positional embedding to a grid x grid input (bilinear,
            align_corners=False, as CLIP Surgery does at inference for another input size)."""
            pos = self.positional_embedding.data
            side = math.isqrt(pos.shape[0] - 1)
            if side == grid:
                return
            patches = pos[1:].reshape(1, side, side, -1).permute(0, 3, 1, 2)
            patches = F.interpolate(patches, (grid, grid), mode="bilinear", align_corners=False)
            self.positional_embedding.data = torch.cat([pos[:1], patches[0].flatten(1).t()], dim=0)

        def forward(self, image):
            x = self.conv1(image).flatten(2).transpose(1, 2)  # [B, N, width]
            cls = self.class_embedding.reshape(1, 1, -1).expand(x.shape[0], 1, x.shape[-1])
            x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding)
            blocks = list(self.transformer.resblocks)
            first_dual = max(0, len(blocks) - SURGERY_BLOCKS)
            for block in blocks[:first_dual]:
                x = block(x)
            x_new = x_ori = x
            for block in blocks[first_dual:]:
                x_new, x_ori = block.forward_dual(x_new, x_ori)
            x = torch.cat([x_ori[:, :1], x_new[:, 1:]], dim=1)  # CLS from the original path
            return self.ln_post(x) @ self.proj

    class ClipSurgery(nn.Module):
        """CLIP ViT with CLIP Surgery's image encoder; state dict keys as OpenAI CLIP's."""

        def __init__(self, embed_dim, image_resolution, vision_layers, vision_width, vision_patch_size,
                     context_length, vocab_size, transformer_width, transformer_heads, transformer_layers,
                     vision_heads=None):
            if vision_heads is None:
                vision_heads = vision_width // 64  # OpenAI CLIP's rule (64-wide heads)
            super().__init__()
            self.visual = VisionTransformer(image_resolution, vision_patch_size, vision_width, vision_layers,
                                            vision_heads, embed_dim)
            self.transformer = Transformer(transformer_width, transformer_layers, transformer_heads)
            self.token_embedding = nn.Embedding(vocab_size, transformer_width)
            self.positional_embedding = nn.Parameter(torch.empty(context_length, transformer_width))
            self.ln_final = nn.LayerNorm(transformer_width)
            self.text_projection = nn.Parameter(torch.empty(transformer_width, embed_dim))
            self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
            causal = torch.full((context_length, context_length), float("-inf")).triu(1)
            self.register_buffer("causal_mask", causal, persistent=False)

        def encode_image(self, image):
            return self.visual(image)

        def encode_text(self, tokens):
            x = self.token_embedding(tokens) + self.positional_embedding
            for block in self.transformer.resblocks:
                x = block(x, self.causal_mask)
            x = self.ln_final(x)
            eot = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)]  # the end token has the highest id
            return eot @ self.text_projection

    return ClipSurgery


def tiny_model(torch, ClipSurgery, seed):
    """A tiny random model: the modules' default initialisation in construction order, then CLIP's
    initialisation of the text side (normal draws in OpenAI's order), then a fresh text projection
    and positional embedding: with seed 0, exactly the weights of the clip-surgery test fixtures."""
    torch.manual_seed(seed)
    model = ClipSurgery(**TINY_CONFIG)
    width, layers = TINY_CONFIG["transformer_width"], TINY_CONFIG["transformer_layers"]
    attn_std, proj_std, fc_std = width ** -0.5, width ** -0.5 * (2 * layers) ** -0.5, (2 * width) ** -0.5
    with torch.no_grad():
        model.token_embedding.weight.normal_(std=0.02)
        model.positional_embedding.normal_(std=0.01)
        for block in model.transformer.resblocks:
            block.attn.in_proj_weight.normal_(std=attn_std)
            block.attn.out_proj.weight.normal_(std=proj_std)
            block.mlp.c_fc.weight.normal_(std=fc_std)
            block.mlp.c_proj.weight.normal_(std=proj_std)
        model.text_projection.normal_(std=width ** -0.5)
        # the fixtures' script then drew both of these again: repeat the draws to get its weights
        model.text_projection.normal_(std=width ** -0.5)
        model.positional_embedding.normal_(std=0.01)
    return model, dict(TINY_CONFIG)


def load_state_dict(torch, path):
    if not os.path.isfile(path):
        fail(f"checkpoint {path} does not exist")
    try:
        return torch.jit.load(path, map_location="cpu").state_dict()
    except RuntimeError:
        pass
    try:
        sd = torch.load(path, map_location="cpu")
    except Exception as err:  # noqa: BLE001  (any unpickling failure means: not a checkpoint)
        fail(f"cannot read {path} as a CLIP checkpoint (JIT archive or state dict): {err}")
    if isinstance(sd, dict) and isinstance(sd.get("state_dict"), dict):
        sd = sd["state_dict"]
    if hasattr(sd, "state_dict"):
        sd = sd.state_dict()
    if not isinstance(sd, dict):
        fail(f"{path} holds a {type(sd).__name__}, not a CLIP state dict")
    return sd


def config_from_state_dict(sd, path):
    """The model's sizes from a ViT CLIP state dict (as OpenAI CLIP's build_model reads them)."""
    needed = ["visual.proj", "visual.conv1.weight", "visual.positional_embedding", "text_projection",
              "positional_embedding", "token_embedding.weight", "ln_final.weight"]
    missing = [k for k in needed if k not in sd]
    if missing:
        hint = " (a ResNet CLIP? only ViT checkpoints are supported)" if "visual.attnpool.c_proj.weight" in sd else ""
        fail(f"{path} is not a CLIP ViT state dict: missing {', '.join(missing)}{hint}")
    patch = sd["visual.conv1.weight"].shape[-1]
    grid = math.isqrt(sd["visual.positional_embedding"].shape[0] - 1)
    width = sd["ln_final.weight"].shape[0]
    blocks = lambda prefix: len({k.split(".")[len(prefix.split("."))] for k in sd if k.startswith(prefix + ".")})
    return dict(embed_dim=sd["text_projection"].shape[1], image_resolution=patch * grid,
                vision_layers=blocks("visual.transformer.resblocks"), vision_width=sd["visual.conv1.weight"].shape[0],
                vision_patch_size=patch, context_length=sd["positional_embedding"].shape[0],
                vocab_size=sd["token_embedding.weight"].shape[0], transformer_width=width,
                transformer_heads=width // 64, transformer_layers=blocks("transformer.resblocks"))


def checkpoint_model(torch, ClipSurgery, path, vision_heads, text_heads):
    sd = load_state_dict(torch, path)
    # metadata in OpenAI's JIT archives; our mask buffer in an archive traced from this script's model
    for key in ["input_resolution", "context_length", "vocab_size", "causal_mask"]:
        sd.pop(key, None)
    cfg = config_from_state_dict(sd, path)
    cfg["vision_heads"] = vision_heads or cfg["vision_width"] // 64
    cfg["transformer_heads"] = text_heads or cfg["transformer_heads"]
    for flag, heads, width in [("--vision-heads", cfg["vision_heads"], cfg["vision_width"]),
                               ("--text-heads", cfg["transformer_heads"], cfg["transformer_width"])]:
        if heads <= 0 or width % heads != 0:
            fail(f"{heads} attention heads do not divide the width {width} of {path}: pass {flag}")
    model = ClipSurgery(**cfg)
    result = model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=False)
    problems = [f"missing {', '.join(result.missing_keys)}"] if result.missing_keys else []
    problems += [f"unexpected {', '.join(result.unexpected_keys)}"] if result.unexpected_keys else []
    if problems:
        fail(f"{path} does not fit the CLIP ViT architecture: {'; '.join(problems)}")
    return model, cfg


class Encoder:
    """Wraps one of the model's encoders as the module torch.onnx.export traces."""

    @staticmethod
    def wrap(torch, fn):
        class Wrapped(torch.nn.Module):
            def __init__(self, model):
                super().__init__()
                self.model = model

            def forward(self, x):
                return getattr(self.model, fn)(x)

        return Wrapped


def reference_inputs(torch, size, seed):
    image = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(seed + 1))
    tokens = torch.zeros(len(REFERENCE_TEXTS), 77, dtype=torch.int64)
    for row, (_, ids) in enumerate(REFERENCE_TEXTS):
        tokens[row, :len(ids)] = torch.tensor(ids)
    return image, tokens


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        import torch
    except ImportError:
        fail("torch is not installed (e.g. `apt-get install python3-torch` or `pip install torch`)")
    ClipSurgery = define_model(torch)
    if args.tiny:
        model, cfg = tiny_model(torch, ClipSurgery, args.seed)
    else:
        model, cfg = checkpoint_model(torch, ClipSurgery, args.checkpoint, args.vision_heads, args.text_heads)
    model.eval()
    if cfg["context_length"] != 77:
        fail(f"the checkpoint's context length is {cfg['context_length']}; the contract's tokens are [B, 77]")
    for path in [args.out_dir, os.path.dirname(args.reference or ""), os.path.dirname(args.save_checkpoint or "")]:
        if path:
            os.makedirs(path, exist_ok=True)
    if args.save_checkpoint:
        torch.save(model.state_dict(), args.save_checkpoint)
    size, patch = args.image_size or cfg["image_resolution"], cfg["vision_patch_size"]
    if size <= 0 or size % patch != 0:
        fail(f"--image-size {size} must be a positive multiple of the patch size {patch}")
    model.visual.resize_positions(size // patch)

    image_path = os.path.join(args.out_dir, f"{args.prefix}-image.onnx")
    text_path = os.path.join(args.out_dir, f"{args.prefix}-text.onnx")
    image, tokens = reference_inputs(torch, size, args.seed)
    with torch.no_grad():
        features = model.encode_image(image)
        text = model.encode_text(tokens)
        torch.onnx.export(Encoder.wrap(torch, "encode_image")(model), (image,), image_path, input_names=["image"],
                          output_names=["image_features"], opset_version=args.opset,
                          dynamic_axes={"image": {0: "batch"}, "image_features": {0: "batch"}})
        torch.onnx.export(Encoder.wrap(torch, "encode_text")(model), (tokens,), text_path, input_names=["tokens"],
                          output_names=["text_features"], opset_version=args.opset,
                          dynamic_axes={"tokens": {0: "batch"}, "text_features": {0: "batch"}})
    n, d = features.shape[1], features.shape[2]
    print(f"image encoder: {image_path} (image [B, 3, {size}, {size}] -> image_features [B, {n}, {d}])")
    print(f"text encoder: {text_path} (tokens [B, 77] -> text_features [B, {text.shape[1]}])")
    if args.reference:
        with open(args.reference, "w") as f:
            json.dump({"config": cfg, "image_size": size, "seed": args.seed, "image_input": image.tolist(),
                       "image_features": features.tolist(), "texts": [t for t, _ in REFERENCE_TEXTS],
                       "tokens": tokens.tolist(), "text_features": text.tolist()}, f)
        print(f"reference: {args.reference} (torch's outputs for a fixed image and {len(REFERENCE_TEXTS)} texts)")


if __name__ == "__main__":
    main()
