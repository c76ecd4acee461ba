/* archive.h -- the bareospy-fd archive format (docs/archive-format.md).
 *
 * An archive is a 16-byte preamble followed by records.  Every record has a
 * 44-byte header (magic, type, archive id, sequence number, entry number,
 * payload length, CRC-32 of the payload, CRC-32 of the header) and a
 * payload.  Most payloads are TLV lists (tag u16, length u32, value); DATA
 * payloads are an 8-byte offset followed by raw file data.  All integers are
 * little-endian.  A reader can tell a damaged payload (the framing is intact:
 * skip it) from a damaged header (resynchronise on the next valid header of
 * the same archive).
 */
#ifndef BAREOSPY_HOST_ARCHIVE_H
#define BAREOSPY_HOST_ARCHIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "bareospy/fd.h"
#include "kit/littleendian.h"
#include "kit/statcodec.h"
#include "kit/util.h"

#define ARCHIVE_MAGIC "BAREOSPY"
#define ARCHIVE_PREAMBLE_SIZE 16
#define ARCHIVE_VERSION 1
#define RECORD_MAGIC "BPyR"
#define RECORD_HEADER_SIZE 44
/* The largest payload a writer produces and a reader accepts. */
#define RECORD_MAX_PAYLOAD (64u * 1024u * 1024u)
/* Data is stored in chunks of at most this many bytes. */
#define DATA_CHUNK_SIZE (256u * 1024u)

/* Record types. */
enum {
  REC_HEADER = 1,    /* job information; always the first record */
  REC_ENTRY = 2,     /* one file: plugin definition, type, name, link, stat */
  REC_DATA = 3,      /* u64 offset + a chunk of the entry's data */
  REC_DATA_END = 4,  /* end of the data stream: size, SHA-256, read status */
  REC_ACL = 5,       /* the entry's ACL stream (opaque bytes) */
  REC_XATTR = 6,     /* the entry's extended attributes (name/value pairs) */
  REC_ENTRY_END = 7, /* end of the entry */
  REC_OBJECT = 8,    /* a restore object */
  REC_DELETED = 9,   /* a file of the previous backup that no longer exists */
  REC_CATALOG = 10,  /* part of the list of files known after this job */
  REC_TRAILER = 11   /* end of job; its absence means the archive is truncated */
};

/* TLV tags, per record type. */
enum { HDR_VERSION = 1, HDR_JOB_NAME, HDR_JOB_TYPE, HDR_LEVEL, HDR_START_TIME, HDR_SINCE,
       HDR_FULL_START_TIME, HDR_PREVIOUS_JOB, HDR_ACCURATE, HDR_SOFTWARE, HDR_CLIENT,
       HDR_DEFINITION, HDR_JOB_ID };
enum { ENT_CMD = 1, ENT_TYPE, ENT_NAME, ENT_LINK, ENT_STAT, ENT_FLAGS, ENT_DELTA_SEQ,
       ENT_HAS_DATA, ENT_LINK_FI, ENT_FNAME };
enum { DEND_SIZE = 1, DEND_SHA256, DEND_ERROR };
enum { EEND_STATUS = 1 };
enum { XATTR_NAME = 1, XATTR_VALUE };
enum { OBJ_PLUGIN = 1, OBJ_NAME, OBJ_INDEX, OBJ_TYPE, OBJ_DATA, OBJ_FULL_LENGTH,
       OBJ_COMPRESSION };
enum { DEL_NAME = 1, DEL_TYPE };
enum { CAT_ITEM = 1 };
enum { ITEM_NAME = 1, ITEM_TYPE, ITEM_LINK, ITEM_STAT };
enum { TRL_END_TIME = 1, TRL_FILES, TRL_BYTES, TRL_ERRORS, TRL_STATUS, TRL_RECORDS,
       TRL_DELETED };

/* -- TLV ------------------------------------------------------------------- */

void tlv_add(Buffer* out, uint16_t tag, const void* value, uint32_t length);
void tlv_add_u64(Buffer* out, uint16_t tag, uint64_t value);
void tlv_add_str(Buffer* out, uint16_t tag, const char* text);
void tlv_add_stat(Buffer* out, uint16_t tag, const struct stat* st);

typedef struct TlvReader {
  const unsigned char* p;
  size_t left;
  bool malformed;
} TlvReader;

void tlv_start(TlvReader* reader, const void* data, size_t length);
/* The next field; false at the end (reader->malformed tells a bad list). */
bool tlv_next(TlvReader* reader, uint16_t* tag, const unsigned char** value, uint32_t* length);
uint64_t tlv_u64(const unsigned char* value, uint32_t length);
/* A NUL-terminated copy (embedded NULs end the C string early). */
char* tlv_str(const unsigned char* value, uint32_t length);
bool tlv_stat(const unsigned char* value, uint32_t length, struct stat* st);

/* -- writing ------------------------------------------------------------------ */

typedef struct ArchiveWriter {
  FILE* file;
  char* path;
  uint64_t archive_id;
  uint64_t sequence; /* of the next record */
  uint64_t offset;   /* bytes written */
  int error;         /* errno of the first failure, 0 if none */
} ArchiveWriter;

/* Create (truncate) path and write the preamble; -1 with errno on failure. */
int archive_create(ArchiveWriter* writer, const char* path);
/* Write one record whose payload is prefix + data (either may be empty). */
int archive_write(ArchiveWriter* writer, int type, uint64_t entry, const void* prefix,
                  uint32_t prefix_length, const void* data, uint32_t data_length);
int archive_write_buffer(ArchiveWriter* writer, int type, uint64_t entry, const Buffer* payload);
/* Flush and close; -1 with errno if anything failed. */
int archive_close(ArchiveWriter* writer);

/* -- reading ------------------------------------------------------------------ */

typedef enum {
  READ_OK = 0,
  READ_EOF,         /* clean end of file at a record boundary */
  READ_TRUNCATED,   /* the file ends inside a record */
  READ_BAD_HEADER,  /* header damaged: framing lost, resynchronise */
  READ_BAD_PAYLOAD, /* header intact, payload damaged (skipped) */
  READ_IO_ERROR
} ReadStatus;

typedef struct RecordHeader {
  uint16_t type;
  uint16_t flags;
  uint64_t archive_id;
  uint64_t sequence;
  uint64_t entry;
  uint32_t length;
  uint32_t payload_crc;
  uint64_t offset; /* where the record starts in the file */
} RecordHeader;

typedef struct ArchiveReader {
  FILE* file;
  char* path;
  int version;
  bool have_id;
  uint64_t archive_id;
  uint64_t offset;        /* of the next record */
  uint64_t next_sequence; /* expected sequence number */
  uint64_t file_size;
  uint32_t skip_mask;     /* record types (bit 1 << type) whose payload is skipped */
  Buffer payload;         /* payload of the last record read */
} ArchiveReader;

/* Open and check the preamble; on failure returns -1 and sets *error to a
 * malloc'ed message. */
int archive_open(ArchiveReader* reader, const char* path, char** error);
void archive_close_reader(ArchiveReader* reader);
/* Read the next record into header and reader->payload. */
ReadStatus archive_read(ArchiveReader* reader, RecordHeader* header);
/* After READ_BAD_HEADER: find the next intact header of this archive after
 * the damaged spot; true if found (the next archive_read reads it). */
bool archive_resync(ArchiveReader* reader, uint64_t* skipped_from, uint64_t* skipped_to);
/* Seek back to the first record (after the preamble). */
int archive_rewind(ArchiveReader* reader);

/* A file known to a backup: an entry of an archive's catalog (the accurate
 * list of the next backup). */
typedef struct KnownFile {
  char* name;  /* as archived (directories end with '/') */
  char* link;  /* may be NULL */
  int type;
  struct stat st;
  bool seen;
} KnownFile;

void known_file_free(void* file);
/* The hash key of a name: without trailing '/' (malloc'ed). */
char* known_file_key(const char* name);
KnownFile* known_file_new(const char* name, const char* link, int type, const struct stat* st);

/* A restore object stored in an archive. */
typedef struct StoredObject {
  char* plugin_name;
  char* name;
  char* data;
  uint32_t length;
  uint32_t full_length;
  int32_t index;
  int32_t type;
  int32_t compression;
  uint64_t offset;
  struct StoredObject* next;
} StoredObject;

/* The restoreObject packet of a stored object, sent to plugins at the
 * start of a restore and (plugin configuration objects) of a backup. */
void restore_object_from_archive(const StoredObject* object, uint32_t job_id,
                                 restore_object_pkt* rop);

/* What a quick pass over an archive finds (data is skipped, not verified). */
typedef struct ArchiveSummary {
  char* job_name;
  uint32_t job_id;
  char level;
  char job_type;
  time_t start_time;
  time_t since;
  time_t full_start_time;
  bool accurate;
  bool has_header;
  bool complete;       /* the end-of-job record was found */
  StoredObject* objects;
  int problems;        /* damaged or missing records seen */
  char* first_problem; /* description of the first one */
} ArchiveSummary;

/* Read the job header, the restore objects and (if catalog is not NULL)
 * the catalog into a table of KnownFile by known_file_key.  -1 with *error
 * set if the file cannot be read as an archive at all. */
int archive_summarize(const char* path, ArchiveSummary* summary, HashTable* catalog, char** error);
void archive_summary_free(ArchiveSummary* summary);

/* -- walking an archive (walk.c) ----------------------------------------------------- */

/* An entry record, decoded. */
typedef struct EntryInfo {
  uint64_t entry;      /* file index */
  uint64_t offset;     /* of the entry record */
  char* cmd;           /* plugin definition */
  int type;
  char* name;          /* as archived */
  char* fname;         /* the plugin's fname when it differs from name (directories) */
  char* link;          /* may be NULL */
  struct stat st;
  char flags[8];
  uint32_t delta_seq;
  bool has_data;
  uint64_t link_fi;
} EntryInfo;

/* What archive_walk reports.  Every callback may be NULL.  Data reaches
 * `chunk` only from intact records, in order; `data_end` is called once the
 * whole stream matched its size and SHA-256; `entry_failed` ends an entry
 * that is damaged (no entry_end follows); `problem` receives every problem as
 * a sentence naming the archive, the entry and the offset. */
typedef struct WalkCallbacks {
  void* data;
  void (*entry)(void* data, const EntryInfo* entry);
  void (*chunk)(void* data, const char* bytes, uint32_t length);
  void (*data_end)(void* data, uint64_t size, int read_error);
  void (*acl)(void* data, const char* bytes, uint32_t length);
  void (*xattr)(void* data, const char* bytes, uint32_t length);
  void (*entry_end)(void* data, bool complete);
  void (*entry_failed)(void* data, const char* reason);
  void (*object)(void* data, const StoredObject* object);
  void (*deleted)(void* data, const char* name, int type);
  void (*problem)(void* data, const char* text);
  bool (*stop)(void* data);
} WalkCallbacks;

/* Read the whole archive, checking every record.  Returns the number of
 * problems found, or -1 (with *error) if it cannot be read at all. */
int archive_walk(const char* path, const WalkCallbacks* callbacks, char** error);

const char* record_type_name(int type);
const char* file_type_name(int type);

#endif
