"""The per-instance state of the plugin layer cannot be changed from Python.

A script (or anything it imports) that finds the state object must not be able
to mark a script as loaded, swap its functions or move the automatic change
check's reference time: those fields are C-level only.
"""
import pytest

import bareosfd

COMMON_FIELDS = ["python_loaded", "known", "stored_options", "space", "module", "functions"]
FD_FIELDS = ["since", "backup_level", "keep"]


@pytest.mark.parametrize("field", COMMON_FIELDS + FD_FIELDS)
def test_fd_instance_fields_are_neither_readable_nor_writable(field):
    state = bareosfd._FdInstance()
    with pytest.raises(AttributeError):
        getattr(state, field)
    with pytest.raises(AttributeError):
        setattr(state, field, 1)


def test_the_fd_instance_is_a_common_instance():
    assert issubclass(bareosfd._FdInstance, bareosfd._InstanceBase)
