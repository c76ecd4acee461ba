/* datapath.c -- a job's real data phase: the FD and SD sides.
 *
 * A Backup job whose Client has a Command (how to start bareospy-fd) runs:
 *   1. the FD as a child process:  COMMAND backup --archive SPOOL --job JOB
 *      --level L [--previous PREVIOUS] DEFINITION...   (the FileSet's Plugin
 *      definitions); SPOOL is a file in the Working Directory.  For an
 *      Incremental or Differential, PREVIOUS is the archive of the job the
 *      catalog names (the latest OK backup of the Job, or its latest Full),
 *      read back from the SD first.
 *   2. before that, the backup session opened on the SD at the Storage's
 *      Address with the job's pool, level and SD Plugin Options: the SD's
 *      JobStart, then it asks for the first volume, which the director
 *      chooses (next_volume(): catalog, NewVolume and a plugin's
 *      SetValue(bwDirVarVolumeName), Label Format) -- the contract's order
 *      (section 2.6, steps 4-7: SD JobStart, NewVolume, FD JobStart),
 *   3. the spooled archive sent on that session; when the SD
 *      fills a volume it asks for the next (next_volume_for_sd(): the part's
 *      bytes recorded, VolumeFull, NeedVolume ... NewVolume as for the first),
 *      and its summary gives the bytes on the last one,
 *   4. the files: `COMMAND list --archive SPOOL`, one catalog row an entry.
 * A restore (console `restore`) runs COMMAND restore --storage ADDRESS
 * --job JOB --where DIR.  Without a Client Command the simulation of jobs.c
 * runs instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "datapath.h"
#include "kit/sdclient.h"
#include "kit/util.h"

/* Records of the archive sent to the SD: a volume takes whole records, so
 * they are small next to a Maximum Volume Bytes. */
#define SD_RECORD_SIZE (64 * 1024)

typedef struct Argv {
  char** items;
  int count, size;
} Argv;

static void argv_add(Argv* argv, const char* item)
{
  if (argv->count + 2 > argv->size) {
    argv->size = argv->size ? argv->size * 2 : 16;
    argv->items = xrealloc(argv->items, (size_t)argv->size * sizeof(char*));
  }
  argv->items[argv->count++] = xstrdup(item);
  argv->items[argv->count] = NULL;
}

static void argv_free(Argv* argv)
{
  for (int i = 0; i < argv->count; i++)
    free(argv->items[i]);
  free(argv->items);
}

/* The Client Command, split at blanks (no quoting). */
static void argv_command(Argv* argv, const char* command)
{
  char* copy = xstrdup(command);
  char* save = NULL;
  for (char* word = strtok_r(copy, " \t", &save); word; word = strtok_r(NULL, " \t", &save))
    argv_add(argv, word);
  free(copy);
}

char* datapath_storage_address(const StorageRes* storage)
{
  if (!storage || !storage->address)
    return NULL;
  if (strncmp(storage->address, "unix:", 5) == 0 || strchr(storage->address, ':'))
    return xstrdup(storage->address);
  return xasprintf("%s:%lld", storage->address, (long long)(storage->port ? storage->port : 9103));
}

/* Run argv with stdout and stderr to `output`; its exit status, or -1 if it
 * could not run or was killed (cancelled: *cancelled set). */
static int run_child(Job* job, Argv* argv, const char* output, bool* cancelled)
{
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    int fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = open("/dev/null", O_RDONLY);
    if (fd < 0 || null < 0)
      _exit(127);
    dup2(null, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    execvp(argv->items[0], argv->items);
    dprintf(2, "cannot run %s: %s\n", argv->items[0], strerror(errno));
    _exit(127);
  }
  int status = 0;
  bool killed = false;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid)
      break;
    if (done < 0 && errno != EINTR)
      return -1;
    if (job && !killed && jobs_cancel_seen(job)) {
      kill(pid, SIGTERM);
      killed = true;
      if (cancelled)
        *cancelled = true;
    }
    struct timespec pause = {0, 20 * 1000000L};
    nanosleep(&pause, NULL);
  }
  if (killed || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* The last line of a child's output, for a message. */
static char* last_line(const char* path)
{
  FILE* file = fopen(path, "r");
  char line[512], last[512] = "";
  while (file && fgets(line, sizeof line, file))
    if (line[0] != '\n')
      snprintf(last, sizeof last, "%s", line);
  if (file)
    fclose(file);
  last[strcspn(last, "\n")] = '\0';
  return xstrdup(last);
}

/* Read job `name`'s archive back from the SD into `path`.  0 or -1. */
static int fetch_archive(const char* address, const char* name, const char* path, char** error)
{
  SdClient* sd = sd_open(address, error);
  if (!sd)
    return -1;
  FILE* file = fopen(path, "wb");
  int rc = file ? sd_begin_restore(sd, name) : -1;
  Buffer record;
  buffer_init(&record);
  int more = 0;
  while (rc == 0 && (more = sd_next_record(sd, &record)) == 1)
    if (fwrite(record.data, 1, record.length, file) != record.length)
      more = -2;
  if (rc != 0 || more != 0)
    *error = xasprintf("cannot read job %s back from the SD: %s", name,
                       file ? sd_error(sd) : strerror(errno));
  buffer_free(&record);
  if (file && fclose(file) != 0 && rc == 0 && more == 0) {
    *error = xasprintf("cannot write %s: %s", path, strerror(errno));
    more = -2;
  }
  sd_close(sd);
  return rc == 0 && more == 0 ? 0 : -1;
}

static int next_volume_for_sd(void* data, const char* previous, unsigned long long bytes,
                              char* name, size_t size, char** error);

/* Open the job's backup session on the SD before the FD runs (the
 * contract's section 2.6): the SD's JobStart, then the SD asks for the first
 * volume (next_volume_for_sd with previous "": NewVolume ...).  NULL with
 * *error; *cancelled when the job was cancelled meanwhile. */
static SdClient* open_sd_session(Job* job, const char* address, bool* cancelled, char** error)
{
  SdClient* sd = sd_open(address, error);
  if (!sd)
    return NULL;
  sd_set_volume_handler(sd, next_volume_for_sd, job);
  /* The protocol carries one plugin options string a job. */
  const StrList* options = &job->res->sd_plugin_options;
  if (options->count > 1)
    job_message(job, M_WARNING, "only the first SD Plugin Options string is sent to the SD");
  char level[2] = {(char)job->level, '\0'};
  SdJobInfo info = {job->job_name, job->pool, job->res->client, level,
                    options->count ? options->items[0] : NULL};
  const PoolRes* pool = config_pool(director.config, job->pool);
  if (sd_begin_backup_on(sd, &info, NULL,
                         pool && pool->maximum_volume_bytes > 0
                             ? (unsigned long long)pool->maximum_volume_bytes : 0) == 0)
    return sd;
  *cancelled = jobs_cancel_seen(job);
  *error = xasprintf("storage daemon at %s: %s", address, sd_error(sd));
  if (*cancelled)
    sd_abort_backup(sd);
  sd_close(sd);
  return NULL;
}

/* Send the spooled archive on the open session and end it; *summary gets
 * the SD's answer.  Closes `sd`.  -2: cancelled. */
static int send_archive(Job* job, SdClient* sd, const char* address, const char* path,
                        char** summary, char** error)
{
  FILE* file = fopen(path, "rb");
  if (!file) {
    *error = xasprintf("cannot read the spool file %s: %s", path, strerror(errno));
    sd_abort_backup(sd);
    sd_close(sd);
    return -1;
  }
  int rc = 0;
  char* chunk = xmalloc(SD_RECORD_SIZE);
  size_t got;
  while (rc == 0 && (got = fread(chunk, 1, SD_RECORD_SIZE, file)) > 0) {
    rc = sd_send_record(sd, chunk, got);
    if (rc == 0 && jobs_cancel_seen(job)) {
      *error = xstrdup("cancelled");
      sd_abort_backup(sd); /* the SD aborts the job's part: an `aborted` EOS */
      sd_close(sd);
      free(chunk);
      fclose(file);
      return -2;
    }
  }
  free(chunk);
  if (rc == 0)
    rc = sd_end_backup(sd, summary);
  if (rc != 0 && jobs_cancel_seen(job)) { /* noticed while choosing a volume */
    *error = xstrdup("cancelled");
    sd_abort_backup(sd);
    sd_close(sd);
    fclose(file);
    return -2;
  }
  if (rc != 0)
    *error = xasprintf("storage daemon at %s: %s", address, sd_error(sd));
  sd_close(sd);
  fclose(file);
  return rc;
}

/* The catalog row of a volume the SD wrote on, created if the SD named it
 * (an SD plugin's choice).  1, or 0 after a message.  Caller holds volume_lock. */
static int catalog_volume(Job* job, const char* name, Volume* volume)
{
  if (catalog_get_volume(director.catalog, name, volume) == 1)
    return 1;
  if (catalog_create_volume(director.catalog, name, job->pool) < 0 ||
      catalog_get_volume(director.catalog, name, volume) != 1) {
    job_message(job, M_ERROR, "cannot record volume \"%s\": %s", name,
                catalog_error(director.catalog));
    return 0;
  }
  job_message(job, M_INFO, "Volume \"%s\" labelled by the storage daemon", name);
  return 1;
}

/* Record `bytes` the job wrote on volume `name`: jobmedia, volume bytes,
 * the job's bytes.  0, or -1 after a message.  Caller holds volume_lock. */
static int record_part(Job* job, const char* name, int64_t bytes, Volume* volume)
{
  if (!catalog_volume(job, name, volume))
    return -1;
  if (catalog_write_volume(director.catalog, job->jobid, volume->mediaid, bytes) < 0) {
    job_message(job, M_ERROR, "catalog: %s", catalog_error(director.catalog));
    return -1;
  }
  volume->bytes += bytes;
  job->job_bytes += bytes;
  snprintf(job->volume_name, sizeof job->volume_name, "%s", name);
  job->mediaid = volume->mediaid;
  return 0;
}

/* The SD filled `previous` and asks for the next volume (sd-protocol.md,
 * VOLUME): record the part, VolumeFull, then the next volume as for the
 * first (NeedVolume ... NewVolume). */
static int next_volume_for_sd(void* data, const char* previous, unsigned long long bytes,
                              char* name, size_t size, char** error)
{
  Job* job = data;
  pthread_mutex_lock(&director.volume_lock);
  if (!*previous) { /* the first volume, asked for when the session opens */
    int rc = datapath_first_volume(job);
    if (rc == 0)
      snprintf(name, size, "%s", job->volume_name);
    pthread_mutex_unlock(&director.volume_lock);
    if (rc != 0)
      *error = jobs_cancel_seen(job) ? xstrdup("cancelled")
                                     : xasprintf("no volume for job %s", job->job_name);
    return rc;
  }
  Volume volume;
  job->parts_recorded++;
  if (record_part(job, previous, (int64_t)bytes, &volume) == 0)
    jobs_volume_full(job, &volume);
  if (jobs_cancel_seen(job)) { /* the full volume is recorded, no next one */
    pthread_mutex_unlock(&director.volume_lock);
    *error = xstrdup("cancelled");
    return -1;
  }
  int rc = jobs_next_volume(job);
  if (rc == 0)
    snprintf(name, size, "%s", job->volume_name);
  pthread_mutex_unlock(&director.volume_lock);
  if (rc != 0)
    *error = xasprintf("no volume to continue job %s on", job->job_name);
  return rc;
}

/* Record the volumes of the SD's summary (volume=V, volume_bytes=N lines)
 * not recorded while the job ran: the last one, or all of them if the SD
 * chose its volumes itself. */
static void record_volumes(Job* job, const char* summary)
{
  pthread_mutex_lock(&director.volume_lock);
  char* copy = xstrdup(summary);
  char* save = NULL;
  char* name = NULL;
  int index = 0;
  for (char* line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, "volume=", 7) == 0) {
      name = line + 7;
    } else if (strncmp(line, "volume_bytes=", 13) == 0 && name) {
      Volume volume;
      if (index++ >= job->parts_recorded)
        record_part(job, name, strtoll(line + 13, NULL, 10), &volume);
      name = NULL;
    }
  }
  job->parts_recorded = index;
  free(copy);
  pthread_mutex_unlock(&director.volume_lock);
}

/* The entries of an archive, from `COMMAND list`. */
static int list_files(Job* job, const ClientRes* client, const char* spool, const char* output)
{
  Argv argv = {0};
  argv_command(&argv, client->command);
  argv_add(&argv, "list");
  argv_add(&argv, "--archive");
  argv_add(&argv, spool);
  int rc = run_child(NULL, &argv, output, NULL);
  argv_free(&argv);
  if (rc != 0)
    return -1;
  FILE* file = fopen(output, "r");
  if (!file)
    return -1;
  char* line = NULL;
  size_t size = 0;
  ssize_t length;
  int64_t capacity = 0;
  while ((length = getline(&line, &size, file)) > 0) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    line[strcspn(line, "\n")] = '\0';
    char* tab = strchr(line, '\t');
    if (!tab)
      continue;
    *tab = '\0';
    if (job->file_count == capacity) {
      capacity = capacity ? capacity * 2 : 256;
      job->files = xrealloc(job->files, (size_t)capacity * sizeof(FileRecord));
    }
    FileRecord* record = &job->files[job->file_count++];
    record->path = xstrdup(tab + 1);
    record->lstat = xstrdup(line);
    record->digest = NULL;
  }
  free(line);
  fclose(file);
  return 0;
}

static const char* level_word(int level)
{
  return level == L_INCREMENTAL ? "incremental" : level == L_DIFFERENTIAL ? "differential" : "full";
}

/* For an Incremental/Differential: the previous archive, read back from the
 * SD into `path`.  1 fetched, 0 none (the job becomes Full), -1 failed. */
static int previous_archive(Job* job, const char* address, const char* path)
{
  if (job->level != L_INCREMENTAL && job->level != L_DIFFERENTIAL)
    return 0;
  int64_t jobid;
  char name[160];
  int found = catalog_last_backup(director.catalog, job->res->name, job->level == L_DIFFERENTIAL,
                                  0, &jobid, name, sizeof name);
  if (found <= 0) {
    job_message(job, M_INFO, "No prior Full backup Job record found: upgrading to Full");
    job->level = L_FULL;
    return 0;
  }
  job_message(job, M_INFO, "%s since JobId %lld (%s)", config_level_name(job->level),
              (long long)jobid, name);
  char* error = NULL;
  if (fetch_archive(address, name, path, &error) < 0) {
    job_message(job, M_FATAL, "%s", error);
    free(error);
    return -1;
  }
  return 1;
}

/* A backup that did not end OK may leave the volume it was writing ending
 * in a cut-short block, which the SD refuses to append to: the volume
 * becomes Used, so that no later job is given it (once past its retention
 * it is recycled like a Full one). */
static void retire_unfinished_volume(Job* job)
{
  pthread_mutex_lock(&director.volume_lock);
  if (job->mediaid && catalog_set_volume_status(director.catalog, job->mediaid, "Used") < 0)
    job_message(job, M_ERROR, "catalog: %s", catalog_error(director.catalog));
  pthread_mutex_unlock(&director.volume_lock);
}

int datapath_backup(Job* job)
{
  const ClientRes* client = config_client(director.config, job->res->client);
  const FileSetRes* fileset = config_fileset(director.config, job->res->fileset);
  char* address = datapath_storage_address(config_storage(director.config, job->res->storage));
  if (!address) {
    job_message(job, M_FATAL, "Storage \"%s\" has no Address", job->res->storage);
    return JS_FatalError;
  }
  const char* work = director.config->director->working_directory;
  char* spool = xasprintf("%s/%s.archive", work, job->job_name);
  char* previous = xasprintf("%s/%s.previous", work, job->job_name);
  char* output = xasprintf("%s/%s.fd.log", work, job->job_name);
  int status = JS_FatalError;
  job->fd_job_status = job->sd_job_status = JS_Running;
  int have_previous = previous_archive(job, address, previous);
  Argv argv = {0};
  bool cancelled = false;
  if (have_previous < 0)
    goto out;
  argv_command(&argv, client->command);
  argv_add(&argv, "--client");
  argv_add(&argv, client->name);
  argv_add(&argv, "backup");
  argv_add(&argv, "--archive");
  argv_add(&argv, spool);
  argv_add(&argv, "--job");
  argv_add(&argv, job->job_name);
  argv_add(&argv, "--level");
  argv_add(&argv, level_word(job->level));
  if (have_previous) {
    argv_add(&argv, "--previous");
    argv_add(&argv, previous);
  }
  for (int i = 0; fileset && i < fileset->plugins.count; i++)
    argv_add(&argv, fileset->plugins.items[i]);
  char* error = NULL;
  SdClient* sd = open_sd_session(job, address, &cancelled, &error);
  if (!sd) {
    if (cancelled) {
      status = JS_Canceled;
    } else {
      job_message(job, M_FATAL, "%s", error);
      job->sd_job_status = JS_FatalError;
    }
    free(error);
    goto out;
  }
  int fd_rc = run_child(job, &argv, output, &cancelled);
  if (cancelled || jobs_cancel_seen(job)) {
    sd_abort_backup(sd);
    sd_close(sd);
    status = JS_Canceled;
    goto out;
  }
  if (fd_rc != 0 && fd_rc != 1) {
    sd_abort_backup(sd);
    sd_close(sd);
    char* why = last_line(output);
    job_message(job, M_FATAL, "the FD (%s) failed with status %d: %s", argv.items[0], fd_rc, why);
    free(why);
    job->fd_job_status = JS_FatalError;
    goto out;
  }
  if (fd_rc == 1)
    job_message(job, M_WARNING, "the FD reported errors (see %s)", output);
  job->fd_job_status = JS_Terminated;
  struct stat st;
  if (stat(spool, &st) == 0)
    job->read_bytes = st.st_size;
  char* summary = NULL;
  int sd_rc = send_archive(job, sd, address, spool, &summary, &error);
  if (sd_rc == -2) {
    status = JS_Canceled;
    free(error);
    goto out;
  }
  if (sd_rc != 0) {
    job_message(job, M_FATAL, "%s", error);
    free(error);
    job->sd_job_status = JS_FatalError;
    goto out;
  }
  record_volumes(job, summary);
  free(summary);
  job->sd_job_status = JS_Terminated;
  if (list_files(job, client, spool, output) < 0)
    job_message(job, M_ERROR, "cannot list the job's files (see %s)", output);
  job->job_files = job->file_count;
  status = jobs_cancel_seen(job) ? JS_Canceled : JS_Terminated;
out:
  if (status != JS_Terminated)
    retire_unfinished_volume(job);
  argv_free(&argv);
  unlink(spool);
  unlink(previous);
  if (status == JS_Terminated)
    unlink(output);
  free(spool);
  free(previous);
  free(output);
  free(address);
  return status;
}

static void restore_job_end(Job* job, int64_t backup_id, const char* where, int status);

/* The Restore job: its catalog row (type R, Running) and its start events.
 * NULL if the row could not be made. */
static Job* restore_job_start(const JobRes* res, int64_t backup_id)
{
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  char unique[200];
  snprintf(unique, sizeof unique, "%s-restore-%lld.%04d-%02d-%02d_%02d.%02d.%02d_%d", res->name,
           (long long)backup_id, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec, (int)getpid());
  JobRecord record = {0, res->name, unique, JT_RESTORE, ' ', JS_Created, res->priority,
                      res->client, res->fileset, NULL, res->storage};
  int64_t jobid = catalog_create_job(director.catalog, &record);
  if (jobid < 0)
    return NULL;
  Job* job = jobs_restore_begin(res, jobid, unique);
  if (catalog_start_job(director.catalog, jobid, ' ', res->priority) < 0) {
    restore_job_end(job, backup_id, "", JS_FatalError);
    return NULL;
  }
  return job;
}

/* The end of a Restore job: its status in the catalog, a log line, JobEnd. */
static void restore_job_end(Job* job, int64_t backup_id, const char* where, int status)
{
  int64_t jobid = job->jobid;
  if (job->status == JS_FatalError) /* a plugin's fatal message */
    status = JS_FatalError;
  char* text = xasprintf("Restore of JobId %lld to %s: status %c", (long long)backup_id, where,
                         status);
  catalog_log(director.catalog, jobid, status == JS_FatalError ? M_ERROR : M_INFO, text);
  free(text);
  int64_t errors = job->errors ? job->errors : status == JS_FatalError;
  if (catalog_end_job(director.catalog, jobid, status, NULL, 0, 0, errors) < 0)
    fprintf(stderr, "bareospy-dir: restore JobId %lld: catalog: %s\n", (long long)jobid,
            catalog_error(director.catalog));
  jobs_restore_end(job, status);
}

int datapath_restore(const char* job_name, int64_t jobid, const char* where, FILE* out)
{
  int64_t found_id;
  char name[160];
  int found = catalog_last_backup(director.catalog, job_name, 0, jobid, &found_id, name,
                                  sizeof name);
  if (found <= 0) {
    fprintf(out, "restore: no backup that ended OK%s%s%s\n", job_name ? " of Job " : "",
            job_name ? job_name : "", jobid ? " with that jobid" : "");
    return 1;
  }
  /* The catalog's row names the Job resource: its Client and Storage. */
  char resource[160];
  snprintf(resource, sizeof resource, "%s", name);
  char* dot = strrchr(resource, '.');
  const JobRes* res = NULL;
  while (dot && !(res = config_job(director.config, resource))) {
    *dot = '\0';
    dot = strrchr(resource, '.');
  }
  if (!res)
    res = config_job(director.config, resource);
  const ClientRes* client = res ? config_client(director.config, res->client) : NULL;
  char* address = res ? datapath_storage_address(config_storage(director.config, res->storage))
                      : NULL;
  if (!client || !client->command || !address) {
    fprintf(out, "restore: JobId %lld (%s): its Job has no Client Command or Storage Address\n",
            (long long)found_id, name);
    free(address);
    return 1;
  }
  Job* restore = restore_job_start(res, found_id);
  if (!restore) {
    fprintf(out, "restore: catalog: %s\n", catalog_error(director.catalog));
    free(address);
    return 1;
  }
  Argv argv = {0};
  argv_command(&argv, client->command);
  argv_add(&argv, "restore");
  argv_add(&argv, "--storage");
  argv_add(&argv, address);
  argv_add(&argv, "--job");
  argv_add(&argv, name);
  argv_add(&argv, "--where");
  argv_add(&argv, where);
  /* The plugin code a restore runs is named by the configuration, the
   * operator's (the archive's own module_path is not trusted by the FD). */
  const FileSetRes* fileset = config_fileset(director.config, res->fileset);
  for (int i = 0; fileset && i < fileset->plugins.count; i++) {
    argv_add(&argv, "--plugin-options");
    argv_add(&argv, fileset->plugins.items[i]);
  }
  char* output = xasprintf("%s/restore-%lld-%d.log", director.config->director->working_directory,
                           (long long)found_id, (int)getpid());
  int rc = run_child(NULL, &argv, output, NULL);
  FILE* log = fopen(output, "r");
  char line[1024];
  while (log && fgets(line, sizeof line, log))
    fputs(line, out);
  if (log)
    fclose(log);
  unlink(output);
  free(output);
  fprintf(out, "Restore of JobId %lld (%s) to %s: %s\n", (long long)found_id, name, where,
          rc == 0 ? "OK" : rc == 1 ? "OK -- with warnings" : "*** Error ***");
  catalog_log(director.catalog, found_id, rc == 0 ? M_INFO : M_ERROR,
              rc == 0 ? "Restored" : "Restore failed");
  restore_job_end(restore, found_id, where,
                  rc == 0 ? JS_Terminated : rc == 1 ? JS_Warnings : JS_FatalError);
  argv_free(&argv);
  free(address);
  return rc == 0 || rc == 1 ? 0 : 1;
}
