"""bareos-fd-local-files: back up and restore local files through a file daemon plugin.

Written for bareospy as an example of a complete command plugin.  Plugin
definition (the FileSet "Plugin =" line, or a bareospy-fd argument):

    python3:module_path=DIR:module_name=bareos-fd-local-files:filename=LIST[:io=direct|plugin][:xattrs=yes]

filename=LIST
    a text file naming one file or directory per line (blank lines and lines
    starting with '#' are ignored); directories are backed up recursively, in
    a stable (sorted) order, each directory after its contents.  A listed
    symlink is backed up as a link, never followed.
io=plugin (default)
    the data passes through plugin_io (IO_READ / IO_WRITE).
io=direct
    plugin_io answers IO_OPEN with iostat_do_in_core and a file descriptor:
    the daemon reads and writes the file itself.
xattrs=yes
    back up and restore extended attributes (get_xattr / set_xattr).
create=core
    at restore, answer CF_CORE: the daemon creates the files itself (its
    open of a regular file still comes to plugin_io as IO_OPEN).
(bareospy-fd --acl)
    get_acl/set_acl save and restore POSIX ACLs (the system.posix_acl_*
    extended attributes) when the daemon asks for them.
config=TEXT
    also back up TEXT as a restore object (FT_PLUGIN_CONFIG, named
    "local-files-config"); restore_object_data reports every object it gets
    back (at restore, and from the previous backup in an Incremental).

Names are str throughout, decoded the os.fsdecode way, so a name that is not
UTF-8 round-trips byte for byte.
"""
import errno
import os
import stat

import bareosfd
from bareosfd import (
    bRC_OK, bRC_Error, bRC_More, bRC_Seen, bRC_Stop,
    CF_CORE, CF_CREATED, CF_EXTRACT, CF_SKIP,
    FT_DIREND, FT_FIFO, FT_LNK, FT_LNKSAVED, FT_PLUGIN_CONFIG, FT_REG, FT_REGE, FT_SPEC,
    IO_CLOSE, IO_OPEN, IO_READ, IO_SEEK, IO_WRITE,
    M_ERROR, M_INFO, M_WARNING,
    iostat_do_in_core, iostat_do_in_plugin, iostat_error,
)

#: per-instance state: the daemon gives each job its own copy of this module
options = {}
walker = None          # the backup walk: an iterator with one item of look-ahead
current_file = None    # the file object plugin_io works on
restoring = None       # (ofname, type, statp) of the file being restored
restore_where = None   # the restore's "where": names below it are never followed
directories = []       # (path, statp) of restored directories: attributes at the end
restored = set()       # paths this restore created: the only first names a hard link may have
xattr_queue = None     # names still to send for the current file


def debug(text):
    bareosfd.DebugMessage(100, "local-files: " + text + "\n")


# -- plugin definition ---------------------------------------------------------

def parse_options(plugindef):
    """'key=value:key=value:' with backslash-escaped colons, as a dict."""
    result = {}
    key, value, escaped, in_value = [], [], False, False
    for char in plugindef + ":":
        if escaped:
            (value if in_value else key).append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":":
            if key or value:
                result["".join(key)] = "".join(value)
            key, value, in_value = [], [], False
        elif char == "=" and not in_value:
            in_value = True
        else:
            (value if in_value else key).append(char)
    return result


def load_bareos_plugin(plugindef):
    bareosfd.RegisterEvents([bareosfd.bEventStartRestoreJob, bareosfd.bEventEndRestoreJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    """Called for every definition of the job (and per restored file): options
    accumulate; a new walk starts with the next start_backup_file."""
    global walker
    options.update(parse_options(plugindef))
    walker = None
    io_mode = options.get("io", "plugin")
    if io_mode not in ("plugin", "direct"):
        bareosfd.JobMessage(M_ERROR, f"local-files: io={io_mode!r}: use io=plugin or io=direct\n")
        return bRC_Error
    return bRC_OK


def handle_plugin_event(event):
    if event == bareosfd.bEventStartRestoreJob:
        directories.clear()
        restored.clear()
    elif event == bareosfd.bEventEndRestoreJob:
        finish_directories()
    return bRC_OK


# -- backup -----------------------------------------------------------------------

def listed_paths():
    name = options.get("filename")
    if not name:
        raise ValueError("no filename=LIST option in the plugin definition")
    with open(name, "rb") as listing:
        for raw in listing.read().split(b"\n"):
            if not raw.strip() or raw.lstrip().startswith(b"#"):
                continue
            path = os.fsdecode(raw.rstrip(b"\r"))
            if len(path) > 1:
                path = path.rstrip("/")
            yield path


def walk(path):
    """(path, lstat) of path and, for a real directory, everything below it,
    each directory after its contents."""
    try:
        st = os.lstat(path)
    except OSError as error:
        bareosfd.JobMessage(M_WARNING, f"local-files: cannot stat {path!r}: {error.strerror}\n")
        return
    if stat.S_ISDIR(st.st_mode):
        try:
            names = sorted(os.listdir(path), key=os.fsencode)
        except OSError as error:
            bareosfd.JobMessage(M_WARNING, f"local-files: cannot list {path!r}: {error.strerror}\n")
            names = []
        for name in names:
            yield from walk(os.path.join(path, name))
    yield path, st


class Lookahead:
    def __init__(self, iterator):
        self.iterator = iterator
        self.next = None
        self.advance()

    def advance(self):
        self.next = next(self.iterator, None)

    def pop(self):
        item = self.next
        self.advance()
        return item


def all_files():
    for path in listed_paths():
        yield from walk(path)


def objects_and_files():
    if "config" in options:
        yield "object", ("local-files-config", options["config"].encode())
    for item in all_files():
        yield "file", item


def start_backup_file(savepkt):
    global walker
    if walker is None:
        walker = Lookahead(objects_and_files())
    item = walker.pop()
    if item is None:
        return bRC_Stop
    kind, item = item
    if kind == "object":
        name, data = item
        savepkt.type = FT_PLUGIN_CONFIG
        savepkt.fname = name
        savepkt.statp = bareosfd.StatPacket()
        savepkt.object_name = name
        savepkt.object = bytearray(data)
        savepkt.object_len = len(data)
        savepkt.object_index = 1
        return bRC_OK
    path, st = item
    savepkt.fname = path
    savepkt.statp = bareosfd.StatPacket.from_stat(st)
    mode = st.st_mode
    if stat.S_ISREG(mode):
        savepkt.type = FT_REG
    elif stat.S_ISDIR(mode):
        savepkt.type = FT_DIREND
        savepkt.link = path.rstrip("/") + "/"
        savepkt.no_read = True
    elif stat.S_ISLNK(mode):
        savepkt.type = FT_LNK
        savepkt.link = os.readlink(path)
        savepkt.no_read = True
    elif stat.S_ISFIFO(mode):
        savepkt.type = FT_FIFO
        savepkt.no_read = True
    else:
        savepkt.type = FT_SPEC
        savepkt.no_read = True
    return bRC_OK


def end_backup_file():
    return bRC_More if walker is not None and walker.next is not None else bRC_OK


def check_file(fname):
    # Files of the previous backup this walk did not send were deleted.
    return bRC_OK


# -- data ---------------------------------------------------------------------------

def plugin_io(IOP):
    global current_file
    try:
        if IOP.func == IO_OPEN:
            writing = IOP.flags & (os.O_WRONLY | os.O_RDWR)
            if writing:
                flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
                fd = os.open(IOP.fname, flags, 0o600)
            else:
                fd = os.open(IOP.fname, os.O_RDONLY | os.O_NOFOLLOW)
            current_file = os.fdopen(fd, "wb" if writing else "rb", buffering=0)
            if options.get("io") == "direct":
                IOP.filedes = current_file.fileno()
                IOP.status = iostat_do_in_core
            else:
                IOP.status = iostat_do_in_plugin
        elif IOP.func == IO_READ:
            IOP.buf = bytearray(IOP.count)
            IOP.status = current_file.readinto(IOP.buf)
        elif IOP.func == IO_WRITE:
            view = memoryview(IOP.buf)
            done = 0
            while done < len(view):
                done += current_file.write(view[done:])
            IOP.status = done
        elif IOP.func == IO_SEEK:
            IOP.status = current_file.seek(IOP.offset, IOP.whence)
        elif IOP.func == IO_CLOSE:
            if current_file is not None:
                current_file.close()
                current_file = None
            IOP.status = 0
    except OSError as error:
        IOP.status = iostat_error
        IOP.io_errno = error.errno or errno.EIO
        bareosfd.JobMessage(M_ERROR, f"local-files: I/O error on {IOP.fname or '(open file)'}: "
                            f"{error.strerror}\n")
        return bRC_Error
    return bRC_OK


# -- restore -----------------------------------------------------------------------

def start_restore_file(cmd):
    return bRC_OK


def create_file(restorepkt):
    global restoring, restore_where
    path = restorepkt.ofname
    kind = restorepkt.type
    restoring = (path.rstrip("/") or "/", kind, restorepkt.statp)
    restore_where = restorepkt.where
    if options.get("create") == "core":
        restorepkt.create_status = CF_CORE
        return bRC_OK
    parent = os.path.dirname(path.rstrip("/"))
    try:
        if parent:
            os.makedirs(parent, exist_ok=True)
        if kind in (FT_REG, FT_REGE):
            restorepkt.create_status = CF_EXTRACT
        elif kind == FT_DIREND:
            os.makedirs(path, exist_ok=True)
            restorepkt.create_status = CF_CREATED
        elif kind == FT_LNK:
            os.symlink(restorepkt.olname, path)
            restorepkt.create_status = CF_CREATED
        elif kind == FT_LNKSAVED:
            if not make_hard_link(restorepkt.olname, path):
                return bRC_Error
            restorepkt.create_status = CF_CREATED
        elif kind == FT_FIFO or (kind == FT_SPEC and stat.S_ISFIFO(restorepkt.statp.st_mode)):
            os.mkfifo(path, restorepkt.statp.st_mode & 0o7777)
            restorepkt.create_status = CF_CREATED
        elif kind == FT_SPEC and os.geteuid() == 0 and (
                stat.S_ISCHR(restorepkt.statp.st_mode) or stat.S_ISBLK(restorepkt.statp.st_mode)):
            os.mknod(path, restorepkt.statp.st_mode, restorepkt.statp.st_rdev)
            restorepkt.create_status = CF_CREATED
        else:
            bareosfd.JobMessage(M_INFO, f"local-files: skipping {path!r} (type {kind})\n")
            restorepkt.create_status = CF_SKIP
    except OSError as error:
        bareosfd.JobMessage(M_ERROR, f"local-files: cannot create {path!r}: {error.strerror}\n")
        return bRC_Error
    if restorepkt.create_status != CF_SKIP:
        restored.add(path.rstrip("/"))
    return bRC_OK


def set_file_attributes(restorepkt):
    # Regular files get their attributes in end_restore_file, after IO_CLOSE.
    return bRC_OK


def open_parent(path):
    """(dir_fd, leaf): a descriptor of the directory holding path, reached from
    the restore's "where" without following a symlink below it.

    An archive chooses the names: a directory it restored may since have
    been replaced by a symlink to anywhere, so nothing below "where" is
    looked up by path once it exists.
    """
    base = (restore_where or "").rstrip("/")
    path = path.rstrip("/")
    if base and path.startswith(base + "/"):
        start, rest = base, path[len(base) + 1:]
    else:
        start, rest = "/", path.lstrip("/")
    parts = rest.split("/")
    fd = os.open(start, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            if part in ("", "."):
                continue
            next_fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = next_fd
    except OSError:
        os.close(fd)
        raise
    return fd, parts[-1]


def make_hard_link(target, path):
    """A hard link path -> target, refused if target is a symlink (the new
    name would be a second name of the link, and its attributes would then be
    applied to whatever the link names), a directory, or a file this restore
    did not create (a file that was there may have names elsewhere)."""
    try:
        target_fd, target_leaf = open_parent(target)
        try:
            st = os.stat(target_leaf, dir_fd=target_fd, follow_symlinks=False)
            what = ("a symbolic link" if stat.S_ISLNK(st.st_mode)
                    else "a directory" if stat.S_ISDIR(st.st_mode)
                    else None if target.rstrip("/") in restored
                    else "a file this restore did not create")
            if what:
                bareosfd.JobMessage(M_ERROR, f"local-files: refusing the hard link {path!r}: "
                                    f"its first name {target!r} is {what}\n")
                return False
            path_fd, leaf = open_parent(path)
            try:
                os.link(target_leaf, leaf, src_dir_fd=target_fd, dst_dir_fd=path_fd,
                        follow_symlinks=False)
            finally:
                os.close(path_fd)
        finally:
            os.close(target_fd)
    except OSError as error:
        bareosfd.JobMessage(M_ERROR, f"local-files: cannot create {path!r}: {error.strerror}\n")
        return False
    return True


def apply_attributes(path, kind, statp):
    """Owner, mode and times of path itself, never of what a symlink names
    (Linux has no mode for a symlink: a symlink keeps its own)."""
    try:
        fd, leaf = open_parent(path)
    except OSError as error:
        bareosfd.JobMessage(M_WARNING, f"local-files: cannot set the attributes of {path!r}: "
                            f"{error.strerror}\n")
        return
    try:
        st = os.stat(leaf, dir_fd=fd, follow_symlinks=False)
        if kind == FT_DIREND and not stat.S_ISDIR(st.st_mode):
            bareosfd.JobMessage(M_WARNING, f"local-files: not setting the attributes of {path!r}: "
                                "it is no longer a directory\n")
            return
        if os.geteuid() == 0:
            os.chown(leaf, statp.st_uid, statp.st_gid, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISLNK(st.st_mode):
            os.chmod(leaf, statp.st_mode & 0o7777, dir_fd=fd, follow_symlinks=False)
        os.utime(leaf, (statp.st_atime, statp.st_mtime), dir_fd=fd, follow_symlinks=False)
    except (OSError, NotImplementedError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        bareosfd.JobMessage(M_WARNING, f"local-files: cannot set the attributes of {path!r}: "
                            f"{reason}\n")
    finally:
        os.close(fd)


def end_restore_file():
    global restoring
    if restoring is not None:
        path, kind, statp = restoring
        if kind == FT_DIREND:
            directories.append((path, statp))
        elif os.path.lexists(path):
            apply_attributes(path, kind, statp)
    restoring = None
    return bRC_OK


def finish_directories():
    """Directory attributes last (their contents changed their times), deepest first."""
    for path, statp in sorted(directories, key=lambda item: item[0].count("/"), reverse=True):
        apply_attributes(path, FT_DIREND, statp)
    directories.clear()


def restore_object_data(rop):
    bareosfd.JobMessage(M_INFO, f"local-files: restore object {rop.object_name!r} "
                        f"(type {rop.object_type}, index {rop.object_index}): "
                        f"{bytes(rop.object).decode('utf-8', 'replace')!r}\n")
    return bRC_OK


# -- extended attributes -----------------------------------------------------------

ACL_ATTRIBUTES = ("system.posix_acl_access", "system.posix_acl_default")


def get_acl(aclpkt):
    """The file's POSIX ACLs (the kernel's xattr form), as name NUL length value ..."""
    content = bytearray()
    for name in ACL_ATTRIBUTES:
        try:
            value = os.getxattr(aclpkt.fname, name, follow_symlinks=False)
        except OSError:
            continue
        content += name.encode() + b"\0" + len(value).to_bytes(4, "little") + value
    if content:
        aclpkt.content = content
    return bRC_OK


def set_acl(aclpkt):
    content = bytes(aclpkt.content or b"")
    path = aclpkt.fname.rstrip("/") or "/"
    while content:
        name, _, rest = content.partition(b"\0")
        length = int.from_bytes(rest[:4], "little")
        value, content = rest[4:4 + length], rest[4 + length:]
        try:
            os.setxattr(path, name.decode(), value, follow_symlinks=False)
        except OSError as error:
            bareosfd.JobMessage(M_WARNING, f"local-files: cannot set the ACL of {path!r}: "
                                f"{error.strerror}\n")
            return bRC_Error
    return bRC_OK


def get_xattr(xattrpkt):
    global xattr_queue
    if options.get("xattrs") != "yes":
        return bRC_OK
    if xattr_queue is None:
        try:
            xattr_queue = os.listxattr(xattrpkt.fname, follow_symlinks=False)
        except OSError:
            xattr_queue = []
    while xattr_queue:
        name = xattr_queue.pop(0)
        try:
            value = os.getxattr(xattrpkt.fname, name, follow_symlinks=False)
        except OSError:
            continue
        xattrpkt.name = bytearray(os.fsencode(name))
        xattrpkt.value = bytearray(value)
        if xattr_queue:
            return bRC_More
        break
    xattr_queue = None  # this file is done; the next call is for the next file
    return bRC_OK


def set_xattr(xattrpkt):
    try:
        os.setxattr(xattrpkt.fname.rstrip("/") or "/", os.fsdecode(bytes(xattrpkt.name)),
                    bytes(xattrpkt.value), follow_symlinks=False)
    except OSError as error:
        bareosfd.JobMessage(M_WARNING, f"local-files: cannot set xattr on {xattrpkt.fname!r}: "
                            f"{error.strerror}\n")
        return bRC_Error
    return bRC_OK
