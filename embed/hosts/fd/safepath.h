/* safepath.h -- file operations under the restore directory that never
 * follow a symbolic link.
 *
 * A restore works on names under --where that an archive chose.  Checking a
 * name with lstat() and then using it by path leaves a window (and a path with
 * a trailing '/' follows a final symlink even with AT_SYMLINK_NOFOLLOW), so
 * everything here walks from a descriptor of --where, opening each directory
 * component with O_NOFOLLOW, and acts on the last component with the *at()
 * calls and AT_SYMLINK_NOFOLLOW.
 */
#ifndef BAREOSPY_HOST_SAFEPATH_H
#define BAREOSPY_HOST_SAFEPATH_H

#include <stdbool.h>
#include <sys/stat.h>

/* A descriptor of the directory holding relative (a normalised name under
 * where: no "", "." or ".." component, no leading or trailing '/'), reached
 * without following a symlink; *leaf points at the last component of
 * relative.  -1 and errno (ELOOP or ENOTDIR: a component is not a real
 * directory). */
int safe_open_parent(const char* where, const char* relative, const char** leaf);

/* What lstat says about where/relative, reached the same way.  0 or -1 (errno). */
int safe_lstat(const char* where, const char* relative, struct stat* st);

/* Owner (when root), mode (not of a symlink: Linux cannot) and times of
 * where/relative, never through a symlink.  want_directory: apply nothing
 * unless it still is a directory.  0, or -1 with *reason (malloc'ed) saying
 * what could not be done. */
int safe_apply_attributes(const char* where, const char* relative, const struct stat* st,
                          bool want_directory, char** reason);

#endif
