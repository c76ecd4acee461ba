#!/usr/bin/env bash
# The director's part of the README (`make demo-director`): a storage daemon,
# a director whose Python plugin names the volumes, a Full backup of a sample
# tree through the file daemon on volumes of 150 KB (the Pool's Maximum Volume
# Bytes; each one the SD fills is named by the plugin too), the volumes, and a
# restore that is checked.
#
#   examples/director/demo.sh [WORK_DIR]      (bareospy-{dir,fd,sd} on PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
python=${PYTHON:-python3}
plugins=$("$python" -m bareospy --plugin-dir)
rm -rf "$work/tree" "$work/volumes" "$work/restored" "$work/director"
mkdir -p "$work/tree/docs" "$work/director"
printf 'hello, director\n' > "$work/tree/docs/readme.txt"
head -c 400000 /dev/urandom > "$work/tree/blob.bin"
ln -s docs/readme.txt "$work/tree/link"
echo "$work/tree" > "$work/list"

sed -e "s|@WORK@|$work|g" -e "s|@PLUGINS@|$plugins|g" -e "s|@HERE@|$here|g" \
    "$here/bareospy-dir.conf.in" > "$work/bareospy-dir.conf"

bareospy-sd serve --listen "unix:$work/sd.sock" --storage-dir "$work/volumes" > "$work/sd.log" 2>&1 &
sd=$!
trap 'kill $sd 2>/dev/null; wait $sd 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q "listening on" "$work/sd.log" && break; sleep 0.05; done

dir() { bareospy-dir -c "$work/bareospy-dir.conf" "$@"; }
echo "=== run job=Demo (the FD backs up $work/tree, the SD stores it on 150 KB volumes)"
dir run job=Demo
echo; echo "=== list volumes (named by volume_names.py)"
dir list volumes
echo; echo "=== the volume files of the SD"
ls "$work/volumes"
echo; echo "=== restore where=$work/restored"
dir restore job=Demo where="$work/restored"
diff -r "$work/tree" "$work/restored$work/tree" && echo "=== the restored tree is identical"
echo; echo "=== list jobs (the backup, B, and the restore, R)"
dir list jobs
