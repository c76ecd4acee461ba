/* director.h -- the parts of bareospy-dir and how they meet.
 *
 *   main.c      options, start-up (configuration, catalog, plugins), the console loop
 *   console.c   the console commands (run, restore, status, list, cancel, messages,
 *               purge, label)
 *   jobs.c      the job queue (priorities, Maximum Concurrent Jobs, one thread a job),
 *               a job's life and its events, volumes for a job, run_data_phase()
 *   datapath.c  a job's real data phase (bareospy-fd child, bareospy-sd), restore
 *   plugins.c   DIR plugins: loading, the core function table, instances, event dispatch
 *   catalog.c   the SQLite catalog;  config.c  the configuration
 */
#ifndef BAREOSPY_DIR_DIRECTOR_H
#define BAREOSPY_DIR_DIRECTOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "bareospy/dir.h"
#include "catalog.h"
#include "config.h"

/* The loaded DIR plugin objects, in load order. */
typedef struct PluginSet {
  Plugin* plugins;
  int count;
} PluginSet;

/* One plugin instance of a job (PluginContext.core_private_context). */
typedef struct Instance {
  PluginContext ctx;
  struct Job* job;
  uint32_t events; /* bit n: event n registered */
  bool disabled;   /* newPlugin failed or the plugin returned bRC_Term */
} Instance;

/* What the simulated data phase does (run options bytes=, files=, delay=)
 * for a job whose Client has no Command (no bareospy-fd to run). */
typedef struct Simulation {
  int64_t bytes;
  int64_t files;
  int64_t delay_ms; /* per block of DATA_BLOCK bytes */
} Simulation;

#define DATA_BLOCK (64 * 1024)

typedef struct Job {
  int64_t jobid;
  const JobRes* res;
  char job_name[160]; /* unique: Name.YYYY-MM-DD_HH.MM.SS_NN */
  int type, level, status;
  int priority;
  const char* pool;
  char volume_name[128]; /* the current volume; a plugin may set it */
  int64_t mediaid;       /* of volume_name, 0: none yet */
  int parts_recorded;    /* volumes whose bytes are in the catalog (datapath.c) */
  int64_t job_bytes, read_bytes, job_files, errors;
  int sd_job_status, fd_job_status;
  bool cancelled; /* under director.lock */
  bool queued, running, finished;
  bool started; /* a thread runs or ran it, not joined yet */
  Instance** instances;
  int instance_count;
  Simulation simulation;
  FileRecord* files; /* what the FD saved (datapath.c), file_count of them */
  int64_t file_count;
  pthread_t thread;
  struct Job* next; /* in the director's list */
} Job;

typedef struct Director {
  Config* config;
  const char* config_path;
  Catalog* catalog;
  char* catalog_path;
  char* plugin_dir;
  const char* catalog_name;
  PluginSet plugins;
  int debug_level;
  FILE* message_file; /* Messages { Append = ... } of the Director */
  pthread_mutex_t lock; /* jobs list, running count, output */
  pthread_cond_t changed;
  /* Choosing, creating and filling volumes: one job at a time, so two jobs
   * neither create the same new volume nor overfill one. */
  pthread_mutex_t volume_lock;
  Job* jobs;
  int running;
  int next_sequence;
} Director;

extern Director director;

/* plugins.c */
int plugins_load(Director* d, char** error);
void plugins_unload(Director* d);
/* Instance 0 of every plugin, then the Dir Plugin Options instances (§1.8). */
void plugins_new_job(Job* job);
void plugins_free_job(Job* job);
/* §1.5 SD/DIR dispatch: load order, stops at Stop/Error/Skip, Cancel if cancelled. */
bRC plugins_event(Job* job, bDirEventType event, void* value);
const char* plugins_event_name(int event);

/* jobs.c */
/* Create, announce (JobStart) and queue a job.  Returns it, or NULL with a
 * message printed. */
Job* jobs_submit(const char* name, int level, int priority, const Simulation* simulation);
/* Start queued jobs while slots are free (Maximum Concurrent Jobs), the
 * lowest Priority number first. */
void jobs_dispatch(void);
void jobs_wait(Job* only);
int jobs_cancel(int64_t jobid);
bool jobs_is_cancelled(Job* job);
/* Cancelled here or by another process's console (through the catalog). */
bool jobs_cancel_seen(Job* job);
/* Choose the job's volume (events, catalog); caller holds volume_lock. */
int datapath_first_volume(Job* job);
/* The volume after a full one: NeedVolume, then an Append volume of the
 * pool no other job writes on, a Purged one (Recyle), one from Scratch
 * (GetScratch) or a new one (NewVolume: a plugin's name or the Label
 * Format).  0 with job->volume_name/mediaid set, -1 after a message; the
 * caller holds volume_lock. */
int jobs_next_volume(Job* job);
/* `volume` (its bytes counted) is full: status Full, VolumeFull; caller
 * holds volume_lock. */
void jobs_volume_full(Job* job, const Volume* volume);
void jobs_status(FILE* out);
/* A job's messages: catalog log, the Messages file, stderr when debugging. */
void job_message(Job* job, int type, const char* format, ...) __attribute__((format(printf, 3, 4)));
/* The data phase of a job: the seam where the FD and SD sides are wired in. */
int run_data_phase(Job* job);
/* A console command outside a job (purge, label) that fires events: a job
 * record-less context.  Freed with jobs_free_console. */
Job* jobs_console_job(void);
void jobs_free_console(Job* job);

/* console.c: one command line; 0 ok, 1 failed. */
int console_command(const char* line, FILE* out, bool interactive);

#endif
