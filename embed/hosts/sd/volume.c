/* volume.c -- the bareospy-sd volume format (docs/volume-format.md): the
 * label, the blocks, and `bareospy-sd list`. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit/crc32.h"
#include "kit/littleendian.h"
#include "kit/sdproto.h"

#define LABEL_FIXED 16 /* magic, version, reserved, length */

static int pwrite_all(int fd, const void* data, size_t length, off_t offset)
{
  const char* p = data;
  while (length > 0) {
    ssize_t n = pwrite(fd, p, length, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) {
      errno = ENOSPC;
      return -1;
    }
    p += n;
    offset += n;
    length -= (size_t)n;
  }
  return 0;
}

/* 1 all read, 0 short (end of file), -1 error. */
static int pread_all(int fd, void* data, size_t length, off_t offset)
{
  char* p = data;
  while (length > 0) {
    ssize_t n = pread(fd, p, length, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return 0;
    p += n;
    offset += n;
    length -= (size_t)n;
  }
  return 1;
}

int volume_write_label(int fd, const VolumeLabel* label, uint32_t* length)
{
  Buffer text;
  buffer_init(&text);
  char when[32];
  snprintf(when, sizeof when, "%lld", label->label_time);
  sdp_kv_add(&text, "volume", label->name);
  sdp_kv_add(&text, "pool", label->pool);
  sdp_kv_add(&text, "media_type", label->media_type);
  sdp_kv_add(&text, "storage", label->storage);
  sdp_kv_add(&text, "label_time", when);
  Buffer out;
  buffer_init(&out);
  unsigned char fixed[LABEL_FIXED];
  memcpy(fixed, VOLUME_MAGIC, 8);
  put_le16(fixed + 8, VOLUME_VERSION);
  put_le16(fixed + 10, 0);
  put_le32(fixed + 12, (uint32_t)text.length);
  buffer_append(&out, fixed, sizeof fixed);
  buffer_append(&out, text.data, text.length);
  unsigned char crc[4];
  put_le32(crc, crc32(0, out.data, out.length));
  buffer_append(&out, crc, 4);
  int rc = pwrite_all(fd, out.data, out.length, 0);
  *length = (uint32_t)out.length;
  buffer_free(&text);
  buffer_free(&out);
  return rc;
}

LabelStatus volume_read_label(int fd, VolumeLabel* label)
{
  memset(label, 0, sizeof *label);
  unsigned char fixed[LABEL_FIXED];
  int r = pread_all(fd, fixed, sizeof fixed, 0);
  if (r < 0) return LABEL_IO;
  if (r == 0 || memcmp(fixed, VOLUME_MAGIC, 8) != 0) return LABEL_FOREIGN;
  if (get_le16(fixed + 8) != VOLUME_VERSION) return LABEL_VERSION;
  uint32_t length = get_le32(fixed + 12);
  if (length > VOLUME_LABEL_MAX) return LABEL_DAMAGED;
  unsigned char* all = xmalloc(LABEL_FIXED + length + 4 + 1);
  r = pread_all(fd, all, LABEL_FIXED + length + 4, 0);
  if (r <= 0) {
    free(all);
    return r < 0 ? LABEL_IO : LABEL_DAMAGED;
  }
  if (crc32(0, all, LABEL_FIXED + length) != get_le32(all + LABEL_FIXED + length)) {
    free(all);
    return LABEL_DAMAGED;
  }
  all[LABEL_FIXED + length] = '\0';
  const char* text = (const char*)all + LABEL_FIXED;
  label->name = sdp_kv_get(text, "volume");
  label->pool = sdp_kv_get(text, "pool");
  label->media_type = sdp_kv_get(text, "media_type");
  label->storage = sdp_kv_get(text, "storage");
  char* when = sdp_kv_get(text, "label_time");
  label->label_time = when ? atoll(when) : 0;
  free(when);
  free(all);
  label->length = LABEL_FIXED + length + 4;
  if (!label->name || !label->pool || !label->media_type) {
    label_free(label);
    return LABEL_DAMAGED;
  }
  return LABEL_OK;
}

const char* label_status_text(LabelStatus status)
{
  switch (status) {
    case LABEL_OK: return "label OK";
    case LABEL_IO: return "cannot read the label";
    case LABEL_FOREIGN: return "not a bareospy-sd volume (foreign file, no volume label)";
    case LABEL_VERSION: return "volume label of an unknown format version";
    default: return "damaged volume label (CRC mismatch or cut short)";
  }
}

void label_free(VolumeLabel* label)
{
  free(label->name);
  free(label->pool);
  free(label->media_type);
  free(label->storage);
  memset(label, 0, sizeof *label);
}

int volume_write_block(int fd, uint16_t type, uint64_t session, uint64_t sequence,
                       const void* payload, uint32_t length)
{
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  unsigned char header[BLOCK_HEADER_SIZE];
  memcpy(header, BLOCK_MAGIC, 4);
  put_le16(header + 4, type);
  put_le16(header + 6, 0);
  put_le64(header + 8, session);
  put_le64(header + 16, sequence);
  put_le32(header + 24, length);
  put_le32(header + 28, crc32(0, payload, length));
  put_le32(header + 32, crc32(0, header, 32));
  /* One write of header and payload: a block is either complete or cut short at the end. */
  Buffer block;
  buffer_init(&block);
  buffer_append(&block, header, sizeof header);
  buffer_append(&block, payload, length);
  int rc = pwrite_all(fd, block.data, block.length, st.st_size);
  if (rc != 0) {
    int saved = errno;
    /* Take a partly written block back: the volume ends on a block boundary. */
    if (ftruncate(fd, st.st_size) != 0) { /* the reader will see a cut-short block */ }
    errno = saved;
  }
  buffer_free(&block);
  return rc;
}

int volume_read_header(int fd, uint64_t offset, uint64_t file_size, Block* block)
{
  if (offset == file_size) return 0;
  if (offset + BLOCK_HEADER_SIZE > file_size) return -2;
  unsigned char header[BLOCK_HEADER_SIZE];
  int r = pread_all(fd, header, sizeof header, (off_t)offset);
  if (r < 0) return -1;
  if (r == 0) return -2;
  if (memcmp(header, BLOCK_MAGIC, 4) != 0 || crc32(0, header, 32) != get_le32(header + 32))
    return -2;
  block->type = get_le16(header + 4);
  block->session = get_le64(header + 8);
  block->sequence = get_le64(header + 16);
  block->length = get_le32(header + 24);
  block->payload_crc = get_le32(header + 28);
  block->offset = offset;
  if (block->length > SDP_MAX_PAYLOAD || offset + BLOCK_HEADER_SIZE + block->length > file_size)
    return -2;
  return 1;
}

int volume_read_payload(int fd, const Block* block, Buffer* out)
{
  buffer_clear(out);
  buffer_reserve(out, block->length + 1);
  int r = pread_all(fd, out->data, block->length, (off_t)(block->offset + BLOCK_HEADER_SIZE));
  if (r < 0) return -1;
  if (r == 0) return -2;
  out->length = block->length;
  out->data[out->length] = '\0';
  return crc32(0, out->data, out->length) == block->payload_crc ? 0 : -2;
}

bool volume_name_valid(const char* name)
{
  size_t length = strlen(name);
  if (length == 0 || length > 127 || name[0] == '.') return false;
  for (const char* p = name; *p; p++)
    if (!isalnum((unsigned char)*p) && !strchr("._+-", *p)) return false;
  return true;
}

char* volume_format_name(const char* format, int number)
{
  const char* percent = strchr(format, '%');
  if (!percent) return NULL;
  const char* p = percent + 1;
  int width = 0;
  bool zero = *p == '0';
  while (isdigit((unsigned char)*p) && width < 100) width = width * 10 + (*p++ - '0');
  if (*p != 'd' || strchr(p + 1, '%') || width > 20) return NULL;
  char digits[64];
  snprintf(digits, sizeof digits, zero ? "%0*d" : "%*d", width, number);
  char* name = xasprintf("%.*s%s%s", (int)(percent - format), format, digits, p + 1);
  if (!volume_name_valid(name)) {
    free(name);
    return NULL;
  }
  return name;
}

/* -- list ----------------------------------------------------------------------- */

static int compare_names(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

/* Print the jobs (sessions) of one volume; returns -1 if its blocks are damaged. */
static int list_sessions(int fd, uint64_t start, uint64_t size)
{
  Block block;
  Buffer payload;
  buffer_init(&payload);
  uint64_t offset = start;
  int rc = 0, r;
  uint64_t guard = 0;
  while ((r = volume_read_header(fd, offset, size, &block)) == 1 && guard++ < 100000000u) {
    /* Every payload is read: its CRC is checked. */
    if (volume_read_payload(fd, &block, &payload) != 0) {
      printf("    damaged block at offset %llu (payload CRC mismatch)\n", (unsigned long long)offset);
      rc = -1;
    } else if (block.type == BLOCK_SOS || block.type == BLOCK_EOS) {
      char* job = sdp_kv_get(payload.data, "job");
      char* part = sdp_kv_get(payload.data, "part");
      if (block.type == BLOCK_SOS) {
        printf("    job %s part %s starts at offset %llu\n", job ? job : "?", part ? part : "?",
               (unsigned long long)offset);
      } else {
        char* status = sdp_kv_get(payload.data, "status");
        char* records = sdp_kv_get(payload.data, "records");
        printf("    job %s part %s ends: %s, %s records\n", job ? job : "?", part ? part : "?",
               status ? status : "?", records ? records : "?");
        free(status);
        free(records);
      }
      free(job);
      free(part);
    }
    offset += BLOCK_HEADER_SIZE + block.length;
  }
  if (r < 0) {
    printf("    %s at offset %llu (%llu bytes not readable)\n",
           r == -1 ? "read error" : "damaged or cut-short block", (unsigned long long)offset,
           (unsigned long long)(size - offset));
    rc = -1;
  }
  buffer_free(&payload);
  return rc;
}

int volume_list(const char* storage_dir)
{
  DIR* dir = opendir(storage_dir);
  if (!dir) {
    fprintf(stderr, SD_NAME ": cannot open storage directory %s: %s\n", storage_dir, strerror(errno));
    return 1;
  }
  char** names = NULL;
  int count = 0;
  struct dirent* entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.') continue;
    names = xrealloc(names, sizeof(char*) * (size_t)(count + 1));
    names[count++] = xstrdup(entry->d_name);
  }
  closedir(dir);
  if (count > 1) qsort(names, (size_t)count, sizeof(char*), compare_names);
  int status = 0;
  for (int i = 0; i < count; i++) {
    char* path = xasprintf("%s/%s", storage_dir, names[i]);
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      printf("%s: not a volume (%s)\n", names[i], fd < 0 ? strerror(errno) : "not a regular file");
      status = 1;
    } else {
      VolumeLabel label;
      LabelStatus ls = volume_read_label(fd, &label);
      if (ls != LABEL_OK) {
        printf("%s: %s\n", names[i], label_status_text(ls));
        status = 1;
      } else {
        char when[32];
        format_time((time_t)label.label_time, when);
        printf("%s: pool %s, media type %s, labelled %s, %llu bytes%s\n", label.name, label.pool,
               label.media_type, when, (unsigned long long)st.st_size,
               strcmp(label.name, names[i]) ? " (file name differs from the label!)" : "");
        if (list_sessions(fd, label.length, (uint64_t)st.st_size) != 0) status = 1;
        label_free(&label);
      }
    }
    if (fd >= 0) close(fd);
    free(path);
    free(names[i]);
  }
  free(names);
  if (count == 0) printf("no volumes in %s\n", storage_dir);
  return status;
}
