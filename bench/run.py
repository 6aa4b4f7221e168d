"""run.py — `make bench`: one epoch of each chapter program against its reference, alternating, medians.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/run.py --build build --mnist data/mnist --reps 5 \
        --out build/bench/out

Each repetition runs every pair once — the C program, then its reference, or the other way round on every
other repetition, so that a slow spell of the machine hits both sides alike — and the machine's limits
(bench/machine.c). The report takes the median of each time over the repetitions, and the best of each limit.
Every side trains for one epoch on the same data with the same sizes, in float32 (double for chapter 1), on one
thread, and reports the time of its training loop alone (loading and evaluating excluded).

Writes into --out (atomically, as a folder): bench.tsv (a row per pair: medians, the ratio, the limits),
raw.tsv (every measurement), machine.txt (the limits and where it ran), results.txt (what the performance
appendix quotes). Prints the table.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
N_TRAIN = 55000
# Chapters 2 and 3: 784-300-10. Multiply-adds of the matrix products per image, times two; a step needs
# two products the size of W (forward, and the gradient or update) and three the size of V.
FLOP_PER_IMAGE = 2 * (2 * 784 * 300 + 3 * 300 * 10)
# Chapter 1: 2-3-2, the same count for its loops.
FLOP_PER_POINT = 2 * (2 * 2 * 3 + 3 * 3 * 2)
W_BYTES = 784 * 300 * 4
# What the C programs report about their own work, kept beside their times: the fraction of pixels that are not
# zero (chapter 2), the fraction of a batch's pixels lit in some image of it (chapter 3), GB of W moved per epoch.
C_KEYS = ("nonzero_frac", "lit_frac", "w_gb_per_epoch")


def read_keys(text):
    """`key value` lines into a dict of strings."""
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            k, _, v = line.partition(" ")
            out[k] = v.strip()
    return out


def run(cmd, env, ok=(0,)):
    """Run a command; its `key value` output (stdout), or stop the bench with its stderr."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode not in ok:
        sys.exit(f"bench: {' '.join(cmd)} failed with status {p.returncode}:\n{p.stderr[-2000:]}")
    return read_keys(p.stdout)


def c_epoch(cmd, env, key="epoch_seconds", per=1):
    """Seconds of one training epoch of a chapter program, from the results.txt it writes."""
    with tempfile.TemporaryDirectory(prefix="bench.") as d:
        run(cmd + ["--out", d], env, ok=(0, 3))  # 3: a diverged run, which still says how long it trained
        with open(os.path.join(d, "results.txt")) as f:
            r = read_keys(f.read())
    return float(r[key]) / per, r


# Chapter 1's epoch takes about 10 ms in C: it runs 40 epochs and reports their mean, so that both sides of the
# pair run for about a second and a burst of load elsewhere on the machine cannot fall on one epoch alone.
def pairs(build, mnist):
    """The benchmarks: (name, label, C command, (key, divisor) of its results.txt, reference command, FLOPs of
    an epoch, and the results key giving the GB of W an epoch moved, for the matrix-vector programs, or 0)."""
    py = [sys.executable]
    b = lambda prog: [os.path.join(build, prog)]
    mn = ["--mnist", mnist]
    batched = lambda B, lr, extra=[]: b("03-batched/batched") + mn + ["--epochs", "1", "--batch", str(B),
                                                                      "--lr", str(lr), "--seed", "0",
                                                                      "--eval-train", "1000"] + extra
    ref_batched = lambda B, lr: py + [os.path.join(HERE, "batched.py")] + mn + ["--batch", str(B), "--lr", str(lr)]
    vector = lambda extra=[]: b("02-vector/vector") + mn + ["--epochs", "1", "--lr", "0.01", "--seed", "0"] + extra
    ref_vector = py + [os.path.join(HERE, "vector.py")] + mn + ["--lr", "0.01"]
    # A diverging run (rate 30, the sweep's), flushing subnormal floats to zero as every program does, against
    # the same run keeping them (--subnormals): the C side is the flushed one, the "reference" the slow path.
    diverging = lambda extra=[]: b("03-batched/batched") + mn + ["--epochs", "1", "--batch", "16", "--lr", "30",
                                                                 "--seed", "0", "--limit", "10000",
                                                                 "--eval-train", "1000"] + extra
    return [
        ("scalar", "ch. 1: scalar loops",
         b("01-scalar/scalar") + ["--epochs", "40", "--seed", "0"], ("train_seconds", 40),
         py + [os.path.join(HERE, "scalar.py")], FLOP_PER_POINT * 60000, 0),
        ("vector", "ch. 2: per sample",
         vector(), ("epoch_seconds", 1), ref_vector, FLOP_PER_IMAGE * N_TRAIN, "w_gb_per_epoch"),
        ("vector_dense", "ch. 2: per sample, dense",
         vector(["--dense"]), ("epoch_seconds", 1), ref_vector, FLOP_PER_IMAGE * N_TRAIN, "w_gb_per_epoch"),
        ("batched16", "ch. 3: B = 16",
         batched(16, 0.8), ("epoch_seconds", 1), ref_batched(16, 0.8), FLOP_PER_IMAGE * N_TRAIN, 0),
        ("batched16_dense", "ch. 3: B = 16, dense",
         batched(16, 0.8, ["--dense"]), ("epoch_seconds", 1), ref_batched(16, 0.8), FLOP_PER_IMAGE * N_TRAIN, 0),
        ("batched8", "ch. 3: B = 8",
         batched(8, 0.4), ("epoch_seconds", 1), ref_batched(8, 0.4), FLOP_PER_IMAGE * N_TRAIN, 0),
        ("diverging", "ch. 3: diverging (lr 30), subnormals flushed / kept",
         diverging(), ("train_seconds", 1), diverging(["--subnormals"]), FLOP_PER_IMAGE * 10000, 0),
    ]


# The second reference of each pair, by name: PyTorch for chapters 2 and 3 (bench/torch_ref.py). Per sample it
# takes most of a minute an epoch: it trains on the first 5 000 images of the order and reports the time pro rata.
def torch_refs():
    here = lambda B, lr, extra=[]: [sys.executable, os.path.join(HERE, "torch_ref.py"), "--batch", str(B), "--lr",
                                    str(lr)] + extra
    return {"vector": here(1, 0.01, ["--limit", "5000"]), "batched16": here(16, 0.8), "batched8": here(8, 0.4)}


def measure(args, env):
    """Every repetition of every pair and of the machine's limits: a list of raw rows."""
    raw, jobs = [], pairs(args.build, args.mnist)
    if args.only:
        jobs = [j for j in jobs if j[0] in args.only.split(",")]
    machine = [os.path.join(args.build, "bench/machine")]
    second = torch_refs()
    for rep in range(args.reps):
        for name, _, ccmd, (key, per), rcmd, _, _ in jobs:
            sides = [("c", ccmd), ("ref", rcmd)] + ([("torch", second[name] + ["--mnist", args.mnist])]
                                                    if name in second and not args.no_torch else [])
            for side, cmd in sides if rep % 2 == 0 else sides[::-1]:
                if side == "c":
                    s, r = c_epoch(ccmd, env, key, per)
                    extra = {k: float(r[k]) for k in C_KEYS if k in r}
                elif cmd[0] != sys.executable:  # a C program as the reference (the diverging pair)
                    s, extra = c_epoch(cmd, env, key, per)[0], {}
                else:
                    s, extra = float(run(cmd, env)["epoch_seconds"]), {}
                raw.append((rep, name, side, s, extra))
                print(f"bench: repetition {rep + 1}/{args.reps}: {name:16s} {side:3s} {s:8.3f} s", file=sys.stderr)
        m = run(machine, env)
        for k in ("sgemm_gflops", "w_read_gbs", "w_update_gbs", "big_update_gbs"):
            raw.append((rep, "machine", k, float(m[k]), {}))
        print(f"bench: repetition {rep + 1}/{args.reps}: SGEMM {m['sgemm_gflops']} GFLOP/s, W updated at "
              f"{m['w_update_gbs']} GB/s", file=sys.stderr)
    return raw, jobs


def c_median(raw, name, key):
    """The median of a key the C program wrote into its results.txt, or NaN when it writes no such key."""
    vals = [e[key] for _, n, sd, _, e in raw if n == name and sd == "c" and key in e]
    return statistics.median(vals) if vals else float("nan")


def best(raw, key):
    """A limit of the machine: the best of the repetitions. A limit is what the machine can do; a moment when
    something else was using it only hides that, so the highest rate is the truest one."""
    return max(s for _, n, k, s, _ in raw if n == "machine" and k == key)


def median(raw, name, side):
    vals = [s for _, n, sd, s, _ in raw if n == name and sd == side]
    return statistics.median(vals) if vals else float("nan")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def summarise(raw, jobs, args):
    """The table rows (dicts) and the machine's medians."""
    peak = best(raw, "sgemm_gflops")
    bw = best(raw, "w_update_gbs")
    rows = []
    for name, what, _, _, _, flop, bytes_ in jobs:
        c, ref, tr = median(raw, name, "c"), median(raw, name, "ref"), median(raw, name, "torch")
        extras = {"c_" + k: c_median(raw, name, k) for k in C_KEYS}
        if isinstance(bytes_, str):  # the C program says how many bytes of W its epoch moved
            bytes_ = extras["c_" + bytes_] * 1e9 if extras["c_" + bytes_] == extras["c_" + bytes_] else 0
        flop_bound = flop / (peak * 1e9)
        # The stricter bound: the arithmetic the C program executes after skipping the zero pixels (its rows of
        # W that the pixels lit in the image, or in the batch, select), at the peak.
        frac = next((extras[k] for k in ("c_lit_frac", "c_nonzero_frac") if extras[k] == extras[k]), 1.0) \
            if name.startswith(("vector", "batched")) and "dense" not in name else 1.0
        exec_bound = flop / FLOP_PER_IMAGE * 2 * (2 * 784 * 300 * frac + 3 * 300 * 10) / (peak * 1e9) \
            if name.startswith(("vector", "batched")) else flop_bound
        mem_bound = bytes_ / (bw * 1e9) if bytes_ else float("nan")
        reference = {"scalar": "pure Python", "diverging": "the same, subnormals kept"}.get(name, "numpy")
        rows.append(dict(name=name, label=what, reference=reference,
                         c_s=c, ref_s=ref, speedup=ref / c, c_over_ref=c / ref,
                         torch_s=tr, torch_speedup=tr / c, torch_peak_frac=flop_bound / tr,
                         gflop=flop / 1e9, c_gflops=flop / c / 1e9, ref_gflops=flop / ref / 1e9,
                         flop_bound_s=flop_bound, c_peak_frac=flop_bound / c, ref_peak_frac=flop_bound / ref,
                         mem_bound_s=mem_bound, c_mem_frac=mem_bound / c if bytes_ else float("nan"),
                         exec_bound_s=exec_bound, c_exec_peak_frac=exec_bound / c, **extras))
    machine = dict(sgemm_gflops=peak, w_read_gbs=best(raw, "w_read_gbs"), w_update_gbs=bw,
                   big_update_gbs=best(raw, "big_update_gbs"))
    return rows, machine


COLUMNS = ["name", "label", "reference", "c_s", "ref_s", "speedup", "c_over_ref", "torch_s", "torch_speedup",
           "torch_peak_frac", "gflop", "c_gflops", "ref_gflops",
           "flop_bound_s", "c_peak_frac", "ref_peak_frac", "mem_bound_s", "c_mem_frac", "c_nonzero_frac",
           "c_lit_frac", "c_w_gb_per_epoch", "exec_bound_s", "c_exec_peak_frac"]
NUMERIC = COLUMNS[3:]


def fmt(v):
    if isinstance(v, str):
        return v
    return "-" if v != v else f"{v:.6g}"  # NaN: not applicable


def write_outputs(out, raw, rows, machine, args):
    """All four files into a fresh folder, moved into place only when complete."""
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with open(os.path.join(tmp, "bench.tsv"), "w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(fmt(r[c]) for c in COLUMNS) + "\n")
    with open(os.path.join(tmp, "raw.tsv"), "w") as f:
        f.write("repetition\tname\tside\tseconds\n")
        for rep, name, side, s, _ in raw:
            f.write(f"{rep + 1}\t{name}\t{side}\t{s:.6g}\n")
    import numpy
    info = dict(cpu=cpu_model(), cores=os.cpu_count(), kernel=platform.release(), python=platform.python_version(),
                numpy=numpy.__version__, reps=args.reps, date=time.strftime("%Y-%m-%d"),
                openblas_threads=os.environ.get("OPENBLAS_NUM_THREADS", "unset"))
    with open(os.path.join(tmp, "machine.txt"), "w") as f:
        for k, v in list(info.items()) + [(k, f"{v:.1f}") for k, v in machine.items()]:
            f.write(f"{k} {v}\n")
    with open(os.path.join(tmp, "results.txt"), "w") as f:
        f.write("source make bench\n")
        for k, v in list(info.items()) + list(machine.items()):
            f.write(f"{k} {fmt(v)}\n")
        f.write(f"bench_minutes {(time.time() - args.start) / 60:.1f}\nn_images {N_TRAIN}\nscalar_points 60000\n"
                f"w_kib {W_BYTES / 1024:.0f}\n")
        for r in rows:
            for c in NUMERIC:
                f.write(f"{r['name']}_{c} {fmt(r[c])}\n")
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


def print_table(rows, machine):
    print(f"\nmachine: {cpu_model()}; SGEMM peak {machine['sgemm_gflops']:.1f} GFLOP/s on one core; "
          f"W ({W_BYTES // 1024} KiB) updated at {machine['w_update_gbs']:.1f} GB/s")
    print(f"{'benchmark':17s} {'C s':>8s} {'ref s':>8s} {'ref/C':>7s} {'C/ref':>6s} {'C GFLOP/s':>10s} "
          f"{'C % peak':>9s} {'ref % peak':>10s} {'C % mem':>8s} {'torch s':>9s}")
    for r in rows:
        mem = "-" if r["c_mem_frac"] != r["c_mem_frac"] else f"{100 * r['c_mem_frac']:.0f}%"
        tr = "-" if r["torch_s"] != r["torch_s"] else f"{r['torch_s']:.3f}"
        print(f"{r['name']:17s} {r['c_s']:8.3f} {r['ref_s']:8.3f} {r['speedup']:6.1f}x {r['c_over_ref']:6.2f} "
              f"{r['c_gflops']:10.1f} {100 * r['c_peak_frac']:8.1f}% {100 * r['ref_peak_frac']:9.1f}% {mem:>8s} "
              f"{tr:>9s}")
    print("ref: pure Python for scalar, the same run keeping subnormals for diverging, numpy for the others; "
          "torch: PyTorch (nn.Linear, autograd, optim.SGD, one thread). % peak: an epoch's FLOPs (dense) at the SGEMM peak, "
          "over the time taken. % mem: the bytes of W the epoch moved at the measured bandwidth, over the time.")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default="build")
    p.add_argument("--mnist", default="data/mnist")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--out", default="build/bench")
    p.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    args = p.parse_args()
    if args.reps < 1:
        sys.exit("bench: --reps must be at least 1")
    args.start = time.time()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", LC_ALL="C", PYTHONDONTWRITEBYTECODE="1")  # no __pycache__
    raw, jobs = measure(args, env)
    rows, machine = summarise(raw, jobs, args)
    write_outputs(args.out, raw, rows, machine, args)
    print_table(rows, machine)
    print(f"bench: wrote {args.out}/bench.tsv, raw.tsv, machine.txt, results.txt")


if __name__ == "__main__":
    main()
