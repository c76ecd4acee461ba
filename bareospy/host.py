"""``bareospy-fd``: run the reference file daemon installed with bareospy.

The console script of the package: it replaces itself with the compiled
program ``bareospy/bin/bareospy-fd``, which loads the daemon plugins from
``bareospy/plugins`` unless ``-p`` or ``$BAREOSPY_PLUGIN_DIR`` say otherwise.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "bin", "bareospy-fd")
PLUGIN_DIR = os.path.join(HERE, "plugins")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not os.access(PROGRAM, os.X_OK):
        print(f"bareospy-fd: {PROGRAM} is missing or not executable (was bareospy built?)",
              file=sys.stderr)
        return 4
    environment = dict(os.environ)
    environment.setdefault("BAREOSPY_PLUGIN_DIR", PLUGIN_DIR)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(PROGRAM, [PROGRAM] + argv, environment)


if __name__ == "__main__":
    sys.exit(main())
