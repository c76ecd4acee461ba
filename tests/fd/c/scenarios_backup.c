/* scenarios_backup.c -- the backup job (contract §7.1-§7.3) and the
 * estimate job (§7.6). */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* IO_OPEN / reads / IO_CLOSE of one file (contract §6). */
static void backup_data(Instance* inst, save_pkt* sp, Entry* e)
{
  Job* job = inst->job;
  io_pkt io;
  io_init(&io, IO_OPEN);
  io.fname = sp->fname;
  io.flags = O_RDONLY;
  io.mode = 0;
  io.filedes = kInvalidFiledescriptor;
  bRC rc = call_plugin_io(inst, &io);
  bool core_mode, opened = open_outcome(rc, &io, &core_mode);
  int fd = core_mode ? io.filedes : -1;
  if (!opened) {
    job_message(job, M_NOTSAVED, "Cannot open \"%s\": ERR=%s.\n", sp->fname, strerror(io.io_errno));
    return;
  }

  char* buffer = xmalloc(IO_BUFFER_SIZE);
  Sha256 sha;
  sha256_init(&sha);
  e->has_data = true;
  bytes_add(&e->data, "", 0);
  int retries = 0;
  for (;;) {
    signal_in_data_loop(); /* cancel scenario: the job is in the data loop now */
    long got;
    if (core_mode) {
      ssize_t n = read(fd, buffer, IO_BUFFER_SIZE);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        job_message(job, M_ERROR, "Read error on file %s. ERR=%s\n", sp->fname, strerror(errno));
        break;
      }
      got = (long)n;
    } else {
      io_init(&io, IO_READ);
      io.count = IO_BUFFER_SIZE;
      io.buf = buffer;
      io.filedes = 0;
      call_plugin_io(inst, &io);
      if (io.status > IO_BUFFER_SIZE) {
        job_message(job, M_ERROR, "driver: IO_READ returned %d bytes for a read of %d on %s\n",
                    io.status, IO_BUFFER_SIZE, sp->fname);
        break;
      }
      if (io.status < 0) {
        if (io.io_errno == EINTR && retries++ < 3) continue;
        job_message(job, M_ERROR, "Read error on file %s. ERR=%s\n", sp->fname, strerror(io.io_errno));
        break;
      }
      got = io.status;
    }
    if (got == 0) break;
    sha256_update(&sha, buffer, (size_t)got);
    bytes_add(&e->data, buffer, (size_t)got);
    if (job_canceled(job)) break;
  }
  free(buffer);

  io_init(&io, IO_CLOSE);
  io.filedes = core_mode ? fd : 0;
  call_plugin_io(inst, &io);

  char hex[65];
  sha_hex(&sha, hex);
  Json j;
  j_begin(&j);
  j_str(&j, "data", sp->fname);
  j_uint(&j, "bytes", e->data.len);
  j_str(&j, "sha256", hex);
  j_str(&j, "mode", core_mode ? "core" : "plugin");
  j_end(&j);
  pthread_mutex_lock(&job->lock);
  job->bytes += (long long)e->data.len;
  pthread_mutex_unlock(&job->lock);
}

static void backup_acl(Instance* inst, save_pkt* sp, Entry* e)
{
  acl_pkt ap;
  memset(&ap, 0, sizeof ap);
  ap.pkt_size = ap.pkt_end = sizeof ap;
  ap.fname = sp->fname;
  bRC rc = fns->getAcl(&inst->ctx, &ap);
  Json j;
  call_begin(&j, "getAcl");
  j_str(&j, "fname", sp->fname);
  j_int(&j, "rc", rc);
  j_uint(&j, "content_length", ap.content_length);
  if (ap.content)
    j_strn(&j, "content", ap.content, ap.content_length);
  else
    j_null(&j, "content");
  j_end(&j);
  if (rc != bRC_OK) {
    job_message(inst->job, M_ERROR, "driver: getAcl failed for %s (rc %d)\n", sp->fname, rc);
  } else if (ap.content && ap.content_length > 0) {
    e->has_acl = true;
    bytes_add(&e->acl, ap.content, ap.content_length);
  }
  free(ap.content);
}

static void backup_xattrs(Instance* inst, save_pkt* sp, Entry* e)
{
  for (int n = 0; n < 100000; n++) {
    xattr_pkt xp;
    memset(&xp, 0, sizeof xp);
    xp.pkt_size = xp.pkt_end = sizeof xp;
    xp.fname = sp->fname;
    bRC rc = fns->getXattr(&inst->ctx, &xp);
    Json j;
    call_begin(&j, "getXattr");
    j_str(&j, "fname", sp->fname);
    j_int(&j, "rc", rc);
    if (xp.name)
      j_strn(&j, "name", xp.name, xp.name_length);
    else
      j_null(&j, "name");
    if (xp.value)
      j_strn(&j, "value", xp.value, xp.value_length);
    else
      j_null(&j, "value");
    j_end(&j);
    if ((rc == bRC_OK || rc == bRC_More) && xp.name && xp.name_length > 0) {
      e->xattrs = xrealloc(e->xattrs, (e->nxattrs + 1) * sizeof *e->xattrs);
      Xattr* x = &e->xattrs[e->nxattrs++];
      memset(x, 0, sizeof *x);
      bytes_add(&x->name, xp.name, xp.name_length);
      bytes_add(&x->value, xp.value ? xp.value : "", xp.value ? xp.value_length : 0);
    }
    free(xp.name);
    free(xp.value);
    if (rc == bRC_More) continue;
    if (rc != bRC_OK)
      job_message(inst->job, M_ERROR, "driver: getXattr failed for %s (rc %d)\n", sp->fname, rc);
    break;
  }
}

/* SaveFile for a plugin file (contract §7.3). */
static void save_file(Instance* inst, save_pkt* sp, const char* cmd, Archive* ar)
{
  Job* job = inst->job;
  switch (sp->type) {
    case FT_NOCHG:
    case FT_DIRNOCHG:
      job_message(job, M_SKIPPED, "     Unchanged file skipped: %s\n", sp->fname);
      return;
    case FT_DIRBEGIN:
      return;
    case FT_NOACCESS:
    case FT_NOFOLLOW:
    case FT_NOSTAT:
    case FT_NOOPEN:
      job_message(job, M_NOTSAVED, "     Could not access \"%s\" (type %d)\n", sp->fname, sp->type);
      return;
    case FT_RESTORE_FIRST:
    case FT_PLUGIN_CONFIG: {
      Entry* e = archive_add(ar, 'O');
      e->cmd = xstrdup(cmd);
      e->object_name = xstrdup(sp->object_name);
      bytes_add(&e->object, sp->object ? sp->object : "", sp->object ? (size_t)sp->object_len : 0);
      e->type = sp->type;
      e->index = sp->index;
      char hex[65];
      sha_of(e->object.p, e->object.len, hex);
      Json j;
      j_begin(&j);
      j_str(&j, "object", sp->object_name);
      j_int(&j, "type", sp->type);
      j_int(&j, "index", sp->index);
      j_int(&j, "len", sp->object_len);
      j_strn(&j, "data", (const char*)e->object.p, e->object.len);
      j_str(&j, "sha256", hex);
      j_end(&j);
      return;
    }
    case FT_LNKSAVED:
    case FT_REGE:
    case FT_REG:
    case FT_LNK:
    case FT_DIREND:
    case FT_SPEC:
    case FT_RAW:
    case FT_FIFO:
      break;
    default:
      job_message(job, M_NOTSAVED, "     Unknown file type %d: %s\n", sp->type, sp->fname);
      return;
  }

  Entry* e = archive_add(ar, 'F');
  e->cmd = xstrdup(cmd);
  e->fname = xstrdup(sp->fname);
  e->link = xstrdup(sp->link);
  e->type = sp->type;
  stat_to_fields(&sp->statp, e->st);
  e->no_read = sp->no_read;
  e->delta_seq = sp->delta_seq;
  Json j;
  j_begin(&j);
  j_str(&j, "saved", sp->type == FT_DIREND && sp->link ? sp->link : sp->fname);
  j_int(&j, "type", sp->type);
  j_str(&j, "link", sp->link);
  j_end(&j);
  pthread_mutex_lock(&job->lock);
  job->files++;
  pthread_mutex_unlock(&job->lock);

  if (!sp->no_read) backup_data(inst, sp, e);
  if (flag_set((const char*)opt.flags, FO_ACL) && sp->type != FT_LNK && fns->getAcl) backup_acl(inst, sp, e);
  if (flag_set((const char*)opt.flags, FO_XATTR) && fns->getXattr) backup_xattrs(inst, sp, e);
}

/* The PluginSave loop for one Plugin = entry (contract §7.2). */
static bool plugin_save(Instance* inst, Archive* ar)
{
  Job* job = inst->job;
  const char* cmd = opt.definition;
  if (!plugin_matches(job, cmd)) {
    job_message(job, M_FATAL, "Command plugin \"%s\" not found.\n", cmd);
    return false;
  }
  if (inst->disabled) return false;
  char* command = xstrdup(cmd);
  bool ok = true;
  if (deliver(inst, bEventBackupCommand, command, cmd) != bRC_OK) {
    job_message(job, M_FATAL, "Command plugin \"%s\": bEventBackupCommand failed.\n", cmd);
    free(command);
    return false;
  }
  int calls = 0;
  while (!job_canceled(job)) {
    if (++calls > opt.max_files) {
      job_message(job, M_FATAL, "driver: more than %d startBackupFile calls\n", opt.max_files);
      ok = false;
      break;
    }
    save_pkt sp;
    save_pkt_init(&sp, command);
    bRC rc = fns->startBackupFile(&inst->ctx, &sp);
    print_save_pkt("startBackupFile", inst, rc, &sp);
    if (rc == bRC_Stop) break;
    if (rc == bRC_Skip) continue;
    if (rc == bRC_Error) {
      job_message(job, M_FATAL, "Command plugin \"%s\": startBackupFile failed.\n", cmd);
      ok = false;
      break;
    }
    if (rc != bRC_OK) {
      job_message(job, M_ERROR, "Command plugin \"%s\": unhandled returncode from startBackupFile: %d\n",
                  cmd, rc);
      break;
    }
    if (sp.type == 0) {
      job_message(job, M_FATAL, "Command plugin \"%s\": no type in startBackupFile packet.\n", cmd);
      ok = false;
      break;
    }
    if (is_object_type(sp.type)) {
      if (!sp.object_name) {
        job_message(job, M_FATAL, "Command plugin \"%s\": no object_name in startBackupFile packet.\n", cmd);
        ok = false;
        break;
      }
    } else if (!sp.fname) {
      job_message(job, M_FATAL, "Command plugin \"%s\": no fname in startBackupFile packet.\n", cmd);
      ok = false;
      break;
    }
    save_file(inst, &sp, cmd, ar);
    char* fname = xstrdup(sp.fname);
    rc = fns->endBackupFile(&inst->ctx);
    Json j;
    call_begin(&j, "endBackupFile");
    j_int(&j, "rc", rc);
    j_end(&j);
    if ((rc == bRC_OK || rc == bRC_More) && fname) job_mark_seen(job, fname);
    free(fname);
    if (rc != bRC_More) break;
  }
  free(command);
  return ok;
}

/* The job steps before the file walk (contract §7.1 steps 1-4). */
static void job_start_events(Instance* inst)
{
  generate(inst, bEventJobStart, (void*)"", NULL);
  if ((opt.level == L_INCREMENTAL || opt.level == L_DIFFERENTIAL) && opt.since) {
    char shown[32];
    snprintf(shown, sizeof shown, "%lld", opt.since);
    generate(inst, bEventSince, (void*)(intptr_t)opt.since, shown);
  }
  char level[2] = {opt.level, 0};
  generate(inst, bEventLevel, (void*)(intptr_t)opt.level, level);
}

void plugin_options_events(Instance* inst)
{
  for (int i = 0; i < opt.noptions; i++) {
    const char* value = opt.options[i];
    if (strchr(value, ':'))
      generate_named(inst, bEventNewPluginOptions, value);
    else {
      char* copy = xstrdup(value);
      generate(inst, bEventNewPluginOptions, copy, value);
      free(copy);
    }
  }
}

void run_backup_job(Instance* inst, Archive* ar)
{
  Job* job = inst->job;
  job_start_events(inst);
  generate_named(inst, bEventPluginCommand, opt.definition);
  generate(inst, bEventEndFileSet, NULL, NULL);
  plugin_options_events(inst);
  generate(inst, bEventStartBackupJob, NULL, NULL);
  if (!plugin_save(inst, ar)) job_message(job, M_FATAL, "driver: the plugin entry failed\n");
  /* The accurate "deleted files" list (§7.1 step 9). */
  for (int i = 0; i < opt.ncheck_files; i++) {
    if (job_was_seen(job, opt.check_files[i])) {
      Json j;
      j_begin(&j);
      j_str(&j, "not_checked", opt.check_files[i]);
      j_str(&j, "reason", "seen");
      j_end(&j);
      continue;
    }
    call_check_file(inst, opt.check_files[i]);
  }
  generate(inst, bEventEndBackupJob, NULL, NULL);
  generate(inst, bEventJobEnd, NULL, NULL);
}

int scenario_backup(void)
{
  Job job;
  job_init(&job, JT_BACKUP, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  Archive ar = {0};
  call_new_plugin(&inst);
  run_backup_job(&inst, &ar);
  call_free_plugin(&inst);
  print_job_end(&job, "backup");
  int rc = 0;
  if (opt.archive && !archive_write(&ar, opt.archive)) {
    print_error("archive", "cannot write the archive");
    rc = 1;
  }
  archive_free(&ar);
  job_free(&job);
  return rc;
}

/* -- estimate (contract §7.6) ----------------------------------------------- */

int scenario_estimate(void)
{
  Job job;
  job_init(&job, JT_BACKUP, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  call_new_plugin(&inst);
  job_start_events(&inst);
  generate_named(&inst, bEventPluginCommand, opt.definition);
  generate(&inst, bEventEndFileSet, NULL, NULL);
  long files = 0;
  long long bytes = 0;
  char* command = xstrdup(opt.definition);
  if (!inst.disabled && deliver(&inst, bEventEstimateCommand, command, opt.definition) == bRC_OK) {
    for (int calls = 0; calls < opt.max_files; calls++) {
      save_pkt sp;
      save_pkt_init(&sp, command);
      bRC rc = fns->startBackupFile(&inst.ctx, &sp);
      print_save_pkt("startBackupFile", &inst, rc, &sp);
      if (rc != bRC_OK) break;
      if (sp.type == 0) {
        job_message(&job, M_FATAL, "Command plugin \"%s\": no type in startBackupFile packet.\n", command);
        break;
      }
      if (!is_object_type(sp.type) && !sp.fname) {
        job_message(&job, M_FATAL, "Command plugin \"%s\": no fname in startBackupFile packet.\n", command);
        break;
      }
      switch (sp.type) {
        case FT_REGE:
        case FT_REG:
        case FT_LNK:
        case FT_DIREND:
        case FT_SPEC:
        case FT_RAW:
        case FT_FIFO:
        case FT_LNKSAVED: {
          files++;
          if (sp.type == FT_REG || sp.type == FT_REGE) bytes += (long long)sp.statp.st_size;
          Json j;
          j_begin(&j);
          j_str(&j, "listing", sp.fname);
          j_int(&j, "type", sp.type);
          j_int(&j, "st_size", (long long)sp.statp.st_size);
          j_end(&j);
          break;
        }
        default:
          break;
      }
      char* fname = xstrdup(sp.fname);
      rc = fns->endBackupFile(&inst.ctx);
      Json j;
      call_begin(&j, "endBackupFile");
      j_int(&j, "rc", rc);
      j_end(&j);
      if ((rc == bRC_OK || rc == bRC_More) && fname) job_mark_seen(&job, fname);
      free(fname);
      if (rc != bRC_More) break;
    }
  }
  free(command);
  Json j;
  j_begin(&j);
  j_str(&j, "estimate", "end");
  j_int(&j, "files", files);
  j_int(&j, "bytes", bytes);
  j_end(&j);
  generate(&inst, bEventJobEnd, NULL, NULL);
  call_free_plugin(&inst);
  print_job_end(&job, "estimate");
  job_free(&job);
  return 0;
}
