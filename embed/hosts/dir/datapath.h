/* datapath.h -- a job's real data phase through bareospy-fd and
 * bareospy-sd (datapath.c), and the console's restore. */
#ifndef BAREOSPY_DIR_DATAPATH_H
#define BAREOSPY_DIR_DATAPATH_H

#include "director.h"

/* "unix:PATH" or "HOST:PORT" of a Storage; NULL if it has no Address. */
char* datapath_storage_address(const StorageRes* storage);
/* The backup of a job whose Client has a Command: the job status. */
int datapath_backup(Job* job);
/* Restore the latest OK backup (of Job `job_name` if not NULL, jobid
 * `jobid` if not 0) to `where`; 0 ok, 1 failed (message on out). */
int datapath_restore(const char* job_name, int64_t jobid, const char* where, FILE* out);

#endif
