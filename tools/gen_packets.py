#!/usr/bin/env python3
"""Generate the packet attributes of the plugin modules from tools/packets.txt.

For each packet type the table lists, three blocks of the module's packets.pxi
are rewritten: ``<Type>.fields`` (the typed C fields behind the attributes),
``<Type>.properties`` (one property per attribute whose getter, setter and
deleter follow the attribute's kind, spec §2.5.1) and ``<Type>.pickling``
(``__reduce__``: copy, deepcopy and pickle of the attribute values, or a
TypeError for a type the table marks ``unpicklable``).  Constructors, reprs
and the attributes of kind ``custom`` stay hand-written.

    python tools/gen_packets.py           # rewrite the generated blocks
    python tools/gen_packets.py --check   # exit 1 if a block is out of date

Standard library only.
"""

import collections
import sys
import textwrap

import genlib

TABLE = "tools/packets.txt"
TOOL = "tools/gen_packets.py"

#: C type of the field, per storage kind.
C_TYPES = {"i32": "int32_t", "u32": "uint32_t", "u16": "uint16_t", "u64": "uint64_t",
           "i64": "int64_t", "long": "int64_t", "bool": "bint", "S": "str"}
INTEGER_KINDS = {"i32", "u32", "u16", "u64", "i64", "long"}
#: Truncating kinds (CPython's T_INT, T_UINT, T_USHORT), per storage: the
#: helper of bareospy/fd/packets.pxi that stores a value.  As in CPython, a
#: u32 accepts ints up to a C unsigned long before truncating them, i32 and
#: u16 up to a long; a widened field accepts the unsigned long range.
TRUNCATING = {("i32", "i32"): "_i32({value}, {label})",
              ("u16", "u16"): "_u16({value}, {label})",
              ("u32", "u32"): "_u32({value}, {label}, True)",
              ("u16", "u32"): "_u32({value}, {label}, True)",
              ("u32", "u64"): "_u64_wrapped({value}, {label})",
              ("u16", "u64"): "_u64_wrapped({value}, {label})"}
#: Checked kinds (T_ULONGLONG, T_LONGLONG, T_LONG): OverflowError out of range.
CHECKED = {"u64": "_as_u64({value}, {label})", "i64": "_as_i64({value}, {label})",
           "long": "_as_i64({value}, {label})"}
WIDENED = {(kind, storage) for kind, storage in TRUNCATING if kind != storage}
#: O attributes: the helper that keeps any value, warning about unexpected ones.
OBJECT = {"str": "_expect_str", "bytes-like": "_expect_bytes_like",
          "flags": "_expect_flags", "StatPacket": "_expect_stat"}
KINDS = INTEGER_KINDS | {"bool", "S", "O", "custom"}
EXPECTED = {"str", "bytes-like", "flags", "StatPacket"}

Attribute = collections.namedtuple("Attribute", "owner name kind storage expected doc")


class TypeAttributes(list):
    """The attributes of one packet type, in table order, and the type's flags."""
    unpicklable = False   # a line "<Type> unpicklable"


def parse(path=TABLE):
    """{(module, packets.pxi path): {type: [Attribute, ...]}} from the table."""
    modules = {}
    types = None
    for number, line, doc in _table_entries(path):
        if line.startswith("["):
            module, _, target = line.partition("]")
            types = modules.setdefault((module[1:], target.strip()), {})
            continue
        if types is None:
            raise SystemExit(f"{path}:{number}: an attribute before the first [module]")
        words = line.split()
        if words[1:] == ["unpicklable"] and "." not in words[0]:
            types.setdefault(words[0], TypeAttributes()).unpicklable = True
            continue
        owner, attribute = _attribute(path, number, line, doc)
        types.setdefault(owner, TypeAttributes()).append(attribute)
    return modules


def _table_entries(path):
    """(line number, line, docstring) per entry of the table: the indented
    lines under an attribute line are its docstring (joined by spaces)."""
    entries = []
    for number, raw in enumerate((genlib.ROOT / path).read_text().splitlines(), 1):
        if raw[:1] == " " and raw.strip() and not raw.strip().startswith("#"):
            if not entries or not entries[-1][1].partition(" ")[0].count("."):
                raise SystemExit(f"{path}:{number}: a docstring line belongs under an attribute")
            entries[-1][2].append(raw.strip())
            continue
        line = raw.split("#", 1)[0].strip()
        if line:
            entries.append((number, line, []))
    return [(number, line, " ".join(doc)) for number, line, doc in entries]


def _attribute(path, number, line, doc):
    words = line.split()
    owner, _, name = words[0].partition(".")
    options = dict(zip(words[2::2], words[3::2]))
    kind = words[1]
    if kind not in KINDS or not name or len(words) % 2:
        raise SystemExit(f"{path}:{number}: cannot read {line!r}")
    storage = options.get("in", kind)
    expected = options.get("as")
    if (kind == "O") != (expected in EXPECTED):
        raise SystemExit(f"{path}:{number}: O attributes, and only they, need 'as' "
                         f"one of {sorted(EXPECTED)}")
    if storage != kind and (kind, storage) not in WIDENED:
        raise SystemExit(f"{path}:{number}: {kind} cannot be stored in {storage}")
    if not doc:
        raise SystemExit(f"{path}:{number}: {words[0]} has no docstring (indented lines under it)")
    if '"' * 3 in doc or "\\" in doc or doc.endswith('"'):
        raise SystemExit(f"{path}:{number}: a docstring cannot hold a backslash or end in a quote")
    return owner, Attribute(owner, name, kind, storage, expected, doc)


# -- code per kind ----------------------------------------------------------------

def field(attribute):
    """The cdef line of the attribute's C field."""
    ctype = "object" if attribute.kind == "O" else C_TYPES[attribute.storage]
    return f"cdef {ctype} _{attribute.name}"


def setter_body(attribute):
    """The statement that stores ``value`` as the attribute's kind says."""
    label = f'"{attribute.owner}.{attribute.name}"'
    store = f"self._{attribute.name} = "
    if (attribute.kind, attribute.storage) in TRUNCATING:
        return store + TRUNCATING[attribute.kind, attribute.storage].format(value="value", label=label)
    if attribute.kind in CHECKED:
        return store + CHECKED[attribute.kind].format(value="value", label=label)
    if attribute.kind == "bool":
        return store + f"_as_bool_strict(value, {label})"
    if attribute.kind == "S":
        return f"_readonly({label})"
    return store + f"{OBJECT[attribute.expected]}(value, {label})"


def deleter_body(attribute):
    label = f'"{attribute.owner}.{attribute.name}"'
    if attribute.kind == "O":
        return f"self._{attribute.name} = None"
    if attribute.kind == "S":
        return f"_readonly({label})"
    return f"_undeletable({label})"


def docstring(attribute, indent="    ", width=88):
    """The attribute's docstring as source lines, wrapped to ``width``."""
    lines = textwrap.wrap(attribute.doc, width - len(indent) - 3)
    lines[0] = '"""' + lines[0]
    lines[-1] += '"""'
    return [indent + line for line in lines]


def prop(attribute):
    """The property of the attribute: its getter carries the docstring, which
    Python shows as the attribute's (``help(SavePacket)``, ``__doc__``)."""
    name = attribute.name
    return ["@property",
            f"def {name}(self):",
            *docstring(attribute),
            f"    return self._{name}",
            "",
            f"@{name}.setter",
            f"def {name}(self, value):",
            f"    {setter_body(attribute)}",
            "",
            f"@{name}.deleter",
            f"def {name}(self):",
            f"    {deleter_body(attribute)}"]


def pickling(owner, attributes):
    """``__reduce__`` (and ``__setstate__``) of a packet type.

    The state is the C fields of the attributes, read and restored directly
    (no setter runs: a copy holds what the original held, without warnings).
    A type with a hand-written attribute must be marked unpicklable: the
    generator cannot know what its hand-written fields point to.
    """
    if attributes.unpicklable:
        return ["def __reduce__(self):",
                f'    _refuse_pickling("{owner}")']
    if any(a.kind == "custom" for a in attributes):
        raise SystemExit(f"{TABLE}: {owner} has a custom attribute: mark it unpicklable "
                         "or write its pickling by hand")
    fields = _wrapped([f"self._{a.name}," for a in attributes])
    return (["def __reduce__(self):",
             "    return (_copyreg_newobj, (type(self),), ("]
            + [f"        {line}" for line in fields] + ["    ))",
             "",
             "def __setstate__(self, state):",
             "    ("]
            + [f"        {line}" for line in fields] + ["    ) = state"])


def _wrapped(words, width=80):
    """``words`` joined by spaces into lines of at most ``width`` characters."""
    lines = [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return lines


def blocks_for(types):
    blocks = {}
    for owner, attributes in types.items():
        generated = [a for a in attributes if a.kind != "custom"]
        blocks[f"{owner}.fields"] = [field(a) for a in generated]
        body = []
        for attribute in generated:
            body += ([""] if body else []) + prop(attribute)
        blocks[f"{owner}.properties"] = body
        blocks[f"{owner}.pickling"] = pickling(owner, attributes)
    return blocks


def outputs():
    return {target: blocks_for(types) for (_, target), types in parse().items()}


if __name__ == "__main__":
    sys.exit(genlib.write_or_check(outputs()))
