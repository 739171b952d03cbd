#!/usr/bin/env python3
"""VideoNas (TorchSharp) against the PyTorch reference on this machine, row by row, with the same thread count.

Rows (issues 17, 26): the demo supernet's search step, first order (fused edges, and the per-operation reference
edges); the same with partial channels 1/4; second order;
a derived network's training step; R(2+1)D-18 at width 0.25. Every measurement is its own process (so a peak
resident memory belongs to one row), and each row is measured --repeats times as a pair of processes, VideoNas
first in odd pairs and PyTorch first in even ones. A pair's ratio divides the two processes' median steps; the
table gives the median ratio over pairs and, in brackets, the lowest and highest: on a shared 2-core VM the
same process varies by ±15 % from one run to the next, and adjacent runs drift together, so the pairs cancel
much of it. Run it on an idle machine: two libtorch processes at once slow each other far more than twice.

    /usr/bin/python3 benchmarks/pytorch/compare.py [--threads 2] [--repeats 5] [--out results/cpu.jsonl]
"""
import argparse, json, os, platform, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
VIDEONAS = os.path.join(ROOT, "src", "Client", "bin", "Release", "net10.0", "videonas.dll")


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def last_json(text, what):
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"{what}: no JSON line in its output:\n{text[-2000:]}")


def run(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return last_json(done.stdout, " ".join(cmd))


def config_with(path, folder, name, **changes):
    cfg = json.load(open(os.path.join(ROOT, path)))
    cfg.update(changes)
    out = os.path.join(folder, name + ".json")
    with open(out, "w") as f:
        json.dump(cfg, f)
    return out


def rows(args, folder):
    search, train = args.search_config, args.train_config
    first = config_with(search, folder, "first", partial_channels=1, second_order=False)
    unfused = config_with(search, folder, "unfused", partial_channels=1, second_order=False, fused_edges=False)
    partial = config_with(search, folder, "partial", partial_channels=4, second_order=False)
    second = config_with(search, folder, "second", partial_channels=1, second_order=True)
    py, vn = [args.python], ["dotnet", VIDEONAS, "bench"]
    s, t = str(args.search_steps), str(args.train_steps)

    def supernet(name, cfg, k):
        return (name, vn + ["search", "--config", cfg, "--partial-channels", str(k), "--steps", s, "--warmup", "1", "--json"],
                py + [os.path.join(HERE, "supernet.py"), "--config", cfg, "--steps", s, "--warmup", "1", "--threads", str(args.threads)])

    def network(name, *which):
        return (name, vn + ["train", "--config", train, *which, "--steps", t, "--warmup", "2", "--json"],
                py + [os.path.join(HERE, "network.py"), "--config", train, *which, "--steps", t, "--warmup", "2", "--threads", str(args.threads)])

    return [
        supernet("supernet search step, first order", first, 1),
        supernet("the same, per-operation edges (fused_edges false)", unfused, 1),
        supernet("supernet, partial channels 1/4", partial, 4),
        supernet("supernet, second order", second, 1),
        network("derived network, training step", "--genotype", args.genotype),
        network("R(2+1)D-18 at width 0.25, training step", "--model", "r2plus1d18", "--width", "0.25"),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--search-steps", type=int, default=5)
    ap.add_argument("--train-steps", type=int, default=10)
    ap.add_argument("--search-config", default="docs/experiments/search-p3d.json")
    ap.add_argument("--train-config", default="docs/experiments/train.json")
    ap.add_argument("--genotype", default="docs/results/evaluation-p3d/genotypes/searched_s2.json")
    ap.add_argument("--python", default=sys.executable, help="a Python with torch (Debian's python3-torch: /usr/bin/python3)")
    ap.add_argument("--only", default=None, help="run only the rows whose name contains this text")
    ap.add_argument("--out", default=None, help="also append every measurement as a JSON line to this file")
    args = ap.parse_args()
    subprocess.run(["dotnet", "build", "src/Client", "-c", "Release", "-v", "q", "-nologo"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    torch_version = subprocess.run([args.python, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
    print(f"CPU: {cpu_model()}, {args.threads} threads; PyTorch {torch_version}; {args.repeats} pairs of processes; "
          "s/step: median over processes of each one's median step; ratios: median over pairs [lowest–highest]\n")
    print("| row | weight parameters | VideoNas s/step | PyTorch s/step | time ratio | VideoNas peak RSS | PyTorch peak RSS | memory ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    log = open(args.out, "a") if args.out else None
    folder = tempfile.TemporaryDirectory(prefix="videonas-compare-")
    for name, vn_cmd, py_cmd in rows(args, folder.name):
        if args.only and args.only not in name:
            continue
        measured = {"videonas": [], "pytorch": []}
        for repeat in range(args.repeats):
            pair = (("videonas", vn_cmd), ("pytorch", py_cmd))
            for framework, cmd in pair if repeat % 2 == 0 else reversed(pair):
                result = run(cmd, args.threads)
                measured[framework].append(result)
                if log:
                    log.write(json.dumps(dict(result, row=name, cpu=cpu_model(), threads=args.threads)) + "\n")
        v, p = measured["videonas"], measured["pytorch"]
        if v[0]["parameters"] != p[0]["parameters"]:
            raise SystemExit(f"{name}: not the same network: VideoNas {v[0]['parameters']:,} parameters, PyTorch {p[0]['parameters']:,}")
        step = [statistics.median(r["seconds_per_step_median"] for r in x) for x in (v, p)]
        rss = [statistics.median(r["peak_rss_mib"] for r in x) for x in (v, p)]
        ratios = [a["seconds_per_step_median"] / b["seconds_per_step_median"] for a, b in zip(v, p)]
        memory = statistics.median(a["peak_rss_mib"] / b["peak_rss_mib"] for a, b in zip(v, p))
        print(f"| {name} | {v[0]['parameters']:,} | {step[0]:.3f} s | {step[1]:.3f} s | "
              f"{statistics.median(ratios):.2f} [{min(ratios):.2f}–{max(ratios):.2f}] | "
              f"{rss[0]:,.0f} MiB | {rss[1]:,.0f} MiB | {memory:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
