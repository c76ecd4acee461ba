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


def _words(text):
    return " ".join((text or "").split())


def test_every_packet_attribute_documents_itself_with_the_table_text(genlib):
    """help(bareosfd.SavePacket) shows what each attribute means: the text of
    tools/packets.txt, on the generated getters and the hand-written ones."""
    import gen_packets
    bareosfd = pytest.importorskip("bareosfd")
    [types] = gen_packets.parse().values()
    for owner, attributes in types.items():
        cls = getattr(bareosfd, owner)
        for attribute in attributes:
            assert attribute.doc, f"{owner}.{attribute.name}"
            assert _words(getattr(cls, attribute.name).__doc__) == attribute.doc, \
                f"{owner}.{attribute.name}"
    assert "daemon's own data block" in bareosfd.IoPacket.window.__doc__


def _stub_attribute_docs():
    """{"<Type>.<attribute>": docstring} of the packet classes in the stubs: the
    string under an annotated attribute, or a read-only property's docstring."""
    import ast
    tree = ast.parse((REPO / "bareosfd-stubs" / "__init__.pyi").read_text())
    docs = {}
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        for node, after in zip(cls.body, cls.body[1:] + [None]):
            if isinstance(node, ast.AnnAssign) and isinstance(after, ast.Expr):
                docs[f"{cls.name}.{node.target.id}"] = after.value.value
            elif isinstance(node, ast.FunctionDef) and any(
                    getattr(decorator, "id", None) == "property" for decorator in node.decorator_list):
                docs[f"{cls.name}.{node.name}"] = ast.get_docstring(node)
    return docs


def test_the_stubs_document_each_packet_attribute_with_the_table_text(genlib):
    import gen_packets
    [types] = gen_packets.parse().values()
    stubs = _stub_attribute_docs()
    for owner, attributes in types.items():
        for attribute in attributes:
            key = f"{owner}.{attribute.name}"
            assert key in stubs, f"the stubs do not document {key}"
            assert _words(stubs[key]) == attribute.doc, key


def test_an_attribute_without_a_docstring_is_refused(genlib, tmp_path, monkeypatch):
    import gen_packets
    table = tmp_path / "packets.txt"
    table.write_text("[bareosfd] x.pxi\nSavePacket.fname  O as str\nSavePacket.link  O as str\n"
                     "    The target.\n")
    monkeypatch.setattr(genlib, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match="SavePacket.fname has no docstring"):
        gen_packets.parse("packets.txt")
