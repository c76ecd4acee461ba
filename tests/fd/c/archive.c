/*
 * archive.c -- the archive: what a backup saved, for a restore to replay.
 *
 * "BAREOSPY-DRIVER-ARCHIVE-1\n", then records:
 *   'F' file:   cmd, fname, link, type, 13 stat fields, no_read, data?,
 *               acl?, xattr count, (name, value)*, delta_seq
 *   'O' object: cmd, object_name, object, type, index
 *   'E' end
 * strings/blobs: u32 length (0xFFFFFFFF = NULL) + bytes; numbers: i64.
 */
#include "driver.h"

#include "kit/littleendian.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char archive_magic[] = "BAREOSPY-DRIVER-ARCHIVE-1\n";


Entry* archive_add(Archive* ar, char kind)
{
  if (ar->n == ar->cap) {
    ar->cap = ar->cap ? 2 * ar->cap : 16;
    ar->entries = xrealloc(ar->entries, ar->cap * sizeof *ar->entries);
  }
  Entry* e = &ar->entries[ar->n++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  return e;
}

static void entry_free(Entry* e)
{
  free(e->cmd);
  free(e->fname);
  free(e->link);
  buffer_free(&e->data);
  buffer_free(&e->acl);
  for (size_t i = 0; i < e->nxattrs; i++) {
    buffer_free(&e->xattrs[i].name);
    buffer_free(&e->xattrs[i].value);
  }
  free(e->xattrs);
  free(e->object_name);
  buffer_free(&e->object);
}

void archive_free(Archive* ar)
{
  for (size_t i = 0; i < ar->n; i++) entry_free(&ar->entries[i]);
  free(ar->entries);
  memset(ar, 0, sizeof *ar);
}

static void w_u32(FILE* f, uint32_t v)
{
  unsigned char b[4];
  put_le32(b, v);
  fwrite(b, 1, 4, f);
}

static void w_i64(FILE* f, long long v)
{
  unsigned char b[8];
  put_le64(b, (uint64_t)v);
  fwrite(b, 1, 8, f);
}

static void w_blob(FILE* f, const void* data, size_t n, bool present)
{
  if (!present) {
    w_u32(f, 0xFFFFFFFFu);
    return;
  }
  w_u32(f, (uint32_t)n);
  if (n) fwrite(data, 1, n, f);
}

static void w_str(FILE* f, const char* s) { w_blob(f, s, s ? strlen(s) : 0, s != NULL); }

bool archive_write(const Archive* ar, const char* path)
{
  FILE* f = fopen(path, "wb");
  if (!f) return false;
  fwrite(archive_magic, 1, strlen(archive_magic), f);
  for (size_t i = 0; i < ar->n; i++) {
    const Entry* e = &ar->entries[i];
    fputc(e->kind, f);
    w_str(f, e->cmd);
    if (e->kind == 'F') {
      w_str(f, e->fname);
      w_str(f, e->link);
      w_i64(f, e->type);
      for (int k = 0; k < STAT_FIELD_COUNT; k++) w_i64(f, e->st[k]);
      w_i64(f, e->no_read);
      w_blob(f, e->data.data, e->data.length, e->has_data);
      w_blob(f, e->acl.data, e->acl.length, e->has_acl);
      w_u32(f, (uint32_t)e->nxattrs);
      for (size_t k = 0; k < e->nxattrs; k++) {
        w_blob(f, e->xattrs[k].name.data, e->xattrs[k].name.length, true);
        w_blob(f, e->xattrs[k].value.data, e->xattrs[k].value.length, true);
      }
      w_i64(f, e->delta_seq);
    } else {
      w_str(f, e->object_name);
      w_blob(f, e->object.data, e->object.length, true);
      w_i64(f, e->type);
      w_i64(f, e->index);
    }
  }
  fputc('E', f);
  bool ok = !ferror(f);
  return fclose(f) == 0 && ok;
}

typedef struct {
  FILE* f;
  bool bad;
} Reader;

static uint32_t r_u32(Reader* r)
{
  unsigned char b[4];
  if (fread(b, 1, 4, r->f) != 4) {
    r->bad = true;
    return 0;
  }
  return get_le32(b);
}

static long long r_i64(Reader* r)
{
  unsigned char b[8];
  if (fread(b, 1, 8, r->f) != 8) {
    r->bad = true;
    return 0;
  }
  return (long long)get_le64(b);
}

/* A blob into *out; returns whether it was present. */
static bool r_blob(Reader* r, Buffer* out)
{
  uint32_t n = r_u32(r);
  if (r->bad || n == 0xFFFFFFFFu) return false;
  unsigned char chunk[4096];
  buffer_append(out, "", 0); /* present, even empty: data is not NULL */
  while (n > 0 && !r->bad) {
    size_t take = n < sizeof chunk ? n : sizeof chunk;
    if (fread(chunk, 1, take, r->f) != take) {
      r->bad = true;
      break;
    }
    buffer_append(out, chunk, take);
    n -= (uint32_t)take;
  }
  return true;
}

static char* r_str(Reader* r)
{
  Buffer b;
  buffer_init(&b);
  if (!r_blob(r, &b)) return NULL;
  return buffer_steal(&b);
}

bool archive_read(Archive* ar, const char* path)
{
  Reader r = {fopen(path, "rb"), false};
  if (!r.f) return false;
  char magic[sizeof archive_magic];
  size_t n = strlen(archive_magic);
  if (fread(magic, 1, n, r.f) != n || memcmp(magic, archive_magic, n) != 0) {
    fclose(r.f);
    return false;
  }
  for (;;) {
    int kind = fgetc(r.f);
    if (kind == 'E') break;
    if (kind != 'F' && kind != 'O') {
      r.bad = true;
      break;
    }
    Entry* e = archive_add(ar, (char)kind);
    e->cmd = r_str(&r);
    if (kind == 'F') {
      e->fname = r_str(&r);
      e->link = r_str(&r);
      e->type = (int)r_i64(&r);
      for (int k = 0; k < STAT_FIELD_COUNT; k++) e->st[k] = r_i64(&r);
      e->no_read = r_i64(&r) != 0;
      e->has_data = r_blob(&r, &e->data);
      e->has_acl = r_blob(&r, &e->acl);
      e->nxattrs = r_u32(&r);
      if (r.bad || e->nxattrs > 100000) {
        e->nxattrs = 0;
        r.bad = true;
        break;
      }
      e->xattrs = xmalloc((e->nxattrs ? e->nxattrs : 1) * sizeof *e->xattrs);
      memset(e->xattrs, 0, (e->nxattrs ? e->nxattrs : 1) * sizeof *e->xattrs);
      for (size_t k = 0; k < e->nxattrs; k++) {
        r_blob(&r, &e->xattrs[k].name);
        r_blob(&r, &e->xattrs[k].value);
      }
      e->delta_seq = (uint32_t)r_i64(&r);
    } else {
      e->object_name = r_str(&r);
      r_blob(&r, &e->object);
      e->type = (int)r_i64(&r);
      e->index = (int)r_i64(&r);
    }
    if (r.bad) break;
  }
  fclose(r.f);
  return !r.bad;
}
