/* jobs.c -- jobs in bareospy-dir: the queue, a job's life and its director
 * events, volumes for a job, and the data phase seam.
 *
 * A job's life, and the events it fires (spec §1.8, §7.14):
 *   submit:  catalog row (Created), instance 0 of each plugin, Dir Plugin
 *            Options (NewPluginOptions), JobStart (a plugin may change the
 *            priority or level here), queued
 *   start:   when a slot is free, lowest Priority number first: JobInit,
 *            catalog row Running, JobRun
 *   data:    run_data_phase(); every volume it needs comes from
 *            next_volume() (NeedVolume, Recyle, GetScratch, NewVolume) and a
 *            volume that fills up fires VolumeFull
 *   end:     status, files and counters in one catalog transaction, JobEnd,
 *            freePlugin of every instance, the report
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "datapath.h"
#include "director.h"
#include "kit/sha256.h"
#include "kit/util.h"

static const char* message_type_name(int type)
{
  switch (type) {
    case M_FATAL: return "Fatal error";
    case M_ERROR: return "Error";
    case M_WARNING: return "Warning";
    default: return "Info";
  }
}

void job_message(Job* job, int type, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  char* line = type == M_INFO ? xstrdup(text) : xasprintf("%s: %s", message_type_name(type), text);
  int64_t jobid = job ? job->jobid : 0;
  catalog_log(director.catalog, jobid, type, line);
  pthread_mutex_lock(&director.lock);
  if (director.message_file) {
    fprintf(director.message_file, "JobId %lld: %s\n", (long long)jobid, line);
    fflush(director.message_file);
  }
  if (director.debug_level > 0)
    fprintf(stderr, "bareospy-dir: JobId %lld: %s\n", (long long)jobid, line);
  if (job && (type == M_FATAL || type == M_ERROR || type == M_ERROR_TERM))
    job->errors++;
  if (job && (type == M_FATAL || type == M_ERROR_TERM))
    job->status = JS_FatalError;
  pthread_mutex_unlock(&director.lock);
  free(line);
  free(text);
}

/* ---- volumes ---------------------------------------------------------- */

static int use_volume(Job* job, const Volume* volume)
{
  snprintf(job->volume_name, sizeof job->volume_name, "%s", volume->name);
  job->mediaid = volume->mediaid;
  return 0;
}

/* A name from the pool's Label Format: the format and a 4-digit number,
 * not yet used. */
static int label_format_name(Job* job, const char* format, char* out, size_t size)
{
  int64_t number = catalog_next_media_number(director.catalog);
  for (int tries = 0; number > 0 && tries < 1000; tries++, number++) {
    Volume existing;
    snprintf(out, size, "%s%04lld", format, (long long)number);
    if (catalog_get_volume(director.catalog, out, &existing) == 0)
      return 0;
  }
  job_message(job, M_FATAL, "no free volume name for Label Format \"%s\"", format);
  return -1;
}

/* Whether another running job writes on volume `name` (caller holds
 * volume_lock, under which every job's volume_name changes). */
static bool volume_in_use(const Job* job, const char* name)
{
  bool used = false;
  pthread_mutex_lock(&director.lock);
  for (const Job* other = director.jobs; other && !used; other = other->next)
    used = other != job && other->running && other->mediaid &&
           strcmp(other->volume_name, name) == 0;
  pthread_mutex_unlock(&director.lock);
  return used;
}

/* An Append volume of the job's pool no other running job writes on: 1, 0 none. */
static int free_append_volume(Job* job, Volume* volume)
{
  for (int64_t index = 0;; index++) {
    if (catalog_find_volume_at(director.catalog, job->pool, "Append", index, volume) != 1)
      return 0;
    if (!volume_in_use(job, volume->name))
      return 1;
  }
}

/* Pruning during volume selection: when the pool has no Append volume, its
 * oldest Full or Used volume past the pool's Volume Retention is purged on
 * behalf of the job, which then gets VolumePurged with VolumeName = that
 * volume (the one event that says so, as Bacula's director sends it; a
 * console purge has no job and sends none); the Purged volume is then
 * recycled below. */
static void prune_expired_volume(Job* job)
{
  Volume volume;
  if (catalog_find_expired_volume(director.catalog, job->pool, (int64_t)time(NULL), &volume) != 1 ||
      volume_in_use(job, volume.name) ||
      catalog_purge_volume(director.catalog, volume.name) != 1)
    return;
  job_message(job, M_INFO, "Volume \"%s\" purged: its Volume Retention has passed", volume.name);
  snprintf(job->volume_name, sizeof job->volume_name, "%s", volume.name);
  plugins_event(job, bDirEventVolumePurged, NULL);
  job->volume_name[0] = '\0';
}

/* The next volume of the job's pool: 0 with job->volume_name and mediaid set,
 * -1 (job message given) if there is none. */
static int next_volume(Job* job)
{
  Catalog* catalog = director.catalog;
  Volume volume;
  job->volume_name[0] = '\0';
  job->mediaid = 0;
  plugins_event(job, bDirEventNeedVolume, NULL);
  if (free_append_volume(job, &volume) == 1)
    return use_volume(job, &volume);
  prune_expired_volume(job);
  if (catalog_find_volume(catalog, job->pool, "Purged", &volume) == 1) {
    use_volume(job, &volume);
    plugins_event(job, bDirEventRecyle, NULL);
    if (catalog_recycle_volume(catalog, volume.mediaid) == 0) {
      job_message(job, M_INFO, "Recycled volume \"%s\"", volume.name);
      return 0;
    }
  }
  plugins_event(job, bDirEventGetScratch, NULL);
  if (catalog_find_volume(catalog, "Scratch", "Append", &volume) == 1 &&
      catalog_move_volume(catalog, volume.mediaid, job->pool) == 0) {
    job_message(job, M_INFO, "Volume \"%s\" taken from the Scratch pool", volume.name);
    return use_volume(job, &volume);
  }
  job->volume_name[0] = '\0';
  plugins_event(job, bDirEventNewVolume, NULL);
  char name[128];
  PoolRes* pool = config_pool(director.config, job->pool);
  if (job->volume_name[0]) {
    snprintf(name, sizeof name, "%s", job->volume_name);
  } else if (pool && pool->label_format) {
    if (label_format_name(job, pool->label_format, name, sizeof name) < 0)
      return -1;
  } else {
    job_message(job, M_FATAL, "no appendable volume in pool \"%s\", no Label Format and no "
                "plugin named one", job->pool);
    return -1;
  }
  if (catalog_get_volume(catalog, name, &volume) == 1) {
    if (strcmp(volume.pool, job->pool) == 0 && strcmp(volume.status, "Append") == 0 &&
        !volume_in_use(job, name))
      return use_volume(job, &volume);
    job_message(job, M_FATAL, "new volume \"%s\" exists already (pool %s, %s)", name,
                volume.pool, volume.status);
    return -1;
  }
  if (catalog_create_volume(catalog, name, job->pool) < 0 ||
      catalog_get_volume(catalog, name, &volume) != 1) {
    job_message(job, M_FATAL, "cannot create volume \"%s\": %s", name, catalog_error(catalog));
    return -1;
  }
  job_message(job, M_INFO, "Created new volume \"%s\" in pool \"%s\"", name, job->pool);
  return use_volume(job, &volume);
}

void jobs_volume_full(Job* job, const Volume* volume)
{
  catalog_set_volume_status(director.catalog, volume->mediaid, "Full");
  job_message(job, M_INFO, "Volume \"%s\" is full (%lld bytes)", volume->name,
              (long long)volume->bytes);
  plugins_event(job, bDirEventVolumeFull, NULL);
  job->mediaid = 0;
}

int jobs_next_volume(Job* job)
{
  return next_volume(job);
}

/* Write `bytes` to the job's volumes: as much as fits on the current one,
 * then VolumeFull and the next.  0, or -1 if no volume could be had. */
static int write_to_volumes_locked(Job* job, int64_t bytes)
{
  while (bytes > 0) {
    Volume volume;
    if (!job->mediaid || catalog_get_volume(director.catalog, job->volume_name, &volume) != 1 ||
        strcmp(volume.status, "Append") != 0) {
      if (next_volume(job) < 0 ||
          catalog_get_volume(director.catalog, job->volume_name, &volume) != 1)
        return -1;
    }
    int64_t room = volume.max_bytes > 0 ? volume.max_bytes - volume.bytes : bytes;
    int64_t now = room < bytes ? room : bytes;
    if (now > 0) {
      if (catalog_write_volume(director.catalog, job->jobid, volume.mediaid, now) < 0) {
        job_message(job, M_FATAL, "catalog: %s", catalog_error(director.catalog));
        return -1;
      }
      bytes -= now;
      job->job_bytes += now;
    }
    if (volume.max_bytes > 0 && volume.bytes + now >= volume.max_bytes) {
      volume.bytes += now;
      jobs_volume_full(job, &volume);
    }
  }
  return 0;
}

static int write_to_volumes(Job* job, int64_t bytes)
{
  pthread_mutex_lock(&director.volume_lock);
  int rc = write_to_volumes_locked(job, bytes);
  pthread_mutex_unlock(&director.volume_lock);
  return rc;
}

bool jobs_is_cancelled(Job* job)
{
  pthread_mutex_lock(&director.lock);
  bool cancelled = job->cancelled;
  pthread_mutex_unlock(&director.lock);
  return cancelled;
}

/* Cancelled in this process, or by a console of another (through the catalog). */
int datapath_first_volume(Job* job)
{
  return next_volume(job);
}

bool jobs_cancel_seen(Job* job)
{
  if (jobs_is_cancelled(job))
    return true;
  if (!catalog_cancel_requested(director.catalog, job->jobid))
    return false;
  pthread_mutex_lock(&director.lock);
  job->cancelled = true;
  pthread_mutex_unlock(&director.lock);
  return true;
}

/* The simulated files of a job: names, a stat record and a digest. */
static FileRecord* simulated_files(Job* job, int64_t count)
{
  FileRecord* files = xcalloc((size_t)count + 1, sizeof(FileRecord));
  for (int64_t i = 0; i < count; i++) {
    char* path = xasprintf("/simulated/%s/file-%06lld", job->res->name, (long long)i);
    Sha256 context;
    unsigned char digest[SHA256_DIGEST_SIZE];
    char hex[65];
    sha256_init(&context);
    sha256_update(&context, path, strlen(path));
    sha256_final(&context, digest);
    sha256_hex(digest, hex);
    files[i].path = path;
    files[i].lstat = xasprintf("mode=0100644 size=%lld", (long long)(job->simulation.bytes / (count ? count : 1)));
    files[i].digest = xstrdup(hex);
  }
  return files;
}

static void free_files(FileRecord* files, int64_t count)
{
  for (int64_t i = 0; files && i < count; i++) {
    free((char*)files[i].path);
    free((char*)files[i].lstat);
    free((char*)files[i].digest);
  }
  free(files);
}

/* The data phase of a job.  A Backup job whose Client has a Command runs
 * through bareospy-fd and bareospy-sd (datapath.c); otherwise the storage
 * side is simulated (job->simulation: bytes written in DATA_BLOCK blocks
 * through the job's volumes, files recorded at the end).
 * Returns the job status (JS_Terminated, JS_Canceled, JS_FatalError...). */
int run_data_phase(Job* job)
{
  if (job->type != JT_BACKUP)
    return JS_Terminated;
  const ClientRes* client = config_client(director.config, job->res->client);
  if (client && client->command)
    return datapath_backup(job);
  int64_t left = job->simulation.bytes;
  job->fd_job_status = job->sd_job_status = JS_Running;
  while (left > 0 || !job->mediaid) {
    if (jobs_cancel_seen(job))
      return JS_Canceled;
    int64_t block = left < DATA_BLOCK ? left : DATA_BLOCK;
    if (write_to_volumes(job, block) < 0)
      return JS_FatalError;
    if (block == 0 && !job->mediaid) { /* a job that writes nothing still gets a volume */
      pthread_mutex_lock(&director.volume_lock);
      int rc = next_volume(job);
      pthread_mutex_unlock(&director.volume_lock);
      if (rc < 0)
        return JS_FatalError;
    }
    left -= block;
    job->read_bytes += block;
    if (job->simulation.delay_ms > 0) {
      struct timespec pause = {job->simulation.delay_ms / 1000,
                               (job->simulation.delay_ms % 1000) * 1000000L};
      nanosleep(&pause, NULL);
    }
  }
  if (jobs_cancel_seen(job))
    return JS_Canceled;
  job->job_files = job->simulation.files;
  job->fd_job_status = job->sd_job_status = JS_Terminated;
  return JS_Terminated;
}

/* ---- a job's life ------------------------------------------------------ */

static void report(Job* job)
{
  static const struct {
    int status;
    const char* text;
  } terms[] = {{JS_Terminated, "OK"}, {JS_Warnings, "OK -- with warnings"},
               {JS_Canceled, "Canceled"}, {JS_ErrorTerminated, "Error"},
               {JS_FatalError, "*** Error ***"}, {0, NULL}};
  const char* term = "?";
  for (int i = 0; terms[i].text; i++)
    if (terms[i].status == job->status)
      term = terms[i].text;
  job_message(job, M_INFO, "%s JobId %lld \"%s\": level %s, priority %d, %lld files, %lld bytes,"
              " volume \"%s\", %lld errors: %s %s", config_type_name(job->type),
              (long long)job->jobid, job->job_name, config_level_name(job->level), job->priority,
              (long long)job->job_files, (long long)job->job_bytes, job->volume_name,
              (long long)job->errors, config_type_name(job->type), term);
  pthread_mutex_lock(&director.lock);
  printf("JobId %lld: %s %s, status %c, files %lld, bytes %lld, volume \"%s\"\n",
         (long long)job->jobid, job->job_name, term, job->status, (long long)job->job_files,
         (long long)job->job_bytes, job->volume_name);
  fflush(stdout);
  pthread_mutex_unlock(&director.lock);
}

static void finish(Job* job, int status)
{
  if (job->status == JS_FatalError && status == JS_Terminated)
    status = JS_FatalError;
  if (status == JS_Terminated && job->errors)
    status = JS_Warnings;
  job->status = status;
  bool ok = status == JS_Terminated || status == JS_Warnings;
  FileRecord* files = NULL;
  int64_t count = 0;
  if (job->files || job->file_count) {
    files = job->files;
    count = job->file_count;
  } else if (status == JS_Terminated) {
    files = simulated_files(job, job->job_files);
    count = job->job_files;
  }
  if (catalog_end_job(director.catalog, job->jobid, status, ok ? files : NULL,
                      ok ? (int)count : 0, job->job_bytes, job->errors) < 0)
    fprintf(stderr, "bareospy-dir: JobId %lld: catalog: %s\n", (long long)job->jobid,
            catalog_error(director.catalog));
  free_files(files, count);
  job->files = NULL;
  job->file_count = 0;
  if (status != JS_Terminated && status != JS_Warnings)
    job->job_files = 0;
  plugins_event(job, bDirEventJobEnd, NULL);
  plugins_free_job(job);
  report(job);
}

static void* job_thread(void* data)
{
  Job* job = data;
  int status;
  plugins_event(job, bDirEventJobInit, NULL);
  if (catalog_start_job(director.catalog, job->jobid, job->level, job->priority) < 0) {
    job_message(job, M_FATAL, "catalog: %s", catalog_error(director.catalog));
    status = JS_FatalError;
  } else if (job->status == JS_FatalError) { /* a fatal message before it ran */
    status = JS_FatalError;
  } else {
    job->status = JS_Running;
    plugins_event(job, bDirEventJobRun, NULL);
    status = jobs_is_cancelled(job) ? JS_Canceled : run_data_phase(job);
  }
  finish(job, status);
  pthread_mutex_lock(&director.lock);
  job->running = false;
  job->finished = true;
  director.running--;
  pthread_mutex_unlock(&director.lock);
  jobs_dispatch();
  pthread_mutex_lock(&director.lock);
  pthread_cond_broadcast(&director.changed);
  pthread_mutex_unlock(&director.lock);
  return NULL;
}

Job* jobs_submit(const char* name, int level, int priority, const Simulation* simulation)
{
  const JobRes* res = config_job(director.config, name);
  if (!res) {
    printf("run: no Job \"%s\"\n", name);
    return NULL;
  }
  Job* job = xcalloc(1, sizeof *job);
  job->res = res;
  job->type = res->type;
  job->level = level ? level : res->level;
  job->priority = priority ? priority : (int)res->priority;
  job->pool = res->pool;
  job->status = JS_Created;
  job->fd_job_status = job->sd_job_status = JS_Created;
  if (simulation)
    job->simulation = *simulation;
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  pthread_mutex_lock(&director.lock);
  int sequence = ++director.next_sequence;
  pthread_mutex_unlock(&director.lock);
  snprintf(job->job_name, sizeof job->job_name, "%s.%04d-%02d-%02d_%02d.%02d.%02d_%02d_%d",
           res->name, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
           tm.tm_sec, sequence, (int)getpid());
  JobRecord record = {0, res->name, job->job_name, job->type, job->level, JS_Created,
                      job->priority, res->client, res->fileset, res->pool, res->storage};
  job->jobid = catalog_create_job(director.catalog, &record);
  if (job->jobid < 0) {
    printf("run: catalog: %s\n", catalog_error(director.catalog));
    free(job);
    return NULL;
  }
  plugins_new_job(job);
  plugins_event(job, bDirEventJobStart, NULL);
  pthread_mutex_lock(&director.lock);
  job->queued = true;
  job->next = director.jobs;
  director.jobs = job;
  printf("Job queued. JobId=%lld\n", (long long)job->jobid);
  fflush(stdout);
  pthread_mutex_unlock(&director.lock);
  return job;
}

void jobs_dispatch(void)
{
  pthread_mutex_lock(&director.lock);
  while (director.running < director.config->director->maximum_concurrent_jobs) {
    Job* best = NULL;
    for (Job* job = director.jobs; job; job = job->next)
      if (job->queued && (!best || job->priority < best->priority ||
                          (job->priority == best->priority && job->jobid < best->jobid)))
        best = job;
    if (!best)
      break;
    best->queued = false;
    best->running = true;
    best->started = true;
    director.running++;
    if (pthread_create(&best->thread, NULL, job_thread, best) != 0) {
      fprintf(stderr, "bareospy-dir: cannot start a job thread: %s\n", strerror(errno));
      best->running = false;
      best->started = false;
      director.running--;
      best->queued = true;
      break;
    }
  }
  pthread_mutex_unlock(&director.lock);
}

static bool pending(Job* only)
{
  for (Job* job = director.jobs; job; job = job->next)
    if ((!only || job == only) && !job->finished)
      return true;
  return false;
}

void jobs_wait(Job* only)
{
  jobs_dispatch();
  pthread_mutex_lock(&director.lock);
  while (pending(only))
    pthread_cond_wait(&director.changed, &director.lock);
  /* finished threads: join them so none is left behind */
  pthread_t threads[64];
  int count = 0;
  for (Job* job = director.jobs; job && count < 64; job = job->next)
    if (job->finished && job->started && (!only || job == only)) {
      threads[count++] = job->thread;
      job->started = false;
    }
  pthread_mutex_unlock(&director.lock);
  for (int i = 0; i < count; i++)
    pthread_join(threads[i], NULL);
  if (count == 64)
    jobs_wait(only);
}

int jobs_cancel(int64_t jobid)
{
  Job* queued = NULL;
  int found = 0;
  pthread_mutex_lock(&director.lock);
  for (Job* job = director.jobs; job; job = job->next)
    if (job->jobid == jobid && !job->finished) {
      job->cancelled = 1;
      found = 1;
      if (job->queued) {
        job->queued = false;
        queued = job;
      }
    }
  pthread_mutex_unlock(&director.lock);
  if (queued) { /* never started: it ends here, with its events */
    finish(queued, JS_Canceled);
    pthread_mutex_lock(&director.lock);
    queued->finished = true;
    pthread_cond_broadcast(&director.changed);
    pthread_mutex_unlock(&director.lock);
  }
  return found;
}

void jobs_status(FILE* out)
{
  pthread_mutex_lock(&director.lock);
  fprintf(out, "Director %s: %d running, Maximum Concurrent Jobs %lld\n",
          director.config->director->name, director.running,
          (long long)director.config->director->maximum_concurrent_jobs);
  for (Job* job = director.jobs; job; job = job->next)
    if (!job->finished)
      fprintf(out, "JobId %lld %s %s priority %d%s\n", (long long)job->jobid, job->job_name,
              job->running ? "running" : "queued", job->priority,
              job->cancelled ? " (cancelling)" : "");
  pthread_mutex_unlock(&director.lock);
}

Job* jobs_restore_begin(const JobRes* res, int64_t jobid, const char* name)
{
  Job* job = xcalloc(1, sizeof *job);
  job->res = res;
  job->jobid = jobid;
  job->type = JT_RESTORE;
  job->level = ' ';
  job->priority = (int)res->priority;
  job->pool = res->pool;
  job->status = JS_Created;
  job->fd_job_status = job->sd_job_status = JS_Created;
  snprintf(job->job_name, sizeof job->job_name, "%s", name);
  plugins_new_job(job);
  plugins_event(job, bDirEventJobStart, NULL);
  plugins_event(job, bDirEventJobInit, NULL);
  job->status = JS_Running;
  job->fd_job_status = job->sd_job_status = JS_Running;
  plugins_event(job, bDirEventJobRun, NULL);
  return job;
}

void jobs_restore_end(Job* job, int status)
{
  job->status = status;
  job->fd_job_status = job->sd_job_status = status;
  plugins_event(job, bDirEventJobEnd, NULL);
  plugins_free_job(job);
  free(job);
}

Job* jobs_console_job(void)
{
  Job* job = xcalloc(1, sizeof *job);
  job->type = JT_CONSOLE;
  job->level = ' ';
  job->status = JS_Running;
  snprintf(job->job_name, sizeof job->job_name, "*Console*");
  plugins_new_job(job);
  return job;
}

void jobs_free_console(Job* job)
{
  plugins_free_job(job);
  free(job);
}
