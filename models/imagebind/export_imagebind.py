#!/usr/bin/env python3
"""Export Meta's ImageBind (imagebind_huge) to a bindsight model pack: one ONNX file per modality.

Each modality's whole path (preprocessor stem -> trunk -> head -> postprocessor, exactly
``ImageBindModel.forward`` for that modality) becomes ``<modality>.onnx`` with input ``input``,
output ``embedding`` and a dynamic batch axis. Optionally the MatMul/Gemm weights are quantized to
dynamic int8 with onnxruntime. Every file is checked against the PyTorch forward on random inputs
before pack.json is written. Step-by-step instructions, disk and RAM: models/imagebind/README.md.

Needs (not bindsight's dependencies; install them yourself):
    torch >= 2.0, Meta's ImageBind package (pip install git+https://github.com/facebookresearch/ImageBind),
    onnx, onnxruntime, numpy.
The weights (and therefore the pack) are CC BY-NC-SA 4.0: non-commercial use only.

Usage:
    python3 models/imagebind/export_imagebind.py --out models/packs/imagebind-huge
    python3 models/imagebind/export_imagebind.py --out models/packs/imagebind-huge-int8 --int8
    python3 models/imagebind/export_imagebind.py --out /tmp/x --modalities audio,imu --dry-run
"""

import argparse
import gc
import inspect
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import packjson  # noqa: E402  (the torch-free half, beside this file)

TWO_GIB = 2**31
# Agreement required between ONNX Runtime and PyTorch on the same random batch (per-row cosine).
MIN_COSINE = {"fp32": 0.99999, "int8": 0.99}


def plan(modalities, int8):
    """Human-readable plan with estimated sizes (parameter counts x bytes; not measurements)."""
    lines = [f"modalities: {', '.join(modalities)}; precision: {'int8' if int8 else 'fp32'}"]
    total = 0
    for m in modalities:
        fp32 = packjson.estimate_bytes(m, "fp32")
        out = packjson.estimate_bytes(m, "int8") if int8 else fp32
        total += out
        external = " (external data: over protobuf's 2 GiB)" if fp32 > TWO_GIB and not int8 else ""
        lines.append(f"  {m:8s} fp32 ~{fp32 / 1e9:.2f} GB -> {m}.onnx ~{out / 1e9:.2f} GB{external}")
    lines.append(f"pack on disk ~{total / 1e9:.2f} GB, plus the checkpoint (~4.8 GB) and one fp32 export at a time while working")
    lines.append("RAM: the fp32 model (~4.8 GB) + one export and its check; 16 GB recommended (estimate)")
    return "\n".join(lines)


def load_model(checkpoint):
    """imagebind_huge in eval mode (dropout and drop-path off: imagebind-contract.md §4.8)."""
    import torch
    from imagebind.models import imagebind_model

    if checkpoint:
        model = imagebind_model.imagebind_huge(pretrained=False)
        model.load_state_dict(torch.load(checkpoint, map_location="cpu", weights_only=True))
    else:
        # Downloads https://dl.fbaipublicfiles.com/imagebind/imagebind_huge.pth to ./.checkpoints/
        model = imagebind_model.imagebind_huge(pretrained=True)
    model.eval()
    if hasattr(torch.backends, "mha") and hasattr(torch.backends.mha, "set_fastpath_enabled"):
        # The fused MHA fast path has no ONNX export (as immich's CLIP exporter also disables it).
        torch.backends.mha.set_fastpath_enabled(False)
    return model


def logit_scale(model):
    """The text postprocessor's learned scale: clip(exp(log_logit_scale), max=100) (helpers.py:42)."""
    scaler = model.modality_postprocessors["text"][1]
    return float(scaler.log_logit_scale.exp().clamp(max=scaler.max_logit_scale).item())


def wrapper(model, modality):
    """A module whose forward is ImageBindModel.forward for one modality (imagebind_model.py:443-476)."""
    import torch

    class ModalityEncoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, x):
            return self.model({modality: x})[modality]

    return ModalityEncoder().eval()


def random_input(modality, batch, seed=0):
    """A random batch of the modality's input (text: sot, random ids, eot, zero padding)."""
    import torch

    g = torch.Generator().manual_seed(seed)
    shape = [batch] + packjson.IO[modality]["shape"][1:]
    if modality != "text":
        return torch.randn(*shape, generator=g)
    ids = torch.zeros(*shape, dtype=torch.long)
    t = packjson.TEXT
    for b in range(batch):
        n = int(torch.randint(1, t["contextLength"] - 2, (1,), generator=g))
        ids[b, 0] = t["sot"]
        ids[b, 1 : n + 1] = torch.randint(1, t["sot"], (n,), generator=g)
        ids[b, n + 1] = t["eot"]
    return ids


def torch_export(module, example, path, opset):
    """torch.onnx.export with the TorchScript exporter, input 'input', output 'embedding', dynamic batch."""
    import torch

    kwargs = dict(
        input_names=[packjson.INPUT_NAME],
        output_names=[packjson.OUTPUT_NAME],
        dynamic_axes={packjson.INPUT_NAME: {0: "batch"}, packjson.OUTPUT_NAME: {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
    )
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # torch >= 2.5 offers the dynamo exporter; the TorchScript one is tested here
    with torch.no_grad():
        torch.onnx.export(module, (example,), path, **kwargs)


def save_onnx(src, dst):
    """Re-saves an export as dst, with every tensor in one dst.data file when the model exceeds 2 GiB."""
    import onnx

    model = onnx.load(src, load_external_data=True)
    if model.ByteSize() > TWO_GIB or any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer):
        data = os.path.basename(dst) + ".data"
        onnx.save_model(model, dst, save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=1024)
    else:
        onnx.save_model(model, dst)
    del model
    gc.collect()


def check(path, module, modality, precision):
    """Runs the ONNX file and the PyTorch module on the same random batch; raises if they disagree."""
    import numpy as np
    import onnxruntime as ort
    import torch

    x = random_input(modality, 2)
    with torch.no_grad():
        want = module(x).numpy()
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = session.run([packjson.OUTPUT_NAME], {packjson.INPUT_NAME: x.numpy()})[0]
    single = session.run([packjson.OUTPUT_NAME], {packjson.INPUT_NAME: x[:1].numpy()})[0]
    del session
    if got.shape != want.shape or single.shape != (1, want.shape[1]):
        raise RuntimeError(f"{path}: output shapes {got.shape}, {single.shape}; expected {want.shape} and (1, {want.shape[1]})")
    def cosine(a, b):
        return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))

    cos = cosine(got, want)
    alone = float(cosine(single, want[:1])[0])  # the dynamic batch axis: a batch of 1 gives the same row
    floor = MIN_COSINE[precision]
    print(f"  check {modality} {precision}: cosine to PyTorch {', '.join(f'{c:.6f}' for c in cos)}, batch of 1 {alone:.6f} (need >= {floor})")
    if not np.all(np.isfinite(got)) or min(cos.min(), alone) < floor:
        raise RuntimeError(f"{path} disagrees with the PyTorch forward: cosine {min(cos.min(), alone):.6f} < {floor}")


def quantize(src, dst, per_channel):
    """onnxruntime dynamic quantization of MatMul/Gemm weights to int8 (the same rewrite as `bindsight models quantize`)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        model_input=src,
        model_output=dst,
        op_types_to_quantize=["MatMul", "Gemm"],
        per_channel=per_channel,
        weight_type=QuantType.QInt8,
        extra_options={"MatMulConstBOnly": True},
    )


def export_modality(model, modality, out_dir, work, args):
    """Exports, checks and (with --int8) quantizes one modality into out_dir/<modality>.onnx."""
    module = wrapper(model, modality)
    raw = os.path.join(work, f"{modality}.raw.onnx")
    fp32 = os.path.join(work if args.int8 else out_dir, f"{modality}.onnx")
    print(f"{modality}: exporting")
    torch_export(module, random_input(modality, 2, seed=1), raw, args.opset)
    save_onnx(raw, fp32)
    for name in os.listdir(work):  # the exporter's per-tensor external files
        if name != os.path.basename(fp32) and not name.startswith(f"{modality}.onnx"):
            os.remove(os.path.join(work, name))
    if not args.skip_check:
        check(fp32, module, modality, "fp32")
    if args.int8:
        final = os.path.join(out_dir, f"{modality}.onnx")
        print(f"{modality}: quantizing to int8{' per channel' if args.per_channel else ''}")
        quantize(fp32, final, args.per_channel)
        if not args.skip_check:
            check(final, module, modality, "int8")
        for name in os.listdir(work):
            os.remove(os.path.join(work, name))
    gc.collect()


def copy_vocab(out_dir):
    """The CLIP merges file from the ImageBind package (imagebind/bpe/, setup.py package_data) into the pack."""
    import imagebind

    src = os.path.join(os.path.dirname(imagebind.__file__), "bpe", packjson.TEXT["vocab"])
    shutil.copyfile(src, os.path.join(out_dir, packjson.TEXT["vocab"]))


def main(argv=None):
    p = argparse.ArgumentParser(description="export ImageBind (imagebind_huge) to a bindsight model pack")
    p.add_argument("--out", required=True, help="pack folder to write")
    p.add_argument("--modalities", type=packjson.parse_modalities, default=list(packjson.MODALITIES))
    p.add_argument("--checkpoint", help="imagebind_huge.pth (default: download to ./.checkpoints/)")
    p.add_argument("--int8", action="store_true", help="quantize MatMul/Gemm weights to dynamic int8")
    p.add_argument("--per-channel", action="store_true", help="int8 with one scale per output column")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--skip-check", action="store_true", help="do not compare each export with PyTorch")
    p.add_argument("--dry-run", action="store_true", help="print the plan and estimated sizes, export nothing")
    p.add_argument("--name", default="imagebind-huge")
    p.add_argument("--version", default="1.0.0")
    args = p.parse_args(argv)
    print(plan(args.modalities, args.int8))
    if args.dry_run:
        return 0
    os.makedirs(args.out, exist_ok=True)
    model = load_model(args.checkpoint)
    scale = logit_scale(model)
    print(f"text logit scale: {scale:.4f}")
    with tempfile.TemporaryDirectory(dir=args.out, prefix=".work-") as work:
        for m in args.modalities:
            export_modality(model, m, args.out, work, args)
    if "text" in args.modalities:
        copy_vocab(args.out)
    precision = "int8" if args.int8 else "fp32"
    manifest = packjson.build_manifest(args.out, args.modalities, precision, scale, args.name, args.version)
    print(f"wrote {packjson.write_manifest(args.out, manifest)}; check it with: bindsight models verify {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
