#!/usr/bin/env python3
"""PyTorch reference for bench/gpu/run.sh: the same 400-256x5-6 network, shapes and precision as
cuda_harness --bench. Prints "RESULT <key> <value>" lines.

  train_*: one training step at --batch rows (run.sh: 256) (forward, softmax cross-entropy on one-hot targets, backward,
           SGD lr 0.01 momentum 0.9 Nesterov), eager mode; "resident" = the batch is already on the GPU,
           "copy" = it is copied from pinned host memory first.
  predict1_*: one sample, end to end: pinned host input -> GPU, forward + softmax, -> pinned host output,
           synchronised; eager, and CUDA Graph replay of the forward (copies outside the graph).
"""
import argparse
import time

import torch

DIMS = [400, 256, 256, 256, 256, 256, 6]


def make_model(device):
    layers = []
    for i in range(len(DIMS) - 1):
        layers.append(torch.nn.Linear(DIMS[i], DIMS[i + 1]))
        if i + 2 < len(DIMS):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers).to(device)


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


def bench_train(iters, batch, tf32, copy):
    set_tf32(tf32)
    dev = torch.device("cuda")
    torch.manual_seed(0)
    model = make_model(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    loss_fn = torch.nn.CrossEntropyLoss()
    x_host = torch.rand(batch, DIMS[0]).mul_(2).sub_(1).pin_memory()
    labels = torch.randint(0, DIMS[-1], (batch,))
    t_host = torch.nn.functional.one_hot(labels, DIMS[-1]).float().pin_memory()
    x_dev, t_dev = x_host.to(dev), t_host.to(dev)

    def step():
        if copy:
            x = x_host.to(dev, non_blocking=True)
            t = t_host.to(dev, non_blocking=True)
        else:
            x, t = x_dev, t_dev
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), t)  # probability targets: softmax cross-entropy, mean over the batch
        loss.backward()
        opt.step()
        return loss

    for _ in range(20):
        step()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(iters):
        loss = step()
    torch.cuda.synchronize()
    per = (time.perf_counter() - t0) / iters * 1e6
    return per, float(loss)


def bench_predict(n, graph):
    set_tf32(False)
    dev = torch.device("cuda")
    torch.manual_seed(1)
    model = make_model(dev).eval()
    x_host = torch.rand(1, DIMS[0]).pin_memory()
    out_host = torch.empty(1, DIMS[-1]).pin_memory()
    stream = torch.cuda.Stream()
    with torch.no_grad(), torch.cuda.stream(stream):
        static_in = torch.zeros(1, DIMS[0], device=dev)
        if graph:
            for _ in range(3):  # warm up on the side stream before capture, as torch.cuda.graphs asks
                torch.softmax(model(static_in), dim=1)
            stream.synchronize()
            g = torch.cuda.CUDAGraph()
            with torch.cuda.graph(g, stream=stream):
                static_out = torch.softmax(model(static_in), dim=1)

        def call():
            static_in.copy_(x_host, non_blocking=True)
            if graph:
                g.replay()
                out_host.copy_(static_out, non_blocking=True)
            else:
                out_host.copy_(torch.softmax(model(static_in), dim=1), non_blocking=True)
            stream.synchronize()

        for _ in range(500):
            call()
        lat = []
        for _ in range(n):
            t0 = time.perf_counter()
            call()
            lat.append((time.perf_counter() - t0) * 1e6)
    lat.sort()
    return lat[len(lat) // 2], lat[len(lat) * 99 // 100]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--batch", type=int, default=4096)
    args = ap.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("torch.cuda.is_available() is False: no GPU for PyTorch")
    print("RESULT torch_version %s" % torch.__version__)
    print("RESULT torch_gpu_name %s" % torch.cuda.get_device_name(0))
    for key, tf32, copy in (("train_fp32_eager_resident", False, False), ("train_fp32_eager_copy", False, True),
                            ("train_tf32_eager_resident", True, False)):
        per, loss = bench_train(args.iters, args.batch, tf32, copy)
        print("RESULT %s_us %.2f" % (key, per))
        print("RESULT %s_loss %.6f" % (key, loss))
    n = max(2000, args.iters * 20)
    for key, graph in (("predict1_eager", False), ("predict1_graph", True)):
        med, p99 = bench_predict(n, graph)
        print("RESULT %s_median_us %.2f" % (key, med))
        print("RESULT %s_p99_us %.2f" % (key, p99))


if __name__ == "__main__":
    main()
