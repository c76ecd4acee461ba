"""The generated blocks of the module sources match their tables (tools/).

The generators' output is committed; when a table in tools/ or an enum in
bareospy/includes/ changes, the generator must be run again.
"""
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"
GENERATORS = ["gen_packets.py", "gen_constants.py"]


@pytest.mark.parametrize("generator", GENERATORS)
def test_committed_output_is_up_to_date(generator):
    result = subprocess.run([sys.executable, str(TOOLS / generator), "--check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def genlib():
    sys.path.insert(0, str(TOOLS))
    try:
        import genlib
        yield genlib
    finally:
        sys.path.remove(str(TOOLS))


def test_a_hand_edit_inside_a_block_is_found_and_replaced(genlib):
    text = ("keep\n"
            "    # --- BEGIN GENERATED X.fields (tools/t.py) ---\n"
            "    cdef int _edited_by_hand\n"
            "    # --- END GENERATED ---\n"
            "keep too")
    new = genlib.replace_blocks(text, {"X.fields": ["cdef int _a", "", "cdef int _b"]}, "t")
    assert new == ("keep\n"
                   "    # --- BEGIN GENERATED X.fields (tools/t.py) ---\n"
                   "    cdef int _a\n"
                   "\n"
                   "    cdef int _b\n"
                   "    # --- END GENERATED ---\n"
                   "keep too")


def test_every_constant_of_a_published_enum_is_named_once(genlib):
    import gen_constants
    pairs, _ = gen_constants.parse()
    names = [name for tuples in pairs.values() for _, members, _ in tuples
             for name in members]
    assert len(names) == len(set(names))
    assert "bVarPluginPath" not in names and "bRC_Max" not in names


def test_publish_lines_for_str_keyed_and_c_type_named_dictionaries(genlib):
    import gen_constants
    lines = gen_constants.publish_block(
        [("bRCs", "_BRC_PAIRS", {"str"}), ("bVariable", "_VARIABLE_PAIRS", set()),
         ("bLevels", "_LEVEL_PAIRS", {"chars"})], c_types={"bVariable"})
    assert lines == ["bRCs = _publish(_BRC_PAIRS, str)",
                     '_publish_dict("bVariable", _VARIABLE_PAIRS)  # the name is also a C type',
                     "bLevels = _publish_chars(_LEVEL_PAIRS)"]


def test_the_packet_table_lists_every_attribute_of_the_packet_types(genlib):
    import gen_packets
    bareosfd = pytest.importorskip("bareosfd")
    [types] = gen_packets.parse().values()
    for owner, attributes in types.items():
        cls = getattr(bareosfd, owner)
        declared = {name for name in dir(cls)
                    if not name.startswith("_") and type(getattr(cls, name)).__name__
                    in ("getset_descriptor", "property")}
        listed = {attribute.name for attribute in attributes}
        assert declared - {"window"} == listed, owner  # IoPacket.window: no C field
