#!/usr/bin/env python3
"""pack.json for ImageBind packs, with no dependency beyond the standard library.

The contract here mirrors bindsight's models/manifest.ts (IMAGEBIND_IO, IMAGEBIND_PREPROCESS,
IMAGEBIND_TEXT), which is the one source of truth; test/models/imagebind/export.test.ts checks
that the two agree (``--dump-contract``) and that a pack.json written by this module loads in
bindsight. Sources: shared/reference/imagebind-contract.md §0-§2 (ImageBind at 53680b0).

Run on its own it (re)writes pack.json for the ONNX files already in a folder::

    python3 models/imagebind/packjson.py --out models/packs/imagebind-huge --precision fp32 --logit-scale 100
"""

import argparse
import hashlib
import json
import os
import sys

FORMAT = 1
EMBEDDING_DIM = 1024
MODALITIES = ("vision", "text", "audio", "depth", "thermal", "imu")
INPUT_NAME = "input"
OUTPUT_NAME = "embedding"

# Per-modality model input and ImageBind's postprocessor scale (imagebind_model.py:418-441).
# The text scale is the learned logit scale; 100 is its clip maximum, the export reads the real one.
IO = {
    "vision": {"dtype": "float32", "shape": ["batch", 3, 224, 224], "outputScale": 1},
    "text": {"dtype": "int64", "shape": ["batch", 77], "outputScale": 100},
    "audio": {"dtype": "float32", "shape": ["batch", 3, 1, 128, 204], "outputScale": 20},
    "depth": {"dtype": "float32", "shape": ["batch", 1, 224, 224], "outputScale": 5},
    "thermal": {"dtype": "float32", "shape": ["batch", 1, 224, 224], "outputScale": 10},
    "imu": {"dtype": "float32", "shape": ["batch", 6, 2000], "outputScale": 5},
}

# What bindsight's src/preprocess does before each model (imagebind-contract.md §1).
PREPROCESS = {
    "vision": {
        "kind": "vision",
        "size": 224,
        "mean": [0.48145466, 0.4578275, 0.40821073],
        "std": [0.26862954, 0.26130258, 0.27577711],
    },
    "audio": {
        "kind": "audio",
        "sampleRate": 16000,
        "clips": 3,
        "clipSeconds": 2,
        "melBins": 128,
        "targetFrames": 204,
        "mean": -4.268,
        "std": 9.138,
    },
    "thermal": {"kind": "thermal", "size": 224},
    "depth": {
        "kind": "depth",
        "size": 224,
        "baselineM": 0.075,
        "focalPx640": 518.857901,
        "minDepthM": 0.01,
        "maxDepthM": 50,
        "maxDisparity": 75,
        "mean": 0.0418,
        "std": 0.0295,
    },
    "imu": {"kind": "imu", "rate": 400, "samples": 2000},
}

# ImageBind's SimpleTokenizer (multimodal_preprocessors.py:466-608, imagebind-contract.md §1.3).
TEXT = {
    "kind": "text",
    "tokenizer": "clip-bpe",
    "vocab": "bpe_simple_vocab_16e6.txt.gz",
    "contextLength": 77,
    "sot": 49406,
    "eot": 49407,
    "pad": 0,
}

LICENSE = "CC-BY-NC-SA-4.0 (Meta ImageBind weights; non-commercial use only)"
LICENSE_URL = "https://github.com/facebookresearch/ImageBind/blob/main/LICENSE"

# Parameters per encoder (imagebind-contract.md §2.1) and the share in MatMul/Gemm weights that
# int8 quantization shrinks 4x (the rest stays fp32: stems, position tables, the text token table).
PARAMS = {
    "vision": (632_829_440, 0.994),
    "text": (354_032_641, 0.85),
    "audio": (86_235_648, 0.98),
    "depth": (21_871_872, 0.97),
    "thermal": (86_211_072, 0.98),
    "imu": (19_600_384, 0.98),
}


def sha256_file(path, chunk=1 << 20):
    """Lower-case hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(chunk)
            if not block:
                return h.hexdigest()
            h.update(block)


def estimate_bytes(modality, precision):
    """Estimated model size in bytes (parameters x 4, or x 1 for the quantized share)."""
    params, quantized_share = PARAMS[modality]
    if precision == "int8":
        return int(params * (quantized_share * 1 + (1 - quantized_share) * 4))
    return params * 4


def modality_entry(out_dir, modality, precision, output_scale):
    """The pack.json entry of one modality, from the files in out_dir (<modality>.onnx [+ .onnx.data])."""
    model = f"{modality}.onnx"
    path = os.path.join(out_dir, model)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} does not exist: export {modality} first")
    data = f"{model}.data"
    io = IO[modality]
    entry = {
        "file": model,
        "sha256": sha256_file(path),
        "externalData": [],
        "precision": precision,
        "input": {"name": INPUT_NAME, "shape": list(io["shape"]), "dtype": io["dtype"]},
        "output": {"name": OUTPUT_NAME, "shape": ["batch", EMBEDDING_DIM], "dtype": "float32"},
        "outputScale": output_scale,
    }
    if os.path.isfile(os.path.join(out_dir, data)):
        entry["externalData"] = [{"file": data, "sha256": sha256_file(os.path.join(out_dir, data))}]
    if modality == "text":
        vocab = os.path.join(out_dir, TEXT["vocab"])
        if not os.path.isfile(vocab):
            raise FileNotFoundError(f"{vocab} does not exist: a text encoder needs its vocabulary in the pack")
        entry["preprocess"] = dict(TEXT, vocabSha256=sha256_file(vocab))
    else:
        entry["preprocess"] = json.loads(json.dumps(PREPROCESS[modality]))
    return entry


def build_manifest(out_dir, modalities, precision, logit_scale, name="imagebind-huge", version="1.0.0"):
    """pack.json as a dict for the exported files of `modalities` in out_dir."""
    entries = {}
    for m in MODALITIES:
        if m in modalities:
            scale = logit_scale if m == "text" else IO[m]["outputScale"]
            entries[m] = modality_entry(out_dir, m, precision, scale)
    return {
        "format": FORMAT,
        "name": name,
        "version": version if precision == "fp32" else f"{version}+{precision}",
        "family": "imagebind",
        "license": LICENSE,
        "licenseUrl": LICENSE_URL,
        "nonCommercial": True,
        "source": "facebookresearch/ImageBind imagebind_huge.pth, exported by bindsight models/imagebind/export_imagebind.py",
        "description": f"Meta ImageBind (imagebind_huge), {precision}, one ONNX file per modality with a dynamic batch axis.",
        "embeddingDim": EMBEDDING_DIM,
        "logitScale": logit_scale,
        "logitBias": 0,
        "modalities": entries,
    }


def write_manifest(out_dir, manifest):
    """Writes pack.json (2-space JSON, trailing newline); returns its path."""
    path = os.path.join(out_dir, "pack.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return path


def parse_modalities(text):
    mods = [m.strip() for m in text.split(",") if m.strip()]
    bad = [m for m in mods if m not in MODALITIES]
    if bad or not mods:
        raise argparse.ArgumentTypeError(f"unknown modality {bad}; choose from {', '.join(MODALITIES)}")
    return mods


def main(argv=None):
    p = argparse.ArgumentParser(description="write pack.json for the ImageBind ONNX files in a folder")
    p.add_argument("--out", help="pack folder holding <modality>.onnx files")
    p.add_argument("--modalities", type=parse_modalities, default=None, help="comma list (default: every <m>.onnx present)")
    p.add_argument("--precision", choices=["fp32", "int8"], default="fp32")
    p.add_argument("--logit-scale", type=float, default=IO["text"]["outputScale"])
    p.add_argument("--name", default="imagebind-huge")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--dump-contract", action="store_true", help="print the contract tables as JSON and exit")
    args = p.parse_args(argv)
    if args.dump_contract:
        json.dump({"io": IO, "preprocess": PREPROCESS, "text": TEXT, "embeddingDim": EMBEDDING_DIM}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not args.out:
        p.error("--out is required")
    mods = args.modalities or [m for m in MODALITIES if os.path.isfile(os.path.join(args.out, f"{m}.onnx"))]
    if not mods:
        p.error(f"no <modality>.onnx files in {args.out}")
    try:
        manifest = build_manifest(args.out, mods, args.precision, args.logit_scale, args.name, args.version)
    except FileNotFoundError as err:
        print(f"packjson: {err}", file=sys.stderr)
        return 66
    print(write_manifest(args.out, manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
