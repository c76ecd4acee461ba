/* statrec.c -- a struct stat as the 13 numbers an archive entry stores
 * (dev, ino, mode, nlink, uid, gid, rdev, size, atime, mtime, ctime,
 * blksize, blocks) and back. */
#include "driver.h"

#include <string.h>

void stat_to_fields(const struct stat* st, long long f[13])
{
  f[0] = (long long)st->st_dev;
  f[1] = (long long)st->st_ino;
  f[2] = (long long)st->st_mode;
  f[3] = (long long)st->st_nlink;
  f[4] = (long long)st->st_uid;
  f[5] = (long long)st->st_gid;
  f[6] = (long long)st->st_rdev;
  f[7] = (long long)st->st_size;
  f[8] = (long long)st->st_atime;
  f[9] = (long long)st->st_mtime;
  f[10] = (long long)st->st_ctime;
  f[11] = (long long)st->st_blksize;
  f[12] = (long long)st->st_blocks;
}

void fields_to_stat(const long long f[13], struct stat* st)
{
  memset(st, 0, sizeof *st);
  st->st_dev = (dev_t)f[0];
  st->st_ino = (ino_t)f[1];
  st->st_mode = (mode_t)f[2];
  st->st_nlink = (nlink_t)f[3];
  st->st_uid = (uid_t)f[4];
  st->st_gid = (gid_t)f[5];
  st->st_rdev = (dev_t)f[6];
  st->st_size = (off_t)f[7];
  st->st_atime = (time_t)f[8];
  st->st_mtime = (time_t)f[9];
  st->st_ctime = (time_t)f[10];
  st->st_blksize = (blksize_t)f[11];
  st->st_blocks = (blkcnt_t)f[12];
}

