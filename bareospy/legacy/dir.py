"""The director's API before Bareos 20, for python-dir.so (see bareospy.legacy.events)."""
from bareospy.legacy import events


def install():
    return events.install("bareosdir")
