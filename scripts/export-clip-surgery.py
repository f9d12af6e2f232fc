#!/usr/bin/env python3
"""Export CLIP-Surgery's image and text encoders to ONNX for alignsam-gym's ClipSurgeryPrior.

Contract (checked by ClipSurgeryPrior.create):
  image encoder  input  `image`  [B, 3, S, S] float32, CLIP-normalised pixels
                 output `image_features` [B, 1+N, D]  (CLS first; the architecture surgery applied)
  text encoder   input  `tokens` [B, 77] int64 (CLIP BPE ids)
                 output `text_features` [B, D]

Needs torch and a checkout of xmed-lab/CLIP_Surgery (its clip/clip_surgery_model.py holds the
model code; nothing else of it is imported) and, for the real model, OpenAI's CLIP checkpoint
(ViT-B-16.pt as `clip.load` downloads it, a JIT archive, or a plain state dict):

  python3 scripts/export-clip-surgery.py --clip-surgery-dir ~/src/CLIP_Surgery \
      --checkpoint ~/.cache/clip/ViT-B-16.pt --out-dir models/clip-surgery

writes models/clip-surgery/clip-surgery-image.onnx and clip-surgery-text.onnx. The image size S
is traced into the graph (CLIP Surgery resizes the positional embedding when S differs from the
checkpoint's resolution): default the checkpoint's own (224 for ViT-B/16, AlignSAM's size).
`--tiny-random` exports a tiny randomly initialised model of the same architecture instead
(64x64 input, width 64, 7 blocks, D = 32), for tests.
"""
import argparse
import os
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--clip-surgery-dir", default=os.environ.get("CLIP_SURGERY_DIR"),
                   help="checkout of xmed-lab/CLIP_Surgery (default: $CLIP_SURGERY_DIR)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="OpenAI CLIP checkpoint (e.g. ViT-B-16.pt): JIT archive or state dict")
    src.add_argument("--tiny-random", action="store_true", help="a tiny random model of the same architecture (tests)")
    p.add_argument("--out-dir", required=True, help="where the two .onnx files are written")
    p.add_argument("--image-size", type=int, default=None, help="S of the image input (default: the checkpoint's)")
    p.add_argument("--prefix", default="clip-surgery", help="file name prefix (default clip-surgery)")
    p.add_argument("--opset", type=int, default=14, help="ONNX opset (default 14)")
    p.add_argument("--seed", type=int, default=0, help="seed of --tiny-random (default 0)")
    return p.parse_args(argv)


def import_model_code(checkout):
    if not checkout:
        sys.exit("error: pass --clip-surgery-dir (or set CLIP_SURGERY_DIR) to a checkout of xmed-lab/CLIP_Surgery")
    code = os.path.join(checkout, "clip", "clip_surgery_model.py")
    if not os.path.isfile(code):
        sys.exit(f"error: {code} does not exist: --clip-surgery-dir must be a checkout of xmed-lab/CLIP_Surgery")
    sys.path.insert(0, os.path.join(checkout, "clip"))
    import clip_surgery_model  # noqa: E402  (imports torch and numpy only)
    return clip_surgery_model


def config_from_state_dict(sd):
    """The CLIPSurgery constructor arguments of a ViT CLIP state dict."""
    import torch  # noqa: F401
    if "visual.proj" not in sd:
        sys.exit("error: only ViT CLIP checkpoints are supported (no visual.proj in the state dict)")
    patch = sd["visual.conv1.weight"].shape[-1]
    grid = round((sd["visual.positional_embedding"].shape[0] - 1) ** 0.5)
    width = sd["ln_final.weight"].shape[0]
    return dict(
        embed_dim=sd["text_projection"].shape[1],
        image_resolution=patch * grid,
        vision_layers=len([k for k in sd if k.startswith("visual.") and k.endswith(".attn.in_proj_weight")]),
        vision_width=sd["visual.conv1.weight"].shape[0],
        vision_patch_size=patch,
        context_length=sd["positional_embedding"].shape[0],
        vocab_size=sd["token_embedding.weight"].shape[0],
        transformer_width=width,
        transformer_heads=width // 64,
        transformer_layers=len({k.split(".")[2] for k in sd if k.startswith("transformer.resblocks")}),
    )


def load_state_dict(path):
    import torch
    try:
        return torch.jit.load(path, map_location="cpu").state_dict()
    except RuntimeError:
        sd = torch.load(path, map_location="cpu")
        return sd.get("state_dict", sd) if isinstance(sd, dict) else sd.state_dict()


def build(args, csm):
    import torch
    if args.tiny_random:
        torch.manual_seed(args.seed)
        cfg = dict(embed_dim=32, image_resolution=64, vision_layers=7, vision_width=64, vision_patch_size=16,
                   context_length=77, vocab_size=49408, transformer_width=16, transformer_heads=2, transformer_layers=2)
        model = csm.CLIPSurgery(**cfg).eval()
        for p in model.parameters():  # some tensors start as torch.empty: give them finite values
            if not torch.isfinite(p).all():
                torch.nn.init.normal_(p, std=0.02)
        with torch.no_grad():
            model.text_projection.normal_(std=cfg["transformer_width"] ** -0.5)
            model.positional_embedding.normal_(std=0.01)
        return model, cfg
    sd = load_state_dict(args.checkpoint)
    cfg = config_from_state_dict(sd)
    model = csm.CLIPSurgery(**cfg)
    for key in ["input_resolution", "context_length", "vocab_size"]:
        sd.pop(key, None)
    model.load_state_dict(sd)
    return model.float().eval(), cfg




def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        import torch
    except ImportError:
        sys.exit("error: torch is not installed (e.g. `apt-get install python3-torch` or `pip install torch`)")
    csm = import_model_code(args.clip_surgery_dir)
    model, cfg = build(args, csm)
    size = args.image_size or cfg["image_resolution"]
    if cfg["context_length"] != 77:
        sys.exit(f"error: the checkpoint's context length is {cfg['context_length']}; the contract's tokens are [B, 77]")

    class Image(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, image):
            return self.m.encode_image(image)

    class Text(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, tokens):
            return self.m.encode_text(tokens)

    os.makedirs(args.out_dir, exist_ok=True)
    image_path = os.path.join(args.out_dir, f"{args.prefix}-image.onnx")
    text_path = os.path.join(args.out_dir, f"{args.prefix}-text.onnx")
    image = torch.zeros(1, 3, size, size)
    tokens = torch.zeros(2, 77, dtype=torch.int64)
    tokens[:, 0], tokens[:, 1] = 49406, 49407  # "<|startoftext|><|endoftext|>": the text of ""
    with torch.no_grad():
        features = model.encode_image(image)  # the first call applies CLIP Surgery's architecture surgery
        torch.onnx.export(Image(model), (image,), image_path, input_names=["image"], output_names=["image_features"],
                          opset_version=args.opset, dynamic_axes={"image": {0: "batch"}, "image_features": {0: "batch"}})
        text = model.encode_text(tokens)
        torch.onnx.export(Text(model), (tokens,), text_path, input_names=["tokens"], output_names=["text_features"],
                          opset_version=args.opset, dynamic_axes={"tokens": {0: "batch"}, "text_features": {0: "batch"}})
    print(f"image encoder: {image_path} (image [B, 3, {size}, {size}] -> image_features [B, {features.shape[1]}, {features.shape[2]}])")
    print(f"text encoder: {text_path} (tokens [B, 77] -> text_features [B, {text.shape[1]}])")


if __name__ == "__main__":
    main()
