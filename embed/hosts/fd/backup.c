/* backup.c -- the backup and estimate commands: spec §7.1 to §7.6. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "trace.h"
#include "kit/sha256.h"

/* A hard link seen in this job: the entry that holds the data. */
typedef struct HardLink {
  uint64_t entry;
  char name[];
} HardLink;

static void set_flag(char flags[FOPTS_BYTES], int bit) { flags[bit >> 3] |= (char)(1 << (bit & 7)); }
static void clear_flag(char flags[FOPTS_BYTES], int bit) { flags[bit >> 3] &= (char)~(1 << (bit & 7)); }
static bool has_flag(const char flags[FOPTS_BYTES], int bit) { return (flags[bit >> 3] & (1 << (bit & 7))) != 0; }

static bool is_object_type(int type)
{
  return type == FT_RESTORE_FIRST || type == FT_PLUGIN_CONFIG || type == FT_PLUGIN_CONFIG_FILLED;
}

static void init_fileset_flags(Job* job)
{
  const JobOptions* options = job->options;
  memset(job->fileset_flags, 0, FOPTS_BYTES);
  if (options->acl) set_flag(job->fileset_flags, FO_ACL);
  if (options->xattr) set_flag(job->fileset_flags, FO_XATTR);
  if (options->noatime) set_flag(job->fileset_flags, FO_NOATIME);
  if (options->no_hardlink) set_flag(job->fileset_flags, FO_NO_HARDLINK);
  if (options->mtime_only) set_flag(job->fileset_flags, FO_MTIMEONLY);
  if (options->check_changes) set_flag(job->fileset_flags, FO_CHKCHANGES);
  set_flag(job->fileset_flags, FO_SHA256);
}

static void fresh_save_packet(Job* job, save_pkt* sp, const char* definition)
{
  memset(sp, 0, sizeof *sp);
  sp->pkt_size = sizeof *sp;
  sp->pkt_end = sizeof *sp;
  sp->portable = true;
  sp->no_read = false;
  memcpy(sp->flags, job->fileset_flags, FOPTS_BYTES);
  sp->cmd = (char*)definition;
}

static void fresh_io_packet(io_pkt* io, int func)
{
  memset(io, 0, sizeof *io);
  io->pkt_size = sizeof *io;
  io->pkt_end = sizeof *io;
  io->func = func;
  io->filedes = kInvalidFiledescriptor;
}

/* -- the previous backup -------------------------------------------------------------- */

/* Read --previous: since time, previous job name, accurate list, and the
 * FT_PLUGIN_CONFIG objects to send.  false after an M_FATAL. */
static bool load_previous(Job* job, ArchiveSummary* previous)
{
  const JobOptions* options = job->options;
  char* error = NULL;
  if (archive_summarize(options->previous, previous, &job->previous_files, &error) != 0) {
    job_message(job, M_FATAL, "cannot use the previous archive: %s", error);
    free(error);
    return false;
  }
  if (previous->problems) {
    job_message(job, M_FATAL, "the previous archive %s is damaged (%s); run a Full backup",
                options->previous, previous->first_problem);
    return false;
  }
  if (!previous->complete)
    job_message(job, M_WARNING, "the previous archive %s has no end-of-job record",
                options->previous);
  job->previous_job_name = xstrdup(previous->job_name ? previous->job_name : "");
  job->full_start_time = previous->full_start_time;
  job->since = job->level == L_DIFFERENTIAL ? previous->full_start_time : previous->start_time;
  job->have_previous_files = job->accurate;
  return true;
}

static void send_previous_objects(Job* job, const ArchiveSummary* previous)
{
  for (const StoredObject* object = previous->objects; object && !job_canceled(job);
       object = object->next) {
    if (object->type != FT_PLUGIN_CONFIG) continue;
    restore_object_pkt rop;
    restore_object_from_archive(object, previous->job_id, &rop);
    job_event(job, bEventRestoreObject, &rop);
  }
  job_event(job, bEventRestoreObject, NULL);
}

/* -- archive records ---------------------------------------------------------------------- */

static void write_record(Job* job, int type, uint64_t entry, const Buffer* payload)
{
  if (!job->writing) return;
  if (archive_write_buffer(&job->writer, type, entry, payload) != 0) {
    job_message(job, M_FATAL, "cannot write the archive %s: %s", job->options->archive,
                strerror(errno));
    job->writing = false;
  }
}

static void write_job_header(Job* job)
{
  Buffer payload;
  buffer_init(&payload);
  tlv_add_u64(&payload, HDR_VERSION, ARCHIVE_VERSION);
  tlv_add_str(&payload, HDR_JOB_NAME, job->name);
  tlv_add_u64(&payload, HDR_JOB_ID, job->id);
  tlv_add_u64(&payload, HDR_JOB_TYPE, (unsigned char)job->type);
  tlv_add_u64(&payload, HDR_LEVEL, (unsigned char)job->level);
  tlv_add_u64(&payload, HDR_START_TIME, (uint64_t)job->start_time);
  tlv_add_u64(&payload, HDR_SINCE, (uint64_t)job->since);
  tlv_add_u64(&payload, HDR_FULL_START_TIME,
              (uint64_t)(job->level == L_FULL ? job->start_time : job->full_start_time));
  if (job->previous_job_name) tlv_add_str(&payload, HDR_PREVIOUS_JOB, job->previous_job_name);
  tlv_add_u64(&payload, HDR_ACCURATE, job->accurate ? 1 : 0);
  tlv_add_str(&payload, HDR_SOFTWARE, HOST_NAME " " HOST_VERSION);
  tlv_add_str(&payload, HDR_CLIENT, host.client);
  for (int i = 0; i < job->options->n_definitions; i++)
    tlv_add_str(&payload, HDR_DEFINITION, job->options->definitions[i]);
  write_record(job, REC_HEADER, 0, &payload);
  buffer_free(&payload);
}

static void write_object(Job* job, const char* definition, const save_pkt* sp)
{
  Buffer payload;
  buffer_init(&payload);
  tlv_add_str(&payload, OBJ_PLUGIN, definition);
  tlv_add_str(&payload, OBJ_NAME, sp->object_name);
  tlv_add_u64(&payload, OBJ_INDEX, (uint64_t)(int64_t)sp->index);
  tlv_add_u64(&payload, OBJ_TYPE, (uint64_t)sp->type);
  tlv_add(&payload, OBJ_DATA, sp->object ? sp->object : "",
          sp->object && sp->object_len > 0 ? (uint32_t)sp->object_len : 0);
  tlv_add_u64(&payload, OBJ_FULL_LENGTH, (uint64_t)(sp->object_len > 0 ? sp->object_len : 0));
  tlv_add_u64(&payload, OBJ_COMPRESSION, 0);
  write_record(job, REC_OBJECT, job->next_entry++, &payload);
  buffer_free(&payload);
  job->objects++;
}

/* -- one file ------------------------------------------------------------------------------ */

/* A warning if a file changed while it was read.  Always when the data read
 * differ in length from a non-zero size the plugin gave; with FO_CHKCHANGES
 * also from a size of 0, and (when the core read the plugin's descriptor)
 * when the descriptor's size or mtime now differ from the stat the plugin
 * gave.  The archive keeps what was read either way. */
static void check_changed(Job* job, const save_pkt* sp, const char* flags, int fd, uint64_t read)
{
  if (sp->type != FT_REG && sp->type != FT_REGE) return;
  bool check = has_flag(flags, FO_CHKCHANGES);
  long long size = (long long)sp->statp.st_size;
  if ((size > 0 || check) && (uint64_t)size != read) {
    job_message(job, M_WARNING, "%s: the file changed while it was read: %lld bytes at the start, %llu read",
                sp->fname, size, (unsigned long long)read);
    return;
  }
  struct stat now;
  if (check && fd >= 0 && fstat(fd, &now) == 0 &&
      (now.st_size != sp->statp.st_size || now.st_mtime != sp->statp.st_mtime))
    job_message(job, M_WARNING, "%s: the file changed during the backup (size %lld -> %lld, mtime %lld -> %lld)",
                sp->fname, size, (long long)now.st_size, (long long)sp->statp.st_mtime,
                (long long)now.st_mtime);
}

/* The data stream of one file: IO_OPEN, IO_READ (or read() on the plugin's
 * descriptor), IO_CLOSE; DATA records and the DATA_END record.  Returns false
 * if the data could not be read completely. */
static bool save_data(Job* job, Instance* instance, const save_pkt* sp, const char* flags,
                      uint64_t entry, uint64_t* bytes_out)
{
  FdPluginFunctions* functions = instance->plugin->functions;
  PluginContext* ctx = &instance->ctx;
  io_pkt io;
  fresh_io_packet(&io, IO_OPEN);
  io.fname = sp->fname;
  io.flags = O_RDONLY | (has_flag(flags, FO_NOATIME) ? O_NOATIME : 0);
  io.mode = 0;
  bRC rc = functions->pluginIO(ctx, &io);
  trace_io(job, &io, rc);
  int fd = -1;
  bool core_io = false;
  bool opened;
  if (rc == bRC_Error) {
    opened = false;
  } else if (io.status == iostat_do_in_core) {
    core_io = io.filedes != kInvalidFiledescriptor;
    fd = io.filedes;
    opened = core_io;
  } else {
    opened = io.status >= 0;
  }
  Sha256 sha;
  sha256_init(&sha);
  unsigned char digest[SHA256_DIGEST_SIZE];
  Buffer end;
  buffer_init(&end);
  if (!opened) {
    int error = io.io_errno ? io.io_errno : EIO;
    job_message(job, M_NOTSAVED, "Cannot open \"%s\": ERR=%s.", sp->fname, strerror(error));
    job->errors++;
    sha256_final(&sha, digest);
    tlv_add_u64(&end, DEND_SIZE, 0);
    tlv_add(&end, DEND_SHA256, digest, sizeof digest);
    tlv_add_u64(&end, DEND_ERROR, (uint64_t)error);
    write_record(job, REC_DATA_END, entry, &end);
    buffer_free(&end);
    return false;
  }
  int32_t count = (int32_t)DATA_CHUNK_SIZE;
  if (has_flag(flags, FO_SPARSE) || has_flag(flags, FO_OFFSETS)) count -= 8;
  char* buffer = xmalloc(DATA_CHUNK_SIZE);
  uint64_t offset = 0;
  int read_error = 0;
  int retries = 0;
  while (!job_canceled(job)) {
    ssize_t got;
    if (core_io) {
      got = 0;
      while (got < count) {
        ssize_t n = read(fd, buffer + got, (size_t)(count - got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          read_error = errno;
          break;
        }
        if (n == 0) break;
        got += n;
      }
      if (read_error && got == 0) got = -1;
    } else {
      fresh_io_packet(&io, IO_READ);
      io.count = count;
      io.buf = buffer;
      io.filedes = 0;
      trace_io(job, &io, functions->pluginIO(ctx, &io));
      got = io.status;
      if (got < 0 && io.io_errno == EINTR && retries++ < 10) continue;
      if (got < 0) read_error = io.io_errno ? io.io_errno : EIO;
      if (got > count) {
        read_error = EOVERFLOW;
        got = -1;
      }
    }
    if (got > 0) {
      unsigned char where[8];
      put_le64(where, offset);
      sha256_update(&sha, buffer, (size_t)got);
      if (job->writing &&
          archive_write(&job->writer, REC_DATA, entry, where, 8, buffer, (uint32_t)got) != 0) {
        job_message(job, M_FATAL, "cannot write the archive %s: %s", job->options->archive,
                    strerror(errno));
        job->writing = false;
      }
      offset += (uint64_t)got;
      job->bytes += (uint64_t)got;
      job_progress(job, false);
    }
    if (read_error) {
      job_message(job, M_ERROR, "Read error on file %s. ERR=%s", sp->fname, strerror(read_error));
      break;
    }
    if (got <= 0) break;
  }
  free(buffer);
  if (!read_error && !job_canceled(job)) check_changed(job, sp, flags, core_io ? fd : -1, offset);
  fresh_io_packet(&io, IO_CLOSE);
  io.filedes = core_io ? fd : 0;
  trace_io(job, &io, functions->pluginIO(ctx, &io));
  sha256_final(&sha, digest);
  tlv_add_u64(&end, DEND_SIZE, offset);
  tlv_add(&end, DEND_SHA256, digest, sizeof digest);
  tlv_add_u64(&end, DEND_ERROR, (uint64_t)read_error);
  write_record(job, REC_DATA_END, entry, &end);
  buffer_free(&end);
  *bytes_out = offset;
  return read_error == 0;
}

static void save_acl(Job* job, Instance* instance, const save_pkt* sp, uint64_t entry)
{
  FdPluginFunctions* functions = instance->plugin->functions;
  if (!functions->getAcl) return;
  acl_pkt ap;
  memset(&ap, 0, sizeof ap);
  ap.pkt_size = ap.pkt_end = sizeof ap;
  ap.fname = sp->fname;
  bRC rc = functions->getAcl(&instance->ctx, &ap);
  trace_simple(job, "get_acl", sp->fname, rc);
  if (rc != bRC_OK) {
    job_message(job, M_ERROR, "Error while getting the ACL of %s (getAcl returned %d)", sp->fname, rc);
  } else if (ap.content && ap.content_length > 0) {
    if (job->writing &&
        archive_write(&job->writer, REC_ACL, entry, ap.content, ap.content_length, NULL, 0) != 0) {
      job_message(job, M_FATAL, "cannot write the archive %s: %s", job->options->archive,
                  strerror(errno));
      job->writing = false;
    }
  }
  free(ap.content);
}

static void save_xattrs(Job* job, Instance* instance, const save_pkt* sp, uint64_t entry)
{
  FdPluginFunctions* functions = instance->plugin->functions;
  if (!functions->getXattr) return;
  Buffer pairs;
  buffer_init(&pairs);
  bool failed = false;
  for (int calls = 0;; calls++) {
    xattr_pkt xp;
    memset(&xp, 0, sizeof xp);
    xp.pkt_size = xp.pkt_end = sizeof xp;
    xp.fname = sp->fname;
    bRC rc = functions->getXattr(&instance->ctx, &xp);
    trace_simple(job, "get_xattr", sp->fname, rc);
    if ((rc == bRC_OK || rc == bRC_More) && xp.name && xp.name_length > 0) {
      tlv_add(&pairs, XATTR_NAME, xp.name, xp.name_length);
      tlv_add(&pairs, XATTR_VALUE, xp.value ? xp.value : "", xp.value ? xp.value_length : 0);
    }
    free(xp.name);
    free(xp.value);
    if (pairs.length > RECORD_MAX_PAYLOAD / 2 || calls > 1000000) {
      job_message(job, M_ERROR, "Extended attributes of %s exceed %u bytes; not saved", sp->fname,
                  RECORD_MAX_PAYLOAD / 2);
      failed = true;
      break;
    }
    if (rc == bRC_More) continue;
    if (rc != bRC_OK) {
      job_message(job, M_ERROR, "Error while getting the extended attributes of %s (getXattr returned %d)",
                  sp->fname, rc);
      failed = true;
    }
    break;
  }
  if (!failed && pairs.length) write_record(job, REC_XATTR, entry, &pairs);
  buffer_free(&pairs);
}

/* The catalog name of a file: directories end with '/'. */
static char* catalog_name(const save_pkt* sp, int type)
{
  bool dir = type == FT_DIREND || S_ISDIR(sp->statp.st_mode);
  if (!dir) return xstrdup(sp->fname);
  if (sp->link && *sp->link && ends_with(sp->link, "/")) return xstrdup(sp->link);
  return ends_with(sp->fname, "/") ? xstrdup(sp->fname) : xasprintf("%s/", sp->fname);
}

/* An unchanged file: remember it for the catalog, with its original type. */
static void record_unchanged(Job* job, const save_pkt* sp)
{
  char* name = catalog_name(sp, sp->type);
  char* key = known_file_key(name);
  KnownFile* previous = job->have_previous_files ? hash_get(&job->previous_files, key) : NULL;
  int type = previous ? previous->type
                      : S_ISDIR(sp->statp.st_mode) ? FT_DIREND
                      : S_ISLNK(sp->statp.st_mode) ? FT_LNK
                      : S_ISFIFO(sp->statp.st_mode) ? FT_FIFO : FT_REG;
  const char* link = sp->link && *sp->link ? sp->link : (previous ? previous->link : NULL);
  job_record_current(job, name, type == FT_DIREND ? name : link, type, &sp->statp);
  free(key);
  free(name);
  job->unchanged++;
  host_debug(100, "Unchanged file skipped: %s\n", sp->fname);
}

/* SaveFile (§7.3) for a plugin file. */
static void save_file(Job* job, Instance* instance, const char* definition, save_pkt* sp,
                      const char* flags, uint64_t link_fi)
{
  int type = sp->type;
  switch (type) {
    case FT_NOCHG:
    case FT_DIRNOCHG:
      record_unchanged(job, sp);
      return;
    case FT_DIRBEGIN: return;
    case FT_NOACCESS:
      job_message(job, M_NOTSAVED, "Could not access \"%s\"", sp->fname);
      job->errors++;
      return;
    case FT_NOFOLLOW:
      job_message(job, M_NOTSAVED, "Could not follow link \"%s\"", sp->fname);
      job->errors++;
      return;
    case FT_NOSTAT:
      job_message(job, M_NOTSAVED, "Could not stat \"%s\"", sp->fname);
      job->errors++;
      return;
    case FT_NOOPEN:
      job_message(job, M_NOTSAVED, "Could not open directory \"%s\"", sp->fname);
      job->errors++;
      return;
    case FT_ISARCH:
      job_message(job, M_NOTSAVED, "%s is the archive itself; not saved", sp->fname);
      return;
    case FT_NORECURSE:
    case FT_NOFSCHG:
    case FT_INVALIDFS:
    case FT_INVALIDDT:
      job_message(job, M_INFO, "%s: not descending into it; saving the directory entry only",
                  sp->fname);
      type = FT_DIREND;
      break;
    case FT_SPEC:
      if (S_ISSOCK(sp->statp.st_mode)) {
        job_message(job, M_SKIPPED, "Socket file skipped: %s", sp->fname);
        return;
      }
      break;
    case FT_RESTORE_FIRST:
    case FT_PLUGIN_CONFIG:
      write_object(job, definition, sp);
      return;
    case FT_LNKSAVED:
    case FT_REGE:
    case FT_REG:
    case FT_LNK:
    case FT_DIREND:
    case FT_RAW:
    case FT_FIFO:
    case FT_REPARSE:
    case FT_JUNCTION:
      break;
    default:
      job_message(job, M_NOTSAVED, "Unknown file type %d: %s", type, sp->fname);
      job->errors++;
      return;
  }
  if (S_ISREG(sp->statp.st_mode) && job->archive_ino && sp->statp.st_ino == job->archive_ino &&
      sp->statp.st_dev == job->archive_dev) {
    job_message(job, M_INFO, "%s is the archive being written: not saved", sp->fname);
    return;
  }
  /* Attributes: for a directory the link field (with a trailing '/') is its name. */
  char* name = type == FT_DIREND ? catalog_name(sp, type) : xstrdup(sp->fname);
  uint64_t entry = job->next_entry++;
  bool has_data = !sp->no_read;
  Buffer payload;
  buffer_init(&payload);
  tlv_add_str(&payload, ENT_CMD, definition);
  tlv_add_u64(&payload, ENT_TYPE, (uint64_t)type);
  tlv_add_str(&payload, ENT_NAME, name);
  if (strcmp(name, sp->fname) != 0) tlv_add_str(&payload, ENT_FNAME, sp->fname);
  if (sp->link) tlv_add_str(&payload, ENT_LINK, sp->link);
  tlv_add_stat(&payload, ENT_STAT, &sp->statp);
  tlv_add(&payload, ENT_FLAGS, flags, FOPTS_BYTES);
  tlv_add_u64(&payload, ENT_DELTA_SEQ, sp->delta_seq);
  tlv_add_u64(&payload, ENT_HAS_DATA, has_data ? 1 : 0);
  if (type == FT_LNKSAVED) tlv_add_u64(&payload, ENT_LINK_FI, link_fi);
  write_record(job, REC_ENTRY, entry, &payload);
  job_record_current(job, name, sp->link, type, &sp->statp);
  job->files++;
  job->current_file = sp->fname;
  bool complete = true;
  if (has_data) {
    uint64_t bytes = 0;
    complete = save_data(job, instance, sp, flags, entry, &bytes);
  }
  if (has_flag(flags, FO_ACL) && type != FT_LNK) save_acl(job, instance, sp, entry);
  if (has_flag(flags, FO_XATTR)) save_xattrs(job, instance, sp, entry);
  buffer_clear(&payload);
  tlv_add_u64(&payload, EEND_STATUS, complete ? 0 : 1);
  write_record(job, REC_ENTRY_END, entry, &payload);
  buffer_free(&payload);
  free(name);
  job_progress(job, false);
}

/* §7.4: same (st_dev, st_ino) under another name becomes FT_LNKSAVED. */
static uint64_t handle_hardlink(Job* job, save_pkt* sp, const char* flags, const char** link_out)
{
  mode_t mode = sp->statp.st_mode;
  if (has_flag(flags, FO_NO_HARDLINK) || sp->statp.st_nlink <= 1) return 0;
  if (!(S_ISREG(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode)))
    return 0;
  char key[34];
  hash_key_u64_pair((uint64_t)sp->statp.st_dev, (uint64_t)sp->statp.st_ino, key);
  HardLink* first = hash_get(&job->hardlinks, key);
  if (!first) {
    size_t length = strlen(sp->fname);
    first = xmalloc(sizeof *first + length + 1);
    first->entry = job->next_entry;
    memcpy(first->name, sp->fname, length + 1);
    hash_put(&job->hardlinks, key, first);
    return 0;
  }
  if (strcmp(first->name, sp->fname) == 0) {
    sp->no_read = true;
    return 0;
  }
  sp->type = FT_LNKSAVED;
  *link_out = first->name;
  sp->no_read = true;
  return first->entry;
}

/* The PluginSave loop (§7.2) for one definition.  false: abort the job. */
static bool plugin_save(Job* job, const char* definition)
{
  Instance* instance = job_instance_for(job, definition, bEventBackupCommand);
  if (!instance) {
    job_message(job, M_FATAL, "Command plugin \"%s\" not found.", definition);
    return false;
  }
  bRC rc = instance_event(instance, bEventBackupCommand, (void*)definition);
  if (rc != bRC_OK) {
    job_message(job, M_FATAL, "Command plugin \"%s\": the backup command failed (%d).", definition, rc);
    return false;
  }
  FdPluginFunctions* functions = instance->plugin->functions;
  while (!job_canceled(job)) {
    save_pkt sp;
    fresh_save_packet(job, &sp, definition);
    rc = functions->startBackupFile(&instance->ctx, &sp);
    trace_start_backup_file(job, &sp, rc);
    switch (rc) {
      case bRC_OK: break;
      case bRC_Stop: return true;
      case bRC_Skip: continue;
      case bRC_Error:
        job_message(job, M_FATAL, "Command plugin \"%s\": startBackupFile failed.", definition);
        return false;
      default:
        job_message(job, M_ERROR, "Command plugin \"%s\": unhandled returncode from startBackupFile: %d",
                    definition, rc);
        return true;
    }
    if (sp.type == 0) {
      job_message(job, M_FATAL, "Command plugin \"%s\": no type in startBackupFile packet.", definition);
      return false;
    }
    char flags[FOPTS_BYTES];
    memcpy(flags, job->fileset_flags, FOPTS_BYTES);
    uint64_t link_fi = 0;
    if (is_object_type(sp.type)) {
      if (!sp.object_name) {
        job_message(job, M_FATAL, "Command plugin \"%s\": no object_name in startBackupFile packet.",
                    definition);
        return false;
      }
    } else {
      if (!sp.fname) {
        job_message(job, M_FATAL, "Command plugin \"%s\": no fname in startBackupFile packet.",
                    definition);
        return false;
      }
      if (!*sp.fname) {
        /* an archive cannot restore a file without a name */
        job_message(job, M_ERROR, "Command plugin \"%s\": an empty fname in startBackupFile packet; "
                    "nothing saved for it", definition);
        rc = functions->endBackupFile(&instance->ctx);
        trace_simple(job, "end_backup_file", NULL, rc);
        if (rc != bRC_More) break;
        continue;
      }
      /* The plugin's say on these four bits (§1.6.7). */
      const int bits[] = {FO_DELTA, FO_OFFSETS, FO_SPARSE, FO_PORTABLE_DATA};
      for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        if (has_flag(sp.flags, bits[i]))
          set_flag(flags, bits[i]);
        else
          clear_flag(flags, bits[i]);
      }
      sp.delta_seq = has_flag(flags, FO_DELTA) ? sp.delta_seq + 1 : 0;
      set_flag(flags, FO_PLUGIN);
      if (sp.type != FT_NOCHG && sp.type != FT_DIRNOCHG) {
        const char* link = NULL;
        link_fi = handle_hardlink(job, &sp, flags, &link);
        if (link) sp.link = (char*)link;
      }
    }
    save_file(job, instance, definition, &sp, flags, link_fi);
    job->current_file = NULL;
    rc = functions->endBackupFile(&instance->ctx);
    trace_simple(job, "end_backup_file", NULL, rc);
    if ((rc == bRC_OK || rc == bRC_More) && sp.fname && job->accurate)
      job_mark_seen(job, sp.fname);
    if (rc != bRC_More) break;
  }
  return true;
}

/* -- catalog and deleted files -------------------------------------------------------- */

typedef struct FileList {
  KnownFile** items;
  size_t count;
} FileList;

static void collect(const char* key, void* value, void* data)
{
  (void)key;
  FileList* list = data;
  list->items[list->count++] = value;
}

static int compare_known(const void* a, const void* b)
{
  return strcmp((*(KnownFile* const*)a)->name, (*(KnownFile* const*)b)->name);
}

static FileList sorted_files(const HashTable* table)
{
  FileList list;
  list.items = xmalloc(sizeof(KnownFile*) * (table->count + 1));
  list.count = 0;
  hash_each(table, collect, &list);
  qsort(list.items, list.count, sizeof(KnownFile*), compare_known);
  return list;
}

/* §7.1 step 9: every file of the previous backup that was not seen is
 * deleted, unless a plugin's checkFile answers bRC_Seen. */
static void check_deleted_files(Job* job)
{
  FileList list = sorted_files(&job->previous_files);
  Buffer payload;
  buffer_init(&payload);
  for (size_t i = 0; i < list.count && !job_canceled(job); i++) {
    KnownFile* known = list.items[i];
    if (known->seen) continue;
    bool keep = false;
    for (int k = 0; k < job->n_instances && !keep; k++) {
      Instance* instance = &job->instances[k];
      if (instance->disabled || !instance->plugin->functions->checkFile) continue;
      bRC checked = instance->plugin->functions->checkFile(&instance->ctx, known->name);
      trace_simple(job, "check_file", known->name, checked);
      if (checked == bRC_Seen) keep = true;
    }
    char* key = known_file_key(known->name);
    if (keep) {
      if (!hash_get(&job->current_files, key))
        job_record_current(job, known->name, known->link, known->type, &known->st);
    } else {
      buffer_clear(&payload);
      tlv_add_str(&payload, DEL_NAME, known->name);
      tlv_add_u64(&payload, DEL_TYPE, (uint64_t)known->type);
      write_record(job, REC_DELETED, 0, &payload);
      job->deleted++;
    }
    free(key);
  }
  buffer_free(&payload);
  free(list.items);
}

static void write_catalog(Job* job)
{
  FileList list = sorted_files(&job->current_files);
  Buffer payload, item;
  buffer_init(&payload);
  buffer_init(&item);
  for (size_t i = 0; i < list.count; i++) {
    KnownFile* known = list.items[i];
    buffer_clear(&item);
    tlv_add_str(&item, ITEM_NAME, known->name);
    tlv_add_u64(&item, ITEM_TYPE, (uint64_t)known->type);
    if (known->link) tlv_add_str(&item, ITEM_LINK, known->link);
    tlv_add_stat(&item, ITEM_STAT, &known->st);
    tlv_add(&payload, CAT_ITEM, item.data, (uint32_t)item.length);
    if (payload.length >= (1u << 20)) {
      write_record(job, REC_CATALOG, 0, &payload);
      buffer_clear(&payload);
    }
  }
  if (payload.length) write_record(job, REC_CATALOG, 0, &payload);
  buffer_free(&payload);
  buffer_free(&item);
  free(list.items);
}

static void write_trailer(Job* job)
{
  Buffer payload;
  buffer_init(&payload);
  tlv_add_u64(&payload, TRL_END_TIME, (uint64_t)time(NULL));
  tlv_add_u64(&payload, TRL_FILES, job->files);
  tlv_add_u64(&payload, TRL_BYTES, job->bytes);
  tlv_add_u64(&payload, TRL_ERRORS, job->errors);
  tlv_add_u64(&payload, TRL_DELETED, job->deleted);
  tlv_add_u64(&payload, TRL_STATUS,
              (unsigned char)(job->cancelled ? JS_Canceled
                              : job->fatal   ? JS_FatalError
                              : job->errors  ? JS_ErrorTerminated
                                             : JS_Terminated));
  tlv_add_u64(&payload, TRL_RECORDS, job->writer.sequence);
  write_record(job, REC_TRAILER, 0, &payload);
  buffer_free(&payload);
}

/* -- the commands ------------------------------------------------------------------------- */

/* Steps 1-4 of §7.1, shared with estimate: instances, level, FileSet. */
static void begin_job(Job* job)
{
  job_start(job);
  if (job->level == L_INCREMENTAL || job->level == L_DIFFERENTIAL)
    job_event(job, bEventSince, (void*)(intptr_t)job->since);
  job_event(job, bEventLevel, (void*)(intptr_t)job->level);
  for (int i = 0; i < job->options->n_definitions; i++)
    job_event(job, bEventPluginCommand, job->options->definitions[i]);
  job_event(job, bEventEndFileSet, NULL);
  if (job->options->plugin_options)
    job_event(job, bEventNewPluginOptions, job->options->plugin_options);
}

void run_backup(Job* job)
{
  const JobOptions* options = job->options;
  init_fileset_flags(job);
  ArchiveSummary previous;
  memset(&previous, 0, sizeof previous);
  bool have_previous = false;
  if (options->previous) {
    if (!load_previous(job, &previous)) {
      archive_summary_free(&previous);
      job_finish(job);
      return;
    }
    have_previous = true;
  }
  if (job->level == L_FULL) {
    job->since = 0;
    job->have_previous_files = false;
  }
  if (archive_create(&job->writer, options->archive) != 0) {
    job_message(job, M_FATAL, "cannot create the archive %s: %s", options->archive, strerror(errno));
    archive_summary_free(&previous);
    job_finish(job);
    return;
  }
  job->writing = true;
  struct stat archive_stat;
  if (fstat(fileno(job->writer.file), &archive_stat) == 0) {
    job->archive_dev = archive_stat.st_dev;
    job->archive_ino = archive_stat.st_ino;
  }
  write_job_header(job);
  begin_job(job);
  if (have_previous && job->level != L_FULL) send_previous_objects(job, &previous);
  job_event(job, bEventStartBackupJob, NULL);
  for (int i = 0; i < options->n_definitions && !job_canceled(job); i++)
    if (!plugin_save(job, options->definitions[i])) break;
  if (job->accurate && job->have_previous_files && !job_canceled(job)) check_deleted_files(job);
  write_catalog(job);
  job_event(job, bEventEndBackupJob, NULL);
  write_trailer(job);
  if (archive_close(&job->writer) != 0 && job->writing)
    job_message(job, M_FATAL, "cannot write the archive %s: %s", options->archive, strerror(errno));
  job->writing = false;
  archive_summary_free(&previous);
  job_progress(job, true);
  job_finish(job);
}

void run_estimate(Job* job)
{
  const JobOptions* options = job->options;
  init_fileset_flags(job);
  ArchiveSummary previous;
  memset(&previous, 0, sizeof previous);
  if (options->previous) {
    if (!load_previous(job, &previous)) {
      archive_summary_free(&previous);
      job_finish(job);
      return;
    }
  }
  if (job->level == L_FULL) {
    job->since = 0;
    job->have_previous_files = false;
  }
  begin_job(job);
  Buffer line;
  buffer_init(&line);
  for (int d = 0; d < options->n_definitions && !job_canceled(job); d++) {
    const char* definition = options->definitions[d];
    Instance* instance = job_instance_for(job, definition, bEventEstimateCommand);
    if (!instance) {
      job_message(job, M_FATAL, "Command plugin \"%s\" not found.", definition);
      break;
    }
    if (instance_event(instance, bEventEstimateCommand, (void*)definition) != bRC_OK) continue;
    FdPluginFunctions* functions = instance->plugin->functions;
    bool more = true;
    while (more && !job_canceled(job)) {
      save_pkt sp;
      fresh_save_packet(job, &sp, definition);
      bRC started = functions->startBackupFile(&instance->ctx, &sp);
      trace_start_backup_file(job, &sp, started);
      if (started != bRC_OK) break;
      if (sp.type == 0) {
        job_message(job, M_FATAL, "Command plugin \"%s\": no type in startBackupFile packet.", definition);
        break;
      }
      if (!is_object_type(sp.type) && !sp.fname) {
        job_message(job, M_FATAL, "Command plugin \"%s\": no fname in startBackupFile packet.", definition);
        break;
      }
      switch (sp.type) {
        case FT_REGE:
        case FT_REG:
          job->bytes += (uint64_t)sp.statp.st_size;
          /* fall through */
        case FT_LNK:
        case FT_DIREND:
        case FT_SPEC:
        case FT_RAW:
        case FT_FIFO:
        case FT_LNKSAVED:
          job->files++;
          if (options->listing) {
            buffer_clear(&line);
            char* name = sp.type == FT_DIREND ? catalog_name(&sp, sp.type) : xstrdup(sp.fname);
            format_listing_line(&line, sp.statp.st_mode, sp.type, (long long)sp.statp.st_size,
                                sp.statp.st_mtime, name,
                                sp.type == FT_LNK || sp.type == FT_LNKSAVED ? sp.link : NULL);
            free(name);
            pthread_mutex_lock(&output_lock);
            progress_clear();
            fputs(line.data, stdout);
            pthread_mutex_unlock(&output_lock);
          }
          break;
        case FT_NOCHG:
        case FT_DIRNOCHG:
          job->unchanged++;
          break;
        default:
          break;
      }
      job_progress(job, false);
      bRC rc = functions->endBackupFile(&instance->ctx);
      trace_simple(job, "end_backup_file", NULL, rc);
      if ((rc == bRC_OK || rc == bRC_More) && sp.fname && job->accurate) job_mark_seen(job, sp.fname);
      more = rc == bRC_More;
    }
  }
  buffer_free(&line);
  archive_summary_free(&previous);
  job_finish(job);
}
