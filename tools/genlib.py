"""Shared by the generators in tools/: generated blocks between markers.

A generated block in a source file looks like::

    # --- BEGIN GENERATED <id> (tools/<generator>.py) ---
    ...
    # --- END GENERATED ---

Only the lines between the two markers belong to the generator; everything
else in the file is written by hand.  ``<id>`` names the block so that one
file can hold several (for example one per class).
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
END = "# --- END GENERATED ---"
_BEGIN = re.compile(r"^(?P<indent>[ ]*)# --- BEGIN GENERATED (?P<id>\S+) \((?P<tool>[^)]*)\) ---$")


def replace_blocks(text, blocks, path):
    """``text`` with the body of each block ``id`` replaced by ``blocks[id]``
    (a list of lines without indentation, "" for an empty line).  Every block
    of ``blocks`` must be present in ``text``, and every marked block of the
    text must be in ``blocks``."""
    out, lines, seen = [], text.split("\n"), set()
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        match = _BEGIN.match(line)
        i += 1
        if not match:
            continue
        block_id, indent = match["id"], match["indent"]
        if block_id not in blocks:
            raise SystemExit(f"{path}: no generator output for block {block_id}")
        seen.add(block_id)
        while i < len(lines) and lines[i].strip() != END:
            i += 1
        if i == len(lines):
            raise SystemExit(f"{path}: block {block_id} has no end marker")
        out.extend(indent + body if body else "" for body in blocks[block_id])
        out.append(lines[i])
        i += 1
    missing = set(blocks) - seen
    if missing:
        raise SystemExit(f"{path}: missing marked blocks: {', '.join(sorted(missing))}")
    return "\n".join(out)


def write_or_check(outputs, argv=None):
    """Write each file of ``outputs`` ({relative path: {block id: lines}}),
    or with ``--check`` only report the stale ones (exit status 1)."""
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    stale = []
    for relative, blocks in outputs.items():
        path = ROOT / relative
        old = path.read_text()
        new = replace_blocks(old, blocks, relative)
        if new != old:
            stale.append(relative)
            if not check:
                path.write_text(new)
    if check and stale:
        print("stale generated code (run the generator): " + ", ".join(stale))
        return 1
    for relative in stale:
        print(f"rewrote {relative}")
    return 0


def table_lines(path):
    """The meaningful lines of a table file: comments and blank lines dropped,
    each line as (line number, text)."""
    for number, line in enumerate((ROOT / path).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            yield number, line
