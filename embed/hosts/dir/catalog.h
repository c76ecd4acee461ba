/* catalog.h -- bareospy-dir's catalog: one SQLite file with a versioned
 * schema (docs/catalog.md).  Every function is safe to call from several
 * job threads at once (one connection, one mutex); each change is one
 * transaction, so a job that is cancelled or a process that dies leaves
 * whole rows only. */
#ifndef BAREOSPY_DIR_CATALOG_H
#define BAREOSPY_DIR_CATALOG_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define CATALOG_SCHEMA_VERSION 1

typedef struct Catalog Catalog;

/* Open the file, creating it with the current schema if it does not exist
 * (or is empty).  NULL with *error (malloc'ed) if it is not a bareospy
 * catalog, has another schema version or is damaged; the file is then left
 * as it was. */
Catalog* catalog_open(const char* path, char** error);
void catalog_close(Catalog* catalog);
/* The last SQLite error, for messages. */
const char* catalog_error(Catalog* catalog);

/* Pools: insert or update the configured ones. */
int catalog_sync_pool(Catalog* c, const char* name, const char* label_format,
                      int64_t max_volume_bytes, int64_t volume_retention);

/* Jobs. */
typedef struct JobRecord {
  int64_t jobid;
  const char* name;     /* Job resource */
  const char* job;      /* unique job name */
  int type, level, status;
  int64_t priority;
  const char* client, *fileset, *pool, *storage;
} JobRecord;
int64_t catalog_create_job(Catalog* c, const JobRecord* job);
int catalog_set_job_status(Catalog* c, int64_t jobid, int status);
int catalog_start_job(Catalog* c, int64_t jobid, int level, int64_t priority);
/* Mark jobs left Running/Created by processes that no longer exist as
 * ErrorTerminated (a crashed director); returns how many. */
int catalog_reap_stale_jobs(Catalog* c);
int catalog_request_cancel(Catalog* c, int64_t jobid, int* status);
int catalog_cancel_requested(Catalog* c, int64_t jobid);

/* A file a job saved. */
typedef struct FileRecord {
  const char* path;
  const char* lstat;
  const char* digest;
} FileRecord;
/* The end of a job in one transaction: its files (only if status is
 * Terminated or Warnings), counters, status and end time. */
int catalog_end_job(Catalog* c, int64_t jobid, int status, const FileRecord* files,
                    int file_count, int64_t job_bytes, int64_t errors);

/* Volumes. */
typedef struct Volume {
  int64_t mediaid;
  char name[128];
  char pool[128];
  char status[16];
  int64_t bytes;
  int64_t max_bytes; /* of its pool; 0: no limit */
} Volume;
int catalog_num_vols(Catalog* c, const char* pool);
/* An Append volume of the pool (the fullest first); 1 found, 0 none, -1 error. */
int catalog_find_volume(Catalog* c, const char* pool, const char* status, Volume* out);
/* The same, the index-th one in that order (0: the first). */
int catalog_find_volume_at(Catalog* c, const char* pool, const char* status, int64_t index,
                           Volume* out);
int catalog_get_volume(Catalog* c, const char* name, Volume* out);
/* A Full or Used volume of the pool whose Volume Retention (when set: > 0)
 * has passed since it was last written, the oldest first; 1 found, 0 none,
 * -1 error. */
int catalog_find_expired_volume(Catalog* c, const char* pool, int64_t now, Volume* out);
/* Create a volume (status Append); -1 if the name exists or the pool is unknown. */
int catalog_create_volume(Catalog* c, const char* name, const char* pool);
int catalog_set_volume_status(Catalog* c, int64_t mediaid, const char* status);
int catalog_move_volume(Catalog* c, int64_t mediaid, const char* pool);
/* Recycle: status Append, bytes 0, jobs 0. */
int catalog_recycle_volume(Catalog* c, int64_t mediaid);
/* Record bytes a job wrote on a volume: volume bytes and jobmedia together. */
int catalog_write_volume(Catalog* c, int64_t jobid, int64_t mediaid, int64_t bytes);
/* Purge: forget the jobs' data on the volume (jobmedia, files of jobs left
 * on no volume), status Purged.  1 purged, 0 no such volume. */
int catalog_purge_volume(Catalog* c, const char* name);
int64_t catalog_next_media_number(Catalog* c);

/* Messages (job log). */
int catalog_log(Catalog* c, int64_t jobid, int type, const char* text);

/* Listings for the console, written to `out`. */
int catalog_list_jobs(Catalog* c, FILE* out);
int catalog_list_volumes(Catalog* c, FILE* out);
int catalog_list_files(Catalog* c, int64_t jobid, FILE* out);
/* Messages not shown yet; marks them shown. */
int catalog_list_messages(Catalog* c, FILE* out);
/* The latest Backup job that ended OK: of Job resource `name` (NULL: any),
 * level Full only if full_only, jobid `jobid_wanted` only if not 0.  Its
 * jobid and unique job name; 1 found, 0 none, -1 error. */
int catalog_last_backup(Catalog* c, const char* name, int full_only, int64_t jobid_wanted,
                        int64_t* jobid, char* job, size_t size);
/* Job counters for bDirVar*: 0 or -1. */
int catalog_job_status(Catalog* c, int64_t jobid, int* status);

#endif
