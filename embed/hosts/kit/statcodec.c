/* statcodec.c -- struct stat <-> 13 integers <-> 104 bytes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "statcodec.h"

#include <string.h>
#include <sys/types.h>

#include "littleendian.h"

void stat_to_fields(const struct stat* st, long long fields[STAT_FIELD_COUNT])
{
  fields[0] = (long long)st->st_dev;
  fields[1] = (long long)st->st_ino;
  fields[2] = (long long)st->st_mode;
  fields[3] = (long long)st->st_nlink;
  fields[4] = (long long)st->st_uid;
  fields[5] = (long long)st->st_gid;
  fields[6] = (long long)st->st_rdev;
  fields[7] = (long long)st->st_size;
  fields[8] = (long long)st->st_atime;
  fields[9] = (long long)st->st_mtime;
  fields[10] = (long long)st->st_ctime;
  fields[11] = (long long)st->st_blksize;
  fields[12] = (long long)st->st_blocks;
}

void fields_to_stat(const long long fields[STAT_FIELD_COUNT], struct stat* st)
{
  memset(st, 0, sizeof *st);
  st->st_dev = (dev_t)fields[0];
  st->st_ino = (ino_t)fields[1];
  st->st_mode = (mode_t)fields[2];
  st->st_nlink = (nlink_t)fields[3];
  st->st_uid = (uid_t)fields[4];
  st->st_gid = (gid_t)fields[5];
  st->st_rdev = (dev_t)fields[6];
  st->st_size = (off_t)fields[7];
  st->st_atime = (time_t)fields[8];
  st->st_mtime = (time_t)fields[9];
  st->st_ctime = (time_t)fields[10];
  st->st_blksize = (blksize_t)fields[11];
  st->st_blocks = (blkcnt_t)fields[12];
}

void stat_encode(const struct stat* st, unsigned char out[STAT_ENCODED_SIZE])
{
  long long fields[STAT_FIELD_COUNT];
  stat_to_fields(st, fields);
  for (int i = 0; i < STAT_FIELD_COUNT; i++) put_le64(out + 8 * i, (uint64_t)fields[i]);
}

bool stat_decode(const unsigned char* data, size_t length, struct stat* st)
{
  memset(st, 0, sizeof *st);
  if (length < STAT_ENCODED_SIZE) return false;
  long long fields[STAT_FIELD_COUNT];
  for (int i = 0; i < STAT_FIELD_COUNT; i++) fields[i] = (long long)get_le64(data + 8 * i);
  fields_to_stat(fields, st);
  return true;
}
