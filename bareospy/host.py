"""``bareospy-fd``, ``bareospy-sd`` and ``bareospy-dir``: run the reference
daemons installed with bareospy.

The console scripts of the package: each replaces itself with its compiled
program in ``bareospy/bin/``.  ``bareospy-fd`` loads the daemon plugins from
``bareospy/plugins`` unless ``-p`` or ``$BAREOSPY_PLUGIN_DIR`` say otherwise;
``bareospy-dir`` from its configuration's Plugin Directory, else
``$BAREOSPY_DIR_PLUGIN_DIR`` (by default ``bareospy/plugins``);
``bareospy-sd`` loads plugins only from the directory its ``-p`` names.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "bin", "bareospy-fd")
DIR_PROGRAM = os.path.join(HERE, "bin", "bareospy-dir")
SD_PROGRAM = os.path.join(HERE, "bin", "bareospy-sd")
PLUGIN_DIR = os.path.join(HERE, "plugins")


def _exec(name, program, plugin_variable, argv):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not os.access(program, os.X_OK):
        print(f"{name}: {program} is missing or not executable (was bareospy built?)",
              file=sys.stderr)
        return 4
    environment = dict(os.environ)
    if plugin_variable:
        environment.setdefault(plugin_variable, PLUGIN_DIR)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(program, [program] + argv, environment)


def main(argv=None):
    return _exec("bareospy-fd", PROGRAM, "BAREOSPY_PLUGIN_DIR", argv)


def storage_main(argv=None):
    return _exec("bareospy-sd", SD_PROGRAM, None, argv)


def director_main(argv=None):
    return _exec("bareospy-dir", DIR_PROGRAM, "BAREOSPY_DIR_PLUGIN_DIR", argv)


if __name__ == "__main__":
    sys.exit(main())
