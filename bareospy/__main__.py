"""``python -m bareospy``: where the daemon plugins are, and what they are.

    python -m bareospy --plugin-dir     the directory holding python3-fd.so
    python -m bareospy --version        bareospy's version
"""

import argparse
import os
import sys

import bareospy

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(bareospy.__file__)), "plugins")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bareospy", description=__doc__.splitlines()[0])
    parser.add_argument("--plugin-dir", action="store_true",
                        help="print the directory that holds python3-fd.so")
    parser.add_argument("--version", action="store_true", help="print bareospy's version")
    options = parser.parse_args(argv)
    if options.version:
        print(bareospy.__version__)
    if options.plugin_dir or not options.version:
        if not os.path.isdir(PLUGIN_DIR):
            print(f"bareospy: no plugin directory at {PLUGIN_DIR} (package not built?)", file=sys.stderr)
            return 1
        print(PLUGIN_DIR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
