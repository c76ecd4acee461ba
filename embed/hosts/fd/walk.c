/* walk.c -- reading a whole archive record by record, checking the framing,
 * the per-record CRC, the record sequence, data offsets and the SHA-256 of
 * every data stream, and telling exactly which entry is damaged. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "kit/sha256.h"

typedef struct Walk {
  const WalkCallbacks* cb;
  const char* path;
  int problems;
  /* the current entry */
  bool active;          /* entry record seen, end not yet */
  bool failed;          /* the current entry was abandoned: skip its records */
  uint64_t entry;
  uint64_t entry_offset;
  char* name;
  bool in_data;
  bool data_done;
  uint64_t data_offset; /* expected offset of the next chunk */
  Sha256 sha;
  uint64_t orphan;      /* entry number of records seen without their entry record */
} Walk;

static void problem(Walk* walk, const char* format, ...) __attribute__((format(printf, 2, 3)));

static void problem(Walk* walk, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  walk->problems++;
  if (walk->cb->problem) walk->cb->problem(walk->cb->data, text);
  free(text);
}

/* "entry #N "name" (at offset O)" for messages. */
static char* describe_entry(const Walk* walk)
{
  Buffer text;
  buffer_init(&text);
  buffer_printf(&text, "entry #%llu", (unsigned long long)walk->entry);
  if (walk->name) {
    buffer_append_str(&text, " \"");
    escape_name(&text, walk->name);
    buffer_append_str(&text, "\"");
  }
  buffer_printf(&text, " (entry record at offset %llu)", (unsigned long long)walk->entry_offset);
  return buffer_steal(&text);
}

static void clear_entry(Walk* walk)
{
  walk->active = false;
  walk->failed = false;
  walk->in_data = false;
  walk->data_done = false;
  free(walk->name);
  walk->name = NULL;
}

/* Abandon the current entry. */
static void fail_entry(Walk* walk, const char* format, ...) __attribute__((format(printf, 2, 3)));

static void fail_entry(Walk* walk, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* reason = xvasprintf(format, args);
  va_end(args);
  char* entry = describe_entry(walk);
  problem(walk, "archive %s: %s: %s; the entry is not restored", walk->path, entry, reason);
  if (walk->cb->entry_failed) walk->cb->entry_failed(walk->cb->data, reason);
  free(entry);
  free(reason);
  walk->failed = true;
  walk->active = false;
}

/* A string field that a C string would cut: it holds a NUL byte. */
static bool holds_nul(const unsigned char* value, uint32_t length) { return memchr(value, 0, length) != NULL; }

/* Decode an entry record; NULL, or why it cannot be used. */
static const char* parse_entry(const Buffer* payload, EntryInfo* info)
{
  const char* why = NULL;
  TlvReader tlv;
  uint16_t tag;
  const unsigned char* value;
  uint32_t length;
  tlv_start(&tlv, payload->data, payload->length);
  bool have_stat = false;
  while (tlv_next(&tlv, &tag, &value, &length)) {
    switch (tag) {
      case ENT_CMD: free(info->cmd); info->cmd = tlv_str(value, length); break;
      case ENT_TYPE: info->type = (int)tlv_u64(value, length); break;
      case ENT_NAME:
        free(info->name);
        info->name = tlv_str(value, length);
        if (holds_nul(value, length)) why = "its name holds a NUL byte (a file name cannot)";
        else if (length == 0) why = "its name is empty";
        break;
      case ENT_FNAME: free(info->fname); info->fname = tlv_str(value, length); break;
      case ENT_LINK:
        free(info->link);
        info->link = tlv_str(value, length);
        if (holds_nul(value, length)) why = "its link target holds a NUL byte";
        break;
      case ENT_STAT: have_stat = tlv_stat(value, length, &info->st); break;
      case ENT_FLAGS: memcpy(info->flags, value, length < sizeof info->flags ? length : sizeof info->flags); break;
      case ENT_DELTA_SEQ: info->delta_seq = (uint32_t)tlv_u64(value, length); break;
      case ENT_HAS_DATA: info->has_data = tlv_u64(value, length) != 0; break;
      case ENT_LINK_FI: info->link_fi = tlv_u64(value, length); break;
      default: break;
    }
  }
  if (tlv.malformed || !info->cmd || !info->name || !info->type || !have_stat)
    return "the entry record is malformed";
  return why;
}

static void free_entry_info(EntryInfo* info)
{
  free(info->cmd);
  free(info->name);
  free(info->fname);
  free(info->link);
}

/* Records that belong to an entry other than the current one. */
static bool foreign_record(Walk* walk, const RecordHeader* header)
{
  if (walk->active && header->entry == walk->entry) return false;
  if (walk->failed && header->entry == walk->entry) return true; /* skip quietly */
  if (walk->orphan != header->entry) {
    walk->orphan = header->entry;
    problem(walk, "archive %s: %s record at offset %llu belongs to entry #%llu, whose entry record "
            "was not read; skipped", walk->path, record_type_name(header->type),
            (unsigned long long)header->offset, (unsigned long long)header->entry);
  }
  return true;
}

static void handle_record(Walk* walk, const RecordHeader* header, const Buffer* payload)
{
  const WalkCallbacks* cb = walk->cb;
  TlvReader tlv;
  uint16_t tag;
  const unsigned char* value;
  uint32_t length;
  switch (header->type) {
    case REC_ENTRY: {
      if (walk->active) fail_entry(walk, "its end-of-entry record is missing");
      clear_entry(walk);
      walk->entry = header->entry;
      walk->entry_offset = header->offset;
      EntryInfo info;
      memset(&info, 0, sizeof info);
      info.entry = header->entry;
      info.offset = header->offset;
      const char* refused = parse_entry(payload, &info);
      walk->name = info.name ? xstrdup(info.name) : NULL;
      if (refused) {
        walk->active = true;
        fail_entry(walk, "%s", refused);
      } else {
        walk->active = true;
        walk->data_offset = 0;
        sha256_init(&walk->sha);
        walk->in_data = info.has_data;
        if (cb->entry) cb->entry(cb->data, &info);
      }
      free_entry_info(&info);
      break;
    }
    case REC_DATA: {
      if (foreign_record(walk, header)) break;
      if (!walk->in_data || walk->data_done) {
        fail_entry(walk, "unexpected data record at offset %llu", (unsigned long long)header->offset);
        break;
      }
      if (payload->length < 8) {
        fail_entry(walk, "malformed data record at offset %llu", (unsigned long long)header->offset);
        break;
      }
      uint64_t offset = get_le64((const unsigned char*)payload->data);
      if (offset != walk->data_offset) {
        fail_entry(walk, "data at offset %llu of the file is missing (record at archive offset %llu "
                   "starts at file offset %llu)", (unsigned long long)walk->data_offset,
                   (unsigned long long)header->offset, (unsigned long long)offset);
        break;
      }
      uint32_t size = (uint32_t)payload->length - 8;
      sha256_update(&walk->sha, payload->data + 8, size);
      walk->data_offset += size;
      if (cb->chunk) cb->chunk(cb->data, payload->data + 8, size);
      break;
    }
    case REC_DATA_END: {
      if (foreign_record(walk, header)) break;
      if (!walk->in_data || walk->data_done) {
        fail_entry(walk, "unexpected end-of-data record at offset %llu",
                   (unsigned long long)header->offset);
        break;
      }
      uint64_t size = 0;
      int read_error = 0;
      const unsigned char* digest = NULL;
      tlv_start(&tlv, payload->data, payload->length);
      while (tlv_next(&tlv, &tag, &value, &length)) {
        if (tag == DEND_SIZE) size = tlv_u64(value, length);
        else if (tag == DEND_ERROR) read_error = (int)tlv_u64(value, length);
        else if (tag == DEND_SHA256 && length == SHA256_DIGEST_SIZE) digest = value;
      }
      unsigned char actual[SHA256_DIGEST_SIZE];
      sha256_final(&walk->sha, actual);
      if (size != walk->data_offset) {
        fail_entry(walk, "the data holds %llu bytes, %llu were stored", (unsigned long long)walk->data_offset,
                   (unsigned long long)size);
        break;
      }
      if (!digest || memcmp(digest, actual, sizeof actual) != 0) {
        fail_entry(walk, "the data does not match its SHA-256 checksum");
        break;
      }
      walk->data_done = true;
      if (cb->data_end) cb->data_end(cb->data, size, read_error);
      break;
    }
    case REC_ACL:
    case REC_XATTR: {
      if (foreign_record(walk, header)) break;
      if (walk->in_data && !walk->data_done) {
        fail_entry(walk, "the end-of-data record is missing");
        break;
      }
      void (*handler)(void*, const char*, uint32_t) = header->type == REC_ACL ? cb->acl : cb->xattr;
      if (handler) handler(cb->data, payload->data, (uint32_t)payload->length);
      break;
    }
    case REC_ENTRY_END: {
      if (foreign_record(walk, header)) break;
      if (walk->in_data && !walk->data_done) {
        fail_entry(walk, "the end-of-data record is missing");
        break;
      }
      uint64_t status = 0;
      tlv_start(&tlv, payload->data, payload->length);
      while (tlv_next(&tlv, &tag, &value, &length))
        if (tag == EEND_STATUS) status = tlv_u64(value, length);
      if (cb->entry_end) cb->entry_end(cb->data, status == 0);
      clear_entry(walk);
      break;
    }
    case REC_OBJECT:
      if (cb->object) {
        /* decode like the summary does */
        StoredObject object;
        memset(&object, 0, sizeof object);
        object.offset = header->offset;
        tlv_start(&tlv, payload->data, payload->length);
        while (tlv_next(&tlv, &tag, &value, &length)) {
          switch (tag) {
            case OBJ_PLUGIN: free(object.plugin_name); object.plugin_name = tlv_str(value, length); break;
            case OBJ_NAME: free(object.name); object.name = tlv_str(value, length); break;
            case OBJ_INDEX: object.index = (int32_t)tlv_u64(value, length); break;
            case OBJ_TYPE: object.type = (int32_t)tlv_u64(value, length); break;
            case OBJ_DATA: object.length = length; break;
            default: break;
          }
        }
        if (!object.name) object.name = xstrdup("");
        cb->object(cb->data, &object);
        free(object.plugin_name);
        free(object.name);
      }
      break;
    case REC_DELETED:
      if (cb->deleted) {
        char* name = NULL;
        int type = 0;
        tlv_start(&tlv, payload->data, payload->length);
        while (tlv_next(&tlv, &tag, &value, &length)) {
          if (tag == DEL_NAME) {
            free(name);
            name = tlv_str(value, length);
          } else if (tag == DEL_TYPE) {
            type = (int)tlv_u64(value, length);
          }
        }
        if (name) cb->deleted(cb->data, name, type);
        free(name);
      }
      break;
    default: break;
  }
}

int archive_walk(const char* path, const WalkCallbacks* callbacks, char** error)
{
  ArchiveReader reader;
  if (archive_open(&reader, path, error) != 0) return -1;
  Walk walk;
  memset(&walk, 0, sizeof walk);
  walk.cb = callbacks;
  walk.path = path;
  walk.orphan = UINT64_MAX;
  bool trailer = false;
  bool resynced = true; /* the first record has no expected sequence number */
  uint64_t expected = 0;
  for (;;) {
    if (callbacks->stop && callbacks->stop(callbacks->data)) break;
    RecordHeader header;
    ReadStatus status = archive_read(&reader, &header);
    if (status == READ_EOF) {
      if (walk.active) fail_entry(&walk, "the archive ends inside this entry (truncated)");
      if (!trailer)
        problem(&walk, "archive %s: it ends at offset %llu without an end-of-job record: "
                "the archive is truncated", path, (unsigned long long)header.offset);
      break;
    }
    if (status == READ_TRUNCATED) {
      if (walk.active && header.entry == walk.entry)
        fail_entry(&walk, "the archive is truncated at offset %llu, inside a %s record",
                   (unsigned long long)header.offset, record_type_name(header.type));
      else if (walk.active)
        fail_entry(&walk, "the archive is truncated at offset %llu", (unsigned long long)header.offset);
      problem(&walk, "archive %s: truncated at offset %llu (file size %llu): the last record is incomplete",
              path, (unsigned long long)header.offset, (unsigned long long)reader.file_size);
      break;
    }
    if (status == READ_IO_ERROR) {
      if (walk.active) fail_entry(&walk, "read error at offset %llu", (unsigned long long)header.offset);
      problem(&walk, "archive %s: read error at offset %llu: %s", path,
              (unsigned long long)header.offset, strerror(errno));
      break;
    }
    if (status == READ_BAD_HEADER) {
      if (walk.active)
        fail_entry(&walk, "damaged record header at offset %llu", (unsigned long long)header.offset);
      uint64_t from, to;
      bool found = archive_resync(&reader, &from, &to);
      problem(&walk, "archive %s: damaged record header at offset %llu; %s%llu", path,
              (unsigned long long)from,
              found ? "reading resumes at the next intact record, at offset "
                    : "no intact record follows up to the end, offset ",
              (unsigned long long)to);
      if (!found) break;
      resynced = true;
      continue;
    }
    if (!resynced && header.sequence != expected) {
      if (walk.active)
        fail_entry(&walk, "records are missing before offset %llu", (unsigned long long)header.offset);
      problem(&walk, "archive %s: %llu record(s) missing before offset %llu", path,
              (unsigned long long)(header.sequence > expected ? header.sequence - expected : 0),
              (unsigned long long)header.offset);
    }
    resynced = false;
    expected = header.sequence + 1;
    if (status == READ_BAD_PAYLOAD) {
      if (header.type == REC_ENTRY) {
        if (walk.active) fail_entry(&walk, "its end-of-entry record is missing");
        clear_entry(&walk);
        walk.entry = header.entry;
        walk.entry_offset = header.offset;
        walk.active = true;
        fail_entry(&walk, "the entry record is damaged (checksum mismatch)");
      } else if (walk.active && header.entry == walk.entry) {
        fail_entry(&walk, "damaged %s record at offset %llu (checksum mismatch)",
                   record_type_name(header.type), (unsigned long long)header.offset);
      } else if (walk.failed && header.entry == walk.entry) {
        /* already reported */
      } else {
        problem(&walk, "archive %s: damaged %s record at offset %llu (checksum mismatch); skipped",
                path, record_type_name(header.type), (unsigned long long)header.offset);
      }
      continue;
    }
    if (header.type == REC_TRAILER) {
      if (walk.active) fail_entry(&walk, "its end-of-entry record is missing");
      trailer = true;
      continue;
    }
    handle_record(&walk, &header, &reader.payload);
  }
  clear_entry(&walk);
  archive_close_reader(&reader);
  return walk.problems;
}
