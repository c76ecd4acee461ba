#!/usr/bin/env python3
"""Small-file benchmark: N files backed up and restored through a class-based plugin.

    python bench/smallfiles.py                 # 10,000 files of 4 KiB (--files, --size)
    python bench/smallfiles.py --quick         # 200 files: seconds
    python bench/smallfiles.py --callgrind     # + instructions per file, split by part

The plugin is bench/smallfiles/ (written for this project in the shape of spec
§8.1-§8.3: a module-level wrapper holding the plugin object in a global, a base
class whose plugin_io dispatches through if/elif, a DebugMessage per call, a
StatPacket per file); its wrapper star-imports bench/scripts/BenchFdWrapper.py,
which is copied next to it in a scratch directory.  The reference host bareospy-fd drives it exactly as a
daemon does: `backup` into an archive, then `restore` of that archive, once with
the data through plugin_io (io=plugin) and once through direct I/O (io=direct).

Instructions per file come from valgrind --tool=callgrind over two whole
backups, of the N files and of one file: (N-file job - 1-file job) / (N - 1)
is the marginal cost of a file, without the job's start-up; the one-file job
is the start-up row.  Both are split by the object the instructions ran in
(self cost): the host executable, the plugin layer (python3-fd.so and the
bareosfd module), libpython (the script and the interpreter), and the rest
(libc, the dynamic loader, OpenSSL...).
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PLUGIN_SOURCES = [HERE / "smallfiles", HERE / "scripts" / "BenchFdWrapper.py"]
MODULE = "bareos-fd-smallfiles"


def plugin_directory(scratch):
    """The plugin's scripts in one directory (the module_path): bench/smallfiles/
    and the wrapper module it shares with bench/scripts/."""
    target = scratch / "plugin"
    target.mkdir()
    for source in PLUGIN_SOURCES:
        for path in sorted(source.glob("*.py")) if source.is_dir() else [source]:
            shutil.copy(path, target / path.name)
    return target


def find_host(args):
    for candidate in (args.host, ROOT / "bareospy" / "bin" / "bareospy-fd", shutil.which("bareospy-fd")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    sys.exit("smallfiles.py: no bareospy-fd (build in place first, or --host)")


def make_tree(top, files, size):
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    per_dir = 1000
    for i in range(files):
        directory = top / f"d{i // per_dir:04d}"
        if i % per_dir == 0:
            directory.mkdir(parents=True)
        (directory / f"f{i:06d}").write_bytes(data)


def host_command(host, args, *command):
    base = [str(host)]
    if args.plugin_dir:
        base += ["-p", str(args.plugin_dir)]
    return base + list(command)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, env):
    cpu0, wall0 = children_cpu(), time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, env=env)
    wall, cpu = time.perf_counter() - wall0, children_cpu() - cpu0
    if result.returncode != 0:
        sys.exit(f"smallfiles.py: {' '.join(command)} failed ({result.returncode}):\n"
                 f"{result.stderr[-3000:]}")
    return wall, cpu


def self_cost_by_object(path):
    """Self instructions per object file of a callgrind output."""
    names, totals = {}, {}
    current = None
    skip_next = False
    for line in Path(path).read_text(errors="replace").splitlines():
        if line.startswith(("ob=", "cob=")):
            # an object's name is given once, where its id first appears (in
            # an ob= or a cob= line); later lines give the id alone
            match = re.match(r"c?ob=(?:\((\d+)\))?\s*(.*)", line)
            key, name = match.group(1), match.group(2)
            if key and name:
                names[key] = name
            if line.startswith("ob="):
                current = key or name
        elif line.startswith("calls="):
            skip_next = True
        elif line and (line[0].isdigit() or line[0] in "+-*"):
            if skip_next:
                skip_next = False
                continue
            parts = line.split()
            if len(parts) > 1:
                totals[current] = totals.get(current, 0) + int(parts[1])
    by_name = {}
    for key, cost in totals.items():
        name = names.get(key, key)
        by_name[name] = by_name.get(name, 0) + cost
    return by_name


def split_parts(totals, host):
    parts = {"host": 0, "plugin layer": 0, "libpython (script + interpreter)": 0, "other": 0}
    for name, cost in totals.items():
        base = os.path.basename(name or "")
        if base == host.name:
            parts["host"] += cost
        elif base.startswith(("python3-fd", "bareosfd")):
            parts["plugin layer"] += cost
        elif base.startswith("libpython"):
            parts["libpython (script + interpreter)"] += cost
        else:
            parts["other"] += cost
    return parts


def counted_backup(host, args, env, scratch, io, definition):
    """Self instructions by part of one backup under valgrind --tool=callgrind."""
    out = scratch / f"callgrind-{io}.out"
    archive = scratch / f"cg-{io}.bpa"
    timed(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
          + host_command(host, args, "backup", "--archive", str(archive), definition), env)
    parts = split_parts(self_cost_by_object(out), host)
    out.unlink()
    archive.unlink()
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=4096, help="bytes per file")
    parser.add_argument("--quick", action="store_true", help="200 files, one repetition")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--host", help="the bareospy-fd executable")
    parser.add_argument("--plugin-dir", help="directory with the python3-fd.so to measure")
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--output", help="write the figures as JSON")
    args = parser.parse_args()
    if args.quick:
        args.files, args.reps = min(args.files, 200), 1
    host = find_host(args)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    results = {"files": args.files, "size": args.size, "rows": {}}
    with tempfile.TemporaryDirectory(prefix="bench-smallfiles.") as scratch:
        scratch = Path(scratch)
        tree = scratch / "tree"
        make_tree(tree, args.files, args.size)
        one = scratch / "one"
        make_tree(one, 1, args.size)
        plugin_dir = plugin_directory(scratch)
        for io in ("plugin", "direct"):
            definition = f"python3:module_path={plugin_dir}:module_name={MODULE}:dir={tree}:io={io}"
            restore_def = f"python3:module_path={plugin_dir}:module_name={MODULE}:io={io}"
            backups, restores = [], []
            for rep in range(args.reps):
                archive = scratch / f"{io}.bpa"
                where = scratch / f"restored-{io}"
                backups.append(timed(host_command(host, args, "backup", "--archive", str(archive),
                                                  definition), env))
                restores.append(timed(host_command(host, args, "restore", "--archive", str(archive),
                                                   "--where", str(where),
                                                   "--trust-archive-plugin-paths",
                                                   "--plugin-options", restore_def), env))
                restored = sorted(where.rglob("f*"))
                if len(restored) != args.files or any(p.stat().st_size != args.size for p in restored):
                    sys.exit(f"smallfiles.py: restore ({io}) gave {len(restored)} files, "
                             f"want {args.files} of {args.size} bytes")
                shutil.rmtree(where)
                archive.unlink()
            for kind, runs in (("backup", backups), ("restore", restores)):
                walls = sorted(w for w, _ in runs)
                cpus = sorted(c for _, c in runs)
                row = {"files_per_s": args.files / walls[len(walls) // 2],
                       "cpu_us_per_file": cpus[len(cpus) // 2] / args.files * 1e6}
                results["rows"][f"{kind}_{io}"] = row
            if args.callgrind and shutil.which("valgrind"):
                whole = counted_backup(host, args, env, scratch, io, definition)
                start = counted_backup(host, args, env, scratch, io,
                                       definition.replace(f"dir={tree}", f"dir={one}"))
                results["rows"][f"backup_{io}"]["instructions_per_file"] = {
                    part: (whole[part] - start[part]) / max(args.files - 1, 1) for part in whole}
                results["rows"][f"startup_{io}"] = {"instructions": start}
    counted = "" if not args.callgrind else (
        f"; instructions per file: the marginal cost of a file ({args.files:,}-file job - "
        f"1-file job) / {max(args.files - 1, 1):,}")
    print(f"Small files: {args.files:,} x {args.size:,} bytes, class-based plugin "
          f"(bench/smallfiles/), median of {args.reps}{counted}\n")
    print("| Job | files/s | CPU us/file | instructions/file: host | plugin layer | libpython | other | total |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in results["rows"].items():
        if name.startswith("startup_"):
            continue
        ins = row.get("instructions_per_file")
        cells = ([f"{ins[k]:,.0f}" for k in ins] + [f"{sum(ins.values()):,.0f}"]) if ins else [""] * 5
        print(f"| {name.replace('_', ', io=')} | {row['files_per_s']:,.0f} | "
              f"{row['cpu_us_per_file']:,.1f} | " + " | ".join(cells) + " |")
    for name, row in results["rows"].items():
        if name.startswith("startup_"):
            ins = row["instructions"]
            cells = [f"{ins[k] / 1e6:,.1f} M" for k in ins] + [f"{sum(ins.values()) / 1e6:,.1f} M"]
            print(f"| start-up: a one-file backup, io={name.split('_', 1)[1]} | | | "
                  + " | ".join(cells) + " |")
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
