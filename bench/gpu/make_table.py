#!/usr/bin/env python3
"""Turns the RESULT lines of cuda_harness --bench and torch_bench.py into bench/gpu/RESULTS.md.

usage: make_table.py HARNESS_LOG TORCH_LOG OUT_MD [NVIDIA_SMI_LINE]
Exit 1 when the harness reported failed checks or a result is missing; the targets are stated in the table.
"""
import datetime
import sys


def read(path):
    vals = {}
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("RESULT "):
                    parts = line.rstrip("\n").split(" ", 2)
                    if len(parts) == 3:
                        vals[parts[1]] = parts[2]
    except FileNotFoundError:
        pass
    return vals


def num(d, k):
    try:
        return float(d[k])
    except (KeyError, ValueError):
        return None


BATCH = 256


def fmt(v):
    return "n/a" if v is None else "%.1f" % v


def main():
    global BATCH
    tg, pt, out = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3]
    BATCH = int(num(tg, "train_batch") or 256)
    smi = sys.argv[4] if len(sys.argv) > 4 else ""
    rows = []
    ok = True

    def row(what, tg_key, pt_key, unit="µs"):
        a, b = num(tg, tg_key), num(pt, pt_key) if pt_key else None
        ratio = "%.2fx" % (b / a) if a and b else ""
        rows.append("| %s | %s | %s | %s |" % (what, fmt(a), fmt(b), ratio))
        return a, b

    tr, tr_pt = row("train step, batch %d" % BATCH + ", fp32, CUDA Graph vs eager, batch on GPU",
                    "train_fp32_graph_resident_us", "train_fp32_eager_resident_us")
    row("train step, batch %d" % BATCH + ", fp32, incl. H2D copy of the batch", "train_fp32_graph_copy_us",
        "train_fp32_eager_copy_us")
    row("train step, batch %d" % BATCH + ", fp32, tickgrad without graphs (stream launches)", "train_fp32_stream_resident_us",
        "train_fp32_eager_resident_us")
    row("train step, batch %d" % BATCH + ", TF32 matmuls, batch on GPU", "train_tf32_graph_resident_us",
        "train_tf32_eager_resident_us")
    pr, _ = row("predict 1 sample end to end, fused one-block kernel, graph replay (median)",
                "predict1_fused_graph_median_us", "predict1_graph_median_us")
    row("predict 1 sample, fused kernel, graph replay (p99)", "predict1_fused_graph_p99_us", "predict1_graph_p99_us")
    row("predict 1 sample, layer by layer, graph replay (median)", "predict1_layered_graph_median_us",
        "predict1_graph_median_us")
    row("predict 1 sample, fused kernel, stream launch (median)", "predict1_fused_stream_median_us",
        "predict1_eager_median_us")
    row("predict 1 sample, layer by layer, stream launches vs eager (median)", "predict1_layered_stream_median_us",
        "predict1_eager_median_us")

    row("kernel lab: forward kernel alone, one block per sample (production)", "lab_forward_block_us", None)
    row("kernel lab: forward kernel alone, 8-block cluster (experiment, native/cuda/lab)", "lab_forward_cluster_us",
        None)

    checks, fails = num(tg, "harness_checks"), num(tg, "harness_failures")
    if checks is None or fails is None or fails > 0 or tr is None:
        ok = False
    cands = [num(tg, k) for k in ("predict1_fused_graph_median_us",
                                  "predict1_layered_graph_median_us")]
    cands = [v for v in cands if v is not None]
    best_pred = min(cands) if cands else None
    t1 = "met" if (tr is not None and tr_pt is not None and tr <= tr_pt) else "NOT met"
    t2 = "met" if (best_pred is not None and best_pred <= 20.0) else "NOT met"
    lines = [
        "# tickgrad CUDA benchmark",
        "",
        "GPU: **%s**" % tg.get("gpu_name", pt.get("torch_gpu_name", "unknown")),
        "",
        "Run by `bench/gpu/run.sh` on %s. PyTorch %s, fp32 with `allow_tf32 = False` unless the row says TF32."
        % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), pt.get("torch_version", "?")),
        "Network 400-256x5-6 (ReLU, softmax cross-entropy, SGD momentum 0.9 Nesterov). Times in µs per call;"
        " the ratio is PyTorch / tickgrad (above 1 = tickgrad faster).",
        "",
        "| What | tickgrad CUDA | PyTorch | ratio |",
        "|---|---|---|---|",
    ] + rows + [
        "",
        "Harness: %s of %s checks passed (every CUDA kernel against the CPU kernel, training steps, predictions)."
        % ("n/a" if checks is None or fails is None else int(checks - fails), "n/a" if checks is None else int(checks)),
        "",
        "Targets: training step at least as fast as PyTorch eager: **%s**; single-sample inference at most 20 µs"
        " end to end: **%s**." % (t1, t2),
    ]
    gemm = sorted(k for k in tg if k.startswith("gemm_") and k.endswith("_gflops"))
    if gemm:
        cfgs = ["fp32_auto", "fp32_t64", "fp32_t128", "tf32"]
        shapes = []
        for k in gemm:
            shape = k[len("gemm_"):-len("_gflops")]
            for c in cfgs:
                if shape.endswith("_" + c):
                    shape = shape[: -len(c) - 1]
            if shape not in shapes:
                shapes.append(shape)
        lines += ["", "GEMMs of the training step, GFLOP/s (tickgrad's own kernels; auto = the tile the library picks):",
                  "", "| shape | " + " | ".join(cfgs) + " |", "|---|" + "---|" * len(cfgs)]
        for sh in shapes:
            lines.append("| %s | %s |" % (sh, " | ".join(fmt(num(tg, "gemm_%s_%s_gflops" % (sh, c))) for c in cfgs)))
    if smi:
        lines += ["", "nvidia-smi: `%s`" % smi]
    text = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
