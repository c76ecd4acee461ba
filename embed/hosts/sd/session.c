/* session.c -- one job over one connection (docs/sd-protocol.md): a backup
 * writes the client's records into volumes, a restore reads them back.
 *
 * The device of a job goes through the storage daemon's steps, each with
 * its event (spec §1.7, §7.14), in this order:
 *
 *   DeviceInit, DeviceReserve, SetupRecordTranslation        once per job
 *   DeviceOpen, DeviceMount, VolumeLoad,                     per volume
 *     LabelRead + LabelVerified (a labelled volume) or LabelWrite (a new one),
 *     VolumeStatus,
 *     Write/ReadRecordTranslation per record (WriteError/ReadError on I/O errors),
 *     VolumeUnload, DeviceUnmount, DeviceClose
 *   DeviceRelease                                            once per job
 *
 * Volumes are shared by all jobs through the registry below: a volume is
 * written by one job at a time, and a job name is stored once.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit/sdproto.h"

/* Attempts to find a volume a job may use, before the job fails. */
#define MOUNT_ATTEMPTS 64
/* Highest number the label format is tried with. */
#define LABEL_NUMBER_LIMIT 100000

/* -- the registry of volumes in use and jobs running ---------------------------- */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static char** busy_volumes = NULL;
static int n_busy_volumes = 0;
static char** running_names = NULL;
static int n_running_names = 0;

static int find_name(char** names, int count, const char* name)
{
  for (int i = 0; i < count; i++)
    if (strcmp(names[i], name) == 0) return i;
  return -1;
}

static void add_name(char*** names, int* count, const char* name)
{
  *names = xrealloc(*names, sizeof(char*) * (size_t)(*count + 1));
  (*names)[(*count)++] = xstrdup(name);
}

static void remove_name(char** names, int* count, const char* name)
{
  int i = find_name(names, *count, name);
  if (i < 0) return;
  free(names[i]);
  names[i] = names[--*count];
}

static void release_volume(const char* name)
{
  pthread_mutex_lock(&registry_lock);
  remove_name(busy_volumes, &n_busy_volumes, name);
  pthread_mutex_unlock(&registry_lock);
}

static char* volume_path(const char* name)
{
  return xasprintf("%s/%s", sd.storage_dir, name);
}

static bool volume_exists(const char* name)
{
  struct stat st;
  char* path = volume_path(name);
  bool exists = lstat(path, &st) == 0;
  free(path);
  return exists;
}

/* -- the device's steps ---------------------------------------------------------- */

/* An event whose refusal fails the step (§7.14): false after a message. */
static bool allowed(Job* job, int event, const char* step)
{
  bRC rc = job_event(job, event, NULL);
  if (rc == bRC_OK) return true;
  job_message(job, M_FATAL, "%s refused by a plugin (%s returned %d)", step, event_name(event), rc);
  return false;
}

static bool reserve_device(Job* job)
{
  job->device.reserved = true;
  job_event(job, bSdEventDeviceInit, NULL);
  job_event(job, bSdEventDeviceReserve, NULL);
  return allowed(job, bSdEventSetupRecordTranslation, "record translation setup");
}

static void release_device(Job* job)
{
  if (!job->device.reserved) return;
  job_event(job, bSdEventDeviceRelease, NULL);
}

static bool io_error_is_full(int error)
{
  return error == ENOSPC || error == EDQUOT || error == EFBIG;
}

static void io_failed(Job* job, int event, const char* what, int error)
{
  job_event(job, event, NULL);
  job_message(job, M_FATAL, "%s volume %s: %s%s", what, job->device.volume_name, strerror(error),
              io_error_is_full(error) ? " (the storage is full)" : "");
}

/* Undo the steps of open_device that were taken, each with its event:
 * VolumeUnload, DeviceUnmount, DeviceClose.  `complain` reports refusals
 * (a normal unmount); after a failure they do not matter. */
static void close_device(Job* job, bool complain)
{
  Device* device = &job->device;
  if (device->loaded && job_event(job, bSdEventVolumeUnload, NULL) != bRC_OK && complain)
    job_message(job, M_ERROR, "unloading volume %s refused by a plugin", device->volume_name);
  if (device->mounted && job_event(job, bSdEventDeviceUnmount, NULL) != bRC_OK && complain)
    job_message(job, M_ERROR, "unmounting volume %s refused by a plugin", device->volume_name);
  job_event(job, bSdEventDeviceClose, NULL);
  close(device->fd);
  device->fd = -1;
  device->loaded = device->mounted = false;
}

static void unmount_volume(Job* job)
{
  Device* device = &job->device;
  if (device->fd < 0) return;
  if (device->appending && fsync(device->fd) != 0) io_failed(job, bSdEventWriteError, "cannot sync", errno);
  close_device(job, true);
  if (device->appending) release_volume(device->volume_name);
  sd_debug(20, "job %s: volume %s unmounted", job->name, device->volume_name);
}

/* A volume that could not be used for appending: close it, remove it if
 * this job created it (empty or holding only a partial label), free it. */
static void abandon_volume(Job* job, const char* name, bool created)
{
  Device* device = &job->device;
  if (device->fd >= 0) {
    close_device(job, false);
    if (created) unlink(device->volume_path);
  }
  release_volume(name);
}

/* DeviceOpen, open the file, DeviceMount, VolumeLoad.  0, or -1 after a message. */
static int open_device(Job* job, const char* name, int flags)
{
  Device* device = &job->device;
  free(device->volume_name);
  free(device->volume_path);
  device->volume_name = xstrdup(name);
  device->volume_path = volume_path(name);
  if (!allowed(job, bSdEventDeviceOpen, "opening the device")) return -1;
  device->fd = open(device->volume_path, flags | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (device->fd < 0) {
    int error = errno;
    job_message(job, M_FATAL, "cannot open volume %s (%s): %s%s", name, device->volume_path,
                strerror(error), error == ENOENT ? " (the volume is missing)" : "");
    return -1;
  }
  struct stat st;
  if (fstat(device->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    job_message(job, M_FATAL, "volume %s is not a regular file", name);
    return -1;
  }
  device->size = (uint64_t)st.st_size;
  if (!allowed(job, bSdEventDeviceMount, "mounting the device")) return -1;
  device->mounted = true;
  if (!allowed(job, bSdEventVolumeLoad, "loading the volume")) return -1;
  device->loaded = true;
  return 0;
}

/* Read and verify the label of the opened volume (LabelRead, LabelVerified).
 * 0 OK, 1 refused by a plugin, -1 after a fatal message. */
static int verify_label(Job* job, const char* pool, uint32_t* label_length)
{
  Device* device = &job->device;
  VolumeLabel label;
  LabelStatus status = volume_read_label(device->fd, &label);
  if (status != LABEL_OK) {
    if (status == LABEL_IO || status == LABEL_DAMAGED) job_event(job, bSdEventReadError, NULL);
    job_message(job, M_FATAL, "volume %s: %s", device->volume_name, label_status_text(status));
    return -1;
  }
  int rc = 0;
  *label_length = label.length;
  if (job_event(job, bSdEventLabelRead, NULL) != bRC_OK) {
    job_message(job, M_WARNING, "volume %s: label rejected by a plugin (LabelRead)", device->volume_name);
    rc = 1;
  } else if (strcmp(label.name, device->volume_name) != 0) {
    job_message(job, M_FATAL, "volume %s: its label names volume %s", device->volume_name, label.name);
    rc = -1;
  } else if (pool && (strcmp(label.pool, pool) != 0 || strcmp(label.media_type, sd.media_type) != 0)) {
    job_message(job, M_FATAL, "volume %s belongs to pool %s (media type %s), not to pool %s (%s)",
                device->volume_name, label.pool, label.media_type, pool, sd.media_type);
    rc = -1;
  } else if (job_event(job, bSdEventLabelVerified, NULL) != bRC_OK) {
    job_message(job, M_WARNING, "volume %s: label rejected by a plugin (LabelVerified)",
                device->volume_name);
    rc = 1;
  }
  label_free(&label);
  return rc;
}

/* Whether the volume's blocks end exactly at its end (nothing cut short)
 * and its last part was not closed because the volume was full. */
static bool volume_tail_clean(int fd, uint64_t start, uint64_t size)
{
  Block block, last;
  bool have_last = false;
  uint64_t offset = start;
  for (uint64_t guard = 0; guard < 100000000u; guard++) {
    int r = volume_read_header(fd, offset, size, &block);
    if (r < 0) return false;
    if (r == 0) break;
    last = block;
    have_last = true;
    offset += BLOCK_HEADER_SIZE + block.length;
  }
  if (!have_last || last.type != BLOCK_EOS) return have_last ? false : true;
  Buffer payload;
  buffer_init(&payload);
  bool full = true;
  if (volume_read_payload(fd, &last, &payload) == 0) {
    char* status = sdp_kv_get(payload.data, "status");
    full = status && strcmp(status, "continued") == 0;
    free(status);
  }
  buffer_free(&payload);
  return !full;
}

/* Whether a labelled volume may take this job's records: same pool and
 * media type, below the size limit, nothing cut short at its end. */
static bool volume_appendable(const char* name, const char* pool)
{
  char* path = volume_path(name);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  free(path);
  if (fd < 0) return false;
  struct stat st;
  VolumeLabel label;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && volume_read_label(fd, &label) == LABEL_OK;
  if (ok) {
    ok = strcmp(label.name, name) == 0 && strcmp(label.pool, pool) == 0 &&
         strcmp(label.media_type, sd.media_type) == 0 &&
         (sd.max_volume_bytes == 0 || (uint64_t)st.st_size < sd.max_volume_bytes) &&
         volume_tail_clean(fd, label.length, (uint64_t)st.st_size);
    label_free(&label);
  }
  close(fd);
  return ok;
}

static int compare_strings(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

/* The volume files of the storage directory, sorted (free each and the array). */
static int list_volume_files(char*** names)
{
  *names = NULL;
  int count = 0;
  DIR* dir = opendir(sd.storage_dir);
  if (!dir) return -1;
  struct dirent* entry;
  while ((entry = readdir(dir)) != NULL) {
    if (!volume_name_valid(entry->d_name)) continue;
    add_name(names, &count, entry->d_name);
  }
  closedir(dir);
  if (count > 1) qsort(*names, (size_t)count, sizeof(char*), compare_strings);
  return count;
}

static void free_names(char** names, int count)
{
  for (int i = 0; i < count; i++) free(names[i]);
  free(names);
}

/* Pick the volume for the next part of a backup and mark it busy:
 * the name a plugin set, else an appendable volume of the pool, else a new
 * name from the label format.  NULL after a fatal message. */
static char* choose_volume(Job* job, char** rejected, int n_rejected, bool* exists)
{
  char* chosen = NULL;
  pthread_mutex_lock(&registry_lock);
  if (job->next_volume_name) {
    chosen = job->next_volume_name;
    job->next_volume_name = NULL;
    if (!volume_name_valid(chosen))
      job_message(job, M_FATAL, "volume name '%s' set by a plugin is not valid", chosen);
    else if (find_name(busy_volumes, n_busy_volumes, chosen) >= 0)
      job_message(job, M_FATAL, "volume %s set by a plugin is in use by another job", chosen);
    else
      *exists = volume_exists(chosen);
    if (job->fatal) {
      free(chosen);
      chosen = NULL;
    }
  } else {
    char** names;
    int count = list_volume_files(&names);
    for (int i = 0; i < count && !chosen; i++) {
      if (find_name(busy_volumes, n_busy_volumes, names[i]) >= 0) continue;
      if (find_name(rejected, n_rejected, names[i]) >= 0) continue;
      if (volume_appendable(names[i], job->pool)) {
        chosen = xstrdup(names[i]);
        *exists = true;
      }
    }
    if (count > 0) free_names(names, count);
    for (int n = 1; !chosen && n <= LABEL_NUMBER_LIMIT; n++) {
      char* name = volume_format_name(sd.label_format, n);
      if (name && !volume_exists(name) && find_name(busy_volumes, n_busy_volumes, name) < 0) {
        chosen = name;
        *exists = false;
      } else {
        free(name);
      }
    }
    if (!chosen) job_message(job, M_FATAL, "no new volume name left in label format %s", sd.label_format);
  }
  if (chosen) add_name(&busy_volumes, &n_busy_volumes, chosen);
  pthread_mutex_unlock(&registry_lock);
  return chosen;
}

/* Open, label (a new volume) or verify (an existing one), VolumeStatus.
 * 0 mounted, 1 the volume was refused (try another), -1 fatal. */
static int mount_for_append(Job* job, const char* name, bool exists)
{
  Device* device = &job->device;
  device->appending = true;
  if (open_device(job, name, exists ? O_RDWR : O_RDWR | O_CREAT | O_EXCL) != 0) {
    abandon_volume(job, name, !exists);
    return -1;
  }
  int rc = 0;
  if (exists) {
    uint32_t label_length = 0;
    rc = verify_label(job, job->pool, &label_length);
    if (rc == 0 && !volume_tail_clean(device->fd, label_length, device->size)) {
      job_message(job, M_FATAL, "volume %s is full or ends in a cut-short block: not appending to it", name);
      rc = -1;
    }
  } else if (!allowed(job, bSdEventLabelWrite, "labelling new volume")) {
    job_message(job, M_FATAL, "new volume %s was not labelled", name);
    rc = -1;
  } else {
    VolumeLabel label = {(char*)name, job->pool, sd.media_type, sd.storage_name, (long long)time(NULL), 0};
    uint32_t length;
    if (volume_write_label(device->fd, &label, &length) != 0 || fsync(device->fd) != 0) {
      io_failed(job, bSdEventWriteError, "cannot write the label of", errno);
      rc = -1;
    } else {
      device->size = length;
      job_message(job, M_VOLMGMT, "labelled new volume %s in pool %s", name, job->pool);
    }
  }
  if (rc != 0) {
    abandon_volume(job, name, !exists);
    return rc;
  }
  job_event(job, bSdEventVolumeStatus, NULL);
  if (exists) job_message(job, M_VOLMGMT, "appending to volume %s (%llu bytes)", name, (unsigned long long)device->size);
  job->volumes = xrealloc(job->volumes, sizeof(char*) * (size_t)(job->n_volumes + 1));
  job->volume_bytes = xrealloc(job->volume_bytes, sizeof(uint64_t) * (size_t)(job->n_volumes + 1));
  job->volume_bytes[job->n_volumes] = 0;
  job->volumes[job->n_volumes++] = xstrdup(name);
  return 0;
}

static int write_block(Job* job, uint16_t type, const void* data, size_t length)
{
  if (volume_write_block(job->device.fd, type, job->session_id, job->sequence, data, (uint32_t)length) != 0) {
    io_failed(job, bSdEventWriteError, "cannot write to", errno);
    return -1;
  }
  job->sequence++;
  job->device.size += BLOCK_HEADER_SIZE + length;
  return 0;
}

static int write_session_block(Job* job, uint16_t type, const char* status, const char* previous)
{
  Buffer text;
  buffer_init(&text);
  char number[32], when[32];
  sdp_kv_add(&text, "job", job->name);
  snprintf(number, sizeof number, "%u", job->part);
  sdp_kv_add(&text, "part", number);
  if (type == BLOCK_SOS) {
    snprintf(when, sizeof when, "%lld", (long long)job->start_time);
    sdp_kv_add(&text, "pool", job->pool);
    sdp_kv_add(&text, "client", job->client);
    char level[2] = {job->level, '\0'};
    sdp_kv_add(&text, "level", level);
    sdp_kv_add(&text, "start_time", when);
    sdp_kv_add(&text, "previous_volume", previous);
  } else {
    sdp_kv_add(&text, "status", status);
    snprintf(number, sizeof number, "%llu", (unsigned long long)job->part_records);
    sdp_kv_add(&text, "records", number);
  }
  int rc = write_block(job, type, text.data, text.length);
  buffer_free(&text);
  return rc;
}

/* Mount a volume for the next part of the job and start the part on it. */
static int start_part(Job* job, const char* previous)
{
  char** rejected = NULL;
  int n_rejected = 0;
  int rc = -1;
  for (int attempt = 0; attempt < MOUNT_ATTEMPTS && !job->fatal; attempt++) {
    bool exists = false;
    char* name = choose_volume(job, rejected, n_rejected, &exists);
    if (!name) break;
    int mounted = mount_for_append(job, name, exists);
    if (mounted == 1) add_name(&rejected, &n_rejected, name);
    free(name);
    if (mounted == 0) {
      job->part_records = 0;
      rc = write_session_block(job, BLOCK_SOS, NULL, previous);
      break;
    }
    if (mounted < 0) break;
  }
  if (rc != 0 && !job->fatal) job_message(job, M_FATAL, "no volume could be mounted for job %s", job->name);
  free_names(rejected, n_rejected);
  return rc;
}

/* Close the current part (EOS with status) and unmount its volume. */
static void end_part(Job* job, const char* status)
{
  if (job->device.fd < 0) return;
  write_session_block(job, BLOCK_EOS, status, NULL);
  unmount_volume(job);
}

/* -- the client names the next volume --------------------------------------------
 * A client that sent volume_requests=1 (a director) is asked for the volume
 * after a full one: the SD sends VOLUME previous=V bytes=N (the job's record
 * bytes on V) and waits for VOLUME volume=NAME (empty: the SD chooses).  The
 * client keeps sending records until it reads the question; those frames are
 * kept in job->pending and written after the switch. */

typedef struct PendingFrame {
  uint16_t type;
  Buffer payload;
  struct PendingFrame* next;
} PendingFrame;

static void keep_frame(Job* job, uint16_t type, const Buffer* payload)
{
  PendingFrame* frame = xcalloc(1, sizeof *frame);
  frame->type = type;
  buffer_init(&frame->payload);
  buffer_append(&frame->payload, payload->data, payload->length);
  PendingFrame** tail = &job->pending;
  while (*tail) tail = &(*tail)->next;
  *tail = frame;
}

static void free_pending(Job* job)
{
  while (job->pending) {
    PendingFrame* next = job->pending->next;
    buffer_free(&job->pending->payload);
    free(job->pending);
    job->pending = next;
  }
}

/* The next frame of the client: a kept one first, then the socket. */
static int next_frame(Job* job, int fd, uint16_t* type, Buffer* frame)
{
  PendingFrame* kept = job->pending;
  if (!kept) return sdp_read(fd, type, frame);
  job->pending = kept->next;
  *type = kept->type;
  buffer_clear(frame);
  buffer_append(frame, kept->payload.data, kept->payload.length);
  buffer_free(&kept->payload);
  free(kept);
  return SDP_READ_OK;
}

static void connection_lost(Job* job, int rc)
{
  if (server_stopping())
    job_message(job, M_FATAL, "the storage daemon is stopping: job %s aborted", job->name);
  else if (rc == SDP_READ_BAD)
    job_message(job, M_FATAL, "damaged frame from the client: job %s aborted", job->name);
  else
    job_message(job, M_FATAL, "lost the connection to the client: job %s aborted", job->name);
}

/* Ask the client which volume follows `previous`.  0: job->next_volume_name
 * set (unless the answer was empty or a plugin named one), -1 fatal. */
static int ask_client_for_volume(Job* job, const char* previous, uint64_t bytes)
{
  Buffer text, frame;
  buffer_init(&text);
  buffer_init(&frame);
  char number[32];
  snprintf(number, sizeof number, "%llu", (unsigned long long)bytes);
  sdp_kv_add(&text, "previous", previous);
  sdp_kv_add(&text, "bytes", number);
  int rc = -1;
  if (sdp_write(job->client_fd, SDP_VOLUME, text.data, text.length) != 0) {
    job_message(job, M_FATAL, "lost the connection to the client: %s", strerror(errno));
    goto out;
  }
  for (;;) {
    uint16_t type;
    int got = sdp_read(job->client_fd, &type, &frame);
    if (got != SDP_READ_OK) {
      connection_lost(job, got);
      break;
    }
    if (type == SDP_DATA || type == SDP_END) {
      keep_frame(job, type, &frame);
      continue;
    }
    if (type != SDP_VOLUME) {
      job_message(job, M_FATAL, "protocol error: frame type %u while waiting for a volume", type);
      break;
    }
    char* name = sdp_kv_get(frame.data, "volume");
    if (name && *name && !job->next_volume_name) {
      job->next_volume_name = name;
      name = NULL;
    }
    free(name);
    rc = 0;
    break;
  }
out:
  buffer_free(&frame);
  buffer_free(&text);
  return rc;
}

/* The most a volume of this job holds: the daemon's limit or the client's
 * (its pool's Maximum Volume Bytes), the smaller one; 0: no limit. */
static uint64_t volume_limit(const Job* job)
{
  if (!job->max_volume_bytes) return sd.max_volume_bytes;
  if (!sd.max_volume_bytes) return job->max_volume_bytes;
  return job->max_volume_bytes < sd.max_volume_bytes ? job->max_volume_bytes : sd.max_volume_bytes;
}

static int write_record(Job* job, const void* data, size_t length)
{
  Device* device = &job->device;
  uint64_t limit = volume_limit(job);
  if (limit && job->part_records > 0 && device->size + BLOCK_HEADER_SIZE + length > limit) {
    char* previous = xstrdup(device->volume_name);
    uint64_t written = job->volume_bytes[job->n_volumes - 1];
    end_part(job, "continued");
    job->part++;
    int rc = job->fatal ? -1 : 0;
    if (rc == 0 && job->client_fd >= 0) rc = ask_client_for_volume(job, previous, written);
    if (rc == 0) rc = start_part(job, previous);
    free(previous);
    if (rc != 0) return -1;
  }
  if (!allowed(job, bSdEventWriteRecordTranslation, "writing a record")) return -1;
  if (write_block(job, BLOCK_DATA, data, length) != 0) return -1;
  job->records++;
  job->part_records++;
  job->bytes += length;
  job->volume_bytes[job->n_volumes - 1] += length;
  return 0;
}

/* -- finding a job on the volumes ------------------------------------------------ */

typedef struct Segment {
  char* volume;
  uint64_t offset;
  uint64_t session;
  uint32_t part;
  char* previous_volume;
  char* pool;
  char* client;
} Segment;

typedef struct JobLocation {
  Segment* segments;
  int count;
  Buffer unreadable; /* "V: why; " for volumes that could not be searched */
} JobLocation;

static void scan_volume(const char* name, const char* job_name, JobLocation* where)
{
  char* path = volume_path(name);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  free(path);
  struct stat st;
  VolumeLabel label;
  LabelStatus status = LABEL_IO;
  if (fd >= 0 && fstat(fd, &st) == 0) status = volume_read_label(fd, &label);
  if (status != LABEL_OK) {
    buffer_printf(&where->unreadable, "%s: %s; ", name, fd < 0 ? strerror(errno) : label_status_text(status));
    if (fd >= 0) close(fd);
    return;
  }
  Buffer payload;
  buffer_init(&payload);
  Block block;
  uint64_t offset = label.length;
  for (uint64_t guard = 0; guard < 100000000u; guard++) {
    if (volume_read_header(fd, offset, (uint64_t)st.st_size, &block) != 1) break;
    if (block.type == BLOCK_SOS && volume_read_payload(fd, &block, &payload) == 0) {
      char* job = sdp_kv_get(payload.data, "job");
      if (job && strcmp(job, job_name) == 0) {
        where->segments = xrealloc(where->segments, sizeof(Segment) * (size_t)(where->count + 1));
        Segment* s = &where->segments[where->count++];
        char* part = sdp_kv_get(payload.data, "part");
        s->volume = xstrdup(name);
        s->offset = offset;
        s->session = block.session;
        s->part = part ? (uint32_t)strtoul(part, NULL, 10) : 0;
        s->previous_volume = sdp_kv_get(payload.data, "previous_volume");
        s->pool = sdp_kv_get(payload.data, "pool");
        s->client = sdp_kv_get(payload.data, "client");
        free(part);
      }
      free(job);
    }
    offset += BLOCK_HEADER_SIZE + block.length;
  }
  buffer_free(&payload);
  label_free(&label);
  close(fd);
}

static void locate_job(const char* job_name, JobLocation* where)
{
  memset(where, 0, sizeof *where);
  buffer_init(&where->unreadable);
  char** names;
  int count = list_volume_files(&names);
  for (int i = 0; i < count; i++) {
    /* a volume another job appends to is read up to its current end */
    scan_volume(names[i], job_name, where);
  }
  if (count > 0) free_names(names, count);
}

static void free_location(JobLocation* where)
{
  for (int i = 0; i < where->count; i++) {
    free(where->segments[i].volume);
    free(where->segments[i].previous_volume);
    free(where->segments[i].pool);
    free(where->segments[i].client);
  }
  free(where->segments);
  buffer_free(&where->unreadable);
}

static const Segment* find_part(const JobLocation* where, uint64_t session, uint32_t part)
{
  for (int i = 0; i < where->count; i++)
    if (where->segments[i].session == session && where->segments[i].part == part) return &where->segments[i];
  return NULL;
}

/* -- replies ---------------------------------------------------------------------- */

static void reply_error(int fd, const char* message)
{
  Buffer text;
  buffer_init(&text);
  sdp_kv_add(&text, "message", message);
  if (sdp_write(fd, SDP_ERROR, text.data, text.length) != 0)
    sd_debug(10, "cannot send the error to the client: %s", strerror(errno));
  buffer_free(&text);
}

static void reply_job_error(int fd, Job* job)
{
  reply_error(fd, job->failure ? job->failure : "the job failed");
}

/* Start the job with the plugin options the request names, else the daemon's. */
static void start_job_with_options(Job* job, const char* request)
{
  char* given = sdp_kv_get(request, "plugin_options");
  if (given && *given) {
    char* list[1] = {given};
    job_start(job, list, 1);
  } else {
    job_start(job, sd.plugin_options, sd.n_plugin_options);
  }
  free(given);
}

/* -- backup ------------------------------------------------------------------------- */

static bool claim_job_name(int fd, const char* name)
{
  if (!name || !*name || strlen(name) > 255) {
    reply_error(fd, "a job needs a name (1..255 bytes)");
    return false;
  }
  pthread_mutex_lock(&registry_lock);
  bool running = find_name(running_names, n_running_names, name) >= 0;
  if (!running) add_name(&running_names, &n_running_names, name);
  pthread_mutex_unlock(&registry_lock);
  if (running) {
    char* text = xasprintf("job %s is already running", name);
    reply_error(fd, text);
    free(text);
    return false;
  }
  JobLocation where;
  locate_job(name, &where);
  bool stored = where.count > 0;
  if (stored) {
    char* text = xasprintf("a job named %s is already stored (volume %s)", name, where.segments[0].volume);
    reply_error(fd, text);
    free(text);
  }
  free_location(&where);
  if (stored) {
    pthread_mutex_lock(&registry_lock);
    remove_name(running_names, &n_running_names, name);
    pthread_mutex_unlock(&registry_lock);
  }
  return !stored;
}

static void receive_records(int fd, Job* job)
{
  Buffer frame;
  buffer_init(&frame);
  for (;;) {
    uint16_t type;
    int rc = next_frame(job, fd, &type, &frame);
    if (rc != SDP_READ_OK) {
      connection_lost(job, rc);
      break;
    }
    if (type == SDP_END) break;
    if (type != SDP_DATA) {
      job_message(job, M_FATAL, "protocol error: frame type %u during a backup", type);
      break;
    }
    if (write_record(job, frame.data, frame.length) != 0) break;
  }
  free_pending(job);
  buffer_free(&frame);
}

static void run_backup(int fd, const char* request)
{
  char* name = sdp_kv_get(request, "job");
  if (!claim_job_name(fd, name)) {
    free(name);
    return;
  }
  Job* job = job_new(JT_BACKUP, name);
  free(name);
  job->pool = sdp_kv_get(request, "pool");
  if (!job->pool) job->pool = xstrdup(sd.pool);
  job->client = sdp_kv_get(request, "client");
  char* level = sdp_kv_get(request, "level");
  if (level && *level) job->level = level[0];
  free(level);
  job->session_id = ((uint64_t)time(NULL) << 32) ^ ((uint64_t)getpid() << 16) ^ job->id;
  start_job_with_options(job, request);
  char* first_volume = sdp_kv_get(request, "volume"); /* the director's name for it */
  bool first_named = first_volume && *first_volume;
  if (first_named && !job->next_volume_name)
    job->next_volume_name = first_volume;
  else
    free(first_volume);
  char* limit = sdp_kv_get(request, "max_volume_bytes");
  if (limit) job->max_volume_bytes = strtoull(limit, NULL, 10);
  free(limit);
  char* requests = sdp_kv_get(request, "volume_requests");
  if (requests && strcmp(requests, "1") == 0) job->client_fd = fd;
  free(requests);
  /* A client that names volumes but named no first one is asked for it now,
   * after this job's JobStart and before it sends data (previous="",
   * bytes=0): a director's NewVolume then comes after the SD's JobStart. */
  if (!job->fatal && job->client_fd >= 0 && !first_named && ask_client_for_volume(job, "", 0) != 0 &&
      !job->fatal)
    job_message(job, M_FATAL, "no first volume from the client for job %s", job->name);
  sd_debug(10, "job %s: backup into pool %s", job->name, job->pool);

  if (!job->fatal && reserve_device(job) && start_part(job, NULL) == 0) {
    Buffer text;
    buffer_init(&text);
    sdp_kv_add(&text, "volume", job->device.volume_name);
    if (sdp_write(fd, SDP_OK, text.data, text.length) != 0)
      job_message(job, M_FATAL, "lost the connection to the client: %s", strerror(errno));
    buffer_free(&text);
    if (!job->fatal) receive_records(fd, job);
    end_part(job, job->fatal ? "aborted" : "complete");
  }
  unmount_volume(job);
  release_device(job);
  job_finish(job);
  job_report(job);
  if (job->fatal) {
    reply_job_error(fd, job);
  } else {
    Buffer text;
    buffer_init(&text);
    for (int i = 0; i < job->n_volumes; i++)
      buffer_printf(&text, "volume=%s\nvolume_bytes=%llu\n", job->volumes[i],
                    (unsigned long long)job->volume_bytes[i]);
    buffer_printf(&text, "records=%llu\nbytes=%llu\nerrors=%d\n", (unsigned long long)job->records,
                  (unsigned long long)job->bytes, job->errors);
    sdp_write(fd, SDP_OK, text.data, text.length);
    buffer_free(&text);
  }
  pthread_mutex_lock(&registry_lock);
  remove_name(running_names, &n_running_names, job->name);
  pthread_mutex_unlock(&registry_lock);
  job_free(job);
}

/* -- restore ------------------------------------------------------------------------ */

/* Send the records of one part; returns 1 when the job's last part ended,
 * 0 when it continues on the next part, -1 after a fatal message. */
static int read_part(int fd, Job* job, const Segment* segment, uint64_t* sequence)
{
  Device* device = &job->device;
  uint64_t offset = segment->offset;
  Block block;
  Buffer payload;
  buffer_init(&payload);
  int result = -1;
  for (uint64_t guard = 0; guard < 100000000u; guard++) {
    if (server_stopping()) {
      job_message(job, M_FATAL, "the storage daemon is stopping: job %s aborted", job->name);
      break;
    }
    int r = volume_read_header(device->fd, offset, device->size, &block);
    if (r == 0) {
      job_message(job, M_FATAL, "job %s: volume %s ends before the job's end (the job was interrupted while it was written; %llu records were read)",
                  job->name, device->volume_name, (unsigned long long)job->records);
      break;
    }
    if (r < 0 || (block.session == segment->session && volume_read_payload(device->fd, &block, &payload) != 0)) {
      job_event(job, bSdEventReadError, NULL);
      job_message(job, M_FATAL, "volume %s: damaged block at offset %llu%s%s", device->volume_name,
                  (unsigned long long)offset, r == -1 ? ": " : "", r == -1 ? strerror(errno) : "");
      break;
    }
    offset += BLOCK_HEADER_SIZE + block.length;
    if (block.session != segment->session) continue;
    if (block.sequence != *sequence) {
      job_message(job, M_FATAL, "volume %s: block %llu of job %s is missing", device->volume_name,
                  (unsigned long long)*sequence, job->name);
      break;
    }
    (*sequence)++;
    if (block.type == BLOCK_EOS) {
      char* status = sdp_kv_get(payload.data, "status");
      if (status && strcmp(status, "continued") == 0)
        result = 0;
      else if (status && strcmp(status, "complete") == 0)
        result = 1;
      else
        job_message(job, M_FATAL, "job %s was aborted while it was written (%llu records were read)",
                    job->name, (unsigned long long)job->records);
      free(status);
      break;
    }
    if (block.type != BLOCK_DATA) continue;
    if (!allowed(job, bSdEventReadRecordTranslation, "reading a record")) break;
    if (sdp_write(fd, SDP_DATA, payload.data, payload.length) != 0) {
      job_message(job, M_FATAL, "lost the connection to the client: %s", strerror(errno));
      break;
    }
    job->records++;
    job->bytes += payload.length;
  }
  buffer_free(&payload);
  return result;
}

static void restore_parts(int fd, Job* job, const JobLocation* where, const Segment* first)
{
  uint64_t sequence = 0;
  const Segment* segment = first;
  for (uint32_t part = 0; segment; ) {
    job->device.appending = false;
    if (open_device(job, segment->volume, O_RDONLY) != 0) break;
    uint32_t label_length;
    int rc = verify_label(job, NULL, &label_length);
    if (rc == 1) job_message(job, M_FATAL, "volume %s refused by a plugin", segment->volume);
    if (rc != 0) break;
    job_event(job, bSdEventVolumeStatus, NULL);
    job->volumes = xrealloc(job->volumes, sizeof(char*) * (size_t)(job->n_volumes + 1));
    job->volumes[job->n_volumes++] = xstrdup(segment->volume);
    sd_debug(20, "job %s: reading part %u from volume %s", job->name, part, segment->volume);
    rc = read_part(fd, job, segment, &sequence);
    unmount_volume(job);
    if (rc != 0) break;
    part++;
    segment = find_part(where, first->session, part);
    if (!segment) {
      const Segment* after = find_part(where, first->session, part + 1);
      const char* named = after && after->previous_volume ? after->previous_volume : NULL;
      job_message(job, M_FATAL, "job %s continues on a volume that is missing (part %u%s%s%s%s)%s%s",
                  job->name, part, named ? " is on volume " : " is on no volume", named ? named : "",
                  named ? ", named on volume " : "", named ? after->volume : "",
                  where->unreadable.length ? "; unreadable volumes: " : "",
                  where->unreadable.length ? where->unreadable.data : "");
    }
  }
}

static void run_restore(int fd, const char* request)
{
  char* name = sdp_kv_get(request, "job");
  if (!name || !*name) {
    reply_error(fd, "a restore needs a job name");
    free(name);
    return;
  }
  JobLocation where;
  locate_job(name, &where);
  const Segment* first = NULL;
  for (int i = 0; i < where.count && !first; i++)
    if (where.segments[i].part == 0) first = &where.segments[i];
  if (!first) {
    char* text = xasprintf("job %s is not on any volume in %s%s%s", name, sd.storage_dir,
                           where.unreadable.length ? "; volumes that cannot be read: " : "",
                           where.unreadable.data ? where.unreadable.data : "");
    reply_error(fd, text);
    free(text);
    free(name);
    free_location(&where);
    return;
  }
  Job* job = job_new(JT_RESTORE, name);
  free(name);
  job->pool = xstrdup(first->pool ? first->pool : sd.pool);
  job->client = first->client ? xstrdup(first->client) : NULL;
  start_job_with_options(job, request);
  if (!job->fatal && reserve_device(job)) {
    if (sdp_write(fd, SDP_OK, "", 0) != 0)
      job_message(job, M_FATAL, "lost the connection to the client: %s", strerror(errno));
    else
      restore_parts(fd, job, &where, first);
  }
  unmount_volume(job);
  release_device(job);
  job_finish(job);
  job_report(job);
  if (job->fatal)
    reply_job_error(fd, job);
  else
    sdp_write(fd, SDP_END, "", 0);
  free_location(&where);
  job_free(job);
}

void session_serve(int fd)
{
  Buffer frame;
  buffer_init(&frame);
  uint16_t type;
  int rc = sdp_read(fd, &type, &frame);
  if (rc != SDP_READ_OK)
    sd_debug(10, "a client closed before asking for anything");
  else if (type == SDP_BACKUP)
    run_backup(fd, frame.data);
  else if (type == SDP_RESTORE)
    run_restore(fd, frame.data);
  else
    reply_error(fd, "protocol error: a connection starts with a backup or a restore");
  buffer_free(&frame);
}
