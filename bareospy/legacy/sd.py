"""The storage daemon's API before Bareos 20, for python-sd.so (see bareospy.legacy.events)."""
from bareospy.legacy import events


def install():
    return events.install("bareossd")
