#!/usr/bin/env bash
# The main job of the README (`make demo`): a real backup and restore of a
# sample tree through the example plugin, with both job reports, then a check
# that the restored tree is identical.
#
#   examples/demo.sh [BAREOSPY_FD] [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fd=${1:-bareospy-fd}
work=${2:-$(mktemp -d)}
tree=$work/tree
rm -rf "$tree" "$work/restored" "$work/full.bpa" "$work/list"
mkdir -p "$tree/docs/notes" "$tree/bin" "$tree/empty dir"

# A sample tree: text, binary data, an empty file, a symlink, a hard link,
# a FIFO, a name that is not UTF-8, a name with a space, varied modes and times.
printf 'hello, backup\n' > "$tree/docs/readme.txt"
printf 'line %s\n' $(seq 1 2000) > "$tree/docs/notes/numbers.txt"
head -c 3000000 /dev/urandom > "$tree/bin/blob.bin"
: > "$tree/empty"
ln -s docs/readme.txt "$tree/readme-link"
ln "$tree/docs/readme.txt" "$tree/docs/readme-hardlink.txt"
mkfifo "$tree/pipe"
printf 'latin-1 name\n' > "$tree/$(printf 'caf\xe9.txt')"
printf 'spaced\n' > "$tree/docs/a file with spaces.txt"
chmod 0750 "$tree/bin"; chmod 0600 "$tree/bin/blob.bin"; chmod 0755 "$tree/docs/notes/numbers.txt"
touch -d '2020-02-29 12:34:56' "$tree/docs/readme.txt" "$tree/empty"
echo "$tree" > "$work/list"

definition="python3:module_path=$here:module_name=bareos-fd-local-files:filename=$work/list"
echo "=== backup of $tree through the example plugin (data through plugin_io)"
"$fd" backup --job Demo --archive "$work/full.bpa" "$definition"
echo
echo "=== restore into $work/restored"
"$fd" restore --job DemoRestore --archive "$work/full.bpa" --where "$work/restored" \
    --plugin-options "python3:module_path=$here:module_name=bareos-fd-local-files"
echo
echo "=== check: the restored tree against the original"
python3 - "$tree" "$work/restored$tree" <<'PY'
import os, stat, sys
original, restored = map(os.fsencode, sys.argv[1:])
def walk(root):
    entries = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            data = None
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as handle:
                    data = handle.read()
            elif stat.S_ISLNK(st.st_mode):
                data = os.readlink(path)
            # the plugin interface carries whole seconds (struct stat times as time_t)
            mtime = None if stat.S_ISDIR(st.st_mode) else st.st_mtime_ns // 10**9
            entries[os.path.relpath(path, root)] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), mtime, data)
    return entries
a, b = walk(original), walk(restored)
differences = sorted(set(a) ^ set(b)) + [p for p in a if p in b and a[p] != b[p]]
for path in differences:
    print("  differs:", os.fsdecode(path))
print(f"  {len(a)} entries, {'identical' if not differences else 'NOT identical'}")
sys.exit(1 if differences else 0)
PY
echo "=== everything is in $work"
