/* scripting.h -- Bacula-style Python scripting in bareospy-sd
 * (docs/bacula-scripting.md): --scripts-dir DIR imports SDStartUp; each job
 * gets JobStart and JobEnd (the SD has no job events and no Exit). */
#ifndef BAREOSPY_SD_SCRIPTING_H
#define BAREOSPY_SD_SCRIPTING_H

struct Job;

void sd_scripting_configure(const char* scripts_dir);
/* Before serving: load the library and import SDStartUp. */
void sd_scripting_start(void);
void sd_scripting_job_start(struct Job* job);
void sd_scripting_job_end(struct Job* job);

#endif
