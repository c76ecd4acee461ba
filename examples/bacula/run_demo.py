"""Bacula-style Python scripting, end to end (README, "Bacula-style Python
scripting"): a director whose Scripts Directory holds DirStartUp.py from
this directory, bareospy-fd and bareospy-sd with FDStartUp.py and
SDStartUp.py.  The job Nightly backs up a small tree onto 100 kB volumes;
DirStartUp names each new volume TestA-<n> and starts the job Second with
job.run(); the volumes are listed from the catalog and the storage
directory, the job log shows the scripts' reports, and a restore reads the
backup back.

    python examples/bacula/run_demo.py [WORK_DIRECTORY]

Needs the built package (python setup.py build_ext --inplace, or installed).
"""
import filecmp
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bareospy

HERE = Path(__file__).resolve().parent
PACKAGE = Path(bareospy.__file__).resolve().parent
BIN, PLUGINS = PACKAGE / "bin", PACKAGE / "plugins"
EXAMPLES = HERE.parent if (HERE.parent / "bareos-fd-local-files.py").exists() else PACKAGE / "examples"

CONFIG = """\
Director {{
  Name = "demo-dir"
  Working Directory = "{work}"
  Scripts Directory = "{scripts}"
  Messages = Standard
}}
Job {{ Name = "Nightly"; Type = Backup; Level = Full; Client = local; FileSet = Tree; Storage = SD; Pool = Demo }}
Job {{ Name = "Second"; Type = Backup; Level = Full; Client = local; FileSet = Tree; Storage = SD; Pool = Demo }}
Client {{ Name = local; Command = "{fd} -p {plugins} --scripts-dir {scripts}" }}
FileSet {{ Name = Tree; Include {{ Plugin = "python3:module_path={examples}:module_name=bareos-fd-local-files:filename={listing}" }} }}
Storage {{ Name = SD; Address = "unix:{sock}"; Media Type = File }}
Pool {{ Name = Demo; Pool Type = Backup }}
Catalog {{ Name = MyCatalog; DB Driver = sqlite3; DB Name = "catalog.db" }}
Messages {{ Name = Standard; Append = "{work}/messages.log" = all }}
"""


def director(config, *command, env):
    result = subprocess.run([str(BIN / "bareospy-dir"), "-c", str(config), *command],
                            capture_output=True, text=True, env=env, timeout=300)
    print(f"$ bareospy-dir -c {config.name} {' '.join(command)}\n{result.stdout}{result.stderr}",
          end="")
    return result


def main(work):
    work = Path(work)
    tree = work / "tree"
    tree.mkdir(parents=True)
    for n in range(20):   # about 170 kB: more than one 100 kB volume
        (tree / f"file-{n:02d}").write_text(f"line {n} of the demo tree\n" * (300 + 15 * n))
    listing = work / "list"
    listing.write_text(f"{tree}\n")
    sock = Path(tempfile.mkdtemp(prefix="bsd")) / "sd.sock"  # a Unix socket path is short
    env = dict(os.environ, BAREOSPY_BACULA_LIBRARY=str(PLUGINS / "libbareospy-bacula.so"))
    sd_out = open(work / "sd.out", "w")
    sd = subprocess.Popen([str(BIN / "bareospy-sd"), "serve", "--listen", f"unix:{sock}",
                           "--storage-dir", str(work / "volumes"), "--max-volume-bytes", "100k",
                           "--scripts-dir", str(HERE)],
                          stdout=sd_out, stderr=subprocess.STDOUT, env=env)
    try:
        while "listening on" not in (work / "sd.out").read_text():
            if sd.poll() is not None:
                sys.exit("bareospy-sd did not start:\n" + (work / "sd.out").read_text())
            time.sleep(0.05)
        config = work / "demo-dir.conf"
        config.write_text(CONFIG.format(work=work / "dir", scripts=HERE, fd=BIN / "bareospy-fd",
                                        plugins=PLUGINS, examples=EXAMPLES, listing=listing,
                                        sock=sock))
        director(config, "run", "job=Nightly", env=env)
        director(config, "list", "volumes", env=env)
        print("volumes on disk:", sorted(os.listdir(work / "volumes")))
        log = director(config, "messages", env=env).stdout
        restored = work / "restored"
        director(config, "restore", "jobid=1", f"where={restored}", env=env)
        same = filecmp.dircmp(tree, restored / tree.relative_to("/"))
        ok = not (same.left_only or same.right_only or same.diff_files)
        print("restore of JobId 1:", "identical to the tree" if ok else "DIFFERENT")
        return 0 if ok and "TestA-1" in log else 1
    finally:
        sd.send_signal(signal.SIGTERM)
        sd.wait(60)
        sd_out.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="bacula-demo-")))
