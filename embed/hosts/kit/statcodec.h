/* statcodec.h -- a struct stat as 13 integers, and as the 104-byte record
 * that stores them (13 little-endian int64, in the order below).
 *
 * Field order: st_dev, st_ino, st_mode, st_nlink, st_uid, st_gid, st_rdev,
 * st_size, st_atime, st_mtime, st_ctime, st_blksize, st_blocks.  Fields
 * that struct stat does not hold come back as 0.
 */
#ifndef BAREOSPY_KIT_STATCODEC_H
#define BAREOSPY_KIT_STATCODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define STAT_FIELD_COUNT 13
/* Size of an encoded stat. */
#define STAT_ENCODED_SIZE (STAT_FIELD_COUNT * 8)

void stat_to_fields(const struct stat* st, long long fields[STAT_FIELD_COUNT]);
/* Zeroes *st first, so the members not in the list are 0. */
void fields_to_stat(const long long fields[STAT_FIELD_COUNT], struct stat* st);

void stat_encode(const struct stat* st, unsigned char out[STAT_ENCODED_SIZE]);
/* false (and *st zeroed) if length is shorter than STAT_ENCODED_SIZE;
 * bytes after the 13 fields are ignored. */
bool stat_decode(const unsigned char* data, size_t length, struct stat* st);

#endif
