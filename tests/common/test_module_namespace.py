"""The module namespace shows the plugin API and nothing of the plugin layer's inside.

What ``dir(bareosfd)`` and ``from bareosfd import *`` give a script author is
the reference module's names (spec §2) plus documented additions; the shared
core's helpers (the standard modules it imports, its exception for bad plugin
definitions, its classes) stay private.
"""
import types

import bareosfd

FUNCTIONS = {"GetValue", "SetValue", "DebugMessage", "JobMessage", "RegisterEvents",
             "UnRegisterEvents", "GetInstanceCount", "AddExclude", "AddInclude",
             "AddOptions", "AddRegex", "AddWild", "NewOptions", "NewInclude",
             "NewPreInclude", "CheckChanges", "AcceptFile", "SetSeenBitmap",
             "ClearSeenBitmap"}
TYPES = {"RestoreObject", "StatPacket", "SavePacket", "RestorePacket", "IoPacket",
         "AclPacket", "XattrPacket"}


def public_names():
    return {name for name in dir(bareosfd) if not name.startswith("_")}


def test_no_module_or_helper_leaks_into_star_import():
    namespace = {}
    exec("from bareosfd import *", namespace)
    modules = sorted(name for name, value in namespace.items()
                     if isinstance(value, types.ModuleType))
    assert modules == []
    assert "sys" not in namespace
    assert "PluginDefinitionError" not in namespace


def test_every_public_name_is_a_function_a_packet_type_or_a_constant():
    unexpected = []
    for name in sorted(public_names()):
        value = getattr(bareosfd, name)
        if name in FUNCTIONS or name in TYPES:
            continue
        if type(value) in (int, str, dict):   # constants, levels and their tables
            continue
        unexpected.append(name)
    assert unexpected == []


def test_every_function_and_type_of_the_spec_is_public():
    assert FUNCTIONS | TYPES <= public_names()
