/* scripting.h -- Bacula-style Python scripting in bareospy-fd
 * (docs/bacula-scripting.md): --scripts-dir DIR imports FDStartUp; each
 * backup or restore job gets JobStart and JobEnd, the process Exit. */
#ifndef BAREOSPY_FD_SCRIPTING_H
#define BAREOSPY_FD_SCRIPTING_H

struct Job;

void fd_scripting_configure(const char* scripts_dir);
void fd_scripting_start(void);
void fd_scripting_job_start(struct Job* job);
void fd_scripting_job_end(struct Job* job);
void fd_scripting_exit(void);

#endif
