/* archive.c -- writing and reading bareospy-fd archives (see archive.h and
 * docs/archive-format.md). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "bareospy/consts.h"
#include "kit/crc32.h"

/* -- TLV ------------------------------------------------------------------------- */

void tlv_add(Buffer* out, uint16_t tag, const void* value, uint32_t length)
{
  unsigned char head[6];
  put_le16(head, tag);
  put_le32(head + 2, length);
  buffer_append(out, head, sizeof head);
  buffer_append(out, value, length);
}

void tlv_add_u64(Buffer* out, uint16_t tag, uint64_t value)
{
  unsigned char bytes[8];
  put_le64(bytes, value);
  tlv_add(out, tag, bytes, 8);
}

void tlv_add_str(Buffer* out, uint16_t tag, const char* text)
{
  tlv_add(out, tag, text, (uint32_t)strlen(text));
}

void tlv_add_stat(Buffer* out, uint16_t tag, const struct stat* st)
{
  unsigned char bytes[STAT_ENCODED_SIZE];
  stat_encode(st, bytes);
  tlv_add(out, tag, bytes, sizeof bytes);
}

void tlv_start(TlvReader* reader, const void* data, size_t length)
{
  reader->p = data;
  reader->left = length;
  reader->malformed = false;
}

bool tlv_next(TlvReader* reader, uint16_t* tag, const unsigned char** value, uint32_t* length)
{
  if (reader->left == 0) return false;
  if (reader->left < 6) {
    reader->malformed = true;
    return false;
  }
  uint32_t size = get_le32(reader->p + 2);
  if (size > reader->left - 6) {
    reader->malformed = true;
    return false;
  }
  *tag = get_le16(reader->p);
  *value = reader->p + 6;
  *length = size;
  reader->p += 6 + size;
  reader->left -= 6 + size;
  return true;
}

uint64_t tlv_u64(const unsigned char* value, uint32_t length)
{
  return length >= 8 ? get_le64(value) : 0;
}

char* tlv_str(const unsigned char* value, uint32_t length)
{
  return xstrndup((const char*)value, length);
}

bool tlv_stat(const unsigned char* value, uint32_t length, struct stat* st)
{
  return stat_decode(value, length, st);
}

/* -- writing ------------------------------------------------------------------------ */

static uint64_t random_id(void)
{
  uint64_t id = 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (read(fd, &id, sizeof id) != (ssize_t)sizeof id) id = 0;
    close(fd);
  }
  if (id == 0) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    id = ((uint64_t)now.tv_sec << 30) ^ (uint64_t)now.tv_nsec ^ ((uint64_t)getpid() << 48);
  }
  return id;
}

static void writer_put(ArchiveWriter* writer, const void* data, size_t length)
{
  if (writer->error || length == 0) return;
  if (fwrite(data, 1, length, writer->file) != length) writer->error = errno ? errno : EIO;
  writer->offset += length;
}

int archive_create(ArchiveWriter* writer, const char* path)
{
  memset(writer, 0, sizeof *writer);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  writer->file = fdopen(fd, "wb");
  if (!writer->file) {
    int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  setvbuf(writer->file, NULL, _IOFBF, 1 << 20);
  writer->path = xstrdup(path);
  writer->archive_id = random_id();
  unsigned char preamble[ARCHIVE_PREAMBLE_SIZE];
  memcpy(preamble, ARCHIVE_MAGIC, 8);
  put_le16(preamble + 8, ARCHIVE_VERSION);
  put_le16(preamble + 10, 0);
  put_le32(preamble + 12, crc32(0, preamble, 12));
  writer_put(writer, preamble, sizeof preamble);
  if (writer->error) {
    errno = writer->error;
    return -1;
  }
  return 0;
}

int archive_write(ArchiveWriter* writer, int type, uint64_t entry, const void* prefix,
                  uint32_t prefix_length, const void* data, uint32_t data_length)
{
  if (writer->error) {
    errno = writer->error;
    return -1;
  }
  uint32_t length = prefix_length + data_length;
  if (length > RECORD_MAX_PAYLOAD) {
    errno = EFBIG;
    return -1;
  }
  uint32_t payload_crc = crc32(crc32(0, prefix, prefix_length), data, data_length);
  unsigned char header[RECORD_HEADER_SIZE];
  memcpy(header, RECORD_MAGIC, 4);
  put_le16(header + 4, (uint16_t)type);
  put_le16(header + 6, 0);
  put_le64(header + 8, writer->archive_id);
  put_le64(header + 16, writer->sequence++);
  put_le64(header + 24, entry);
  put_le32(header + 32, length);
  put_le32(header + 36, payload_crc);
  put_le32(header + 40, crc32(0, header, 40));
  writer_put(writer, header, sizeof header);
  writer_put(writer, prefix, prefix_length);
  writer_put(writer, data, data_length);
  if (writer->error) {
    errno = writer->error;
    return -1;
  }
  return 0;
}

int archive_write_buffer(ArchiveWriter* writer, int type, uint64_t entry, const Buffer* payload)
{
  return archive_write(writer, type, entry, payload->data, (uint32_t)payload->length, NULL, 0);
}

int archive_close(ArchiveWriter* writer)
{
  int rc = 0;
  if (writer->file) {
    if (fflush(writer->file) != 0 && !writer->error) writer->error = errno;
    if (fclose(writer->file) != 0 && !writer->error) writer->error = errno;
    writer->file = NULL;
  }
  if (writer->error) {
    errno = writer->error;
    rc = -1;
  }
  free(writer->path);
  writer->path = NULL;
  return rc;
}

/* -- reading ------------------------------------------------------------------------- */

int archive_open(ArchiveReader* reader, const char* path, char** error)
{
  memset(reader, 0, sizeof *reader);
  buffer_init(&reader->payload);
  reader->file = fopen(path, "rb");
  if (!reader->file) {
    *error = xasprintf("cannot open archive %s: %s", path, strerror(errno));
    return -1;
  }
  setvbuf(reader->file, NULL, _IOFBF, 1 << 20);
  reader->path = xstrdup(path);
  struct stat st;
  if (fstat(fileno(reader->file), &st) == 0 && S_ISREG(st.st_mode))
    reader->file_size = (uint64_t)st.st_size;
  unsigned char preamble[ARCHIVE_PREAMBLE_SIZE];
  size_t got = fread(preamble, 1, sizeof preamble, reader->file);
  if (got < sizeof preamble || memcmp(preamble, ARCHIVE_MAGIC, 8) != 0) {
    *error = xasprintf("%s is not a bareospy-fd archive (no %s preamble)", path,
                       ARCHIVE_MAGIC);
    archive_close_reader(reader);
    return -1;
  }
  if (get_le32(preamble + 12) != crc32(0, preamble, 12)) {
    *error = xasprintf("archive %s: the preamble is damaged (checksum mismatch at offset 0)",
                       path);
    archive_close_reader(reader);
    return -1;
  }
  reader->version = get_le16(preamble + 8);
  if (reader->version != ARCHIVE_VERSION) {
    *error = xasprintf("archive %s has format version %d; this program reads version %d",
                       path, reader->version, ARCHIVE_VERSION);
    archive_close_reader(reader);
    return -1;
  }
  reader->offset = ARCHIVE_PREAMBLE_SIZE;
  return 0;
}

void archive_close_reader(ArchiveReader* reader)
{
  if (reader->file) fclose(reader->file);
  reader->file = NULL;
  free(reader->path);
  reader->path = NULL;
  buffer_free(&reader->payload);
}

int archive_rewind(ArchiveReader* reader)
{
  reader->offset = ARCHIVE_PREAMBLE_SIZE;
  reader->next_sequence = 0;
  return fseeko(reader->file, (off_t)reader->offset, SEEK_SET);
}

/* Decode and check a header; false if it is not an intact header of this archive. */
static bool parse_header(ArchiveReader* reader, const unsigned char* raw, RecordHeader* header)
{
  if (memcmp(raw, RECORD_MAGIC, 4) != 0) return false;
  if (get_le32(raw + 40) != crc32(0, raw, 40)) return false;
  header->type = get_le16(raw + 4);
  header->flags = get_le16(raw + 6);
  header->archive_id = get_le64(raw + 8);
  header->sequence = get_le64(raw + 16);
  header->entry = get_le64(raw + 24);
  header->length = get_le32(raw + 32);
  header->payload_crc = get_le32(raw + 36);
  if (header->length > RECORD_MAX_PAYLOAD) return false;
  if (reader->have_id && header->archive_id != reader->archive_id) return false;
  return true;
}

ReadStatus archive_read(ArchiveReader* reader, RecordHeader* header)
{
  memset(header, 0, sizeof *header);
  header->offset = reader->offset;
  buffer_clear(&reader->payload);
  if (fseeko(reader->file, (off_t)reader->offset, SEEK_SET) != 0) return READ_IO_ERROR;
  unsigned char raw[RECORD_HEADER_SIZE];
  size_t got = fread(raw, 1, sizeof raw, reader->file);
  if (got == 0) return ferror(reader->file) ? READ_IO_ERROR : READ_EOF;
  if (got < sizeof raw) return ferror(reader->file) ? READ_IO_ERROR : READ_TRUNCATED;
  if (!parse_header(reader, raw, header)) return READ_BAD_HEADER;
  if (!reader->have_id) {
    reader->have_id = true;
    reader->archive_id = header->archive_id;
  }
  if (reader->skip_mask & (UINT32_C(1) << (header->type & 31))) {
    uint64_t end = reader->offset + RECORD_HEADER_SIZE + header->length;
    if (reader->file_size && end > reader->file_size) return READ_TRUNCATED;
    reader->offset = end;
    reader->next_sequence = header->sequence + 1;
    return READ_OK;
  }
  buffer_reserve(&reader->payload, header->length);
  got = fread(reader->payload.data, 1, header->length, reader->file);
  reader->payload.length = got;
  reader->payload.data[got] = '\0';
  if (got < header->length) return ferror(reader->file) ? READ_IO_ERROR : READ_TRUNCATED;
  reader->offset += RECORD_HEADER_SIZE + header->length;
  reader->next_sequence = header->sequence + 1;
  if (crc32(0, reader->payload.data, header->length) != header->payload_crc)
    return READ_BAD_PAYLOAD;
  return READ_OK;
}

bool archive_resync(ArchiveReader* reader, uint64_t* skipped_from, uint64_t* skipped_to)
{
  enum { CHUNK = 1 << 16 };
  unsigned char* chunk = xmalloc(CHUNK + RECORD_HEADER_SIZE);
  uint64_t position = reader->offset + 1;
  *skipped_from = reader->offset;
  bool found = false;
  while (!found) {
    if (fseeko(reader->file, (off_t)position, SEEK_SET) != 0) break;
    size_t got = fread(chunk, 1, CHUNK + RECORD_HEADER_SIZE, reader->file);
    if (got < RECORD_HEADER_SIZE) break;
    for (size_t i = 0; i + RECORD_HEADER_SIZE <= got; i++) {
      if (chunk[i] != (unsigned char)RECORD_MAGIC[0] || memcmp(chunk + i, RECORD_MAGIC, 4) != 0)
        continue;
      RecordHeader header;
      if (parse_header(reader, chunk + i, &header)) {
        reader->offset = position + i;
        found = true;
        break;
      }
    }
    if (!found) {
      if (got < CHUNK + RECORD_HEADER_SIZE) break;
      position += CHUNK;
    }
  }
  free(chunk);
  *skipped_to = found ? reader->offset : reader->file_size;
  if (!found) reader->offset = reader->file_size;
  return found;
}

const char* record_type_name(int type)
{
  switch (type) {
    case REC_HEADER: return "job header";
    case REC_ENTRY: return "entry";
    case REC_DATA: return "data";
    case REC_DATA_END: return "end of data";
    case REC_ACL: return "ACL";
    case REC_XATTR: return "xattr";
    case REC_ENTRY_END: return "end of entry";
    case REC_OBJECT: return "restore object";
    case REC_DELETED: return "deleted file";
    case REC_CATALOG: return "catalog";
    case REC_TRAILER: return "end of job";
    default: return "unknown record";
  }
}

const char* file_type_name(int type)
{
  switch (type) {
    case FT_LNKSAVED: return "hardlink";
    case FT_REGE: return "empty";
    case FT_REG: return "file";
    case FT_LNK: return "symlink";
    case FT_DIREND: return "dir";
    case FT_SPEC: return "special";
    case FT_RAW: return "raw";
    case FT_FIFO: return "fifo";
    case FT_REPARSE: return "reparse";
    case FT_JUNCTION: return "junction";
    case FT_DELETED: return "deleted";
    case FT_RESTORE_FIRST: return "object";
    case FT_PLUGIN_CONFIG: return "config";
    case FT_PLUGIN_CONFIG_FILLED: return "config-filled";
    case FT_NOCHG: return "unchanged";
    case FT_DIRNOCHG: return "dir-unchanged";
    default: return "other";
  }
}

/* -- known files and summaries ----------------------------------------------------- */

void restore_object_from_archive(const StoredObject* object, uint32_t job_id,
                                 restore_object_pkt* rop)
{
  memset(rop, 0, sizeof *rop);
  rop->pkt_size = rop->pkt_end = sizeof *rop;
  rop->object_name = object->name;
  rop->object = object->data;
  rop->plugin_name = object->plugin_name;
  rop->object_type = object->type;
  rop->object_len = (int32_t)object->length;
  rop->object_full_len = (int32_t)object->full_length;
  rop->object_index = object->index;
  rop->JobId = job_id;
}

void known_file_free(void* file)
{
  KnownFile* known = file;
  if (!known) return;
  free(known->name);
  free(known->link);
  free(known);
}

char* known_file_key(const char* name)
{
  size_t length = strlen(name);
  while (length > 1 && name[length - 1] == '/') length--;
  return xstrndup(name, length);
}

KnownFile* known_file_new(const char* name, const char* link, int type, const struct stat* st)
{
  KnownFile* known = xcalloc(1, sizeof *known);
  known->name = xstrdup(name);
  known->link = link ? xstrdup(link) : NULL;
  known->type = type;
  known->st = *st;
  return known;
}

static void summary_problem(ArchiveSummary* summary, char* text)
{
  summary->problems++;
  if (!summary->first_problem)
    summary->first_problem = text;
  else
    free(text);
}

static void read_header_record(ArchiveSummary* summary, const Buffer* payload)
{
  TlvReader tlv;
  uint16_t tag;
  const unsigned char* value;
  uint32_t length;
  tlv_start(&tlv, payload->data, payload->length);
  summary->has_header = true;
  while (tlv_next(&tlv, &tag, &value, &length)) {
    switch (tag) {
      case HDR_JOB_NAME:
        free(summary->job_name);
        summary->job_name = tlv_str(value, length);
        break;
      case HDR_JOB_ID: summary->job_id = (uint32_t)tlv_u64(value, length); break;
      case HDR_JOB_TYPE: summary->job_type = (char)tlv_u64(value, length); break;
      case HDR_LEVEL: summary->level = (char)tlv_u64(value, length); break;
      case HDR_START_TIME: summary->start_time = (time_t)tlv_u64(value, length); break;
      case HDR_SINCE: summary->since = (time_t)tlv_u64(value, length); break;
      case HDR_FULL_START_TIME: summary->full_start_time = (time_t)tlv_u64(value, length); break;
      case HDR_ACCURATE: summary->accurate = tlv_u64(value, length) != 0; break;
      default: break;
    }
  }
}

static StoredObject* read_object_record(const Buffer* payload, uint64_t offset)
{
  StoredObject* object = xcalloc(1, sizeof *object);
  object->offset = offset;
  TlvReader tlv;
  uint16_t tag;
  const unsigned char* value;
  uint32_t length;
  tlv_start(&tlv, payload->data, payload->length);
  while (tlv_next(&tlv, &tag, &value, &length)) {
    switch (tag) {
      case OBJ_PLUGIN: free(object->plugin_name); object->plugin_name = tlv_str(value, length); break;
      case OBJ_NAME: free(object->name); object->name = tlv_str(value, length); break;
      case OBJ_INDEX: object->index = (int32_t)tlv_u64(value, length); break;
      case OBJ_TYPE: object->type = (int32_t)tlv_u64(value, length); break;
      case OBJ_FULL_LENGTH: object->full_length = (uint32_t)tlv_u64(value, length); break;
      case OBJ_COMPRESSION: object->compression = (int32_t)tlv_u64(value, length); break;
      case OBJ_DATA:
        free(object->data);
        object->data = xmalloc(length + 1);
        memcpy(object->data, value, length);
        object->data[length] = '\0';
        object->length = length;
        break;
      default: break;
    }
  }
  if (!object->plugin_name) object->plugin_name = xstrdup("");
  if (!object->name) object->name = xstrdup("");
  if (!object->data) object->data = xcalloc(1, 1);
  if (!object->full_length) object->full_length = object->length;
  return object;
}

/* Add the items of a catalog record to the table. */
static bool read_catalog_record(HashTable* catalog, const Buffer* payload)
{
  TlvReader outer;
  uint16_t tag;
  const unsigned char* value;
  uint32_t length;
  tlv_start(&outer, payload->data, payload->length);
  while (tlv_next(&outer, &tag, &value, &length)) {
    if (tag != CAT_ITEM) continue;
    TlvReader inner;
    uint16_t item_tag;
    const unsigned char* item_value;
    uint32_t item_length;
    char* name = NULL;
    char* link = NULL;
    int type = 0;
    struct stat st;
    memset(&st, 0, sizeof st);
    tlv_start(&inner, value, length);
    while (tlv_next(&inner, &item_tag, &item_value, &item_length)) {
      switch (item_tag) {
        case ITEM_NAME: free(name); name = tlv_str(item_value, item_length); break;
        case ITEM_LINK: free(link); link = tlv_str(item_value, item_length); break;
        case ITEM_TYPE: type = (int)tlv_u64(item_value, item_length); break;
        case ITEM_STAT: tlv_stat(item_value, item_length, &st); break;
        default: break;
      }
    }
    if (name && *name) {
      char* key = known_file_key(name);
      known_file_free(hash_put(catalog, key, known_file_new(name, link, type, &st)));
      free(key);
    }
    free(name);
    free(link);
    if (inner.malformed) return false;
  }
  return !outer.malformed;
}

int archive_summarize(const char* path, ArchiveSummary* summary, HashTable* catalog, char** error)
{
  memset(summary, 0, sizeof *summary);
  ArchiveReader reader;
  if (archive_open(&reader, path, error) != 0) return -1;
  reader.skip_mask = (UINT32_C(1) << REC_ENTRY) | (UINT32_C(1) << REC_DATA) |
                     (UINT32_C(1) << REC_DATA_END) | (UINT32_C(1) << REC_ACL) |
                     (UINT32_C(1) << REC_XATTR) | (UINT32_C(1) << REC_ENTRY_END) |
                     (UINT32_C(1) << REC_DELETED);
  if (!catalog) reader.skip_mask |= UINT32_C(1) << REC_CATALOG;
  StoredObject** tail = &summary->objects;
  for (;;) {
    RecordHeader header;
    ReadStatus status = archive_read(&reader, &header);
    if (status == READ_EOF) break;
    if (status == READ_TRUNCATED) {
      summary_problem(summary, xasprintf("the archive is truncated at offset %llu",
                                         (unsigned long long)header.offset));
      break;
    }
    if (status == READ_IO_ERROR) {
      summary_problem(summary, xasprintf("read error at offset %llu: %s",
                                         (unsigned long long)header.offset, strerror(errno)));
      break;
    }
    if (status == READ_BAD_HEADER) {
      uint64_t from, to;
      summary_problem(summary, xasprintf("damaged record header at offset %llu",
                                         (unsigned long long)header.offset));
      if (!archive_resync(&reader, &from, &to)) break;
      continue;
    }
    if (status == READ_BAD_PAYLOAD) {
      summary_problem(summary, xasprintf("damaged %s record at offset %llu (checksum mismatch)",
                                         record_type_name(header.type),
                                         (unsigned long long)header.offset));
      continue;
    }
    switch (header.type) {
      case REC_HEADER: read_header_record(summary, &reader.payload); break;
      case REC_OBJECT:
        *tail = read_object_record(&reader.payload, header.offset);
        tail = &(*tail)->next;
        break;
      case REC_CATALOG:
        if (catalog && !read_catalog_record(catalog, &reader.payload))
          summary_problem(summary, xasprintf("malformed catalog record at offset %llu",
                                             (unsigned long long)header.offset));
        break;
      case REC_TRAILER: summary->complete = true; break;
      default: break;
    }
  }
  archive_close_reader(&reader);
  if (!summary->has_header) {
    *error = xasprintf("archive %s: no readable job header record%s%s", path,
                       summary->first_problem ? ": " : "",
                       summary->first_problem ? summary->first_problem : "");
    archive_summary_free(summary);
    return -1;
  }
  if (!summary->full_start_time) summary->full_start_time = summary->start_time;
  return 0;
}

void archive_summary_free(ArchiveSummary* summary)
{
  free(summary->job_name);
  free(summary->first_problem);
  for (StoredObject* object = summary->objects; object;) {
    StoredObject* next = object->next;
    free(object->plugin_name);
    free(object->name);
    free(object->data);
    free(object);
    object = next;
  }
  memset(summary, 0, sizeof *summary);
}
