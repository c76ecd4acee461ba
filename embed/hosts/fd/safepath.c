/* safepath.c -- see safepath.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit/util.h"

int safe_open_parent(const char* where, const char* relative, const char** leaf)
{
  int dirfd = open(where[0] ? where : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) return -1;
  const char* p = relative;
  for (;;) {
    const char* slash = strchr(p, '/');
    if (!slash) break;
    char* component = xstrndup(p, (size_t)(slash - p));
    int next = openat(dirfd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int error = errno;
    free(component);
    close(dirfd);
    if (next < 0) {
      errno = error;
      return -1;
    }
    dirfd = next;
    p = slash + 1;
  }
  *leaf = p;
  return dirfd;
}

int safe_lstat(const char* where, const char* relative, struct stat* st)
{
  const char* leaf;
  int dirfd = safe_open_parent(where, relative, &leaf);
  if (dirfd < 0) return -1;
  int rc = fstatat(dirfd, leaf, st, AT_SYMLINK_NOFOLLOW);
  int error = errno;
  close(dirfd);
  errno = error;
  return rc;
}

static void add_reason(char** reason, const char* what, int error)
{
  char* text = *reason ? xasprintf("%s; cannot change the %s: %s", *reason, what, strerror(error))
                       : xasprintf("cannot change the %s: %s", what, strerror(error));
  free(*reason);
  *reason = text;
}

int safe_apply_attributes(const char* where, const char* relative, const struct stat* st,
                          bool want_directory, char** reason)
{
  *reason = NULL;
  const char* leaf;
  int dirfd = safe_open_parent(where, relative, &leaf);
  if (dirfd < 0) {
    *reason = xasprintf("a parent directory is missing or no longer a directory (%s)", strerror(errno));
    return -1;
  }
  struct stat now;
  if (fstatat(dirfd, leaf, &now, AT_SYMLINK_NOFOLLOW) != 0) {
    *reason = xasprintf("it is gone (%s)", strerror(errno));
    close(dirfd);
    return -1;
  }
  if (want_directory && !S_ISDIR(now.st_mode)) {
    *reason = xstrdup("it is no longer a directory (a later entry replaced it)");
    close(dirfd);
    return -1;
  }
  if (geteuid() == 0 && fchownat(dirfd, leaf, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) != 0)
    add_reason(reason, "owner", errno);
  /* With AT_SYMLINK_NOFOLLOW the C library changes the file through an
   * O_PATH descriptor of the name itself, and refuses (EOPNOTSUPP) if the
   * name has become a symlink in the meantime. */
  if (!S_ISLNK(now.st_mode) && fchmodat(dirfd, leaf, st->st_mode & 07777, AT_SYMLINK_NOFOLLOW) != 0)
    add_reason(reason, "mode", errno);
  struct timespec times[2];
  times[0].tv_sec = st->st_atime;
  times[0].tv_nsec = 0;
  times[1].tv_sec = st->st_mtime;
  times[1].tv_nsec = 0;
  if (utimensat(dirfd, leaf, times, AT_SYMLINK_NOFOLLOW) != 0) add_reason(reason, "times", errno);
  close(dirfd);
  return *reason ? -1 : 0;
}
