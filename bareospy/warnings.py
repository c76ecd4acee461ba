"""The warning categories bareospy adds (none of them is a name of ``bareosfd``).

bareosfd accepts every value the reference module accepts (docs/plugin-api.md): an
int too wide for its C field is truncated, an object attribute takes any
object.  Where such a value is suspicious, bareosfd also issues a
:class:`PacketValueWarning` whose message starts with the attribute's name
("SavePacket.object_index: ...").  A plugin author's test can turn these into
errors::

    import warnings
    from bareospy.warnings import BareospyWarning
    warnings.simplefilter("error", BareospyWarning)

:class:`bareospy.testing.FakeCore` does so by default inside ``active()``
(``FakeCore(strict=False)`` leaves them warnings).  Inside a daemon
(python3-fd.so, bareospy-fd) they are not job messages: they go to the
daemon's debug output, so a job ends with the status the reference gives it.
"""

__all__ = ["BareospyWarning", "PacketValueWarning"]


class BareospyWarning(Warning):
    """Base class of every warning bareospy issues on its own account."""


class PacketValueWarning(BareospyWarning, RuntimeWarning):
    """A packet attribute was given a value the reference accepts but that is
    suspicious: an int truncated to its C field (the reference issues a
    RuntimeWarning there too, hence the second base), or an object of a type
    that the core cannot take or that the reference would ignore.

    ``attribute`` is the attribute's name, e.g. ``"SavePacket.object_index"``.
    """

    def __init__(self, message, attribute=None):
        super().__init__(message)
        self.attribute = attribute
