#!/usr/bin/env python3
"""Generate the constant tables of the plugin modules from tools/constants.txt.

Each constant's value is written once, in the C headers (mirrored by the
enums of bareospy/includes/*.pxd); each name is written once, in those enums.
This generator copies the names into ("NAME", NAME) tuples and the statements
that publish them, between the markers of <target>/constants.pxi.

    python tools/gen_constants.py           # rewrite the generated blocks
    python tools/gen_constants.py --check   # exit 1 if a block is out of date

Standard library only.
"""

import re
import sys

import genlib

TABLE = "tools/constants.txt"
INCLUDES = "bareospy/includes"
_ENUM = re.compile(r"^\s*ctypedef enum (\w+):\s*$")
_MEMBER = re.compile(r"^\s+(\w+)\s*$")


def enums(pxd):
    """{C enum name: [member names in order]} of a .pxd file."""
    result, current = {}, None
    for line in (genlib.ROOT / INCLUDES / pxd).read_text().splitlines():
        match = _ENUM.match(line)
        if match:
            current = result[match[1]] = []
        elif current is not None and _MEMBER.match(line):
            current.append(line.strip())
        elif line.strip():
            current = None
    return result


def c_type_names():
    """Every ctypedef'd name of the .pxd files (such dictionaries are bound by name)."""
    names = set()
    for pxd in (genlib.ROOT / INCLUDES).glob("*.pxd"):
        names |= set(re.findall(r"ctypedef (?:enum|struct) (\w+)", pxd.read_text()))
    return names


def parse(path=TABLE):
    """(pairs, publications): {target: [(tuple name, names, comment)]},
    {target: [(dictionary, tuple name, {"chars", "str"} or a part of it)]};
    the names are (Python name, C name) pairs."""
    pairs, publications = {}, {}
    for number, line in _lines(path):
        line, _, comment = line.partition("|")
        words = line.split()
        if words[0] == "pairs" and len(words) >= 4:
            target, name, source = words[1:4]
            pxd, _, enum = source.partition(":")
            members = enums(pxd).get(enum)
            if members is None:
                raise SystemExit(f"{path}:{number}: no enum {enum} in {INCLUDES}/{pxd}")
            renames = [word[1:].split("=", 1) for word in words[4:] if word.startswith("@")]
            options = [word for word in words[4:] if not word.startswith("@")]
            left_out = {word[1:] for word in options}
            unknown = left_out - set(members)
            if unknown or not all(word.startswith("-") for word in options) or \
                    not all(len(rename) == 2 for rename in renames):
                raise SystemExit(f"{path}:{number}: cannot leave out {sorted(unknown) or words[4:]}")
            kept = [(_renamed(member, renames), member)
                    for member in members if member not in left_out]
            pairs.setdefault(target, []).append((name, kept, comment.strip()))
        elif words[0] == "publish" and len(words) >= 4:
            flags = set(words[4:])
            if not flags <= {"chars", "str"} or flags == {"chars", "str"}:
                raise SystemExit(f"{path}:{number}: unknown options {words[4:]}")
            publications.setdefault(words[1], []).append((words[2], words[3], flags))
        else:
            raise SystemExit(f"{path}:{number}: cannot read {line!r}")
    return pairs, publications


def _renamed(member, renames):
    """The Python name of C constant ``member``: the first matching prefix replaced."""
    for old, new in renames:
        if member.startswith(old):
            return new + member[len(old):]
    return member


def _lines(path):
    # Like genlib.table_lines, but a "|" comment is kept: it is emitted.
    for number, line in enumerate((genlib.ROOT / path).read_text().splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.strip()


def pairs_block(tuples):
    lines = []
    for name, members, comment in tuples:
        if lines:
            lines.append("")
        if comment:
            lines.append(f"# {comment}")
        lines.append(f"{name} = (")
        lines += [f'    ("{name}", {member}),' for name, member in members]
        lines.append(")")
    return lines


def publish_block(publications, c_types):
    lines = []
    for dictionary, name, flags in publications:
        keys = ", str" if "str" in flags else ""
        if "chars" in flags:
            lines.append(f"{dictionary} = _publish_chars({name})")
        elif dictionary in c_types:
            lines.append(f'_publish_dict("{dictionary}", {name}{keys})  # the name is also a C type')
        else:
            lines.append(f"{dictionary} = _publish({name}{keys})")
    return lines


def outputs():
    pairs, publications = parse()
    c_types = c_type_names()
    files = {}
    for target in sorted(set(pairs) | set(publications)):
        blocks = files.setdefault(f"bareospy/{target}/constants.pxi", {})
        if target in pairs:
            blocks["pairs"] = pairs_block(pairs[target])
        if target in publications:
            blocks["publish"] = publish_block(publications[target], c_types)
    return files


if __name__ == "__main__":
    sys.exit(genlib.write_or_check(outputs()))
