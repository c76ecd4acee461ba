/* scripting.h -- Bacula-style Python scripting in bareospy-dir
 * (docs/bacula-scripting.md): the director's side of
 * include/bareospy/bacula.h.  Hooked in at four places: start-up
 * (main.c), every director event (plugins.c, plugins_event), the console
 * command "python" (console.c) and shutdown (main.c). */
#ifndef BAREOSPY_DIR_SCRIPTING_H
#define BAREOSPY_DIR_SCRIPTING_H

#include <stdio.h>

struct Job;

/* After the configuration, catalog and plugins: with a Scripts Directory,
 * load libbareospy-bacula.so and import DirStartUp. */
void scripting_start(void);
/* A director event of `job` (bDirEventType): JobStart (and JobInit, in the
 * creating thread), JobRun, NewVolume, VolumePurged, JobEnd. */
void scripting_event(struct Job* job, int event);
/* Daemon exit (the scripts' Exit handler). */
void scripting_exit(void);
/* The console command "python ARG": 0 done, 1 not. */
int scripting_console(const char* argument, FILE* out);

#endif
