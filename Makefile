# The two commands of the README, and the pieces they are made of.
#   make demo   set up, then run the main job (a backup and restore through a plugin,
#               then the same through director, SD and FD)
#   make bench  set up, then run the benchmarks and the small-file rows (a few minutes; BENCH_ARGS=--quick: seconds)
#   make test   set up, then run every test on every supported CPython (tox),
#               then the C parts again under AddressSanitizer + UBSan, then the
#               legacy python-fd.so built for CPython 2.7 (pyenv's), then the
#               Python FD plugin inside Debian's real Bacula 9.6 daemons once
#   make test-bacula  only the last part (tests/bacula_real, tox -e bacula)

SHELL := /bin/bash
HOST_PYTHON ?= python3
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
# The interpreters tox may use: every CPython 3 under pyenv (3.8 ... 3.13).
INTERPRETERS := $(wildcard $(PYENV_ROOT)/versions/3.*/bin/python3.[0-9] $(PYENV_ROOT)/versions/3.*/bin/python3.[0-9][0-9])
TOOLS := .venv-tools

.PHONY: test test-bacula bacula-packages demo demo-director bench clean sqlite-headers

# bareospy-dir's catalog is SQLite: a fresh machine gets the headers
# (libsqlite3-dev) the first time, only if the compiler cannot find them.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
sqlite-headers:
	@if ! echo '#include <sqlite3.h>' | $(CC) -E -x c - >/dev/null 2>&1; then \
	  echo "installing libsqlite3-dev (the catalog of bareospy-dir)"; \
	  $(SUDO) apt-get install -y libsqlite3-dev || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y libsqlite3-dev; }; \
	fi

# tests/bacula_real runs Debian's Bacula 9.6.7 daemons: installed here when
# missing (the tests skip, saying why, on a machine without apt-get).
BACULA_PACKAGES := bacula-director bacula-director-sqlite3 bacula-sd bacula-fd bacula-console
bacula-packages:
	@if command -v apt-get >/dev/null && ! [ -x /usr/sbin/bacula-fd -a -x /usr/sbin/bacula-dir \
	    -a -x /usr/sbin/bacula-sd -a -x /usr/sbin/bconsole ]; then \
	  echo "installing Debian's Bacula 9.6 daemons (tests/bacula_real)"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BACULA_PACKAGES) || \
	  { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y --no-install-recommends $(BACULA_PACKAGES); }; \
	  for service in bacula-director bacula-sd bacula-fd; do \
	    $(SUDO) service $$service stop >/dev/null 2>&1 || true; done; \
	fi

$(TOOLS)/bin/tox:
	$(HOST_PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --upgrade pip
	$(TOOLS)/bin/pip install --quiet "tox>=4.11"

$(TOOLS)/.installed: $(TOOLS)/bin/tox pyproject.toml setup.py $(shell find bareospy include embed -name '*.py*' -o -name '*.h' -o -name '*.c' 2>/dev/null) | sqlite-headers
	$(TOOLS)/bin/pip install --quiet pytest .
	touch $@

# The tox environments of `make test`, run side by side (one per core; the
# builds of this checkout take turns, setup.py locks the tree): the sanitizer
# run first, as it is the longest.
TOX_ENVS := asan,py38,py39,py310,py311,py312,py313,legacy2
test: sqlite-headers $(TOOLS)/bin/tox
	$(TOOLS)/bin/tox run-parallel -p auto --parallel-no-spinner -e $(TOX_ENVS) \
	    --discover $(INTERPRETERS) $(TOX_ARGS)
	$(MAKE) test-bacula

test-bacula: sqlite-headers bacula-packages $(TOOLS)/bin/tox
	$(TOOLS)/bin/tox run -e bacula --discover $(INTERPRETERS)

demo: $(TOOLS)/.installed
	PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH" examples/demo.sh bareospy-fd "$(CURDIR)/.demo"
	@echo; echo "=== the same through a director: bareospy-dir, bareospy-sd and bareospy-fd"
	PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH" PYTHON="$(CURDIR)/$(TOOLS)/bin/python" \
	    examples/director/demo.sh "$(CURDIR)/.demo/director"

# The README's director example: SD, director with a Python plugin naming the
# volumes, a backup through the FD, list volumes, restore (examples/director/).
demo-director: $(TOOLS)/.installed
	PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH" PYTHON="$(CURDIR)/$(TOOLS)/bin/python" \
	    examples/director/demo.sh "$(CURDIR)/.demo-director"

# The benchmarks (BENCHMARKS.md): build the plugin in place, run every suite,
# then the small-file rows (bench/smallfiles.py; --quick reaches it too).
bench: sqlite-headers $(TOOLS)/bin/tox
	$(TOOLS)/bin/pip install --quiet Cython setuptools
	$(TOOLS)/bin/python setup.py -q build_ext --inplace
	$(TOOLS)/bin/python bench/run.py $(BENCH_ARGS)
	$(TOOLS)/bin/python bench/smallfiles.py $(filter --quick,$(BENCH_ARGS))

clean:
	rm -rf build dist *.egg-info .tox .demo $(TOOLS) bareospy/*.c bareospy/*.so *.so
