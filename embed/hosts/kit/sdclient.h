/* sdclient.h -- the client side of bareospy-sd (docs/sd-protocol.md): what
 * a file daemon uses to send a job's records to the storage daemon and to
 * read them back.
 *
 *   SdJobInfo info = {.job = "backup-1", .pool = "Full"};
 *   SdClient* sd = sd_open("unix:/run/sd.sock", &message);
 *   if (sd_begin_backup(sd, &info) != 0) ... sd_error(sd)
 *   sd_send_record(sd, data, length);      // as often as needed
 *   sd_end_backup(sd, &summary);           // summary: "volumes=...\n..."
 *   sd_close(sd);
 *
 *   sd_begin_restore(sd, "backup-1");
 *   while ((rc = sd_next_record(sd, &record)) == 1) ...;   // 0: end, -1: error
 *
 * Every failing call returns -1 and leaves a sentence in sd_error(sd): the
 * SD's own message if it sent one, else what went wrong with the connection.
 */
#ifndef BAREOSPY_KIT_SDCLIENT_H
#define BAREOSPY_KIT_SDCLIENT_H

#include <stddef.h>

#include "util.h"

typedef struct SdClient SdClient;

typedef struct SdJobInfo {
  const char* job;            /* unique job name (required) */
  const char* pool;           /* NULL: the SD's default pool */
  const char* client;         /* NULL: not given */
  const char* level;          /* "F", "I", "D" or NULL */
  const char* plugin_options; /* SD plugin options of the job, or NULL */
} SdJobInfo;

/* Connect ("unix:PATH" or "HOST:PORT"); NULL with *message (malloc'ed). */
SdClient* sd_open(const char* address, char** message);
void sd_close(SdClient* sd);
/* The last error (never NULL; "" if none). */
const char* sd_error(const SdClient* sd);

int sd_begin_backup(SdClient* sd, const SdJobInfo* info);
/* The same, naming the job's first volume (a director's choice; NULL: the
 * SD chooses).  An SD plugin that sets bsdwVarVolumeName at JobStart wins. */
int sd_begin_backup_on(SdClient* sd, const SdJobInfo* info, const char* volume);
/* A client that names the volumes the job continues on (a director): when
 * the SD has filled `previous` (the job wrote `bytes` record bytes on it),
 * the handler puts the next volume's name in `name` ("" lets the SD choose)
 * and returns 0, or returns -1 to end the job (the reason in *error,
 * malloc'ed).  Set it before sd_begin_backup_on; the questions are answered
 * inside sd_send_record and sd_end_backup. */
typedef int (*SdVolumeHandler)(void* data, const char* previous, unsigned long long bytes,
                               char* name, size_t size, char** error);
void sd_set_volume_handler(SdClient* sd, SdVolumeHandler handler, void* data);
int sd_send_record(SdClient* sd, const void* data, size_t length);
/* End the backup and wait for the SD's verdict; *summary (if not NULL)
 * gets its key=value lines (malloc'ed). */
int sd_end_backup(SdClient* sd, char** summary);

/* Give up a backup: stop sending and wait (at most 60 s) until the SD has
 * ended the job's part (an `aborted` EOS) and closed, so its volume is free
 * again when this returns.  The SD keeps the records it got. */
void sd_abort_backup(SdClient* sd);

int sd_begin_restore(SdClient* sd, const char* job);
/* The next record into *record (cleared first): 1, 0 at the end of the
 * job's records, -1 on an error. */
int sd_next_record(SdClient* sd, Buffer* record);

#endif
