/* scenarios_concurrent.c -- concurrent: N threads, each with its own job and
 * instance, many handlePluginEvent or pluginIO calls each. */
#include "driver.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define HISTOGRAM 16

typedef struct {
  int index;
  pthread_t thread;
  pthread_barrier_t* barrier;
  Job job;
  Instance inst;
  int values[HISTOGRAM];
  long counts[HISTOGRAM];
  int distinct;
  long other;
  long long bytes;
  char sha[65];
} Worker;

static void count_value(Worker* w, int value)
{
  for (int i = 0; i < w->distinct; i++)
    if (w->values[i] == value) {
      w->counts[i]++;
      return;
    }
  if (w->distinct < HISTOGRAM) {
    w->values[w->distinct] = value;
    w->counts[w->distinct++] = 1;
  } else {
    w->other++;
  }
}

/* The definition with every "%t" replaced by the worker's index. */
static char* worker_definition(int index)
{
  Buffer b;
  buffer_init(&b);
  char number[16];
  snprintf(number, sizeof number, "%d", index);
  for (const char* p = opt.definition; *p; p++) {
    if (p[0] == '%' && p[1] == 't') {
      buffer_append_str(&b, number);
      p++;
    } else {
      buffer_append(&b, p, 1);
    }
  }
  buffer_append(&b, "", 0); /* an empty definition is "", not NULL */
  return buffer_steal(&b);
}

static void* worker_main(void* arg)
{
  Worker* w = arg;
  set_thread_label(w->index + 1);
  call_new_plugin(&w->inst);
  char* definition = worker_definition(w->index);
  deliver(&w->inst, bEventPluginCommand, definition, definition);
  bool io = opt.call && strcmp(opt.call, "io") == 0;
  char* buffer = xmalloc(IO_BUFFER_SIZE);
  char fname[64];
  snprintf(fname, sizeof fname, "/concurrent/%d", w->index);
  Sha256 sha;
  sha256_init(&sha);
  if (io) plugin_open(&w->inst, fname, O_RDONLY, 0); /* the plugin does the I/O */
  pthread_barrier_wait(w->barrier);
  for (long i = 0; i < opt.calls; i++) {
    if (io) {
      io_pkt rd;
      io_init(&rd, IO_READ);
      rd.count = 64;
      rd.buf = buffer;
      rd.filedes = 0;
      fns->pluginIO(&w->inst.ctx, &rd);
      count_value(w, rd.status);
      if (rd.status > 0 && rd.status <= 64) {
        sha256_update(&sha, buffer, (size_t)rd.status);
        w->bytes += rd.status;
      }
    } else {
      bEvent event = {bEventStartBackupJob};
      count_value(w, (int)fns->handlePluginEvent(&w->inst.ctx, &event, NULL));
    }
  }
  pthread_barrier_wait(w->barrier);
  if (io) call_io_close(&w->inst, 0);
  sha_hex(&sha, w->sha);
  deliver(&w->inst, bEventEndBackupJob, NULL, NULL);
  call_free_plugin(&w->inst);
  free(buffer);
  free(definition);
  return NULL;
}

int scenario_concurrent(void)
{
  int n = opt.threads > 0 ? opt.threads : 2;
  Worker* workers = xmalloc((size_t)n * sizeof *workers);
  memset(workers, 0, (size_t)n * sizeof *workers);
  pthread_barrier_t barrier;
  pthread_barrier_init(&barrier, NULL, (unsigned)n);
  for (int i = 0; i < n; i++) {
    Worker* w = &workers[i];
    w->index = i;
    w->barrier = &barrier;
    job_init(&w->job, JT_BACKUP, opt.jobid + i);
    instance_init(&w->inst, &w->job, (uint32_t)i);
  }
  struct timeval start, end;
  gettimeofday(&start, NULL);
  for (int i = 0; i < n; i++) {
    if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
      print_error("thread", "pthread_create failed");
      exit(2);
    }
  }
  for (int i = 0; i < n; i++) pthread_join(workers[i].thread, NULL);
  gettimeofday(&end, NULL);
  for (int i = 0; i < n; i++) {
    Worker* w = &workers[i];
    Json j;
    j_begin(&j);
    j_int(&j, "worker", i);
    j_int(&j, "ctx", w->inst.ctx.instance);
    j_int(&j, "calls", opt.calls);
    j_key(&j, "results");
    j_raw(&j, "{", 1);
    for (int k = 0; k < w->distinct; k++) {
      char text[48];
      snprintf(text, sizeof text, "%s\"%d\":%ld", k ? "," : "", w->values[k], w->counts[k]);
      j_rawz(&j, text);
    }
    j_raw(&j, "}", 1);
    j_int(&j, "other", w->other);
    j_int(&j, "bytes", w->bytes);
    j_str(&j, "sha256", w->sha);
    j_end(&j);
    print_job_end(&w->job, "concurrent");
    job_free(&w->job);
  }
  Json j;
  j_begin(&j);
  j_str(&j, "concurrent", "end");
  j_int(&j, "threads", n);
  j_int(&j, "elapsed_ms", (end.tv_sec - start.tv_sec) * 1000LL + (end.tv_usec - start.tv_usec) / 1000);
  j_end(&j);
  pthread_barrier_destroy(&barrier);
  free(workers);
  return 0;
}
