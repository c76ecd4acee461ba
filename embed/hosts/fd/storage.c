/* storage.c -- `backup --storage ADDRESS` and `restore --storage ADDRESS
 * --job NAME`: a job's archive kept by bareospy-sd instead of in a file
 * (docs/sd-protocol.md; the client is the kit's sdclient).
 *
 * The archive is spooled: a backup writes its archive to a spool file as
 * usual (--archive FILE, or a temporary file in the working directory) and,
 * if the job did not fail, sends it to the storage daemon as records of at
 * most STORAGE_RECORD_SIZE bytes; a restore first reads the job's records
 * back into a spool file and restores from it.  The archive reader seeks
 * (damage recovery), which a socket cannot, hence the spool.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "host.h"
#include "kit/sdclient.h"
#include "kit/util.h"

#define STORAGE_RECORD_SIZE (1u << 20)

static void storage_error(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void storage_error(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  fprintf(stderr, HOST_NAME ": storage: %s\n", text);
  free(text);
}

/* A new empty spool file; malloc'ed path, or NULL after a message. */
static char* spool_file(const JobOptions* options)
{
  const char* directory = options->working_dir ? options->working_dir
                          : host.working_dir    ? host.working_dir
                          : getenv("TMPDIR")    ? getenv("TMPDIR")
                                                : "/tmp";
  char* path = xasprintf("%s/bareospy-fd-spool-XXXXXX", directory);
  int fd = mkstemp(path);
  if (fd < 0) {
    storage_error("cannot create a spool file in %s: %s", directory, strerror(errno));
    free(path);
    return NULL;
  }
  close(fd);
  return path;
}

/* Open the spool file path (mode, for what) and connect to the storage daemon:
 * the connection and *file, or NULL after a message (no file left open). */
static SdClient* open_spool_and_connect(const JobOptions* options, const char* path, const char* mode,
                                        const char* what, FILE** file)
{
  *file = fopen(path, mode);
  if (!*file) {
    storage_error("cannot %s %s: %s", what, path, strerror(errno));
    return NULL;
  }
  char* message = NULL;
  SdClient* sd = sd_open(options->storage, &message);
  if (!sd) {
    storage_error("%s", message);
    free(message);
    fclose(*file);
    *file = NULL;
  }
  return sd;
}

/* Send the archive file to the storage daemon as job `name`. */
static int send_archive(const JobOptions* options, const char* path)
{
  FILE* file;
  SdClient* sd = open_spool_and_connect(options, path, "rb", "read the spooled archive", &file);
  if (!sd) return -1;
  char level[2] = {options->level ? options->level : 'F', '\0'};
  SdJobInfo info = {options->job_name, NULL, options->client ? options->client : host.client, level, NULL};
  int rc = sd_begin_backup(sd, &info);
  char* chunk = xmalloc(STORAGE_RECORD_SIZE);
  size_t got;
  while (rc == 0 && (got = fread(chunk, 1, STORAGE_RECORD_SIZE, file)) > 0)
    rc = sd_send_record(sd, chunk, got);
  if (rc == 0 && ferror(file)) {
    storage_error("cannot read the spooled archive %s", path);
    rc = -2;
  }
  free(chunk);
  char* summary = NULL;
  if (rc == 0) rc = sd_end_backup(sd, &summary);
  if (rc == -1) storage_error("job %s: %s", options->job_name, sd_error(sd));
  if (rc == 0) {
    pthread_mutex_lock(&output_lock);
    printf("Stored in bareospy-sd at %s as job %s:\n", options->storage, options->job_name);
    for (char* line = strtok(summary, "\n"); line; line = strtok(NULL, "\n")) printf("  %s\n", line);
    fflush(stdout);
    pthread_mutex_unlock(&output_lock);
  }
  free(summary);
  sd_close(sd);
  fclose(file);
  return rc == 0 ? 0 : -1;
}

/* Read job `name` from the storage daemon into the file path. */
static int fetch_archive(const JobOptions* options, const char* path)
{
  FILE* file;
  SdClient* sd = open_spool_and_connect(options, path, "wb", "write the spool file", &file);
  if (!sd) return -1;
  int rc = sd_begin_restore(sd, options->job_name);
  Buffer record;
  buffer_init(&record);
  int more = 0;
  while (rc == 0 && (more = sd_next_record(sd, &record)) == 1)
    if (fwrite(record.data, 1, record.length, file) != record.length) more = -2;
  if (rc != 0 || more == -1) storage_error("job %s: %s", options->job_name, sd_error(sd));
  if (more == -2) storage_error("cannot write the spool file %s: %s", path, strerror(errno));
  buffer_free(&record);
  sd_close(sd);
  if (fclose(file) != 0 && rc == 0 && more == 0) {
    storage_error("cannot write the spool file %s: %s", path, strerror(errno));
    more = -2;
  }
  return rc == 0 && more == 0 ? 0 : -1;
}

int run_job_with_storage(const JobOptions* options)
{
  JobOptions local = *options;
  local.storage = NULL;
  char* spool = NULL;
  if (!options->archive) {
    spool = spool_file(options);
    if (!spool) return EXIT_JOB_FATAL;
    local.archive = spool;
  }
  int status;
  if (options->command == CMD_RESTORE) {
    status = fetch_archive(options, local.archive) == 0 ? run_job(&local) : EXIT_JOB_FATAL;
  } else {
    status = run_job(&local);
    if (status == EXIT_OK || status == EXIT_JOB_ERRORS) {
      if (send_archive(options, local.archive) != 0) status = EXIT_JOB_FATAL;
    }
  }
  if (spool) {
    unlink(spool);
    free(spool);
  }
  return status;
}
