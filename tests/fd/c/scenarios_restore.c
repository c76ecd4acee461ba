/* scenarios_restore.c -- the restore job (contract §7.7-§7.10): restore
 * objects, then each file of the archive through the plugin. */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char* output_name(const char* name)
{
  const char* where = opt.where ? opt.where : "";
  size_t wl = strlen(where);
  while (wl > 0 && where[wl - 1] == '/' && name[0] == '/') wl--;
  char* out = xmalloc(wl + strlen(name) + 1);
  memcpy(out, where, wl);
  strcpy(out + wl, name);
  return out;
}

static void make_parent_dirs(const char* path)
{
  char* copy = xstrdup(path);
  size_t len = strlen(copy);
  while (len > 1 && copy[len - 1] == '/') copy[--len] = 0; /* a directory's own trailing '/' */
  for (char* p = copy + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(copy, 0700);
    *p = '/';
  }
  free(copy);
}

static void restore_acl_xattrs(Instance* inst, const Entry* e, const char* ofname)
{
  if (e->has_acl) {
    acl_pkt ap;
    acl_pkt_init(&ap, ofname);
    ap.content = xmemdup(e->acl.data, e->acl.length);
    ap.content_length = (uint32_t)e->acl.length;
    bRC rc = fns->setAcl(&inst->ctx, &ap);
    Json j;
    call_begin(&j, "setAcl");
    j_str(&j, "fname", ofname);
    j_strn(&j, "content", e->acl.data, e->acl.length);
    j_int(&j, "rc", rc);
    j_end(&j);
    free(ap.content);
    if (rc != bRC_OK) job_message(inst->job, M_WARNING, "driver: setAcl failed for %s (rc %d)\n", ofname, rc);
  }
  for (size_t i = 0; i < e->nxattrs; i++) {
    xattr_pkt xp;
    xattr_pkt_init(&xp, ofname);
    xp.name = xmemdup(e->xattrs[i].name.data, e->xattrs[i].name.length);
    xp.name_length = (uint32_t)e->xattrs[i].name.length;
    xp.value = xmemdup(e->xattrs[i].value.data, e->xattrs[i].value.length);
    xp.value_length = (uint32_t)e->xattrs[i].value.length;
    bRC rc = fns->setXattr(&inst->ctx, &xp);
    Json j;
    call_begin(&j, "setXattr");
    j_str(&j, "fname", ofname);
    j_strn(&j, "name", e->xattrs[i].name.data, e->xattrs[i].name.length);
    j_strn(&j, "value", e->xattrs[i].value.data, e->xattrs[i].value.length);
    j_int(&j, "rc", rc);
    j_end(&j);
    free(xp.name);
    free(xp.value);
    if (rc != bRC_OK) {
      job_message(inst->job, M_ERROR, "driver: setXattr failed for %s (rc %d)\n", ofname, rc);
      break;
    }
  }
}

static bRC call_set_file_attributes(Instance* inst, restore_pkt* rp)
{
  bRC rc = fns->setFileAttributes(&inst->ctx, rp);
  Json j;
  call_result(&j, "setFileAttributes", "ofname", rp->ofname, rc);
  j_end(&j);
  return rc;
}

/* Open through the plugin, write the data, close (contract §6, §7.8). */
static void extract(Instance* inst, const Entry* e, restore_pkt* rp, int flags, mode_t mode)
{
  Job* job = inst->job;
  PluginFile file = plugin_open(inst, rp->ofname, flags, mode);
  if (!file.opened) {
    job_message(job, M_ERROR, "Could not create %s: ERR=%s\n", rp->ofname, strerror(file.io_errno));
    return;
  }

  Sha256 sha;
  sha256_init(&sha);
  size_t written = 0;
  size_t total = e->has_data ? e->data.length : 0;
  while (written < total) {
    size_t chunk = total - written;
    if (chunk > IO_BUFFER_SIZE) chunk = IO_BUFFER_SIZE;
    const unsigned char* data = (const unsigned char*)e->data.data + written;
    if (file.core_mode) {
      size_t done = 0;
      while (done < chunk) {
        ssize_t n = write(file.fd, data + done, chunk - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += (size_t)n;
      }
      if (done != chunk) {
        job_message(job, M_ERROR, "Write error on %s: ERR=%s\n", rp->ofname, strerror(errno));
        break;
      }
    } else {
      io_pkt io;
      io_init(&io, IO_WRITE);
      io.count = (int32_t)chunk;
      io.buf = xmemdup(data, chunk);
      io.filedes = 0;
      call_plugin_io(inst, &io);
      free(io.buf);
      if (io.status != (int32_t)chunk) {
        job_message(job, M_ERROR, "Write error on %s: ERR=%s\n", rp->ofname,
                    io.io_errno ? strerror(io.io_errno) : "short write");
        break;
      }
    }
    sha256_update(&sha, data, chunk);
    written += chunk;
  }

  call_set_file_attributes(inst, rp);
  plugin_close(inst, &file);
  print_transfer("restored", rp->ofname, written, &sha, file.core_mode);
  job_add(job, 0, (long long)written);
  restore_acl_xattrs(inst, e, rp->ofname);
}

/* CF_CORE: the core creates the file itself (regular files, directories
 * and symbolic links). */
static void core_create(Instance* inst, const Entry* e, restore_pkt* rp)
{
  Job* job = inst->job;
  make_parent_dirs(rp->ofname);
  int result = 0;
  switch (e->type) {
    case FT_REG:
    case FT_REGE:
      extract(inst, e, rp, O_WRONLY | O_CREAT | O_TRUNC, 0);
      return;
    case FT_DIREND:
      result = mkdir(rp->ofname, 0700);
      if (result != 0 && errno == EEXIST) result = 0;
      if (result == 0) result = chmod(rp->ofname, (mode_t)(e->st[2] & 07777));
      break;
    case FT_LNK: {
      struct stat st;
      if (lstat(rp->ofname, &st) == 0) unlink(rp->ofname);
      result = symlink(e->link ? e->link : "", rp->ofname);
      break;
    }
    default:
      job_message(job, M_ERROR, "driver: cannot create file type %d: %s\n", e->type, rp->ofname);
      return;
  }
  Json j;
  j_begin(&j);
  j_str(&j, "core_created", rp->ofname);
  j_int(&j, "type", e->type);
  j_bool(&j, "ok", result == 0);
  j_end(&j);
  if (result != 0) {
    job_message(job, M_ERROR, "driver: could not create %s: ERR=%s\n", rp->ofname, strerror(errno));
    return;
  }
  if (e->type == FT_DIREND) restore_acl_xattrs(inst, e, rp->ofname);
}

/* One plugin file of the restore stream (contract §7.8); false: abort. */
static bool restore_file(Instance* inst, const Entry* e, int file_index)
{
  Job* job = inst->job;
  const char* cmd = strcmp(opt.definition, "-") == 0 ? e->cmd : opt.definition;
  if (!plugin_matches(job, cmd)) {
    job_message(job, M_WARNING, "Plugin=%s not found.\n", cmd);
    return true;
  }
  /* 1. The plugin-name start record. */
  char* command = xstrdup(cmd);
  if (!inst->disabled && deliver(inst, bEventRestoreCommand, command, cmd) == bRC_OK) {
    if (inst->restore_started) {
      job_message(job, M_FATAL, "Second call to startRestoreFile. plugin=%s cmd=%s\n", plugin_record.file, cmd);
    } else {
      bRC rc = fns->startRestoreFile(&inst->ctx, command);
      Json j;
      call_result(&j, "startRestoreFile", "cmd", cmd, rc);
      j_end(&j);
      if (rc == bRC_OK) inst->restore_started = true;
    }
  }
  free(command);

  /* 2. The attributes record. */
  const char* name = e->type == FT_DIREND && e->link && e->link[0] ? e->link : e->fname;
  char* ofname = output_name(name ? name : "");
  /* The output link name: the target of a symlink, the where-prefixed first
   * name of a hard link, "" for everything else. */
  char* olname;
  if (e->type == FT_LNK && e->link)
    olname = xstrdup(e->link);
  else if (e->type == FT_LNKSAVED && e->link)
    olname = output_name(e->link);
  else
    olname = xstrdup("");
  restore_pkt rp;
  memset(&rp, 0, sizeof rp);
  rp.pkt_size = rp.pkt_end = sizeof rp;
  rp.stream = 1;
  rp.data_stream = e->has_data ? 2 : 0;
  rp.type = e->type;
  rp.file_index = file_index;
  rp.LinkFI = 0;
  rp.uid = (uid_t)e->st[4];
  fields_to_stat(e->st, &rp.statp);
  rp.attrEx = "";
  rp.ofname = ofname;
  rp.olname = olname;
  rp.where = opt.where ? opt.where : "";
  rp.RegexWhere = NULL;
  rp.replace = opt.replace;
  rp.create_status = CF_ERROR;
  rp.delta_seq = e->delta_seq;
  rp.filedes = kInvalidFiledescriptor;
  rp.original_file_name = name;
  rp.original_link_name = e->link;

  int status = CF_ERROR;
  bool create_ok = false;
  if (!inst->restore_started) {
    job_message(job, M_FATAL, "Unbalanced call to createFile=%s\n", ofname);
  } else {
    bRC rc = fns->createFile(&inst->ctx, &rp);
    Json j;
    call_begin(&j, "createFile");
    j_str(&j, "ofname", ofname);
    j_int(&j, "type", e->type);
    j_int(&j, "rc", rc);
    j_int(&j, "create_status", rp.create_status);
    j_int(&j, "filedes", rp.filedes);
    j_end(&j);
    if (rc != bRC_OK)
      job_message(job, M_ERROR, "Plugin createFile call failed. Stat=%d file=%s\n", rc, ofname);
    else {
      status = rp.create_status;
      create_ok = true;
    }
  }
  switch (status) {
    case CF_ERROR:
      if (create_ok)
        job_message(job, M_ERROR, "Plugin createFile call failed. Returned CF_ERROR file=%s\n", ofname);
      break;
    case CF_SKIP:
      break;
    case CF_CREATED:
      job_add(job, 1, 0);
      call_set_file_attributes(inst, &rp);
      if (rp.filedes >= 0) call_io_close(inst, rp.filedes);
      if (e->type == FT_DIREND) restore_acl_xattrs(inst, e, ofname);
      break;
    case CF_CORE:
      job_add(job, 1, 0);
      core_create(inst, e, &rp);
      break;
    default: /* CF_EXTRACT, or any other value */
      job_add(job, 1, 0);
      extract(inst, e, &rp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      break;
  }
  free(ofname);
  free(olname);

  /* 5. The plugin-name end record. */
  bool go_on = true;
  if (inst->restore_started) {
    bRC rc = call_end_restore_file(inst);
    if ((int)rc == -1) {
      job_message(job, M_FATAL, "Return value of endRestoreFile invalid: %d, plugin=%s\n", (int)rc,
                  plugin_record.file);
      go_on = false;
    }
    inst->restore_started = false;
  }
  return go_on;
}

static void deliver_restore_objects(Instance* inst, const Archive* ar)
{
  for (size_t i = 0; i < ar->n; i++) {
    const Entry* e = &ar->entries[i];
    if (e->kind != 'O') continue;
    restore_object_pkt rop;
    restore_object_init(&rop, e->cmd ? e->cmd : "", e->object_name, e->object.data, e->object.length,
                        e->type, e->index);
    if (rop.plugin_name[0] && !plugin_matches(inst->job, rop.plugin_name)) {
      not_delivered(inst, bEventRestoreObject, "other plugin");
      continue;
    }
    generate(inst, bEventRestoreObject, &rop, e->object_name);
  }
  generate(inst, bEventRestoreObject, NULL, NULL);
}

int scenario_restore(void)
{
  Archive ar = {0};
  if (!opt.archive || !archive_read(&ar, opt.archive)) {
    print_error("archive", "restore needs a readable --archive written by a backup");
    archive_free(&ar);
    return 2;
  }
  Job job;
  Instance inst;
  job_open(&job, &inst, JT_RESTORE, opt.jobid);
  generate(&inst, bEventJobStart, (void*)"", NULL);
  plugin_options_events(&inst);
  deliver_restore_objects(&inst, &ar);
  generate(&inst, bEventStartRestoreJob, NULL, NULL);
  int file_index = 0;
  for (size_t i = 0; i < ar.n; i++) {
    if (ar.entries[i].kind != 'F') continue;
    if (job_canceled(&job)) break;
    if (!restore_file(&inst, &ar.entries[i], ++file_index)) break;
  }
  generate(&inst, bEventEndRestoreJob, NULL, NULL);
  generate(&inst, bEventJobEnd, NULL, NULL);
  job_close(&job, &inst, "restore");
  archive_free(&ar);
  return 0;
}
