/* scenarios_lifecycle.c -- cancel: a backup that another thread cancels while
 * it reads data; reload: load, a backup, unload, dlclose, more than once in
 * one process. */
#include "driver.h"

#include <errno.h>
#include <time.h>

/* -- cancel: a backup; another thread cancels it while it reads data ------- */

/* The job thread tells the cancel thread when it is inside the data loop. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool wanted;
  bool in_data;
  bool finished;
} cancel_sync = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false, false};

void signal_in_data_loop(void)
{
  pthread_mutex_lock(&cancel_sync.lock);
  if (cancel_sync.wanted && !cancel_sync.in_data) {
    cancel_sync.in_data = true;
    pthread_cond_broadcast(&cancel_sync.cond);
  }
  pthread_mutex_unlock(&cancel_sync.lock);
}

static void* cancel_main(void* arg)
{
  Instance* inst = arg;
  set_thread_label(1);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  pthread_mutex_lock(&cancel_sync.lock);
  while (!cancel_sync.in_data && !cancel_sync.finished) {
    if (pthread_cond_timedwait(&cancel_sync.cond, &cancel_sync.lock, &deadline) == ETIMEDOUT) break;
  }
  bool go = cancel_sync.in_data;
  pthread_mutex_unlock(&cancel_sync.lock);
  Json j;
  j_begin(&j);
  j_str(&j, "cancel", go ? "sending" : "never in the data loop");
  j_int(&j, "thread", thread_label());
  j_end(&j);
  if (!go) return NULL;
  job_cancel(inst->job);
  generate(inst, bEventCancelCommand, NULL, NULL);
  return NULL;
}

int scenario_cancel(void)
{
  Job job;
  Instance inst;
  Archive ar = {0};
  pthread_mutex_lock(&cancel_sync.lock);
  cancel_sync.wanted = true;
  pthread_mutex_unlock(&cancel_sync.lock);
  /* The canceler uses inst only once the job is in its data loop. */
  pthread_t canceler;
  if (pthread_create(&canceler, NULL, cancel_main, &inst) != 0) {
    print_error("thread", "pthread_create failed");
    return 2;
  }
  job_open(&job, &inst, JT_BACKUP, opt.jobid);
  run_backup_job(&inst, &ar);
  pthread_mutex_lock(&cancel_sync.lock);
  cancel_sync.finished = true;
  pthread_cond_broadcast(&cancel_sync.cond);
  pthread_mutex_unlock(&cancel_sync.lock);
  pthread_join(canceler, NULL);
  job_close(&job, &inst, "backup");
  archive_free(&ar);
  return 0;
}

/* -- reload: load, a backup, unload, dlclose; --rounds times --------------- */

int scenario_reload(void)
{
  for (int round = 1; round <= opt.rounds; round++) {
    if (round > 1 && !load_plugin(opt.plugin_so, &core_functions)) return 3;
    Json j;
    j_begin(&j);
    j_int(&j, "round", round);
    j_end(&j);
    Job job;
    Instance inst;
    Archive ar = {0};
    job_open(&job, &inst, JT_BACKUP, opt.jobid + round - 1);
    run_backup_job(&inst, &ar);
    job_close(&job, &inst, "backup");
    archive_free(&ar);
    if (round < opt.rounds) unload_plugin();
  }
  return 0;
}
