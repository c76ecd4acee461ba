"""The Python side of the baselines: fd_bench calls trivial() through the
C-API (PyObject_CallOneArg), without any plugin layer in between."""


def trivial(arg):
    return 0


import hashlib  # noqa: E402

DATA = bytes(range(256)) * 256


def sha256_block(window):
    """bench_cpu.py's sha256 workload without the plugin: fd_bench calls it
    through the C-API with a memoryview of its block."""
    window[:] = DATA
    hashlib.sha256(window).digest()
    return len(window)


def open_file(path, mode):
    """The io suite's Python-without-plugin reference opens its file here..."""
    return open(path, mode)


def read_block(f, window):
    """... and moves each block with one call: f.readinto(memoryview of the block)."""
    return f.readinto(window)


def write_block(f, window):
    return f.write(window)
