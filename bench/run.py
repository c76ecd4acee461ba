#!/usr/bin/env python3
"""Run every benchmark of a file daemon plugin and print one table.

    python bench/run.py            # full run: a few minutes
    python bench/run.py --quick    # tiny counts: seconds (what the smoke test runs)

Builds bench/fd_bench.c with the C compiler (cc, or $CC) as embed/hosts/cbuild.py
describes it (ABI headers, the host kit, the libpython of THIS Python), runs its suites -- each in its own
process, as a daemon that loads the plugin -- prints a Markdown table with the
ratios (ours / baseline, ours / native) and the targets, and writes every number
to bench/results.json.  Use the Python the plugin was built with: the baselines
call that libpython directly.

The plugin is python3-fd.so from --plugin, else the in-place build of this
checkout (bareospy/plugins/), else the installed bareospy package's.
"""
import argparse
import datetime
import json
import math
import os
import platform
import runpy
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCRIPTS = HERE / "scripts"

FULL = dict(calls=100_000, reps=9, size_mib=1024, io_reps=7, cycles=10_000,
            nocache_cycles=1000, blocks=2000, thread_reps=5)
QUICK = dict(calls=300, reps=3, size_mib=4, io_reps=1, cycles=30,
             nocache_cycles=10, blocks=20, thread_reps=1)

# The table: (result name, label, reference result, target).  A target is
# (">=" or "<=", bound): "ratio to the reference" for rows with a reference.
ROWS = [
    ("Per call (ns per call, median of the repetitions)", None, None, None),
    ("io_read_trivial", "pluginIO IO_READ, trivial plugin_io (status 0)", "baseline_gil_per_call", ("<=", 1.5)),
    ("event_trivial", "handlePluginEvent, trivial handle_plugin_event", "baseline_gil_per_call", None),
    ("io_read_debug_message", "pluginIO IO_READ, trivial + one DebugMessage", "io_read_trivial", None),
    ("event_job_message", "handlePluginEvent, trivial + one JobMessage (M_INFO)", "event_trivial", None),
    ("io_read_bytes", "pluginIO IO_READ 64 KiB, iop.buf = DATA (bytes)", "baseline_gil_per_call", None),
    ("io_read_bytearray", "pluginIO IO_READ 64 KiB, iop.buf = bytearray(iop.count)", "baseline_gil_per_call", None),
    ("io_read_window", "pluginIO IO_READ 64 KiB, iop.window[:] = DATA (zero-copy)", "baseline_gil_per_call", None),
    ("io_read_class", "pluginIO IO_READ, class plugin behind a module wrapper", "baseline_gil_per_call", None),
    ("event_class", "handlePluginEvent, class plugin behind a module wrapper", "baseline_gil_per_call", None),
    ("baseline_gil_held", "baseline: C->Python call, GIL held", None, None),
    ("baseline_gil_per_call", "baseline: C->Python call, GIL taken/released per call", "baseline_gil_held", None),
    ("Backup of a cached file, 64 KiB blocks (MB/s, median of the repetitions)", None, None, None),
    ("backup_native", "native read() loop, no plugin", None, None),
    ("backup_direct", "direct I/O (iostat_do_in_core), daemon reads the fd", "backup_native", (">=", 0.97)),
    ("backup_bytearray_read", "plugin_io: iop.buf = bytearray(f.read(n))", "backup_native", (">=", 0.6)),
    ("backup_readinto_bytearray", "plugin_io: f.readinto(bytearray(iop.count))", "backup_native", (">=", 0.6)),
    ("backup_readinto_window", "plugin_io: f.readinto(iop.window) (zero-copy)", "backup_native", (">=", 0.9)),
    ("backup_bare_readinto", "reference: f.readinto(memoryview) per block by bare C->Python calls, no plugin", "backup_native", None),
    ("Restore into the page cache, 64 KiB blocks (MB/s, median of the repetitions)", None, None, None),
    ("restore_native", "native write() loop, no plugin", None, None),
    ("restore_direct", "direct I/O (iostat_do_in_core), daemon writes the fd", "restore_native", (">=", 0.97)),
    ("restore_write_buf", "plugin_io: f.write(iop.buf)", "restore_native", (">=", 0.6)),
    ("restore_write_window", "plugin_io: f.write(iop.window) (zero-copy)", "restore_native", (">=", 0.9)),
    ("restore_bare_write", "reference: f.write(memoryview) per block by bare C->Python calls, no plugin", "restore_native", None),
    ("Plugin instances (us per cycle: median over batches of cycles)", None, None, None),
    ("instance_cycle", "newPlugin + load script + first event + freePlugin", None, ("<=", 1000)),
    ("instance_cycle_nocache", "the same without .pyc files: scripts compiled per instance", "instance_cycle", None),
    ("rss_early", "RSS after the warm-up cycles", None, None),
    ("rss_end", "RSS after all cycles", None, None),
    ("rss_growth", "RSS growth from the warm-up to the end", None, ("<=", 1024)),
    ("rss_growth_late", "RSS growth from 1,000 cycles to the end", None, None),
    ("heap_growth", "C heap in use (mallinfo2) growth, warm-up to the end", None, None),
    ("python_blocks_growth", "Python objects (allocated blocks) growth, warm-up to the end", None, ("<=", 500)),
    ("Two concurrent jobs, CPU-bound plugin_io (aggregate MB/s, median of the repetitions)", None, None, None),
    ("threads_sha256_2jobs", "2 jobs, hashlib.sha256 per block (releases the GIL)", "threads_sha256_1job", None),
    ("threads_sha256_bare_2jobs", "2 threads, the same sha256 by bare C->Python calls, no plugin", "threads_sha256_bare_1job", None),
    ("threads_pyloop_2jobs", "2 jobs, pure-Python loop per block (holds the GIL)", "threads_pyloop_1job", None),
    ("threads_native_2jobs", "2 threads, C loop per block, no plugin (machine)", "threads_native_1job", None),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny counts (seconds, for tests)")
    parser.add_argument("--plugin", type=Path, help="the plugin .so to measure")
    parser.add_argument("--output", type=Path, default=HERE / "results.json",
                        help="where to write the results (default bench/results.json)")
    parser.add_argument("--build-dir", type=Path, default=HERE / "build",
                        help="where to build fd_bench (default bench/build)")
    parser.add_argument("--tmpdir", type=Path,
                        help="directory for the big data file (default: a new temp dir)")
    parser.add_argument("--suites", default="calls,io,instance,threads",
                        help="comma-separated subset of calls,io,instance,threads")
    for name in FULL:
        parser.add_argument("--" + name.replace("_", "-"), type=int,
                            help=f"override (full {FULL[name]}, quick {QUICK[name]})")
    parser.add_argument("--cc", default=os.environ.get("CC") or "cc",
                        help="C compiler command (default $CC or cc)")
    parser.add_argument("--cflags", default="",
                        help="extra compiler flags for fd_bench (e.g. sanitizers the plugin was built with)")
    parser.add_argument("--callgrind", action="store_true",
                        help="also count instructions per call under valgrind --tool=callgrind "
                             "(deterministic, unlike the clock; adds about a minute)")
    parser.add_argument("--compare", type=Path, metavar="OTHER.so",
                        help="also run every row another plugin .so can run (the calls and io "
                             "suites; rows that use our additions are skipped for it), "
                             "interleaved with ours, and print both columns with their ratio")
    parser.add_argument("--keep-env", action="store_true",
                        help="do not drop PYTHONDONTWRITEBYTECODE for the benchmark processes")
    args = parser.parse_args(argv)
    counts = dict(QUICK if args.quick else FULL)
    for name in counts:
        value = getattr(args, name)
        if value is not None:
            counts[name] = value
    args.counts = counts
    return args


def find_plugin(explicit):
    if explicit:
        return explicit.resolve()
    in_place = ROOT / "bareospy" / "plugins" / "python3-fd.so"
    if in_place.is_file():
        return in_place
    try:
        import bareospy
    except ImportError:
        sys.exit("run.py: no plugin: build in place (setup.py build_ext --inplace), "
                 "install bareospy, or pass --plugin")
    return Path(bareospy.__file__).parent / "plugins" / "python3-fd.so"


def check_same_libpython(plugin):
    """Refuse a plugin linked with another libpython than this Python's."""
    soname = sysconfig.get_config_var("INSTSONAME") or ""
    ldd = shutil.which("ldd")
    if not ldd or not soname:
        return
    result = subprocess.run([ldd, str(plugin)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    needed = [line.split()[0] for line in result.stdout.splitlines() if "libpython" in line]
    if needed and soname not in needed:
        sys.exit(f"run.py: {plugin} uses {needed[0]}, this Python is {soname}: "
                 "run bench/run.py with the Python the plugin was built with")


def build(cc, cflags, build_dir):
    """fd_bench, the "fd_bench" program of cbuild.py plus --cflags; warnings are shown."""
    build_dir.mkdir(parents=True, exist_ok=True)
    program = build_dir / "fd_bench"
    # embed/hosts/cbuild.py: the one description of the C programs.
    cbuild = SimpleNamespace(**runpy.run_path(str(ROOT / "embed" / "hosts" / "cbuild.py")))
    try:
        warnings = cbuild.build("fd_bench", program, cc=cc, extra_cflags=shlex.split(cflags))
    except cbuild.BuildError as error:
        print(error, file=sys.stderr)
        sys.exit("run.py: building fd_bench failed")
    if warnings.strip():
        print(warnings, file=sys.stderr)
    return program


# Rows that use what this project adds to the API: another plugin cannot run them.
OUR_ADDITIONS = {"io_read_window": "iop.window", "backup_readinto_window": "iop.window",
                 "restore_write_window": "iop.window"}


def run_suite(program, plugin, scripts, suite, options, env, rename=None):
    command = [str(program), str(plugin), str(scripts), "--suite", suite]
    for key, value in options.items():
        command += ["--" + key.replace("_", "-"), str(value)]
    print("run.py: " + " ".join(shlex.quote(part) for part in command), file=sys.stderr, flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE, universal_newlines=True, env=env)
    if result.returncode != 0:
        sys.exit(f"run.py: the {suite} suite failed (exit status {result.returncode})")
    results = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            name = rename(item["name"]) if rename else item["name"]
            item["name"] = name
            results[name] = item
    return results


# Under valgrind: the rows without 64 KiB copies (valgrind's own memcpy makes
# those counts meaningless, and slow).
CALL_BENCHMARKS = ["io_read_trivial", "event_trivial", "io_read_debug_message",
                   "event_job_message", "io_read_class", "event_class",
                   "baseline_gil_held", "baseline_gil_per_call"]


def count_instructions(program, plugin, scripts, env, calls=20000, skip=()):
    """Instructions per call of each per-call benchmark (callgrind, run_calls only)."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        print("run.py: no valgrind: --callgrind skipped", file=sys.stderr)
        return {}
    counts = {}
    with tempfile.TemporaryDirectory(prefix="fd_bench.callgrind.") as scratch:
        for name in CALL_BENCHMARKS:
            if name in skip:
                continue
            out = Path(scratch) / (name + ".out")
            command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}",
                       "--toggle-collect=run_calls", str(program), str(plugin), str(scripts),
                       "--suite", "calls", "--only", name, "--calls", str(calls), "--reps", "1"]
            print("run.py: " + " ".join(shlex.quote(part) for part in command), file=sys.stderr,
                  flush=True)
            result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    universal_newlines=True, env=env)
            if result.returncode != 0:
                sys.exit(f"run.py: callgrind run of {name} failed:\n{result.stderr[-2000:]}")
            total = None
            for line in out.read_text().splitlines():
                if line.startswith(("totals:", "summary:")):
                    total = int(line.split()[1])
            # run_calls ran the warm-up (calls // 10 + 1) and one repetition
            counts[name] = total / (calls // 10 + 1 + calls)
            host_function = HOST_MESSAGE_FUNCTIONS.get(name)
            if host_function:
                inside = inclusive_cost(out, host_function)
                if inside is not None:
                    counts[name + "_host"] = inside / (calls // 10 + 1 + calls)
    return counts


# The rows that send a message, and fd_bench's function that receives it (its
# JobMessage formats the text with vsnprintf, as a daemon does; its
# DebugMessage drops it below the debug level).
HOST_MESSAGE_FUNCTIONS = {"io_read_debug_message": "core_debug_message",
                          "event_job_message": "core_job_message"}


def inclusive_cost(out, function):
    """Instructions spent in ``function`` and what it called (callgrind_annotate
    --inclusive=yes), or None without callgrind_annotate."""
    annotate = shutil.which("callgrind_annotate")
    if not annotate:
        return None
    result = subprocess.run([annotate, "--inclusive=yes", "--threshold=100", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, universal_newlines=True)
    for line in result.stdout.splitlines():
        parts = line.split()
        if parts and parts[-1].startswith("[") and any(
                part.endswith(":" + function) for part in parts):
            return int(parts[0].replace(",", ""))
    return None


def callgrind_table(counts):
    base = counts.get("baseline_gil_per_call")
    lines = ["| Benchmark | Instructions per call | Ratio to the GIL-per-call baseline |",
             "|---|---:|---:|"]
    labels = {name: label for name, label, _, _ in ROWS if label}
    for name in CALL_BENCHMARKS:
        if name in counts:
            ratio_text = f"{counts[name] / base:.2f}x" if base else ""
            lines.append(f"| {labels[name]} | {counts[name]:,.0f} | {ratio_text} |")
    held = counts.get("baseline_gil_held")
    for name, plain, what in (("io_read_debug_message", "io_read_trivial", "DebugMessage"),
                              ("event_job_message", "event_trivial", "JobMessage")):
        if held and name in counts and plain in counts:
            extra = counts[name] - counts[plain]
            lines.append(f"| one {what} from a script (the difference; ratio to the "
                         f"GIL-held baseline) | {extra:,.0f} | {extra / held:.2f}x held |")
            host = counts.get(name + "_host")
            if host is not None:
                lines.append(f"| one {what}, without fd_bench's own {what} function "
                             f"({host:,.0f}): the plugin layer and the script's call, "
                             f"target <= 1.5x | {extra - host:,.0f} | "
                             f"{(extra - host) / held:.2f}x held |")
    return "\n".join(lines)


def machine_info():
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version() + " (" + sys.executable + ")",
        "kernel": platform.release(),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    try:
        info["loadavg_start"] = open("/proc/loadavg").read().split()[:3]
        info["vm_dirty_ratio"] = open("/proc/sys/vm/dirty_ratio").read().strip()
        info["vm_dirty_background_ratio"] = open("/proc/sys/vm/dirty_background_ratio").read().strip()
    except OSError:
        pass
    return info


def ratio(results, name, reference, key="reps"):
    """ours / reference: the median of the per-repetition ratios when the two were
    measured in the same interleaved repetitions (so each ratio compares passes
    run seconds apart, under the same machine conditions), else the ratio of the
    medians.  key="cpu_reps": the same from the thread CPU times (None if not
    measured)."""
    ours, base = results.get(name), results.get(reference)
    if not ours or not base or key not in ours or key not in base:
        return None
    a_reps, b_reps = ours[key], base[key]
    if len(a_reps) == len(b_reps) > 1 and all(a_reps) and all(b_reps):
        return statistics.median(a / b for a, b in zip(a_reps, b_reps))
    a_median, b_median = statistics.median(a_reps), statistics.median(b_reps)
    return a_median / b_median if b_median else None


def add_derived(results):
    """RSS, C heap and Python-object growth of the instance suite, from the
    checkpoints (in cycle order: start, warm-up, [1000,] end)."""
    marks = sorted((item for item in results.values() if item["name"].startswith("rss_")
                    and "after_cycles" in item), key=lambda item: item["after_cycles"])
    if len(marks) < 3:
        return
    early, end = marks[1], marks[-1]
    results["rss_early"] = dict(early, name="rss_early")
    results["rss_end"] = dict(end, name="rss_end")

    def growth(name, first, key, unit):
        if first.get(key, -1) is None or first.get(key, -1) < 0:
            return
        value = end[key] - first[key]
        results[name] = dict(suite="instance", name=name, unit=unit, median=value, reps=[value],
                             span=f"{first['after_cycles']} -> {end['after_cycles']} cycles")

    growth("rss_growth", early, "median", "KiB")
    growth("heap_growth", early, "heap_in_use_kib", "KiB")
    growth("python_blocks_growth", early, "python_blocks", "blocks")
    if len(marks) >= 4:
        growth("rss_growth_late", marks[2], "median", "KiB")


def format_value(value, unit):
    if value is None:
        return "-"
    if unit in ("KiB", "blocks") or abs(value) >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.1f} {unit}" if abs(value) >= 10 else f"{value:.2f} {unit}"


def make_rows(results):
    rows = []
    for name, label, reference, target in ROWS:
        if label is None:
            rows.append(dict(section=name))
            continue
        item = results.get(name)
        if item is None:
            continue
        value = item["median"]
        row = dict(name=name, label=label, value=value, unit=item["unit"])
        if reference and reference in results:
            row["reference"] = reference
            row["reference_value"] = results[reference]["median"]
            row["ratio"] = ratio(results, name, reference)
            row["ratio_cpu"] = ratio(results, name, reference, "cpu_reps")
        if target:
            op, bound = target
            measured = row.get("ratio") if reference else value
            if measured is not None and math.isfinite(measured):
                row["target"] = f"{op} {bound}" + ("x" if reference else "")
                row["met"] = measured <= bound if op == "<=" else measured >= bound
        rows.append(row)
    return rows


def table(rows, results):
    lines = ["| Benchmark | Result | Reference | Ratio | Ratio (CPU time) | Target | Met |",
             "|---|---:|---:|---:|---:|:---:|:---:|"]
    for row in rows:
        if "section" in row:
            lines.append(f"| **{row['section']}** | | | | | | |")
            continue
        unit = row["unit"]
        if "growth" in row["name"]:
            value = f"{row['value']:+,.0f} {unit}"
        else:
            value = format_value(row["value"], unit)
        reference = ""
        if "reference" in row:
            ref_unit = results[row["reference"]]["unit"]
            reference = format_value(row["reference_value"], ref_unit)
        ratio_text = f"{row['ratio']:.2f}x" if row.get("ratio") is not None else ""
        cpu_text = f"{row['ratio_cpu']:.2f}x" if row.get("ratio_cpu") is not None else ""
        met = {True: "yes", False: "**no**"}.get(row.get("met"), "")
        lines.append(f"| {row['label']} | {value} | {reference} | {ratio_text} | {cpu_text} | "
                     f"{row.get('target', '')} | {met} |")
    return "\n".join(lines)


def run_compared(program, plugins, scripts, suite, options, rounds, env):
    """Both plugins' results of SUITE, one repetition each in turn, ROUNDS times.

    plugins: [(column, plugin, rows to skip)].  Each repetition is its own
    process (start-up and warm-up untimed), so drift hits both columns alike.
    """
    merged = {column: {} for column, _, _ in plugins}
    for _ in range(rounds):
        for column, plugin, skip in plugins:
            extra = dict(options, skip=",".join(sorted(skip))) if skip else options
            for name, item in run_suite(program, plugin, scripts, suite, extra, env).items():
                into = merged[column].setdefault(name, dict(item, reps=[], cpu_reps=[]))
                into["reps"] += item.get("reps", [])
                into["cpu_reps"] += item.get("cpu_reps", [])
    for found in merged.values():
        for item in found.values():
            item["median"] = statistics.median(item["reps"])
            if item["cpu_reps"]:
                item["cpu_median"] = statistics.median(item["cpu_reps"])
    return merged


def compare_table(ours, other, instructions):
    """Markdown: each row's value for both plugins and ours / other."""
    labels = {name: label for name, label, _, _ in ROWS if label}
    lines = ["| Benchmark | ours | other | ours / other |", "|---|---:|---:|---:|"]
    for name, label in labels.items():
        if name not in ours:
            continue
        unit = ours[name]["unit"]
        mine = format_value(ours[name]["median"], unit)
        if name in OUR_ADDITIONS:
            lines.append(f"| {label} | {mine} | skipped (uses {OUR_ADDITIONS[name]}) | |")
        elif name in other:
            theirs = other[name]["median"]
            lines.append(f"| {label} | {mine} | {format_value(theirs, unit)} | "
                         f"{ours[name]['median'] / theirs:.2f}x |")
    if instructions:
        lines += ["", "| Instructions per call (callgrind) | ours | other | ours / other |",
                  "|---|---:|---:|---:|"]
        mine, theirs = instructions
        for name in CALL_BENCHMARKS:
            if name in mine:
                other_text = f"{theirs[name]:,.0f}" if name in theirs else "skipped"
                ratio_text = f"{mine[name] / theirs[name]:.2f}x" if name in theirs else ""
                lines.append(f"| {labels[name]} | {mine[name]:,.0f} | {other_text} | {ratio_text} |")
    return "\n".join(lines)


def compare_main(args, program, plugin, env):
    other = args.compare.resolve()
    if not other.is_file():
        sys.exit(f"run.py: no plugin at {other}")
    check_same_libpython(other)
    counts = args.counts
    suites = [suite.strip() for suite in args.suites.split(",") if suite.strip()]
    skip = set(OUR_ADDITIONS)
    plugins = [("ours", plugin, set()), ("other", other, skip)]
    results = {"ours": {}, "other": {}}
    scratch = Path(tempfile.mkdtemp(prefix="fd_bench."))
    try:
        scripts = scratch / "scripts"
        shutil.copytree(SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
        if "calls" in suites:
            found = run_compared(program, plugins, scripts, "calls",
                                 dict(calls=counts["calls"], reps=1), counts["reps"], env)
            for column in results:
                results[column].update(found[column])
        if "io" in suites:
            found = run_compared(program, plugins, scripts, "io",
                                 dict(size=counts["size_mib"] << 20, io_reps=1,
                                      tmpdir=args.tmpdir or scratch), counts["io_reps"], env)
            for column in results:
                results[column].update(found[column])
        instructions = None
        if args.callgrind:
            instructions = (count_instructions(program, plugin, scripts, env),
                            count_instructions(program, other, scripts, env, skip=skip))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    command = " ".join(["python"] + [shlex.quote(part) for part in sys.argv])
    print(f"ours: {plugin}\nother: {other}\ncommand: {command}\n")
    print(compare_table(results["ours"], results["other"], instructions))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"command": command, "ours": str(plugin), "other": str(other),
                                       "results": results,
                                       "instructions_per_call": instructions}, indent=1) + "\n")
    print(f"\nrun.py: results written to {args.output}")
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    counts = args.counts
    suites = [suite.strip() for suite in args.suites.split(",") if suite.strip()]
    plugin = find_plugin(args.plugin)
    if not plugin.is_file():
        sys.exit(f"run.py: no plugin at {plugin}")
    check_same_libpython(plugin)
    program = build(args.cc, args.cflags, args.build_dir)

    env = dict(os.environ)
    dropped = []
    if not args.keep_env and "PYTHONDONTWRITEBYTECODE" in env:
        # A daemon normally caches the scripts' bytecode like any Python
        # program; without .pyc files every instance compiles its scripts.
        dropped.append("PYTHONDONTWRITEBYTECODE")
        del env["PYTHONDONTWRITEBYTECODE"]

    if args.compare:
        return compare_main(args, program, plugin, env)
    info = machine_info()
    results = {}
    scratch = Path(tempfile.mkdtemp(prefix="fd_bench."))
    try:
        tmpdir = args.tmpdir or scratch
        # The scripts run from a scratch copy: their bytecode cache goes there,
        # never into the source tree, and no stale one is used.
        scripts = scratch / "scripts"
        shutil.copytree(SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
        if "calls" in suites:
            results.update(run_suite(program, plugin, scripts, "calls",
                                     dict(calls=counts["calls"], reps=counts["reps"]), env))
        if "io" in suites:
            results.update(run_suite(program, plugin, scripts, "io",
                                     dict(size=counts["size_mib"] << 20, io_reps=counts["io_reps"],
                                          tmpdir=tmpdir), env))
        if "instance" in suites:
            results.update(run_suite(program, plugin, scripts, "instance",
                                     dict(cycles=counts["cycles"], tmpdir=tmpdir), env))
            # The same scripts in a directory without __pycache__, with bytecode
            # writing off: each instance compiles them from source.
            nocache = scratch / "scripts-nocache"
            shutil.copytree(SCRIPTS, nocache, ignore=shutil.ignore_patterns("__pycache__"))
            env_nocache = dict(env, PYTHONDONTWRITEBYTECODE="1")
            found = run_suite(program, plugin, nocache, "instance",
                              dict(cycles=counts["nocache_cycles"], tmpdir=tmpdir), env_nocache,
                              rename=lambda name: name + "_nocache")
            results["instance_cycle_nocache"] = found["instance_cycle_nocache"]
        if "threads" in suites:
            results.update(run_suite(program, plugin, scripts, "threads",
                                     dict(blocks=counts["blocks"], reps=counts["thread_reps"]), env))
        instructions = count_instructions(program, plugin, scripts, env) if args.callgrind else {}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    add_derived(results)
    try:
        info["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    except OSError:
        pass

    rows = make_rows(results)
    text = table(rows, results)
    command = " ".join(["python"] + [shlex.quote(part) for part in sys.argv])
    header = (f"machine: {info['nproc']} CPUs, {info['cpu']}; Python {info['python']}; "
              f"Linux {info['kernel']}; {info['date']}\n"
              f"plugin: {plugin}\ncommand: {command}\n")
    print(header)
    print(text)
    if instructions:
        print("\nInstructions per call (valgrind --tool=callgrind, 20,000 calls):\n")
        print(callgrind_table(instructions))
    output = {
        "machine": info,
        "command": command,
        "plugin": str(plugin),
        "counts": counts,
        "quick": args.quick,
        "environment_dropped": dropped,
        "rows": rows,
        "results": results,
        "instructions_per_call": instructions,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=1) + "\n")
    print(f"\nrun.py: results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
