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
  PluginFile file = plugin_open(inst, sp->fname, O_RDONLY, 0);
  if (!file.opened) {
    job_message(job, M_NOTSAVED, "Cannot open \"%s\": ERR=%s.\n", sp->fname, strerror(file.io_errno));
    return;
  }

  char* buffer = xmalloc(IO_BUFFER_SIZE);
  Sha256 sha;
  sha256_init(&sha);
  e->has_data = true;
  buffer_append(&e->data, "", 0);
  int retries = 0;
  for (;;) {
    signal_in_data_loop(); /* cancel scenario: the job is in the data loop now */
    long got;
    if (file.core_mode) {
      ssize_t n = read(file.fd, buffer, IO_BUFFER_SIZE);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        job_message(job, M_ERROR, "Read error on file %s. ERR=%s\n", sp->fname, strerror(errno));
        break;
      }
      got = (long)n;
    } else {
      io_pkt io;
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
    buffer_append(&e->data, buffer, (size_t)got);
    if (job_canceled(job)) break;
  }
  free(buffer);
  plugin_close(inst, &file);
  print_transfer("data", sp->fname, e->data.length, &sha, file.core_mode);
  job_add(job, 0, (long long)e->data.length);
}

static void backup_acl(Instance* inst, save_pkt* sp, Entry* e)
{
  acl_pkt ap;
  acl_pkt_init(&ap, sp->fname);
  bRC rc = fns->getAcl(&inst->ctx, &ap);
  Json j;
  call_result(&j, "getAcl", "fname", sp->fname, rc);
  j_uint(&j, "content_length", ap.content_length);
  j_strn(&j, "content", ap.content, ap.content_length); /* null if NULL */
  j_end(&j);
  if (rc != bRC_OK) {
    job_message(inst->job, M_ERROR, "driver: getAcl failed for %s (rc %d)\n", sp->fname, rc);
  } else if (ap.content && ap.content_length > 0) {
    e->has_acl = true;
    buffer_append(&e->acl, ap.content, ap.content_length);
  }
  free(ap.content);
}

static void backup_xattrs(Instance* inst, save_pkt* sp, Entry* e)
{
  for (int n = 0; n < 100000; n++) {
    xattr_pkt xp;
    xattr_pkt_init(&xp, sp->fname);
    bRC rc = fns->getXattr(&inst->ctx, &xp);
    Json j;
    call_result(&j, "getXattr", "fname", sp->fname, rc);
    j_strn(&j, "name", xp.name, xp.name_length); /* null if NULL */
    j_strn(&j, "value", xp.value, xp.value_length);
    j_end(&j);
    if ((rc == bRC_OK || rc == bRC_More) && xp.name && xp.name_length > 0) {
      e->xattrs = xrealloc(e->xattrs, (e->nxattrs + 1) * sizeof *e->xattrs);
      Xattr* x = &e->xattrs[e->nxattrs++];
      memset(x, 0, sizeof *x);
      buffer_append(&x->name, xp.name, xp.name_length);
      buffer_append(&x->value, xp.value ? xp.value : "", xp.value ? xp.value_length : 0);
    }
    free(xp.name);
    free(xp.value);
    if (rc == bRC_More) continue;
    if (rc != bRC_OK)
      job_message(inst->job, M_ERROR, "driver: getXattr failed for %s (rc %d)\n", sp->fname, rc);
    break;
  }
}

/* The file types whose attributes (and data) a backup saves. */
static bool is_saved_file_type(int type)
{
  switch (type) {
    case FT_LNKSAVED:
    case FT_REGE:
    case FT_REG:
    case FT_LNK:
    case FT_DIREND:
    case FT_SPEC:
    case FT_RAW:
    case FT_FIFO:
      return true;
    default:
      return false;
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
      e->object_name = xstrdup_or_null(sp->object_name);
      buffer_append(&e->object, sp->object ? sp->object : "", sp->object ? (size_t)sp->object_len : 0);
      e->type = sp->type;
      e->index = sp->index;
      char hex[65];
      sha_of(e->object.data, e->object.length, hex);
      Json j;
      j_begin(&j);
      j_str(&j, "object", sp->object_name);
      j_int(&j, "type", sp->type);
      j_int(&j, "index", sp->index);
      j_int(&j, "len", sp->object_len);
      j_strn(&j, "data", e->object.data, e->object.length);
      j_str(&j, "sha256", hex);
      j_end(&j);
      return;
    }
    default:
      if (is_saved_file_type(sp->type)) break;
      job_message(job, M_NOTSAVED, "     Unknown file type %d: %s\n", sp->type, sp->fname);
      return;
  }

  Entry* e = archive_add(ar, 'F');
  e->cmd = xstrdup(cmd);
  e->fname = xstrdup_or_null(sp->fname);
  e->link = xstrdup_or_null(sp->link);
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
  job_add(job, 1, 0);

  if (!sp->no_read) backup_data(inst, sp, e);
  if (flag_set((const char*)opt.flags, FO_ACL) && sp->type != FT_LNK && fns->getAcl) backup_acl(inst, sp, e);
  if (flag_set((const char*)opt.flags, FO_XATTR) && fns->getXattr) backup_xattrs(inst, sp, e);
}

/* startBackupFile with a fresh packet, printed. */
static bRC start_backup_file(Instance* inst, save_pkt* sp, char* command)
{
  save_pkt_init(sp, command);
  bRC rc = fns->startBackupFile(&inst->ctx, sp);
  print_save_pkt("startBackupFile", inst, rc, sp);
  return rc;
}

/* Did startBackupFile fill in what the core needs (contract §7.2)?  If not,
 * a fatal job message says what is missing.  The estimate does not ask for a
 * restore object's name. */
static bool packet_complete(Job* job, const save_pkt* sp, const char* cmd, bool need_object_name)
{
  const char* missing = NULL;
  if (sp->type == 0)
    missing = "type";
  else if (is_object_type(sp->type))
    missing = need_object_name && !sp->object_name ? "object_name" : NULL;
  else if (!sp->fname)
    missing = "fname";
  if (!missing) return true;
  job_message(job, M_FATAL, "Command plugin \"%s\": no %s in startBackupFile packet.\n", cmd, missing);
  return false;
}

/* endBackupFile; a file the plugin is done with counts as seen (§7.1 step 9). */
static bRC end_backup_file(Instance* inst, const char* fname)
{
  char* seen = xstrdup_or_null(fname); /* the plugin may free fname in the call */
  bRC rc = fns->endBackupFile(&inst->ctx);
  Json j;
  call_begin(&j, "endBackupFile");
  j_int(&j, "rc", rc);
  j_end(&j);
  if ((rc == bRC_OK || rc == bRC_More) && seen) job_mark_seen(inst->job, seen);
  free(seen);
  return rc;
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
    bRC rc = start_backup_file(inst, &sp, command);
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
    if (!packet_complete(job, &sp, cmd, true)) {
      ok = false;
      break;
    }
    save_file(inst, &sp, cmd, ar);
    if (end_backup_file(inst, sp.fname) != bRC_More) break;
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
    else
      generate_copy(inst, bEventNewPluginOptions, value);
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
  Instance inst;
  Archive ar = {0};
  job_open(&job, &inst, JT_BACKUP, opt.jobid);
  run_backup_job(&inst, &ar);
  job_close(&job, &inst, "backup");
  int rc = 0;
  if (opt.archive && !archive_write(&ar, opt.archive)) {
    print_error("archive", "cannot write the archive");
    rc = 1;
  }
  archive_free(&ar);
  return rc;
}

/* -- estimate (contract §7.6) ---------------------------------------------- */

int scenario_estimate(void)
{
  Job job;
  Instance inst;
  job_open(&job, &inst, JT_BACKUP, opt.jobid);
  job_start_events(&inst);
  generate_named(&inst, bEventPluginCommand, opt.definition);
  generate(&inst, bEventEndFileSet, NULL, NULL);
  long files = 0;
  long long bytes = 0;
  char* command = xstrdup(opt.definition);
  if (!inst.disabled && deliver(&inst, bEventEstimateCommand, command, opt.definition) == bRC_OK) {
    for (int calls = 0; calls < opt.max_files; calls++) {
      save_pkt sp;
      if (start_backup_file(&inst, &sp, command) != bRC_OK) break;
      if (!packet_complete(&job, &sp, command, false)) break;
      if (is_saved_file_type(sp.type)) {
        files++;
        if (sp.type == FT_REG || sp.type == FT_REGE) bytes += (long long)sp.statp.st_size;
        Json j;
        j_begin(&j);
        j_str(&j, "listing", sp.fname);
        j_int(&j, "type", sp.type);
        j_int(&j, "st_size", (long long)sp.statp.st_size);
        j_end(&j);
      }
      if (end_backup_file(&inst, sp.fname) != bRC_More) break;
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
  job_close(&job, &inst, "estimate");
  return 0;
}
