"""The Python side of the baselines: fd_bench calls trivial() through the
C-API (PyObject_CallOneArg), without any plugin layer in between."""


def trivial(arg):
    return 0
