/* restore.c -- the restore command: spec §7.7 to §7.11.
 *
 * Safety: whatever names an archive holds, nothing is created outside
 * --where.  Each archived name is normalised (leading '/' stripped, empty and
 * "." components dropped, ".." refused); every existing component under
 * where must be a real directory (not a symlink) before a name is handed to
 * a plugin or created here; an existing final component that is not a
 * directory is removed (when the replace policy allows) so that nobody opens
 * a symlink or a foreign hard link for writing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core.h"
#include "trace.h"
#include "safepath.h"
#include "trust.h"

typedef struct RegexRule {
  regex_t expression;
  char* replacement;
} RegexRule;

typedef struct DelayedDir {
  char* relative;        /* under where, without a trailing '/' */
  struct stat st;
} DelayedDir;

typedef struct RestoreState {
  Job* job;
  char* where;           /* without trailing '/' ("" for the root) */
  RegexRule* rules;
  int n_rules;
  /* the current entry */
  bool active;
  bool skip;             /* refused or skipped: ignore its records */
  EntryInfo info;
  Instance* instance;
  char* relative;        /* normalised name under where */
  char* ofname;
  char* olname;
  char* link_relative;   /* FT_LNKSAVED: the first name, under where */
  restore_pkt rp;
  int status;            /* final create status */
  bool extracting;       /* opened: data records are written */
  bool core_io;
  int fd;
  bool write_failed;
  bool core_created;     /* CF_CORE: this host created the file */
  Buffer acl;
  bool have_acl;
  Buffer xattr;
  bool have_xattr;
  DelayedDir* dirs;
  int n_dirs;
  HashTable restored;    /* relative names this job created (hard links may only name these) */
} RestoreState;

/* -- names ------------------------------------------------------------------------- */

/* The components of name joined by '/', without empty, "." and leading
 * components; NULL (and *reason) if it has a ".." or nothing is left. */
static char* normalise(const char* name, const char** reason)
{
  Buffer out;
  buffer_init(&out);
  const char* p = name;
  while (*p) {
    while (*p == '/') p++;
    const char* end = p;
    while (*end && *end != '/') end++;
    size_t length = (size_t)(end - p);
    if (length == 2 && p[0] == '.' && p[1] == '.') {
      buffer_free(&out);
      *reason = "it has a \"..\" component";
      return NULL;
    }
    if (length > 0 && !(length == 1 && p[0] == '.')) {
      if (out.length) buffer_append(&out, "/", 1);
      buffer_append(&out, p, length);
    }
    p = end;
  }
  if (!out.length) {
    buffer_free(&out);
    *reason = "it is empty once normalised";
    return NULL;
  }
  return buffer_steal(&out);
}

/* Every existing parent component of relative under where must be a real
 * directory.  0, or -1 with *reason (malloc'ed). */
static int check_parents(const char* where, const char* relative, char** reason)
{
  const char* p = relative;
  for (;;) {
    const char* slash = strchr(p, '/');
    if (!slash) return 0;
    char* path = xasprintf("%s/%.*s", where, (int)(slash - relative), relative);
    struct stat st;
    if (lstat(path, &st) != 0) {
      int error = errno;
      if (error == ENOENT) {
        free(path);
        return 0; /* the rest will be created */
      }
      *reason = xasprintf("cannot check %s: %s", path, strerror(error));
      free(path);
      return -1;
    }
    if (S_ISLNK(st.st_mode)) {
      *reason = xasprintf("%s is a symbolic link", path);
      free(path);
      return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
      *reason = xasprintf("%s is not a directory", path);
      free(path);
      return -1;
    }
    free(path);
    p = slash + 1;
  }
}

/* Create the missing parents of relative under where, checking each. */
static int make_parents(const char* where, const char* relative, char** reason)
{
  const char* p = relative;
  for (;;) {
    const char* slash = strchr(p, '/');
    if (!slash) return 0;
    char* path = xasprintf("%s/%.*s", where, (int)(slash - relative), relative);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      *reason = xasprintf("cannot create directory %s: %s", path, strerror(errno));
      free(path);
      return -1;
    }
    struct stat st;
    if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
      *reason = xasprintf("%s is not a directory", path);
      free(path);
      return -1;
    }
    free(path);
    p = slash + 1;
  }
}

/* -- regexwhere: "!from!to!" items separated by ',' (any delimiter; flag i) -- */

static int parse_regexwhere(RestoreState* state, const char* text, char** reason)
{
  const char* p = text;
  while (*p) {
    char delimiter = *p++;
    char* parts[3] = {NULL, NULL, NULL};
    for (int part = 0; part < 2; part++) {
      Buffer piece;
      buffer_init(&piece);
      while (*p && *p != delimiter) {
        if (*p == '\\' && p[1] == delimiter) p++;
        buffer_append(&piece, p, 1);
        p++;
      }
      if (*p != delimiter) {
        buffer_free(&piece);
        free(parts[0]);
        *reason = xasprintf("bad --regexwhere expression \"%s\": expected %c%s%c%s%c", text,
                            delimiter, "from", delimiter, "to", delimiter);
        return -1;
      }
      p++;
      parts[part] = buffer_steal(&piece);
    }
    int flags = REG_EXTENDED;
    while (*p && *p != ',') {
      if (*p == 'i') flags |= REG_ICASE;
      p++;
    }
    if (*p == ',') p++;
    state->rules = xrealloc(state->rules, sizeof(RegexRule) * (size_t)(state->n_rules + 1));
    RegexRule* rule = &state->rules[state->n_rules];
    int rc = regcomp(&rule->expression, parts[0], flags);
    if (rc != 0) {
      char message[256];
      regerror(rc, &rule->expression, message, sizeof message);
      *reason = xasprintf("bad regular expression \"%s\": %s", parts[0], message);
      free(parts[0]);
      free(parts[1]);
      return -1;
    }
    rule->replacement = parts[1];
    free(parts[0]);
    state->n_rules++;
  }
  return 0;
}

static char* apply_regexwhere(const RestoreState* state, const char* name)
{
  char* current = xstrdup(name);
  for (int i = 0; i < state->n_rules; i++) {
    regmatch_t match[10];
    if (regexec(&state->rules[i].expression, current, 10, match, 0) != 0) continue;
    Buffer out;
    buffer_init(&out);
    buffer_append(&out, current, (size_t)match[0].rm_so);
    for (const char* r = state->rules[i].replacement; *r; r++) {
      if (*r == '\\' && r[1] >= '0' && r[1] <= '9') {
        int group = r[1] - '0';
        if (match[group].rm_so >= 0)
          buffer_append(&out, current + match[group].rm_so,
                        (size_t)(match[group].rm_eo - match[group].rm_so));
        r++;
      } else {
        buffer_append(&out, r, 1);
      }
    }
    buffer_append_str(&out, current + match[0].rm_eo);
    free(current);
    current = buffer_steal(&out);
  }
  return current;
}

/* The output name of an archived name: NULL and *reason if refused. */
static char* output_name(RestoreState* state, const char* archived, bool directory, char** relative_out,
                         char** reason)
{
  char* transformed = state->n_rules ? apply_regexwhere(state, archived) : xstrdup(archived);
  const char* why = NULL;
  char* relative = normalise(transformed, &why);
  free(transformed);
  if (!relative) {
    *reason = xstrdup(why);
    return NULL;
  }
  if (check_parents(state->where, relative, reason) != 0) {
    free(relative);
    return NULL;
  }
  char* ofname = xasprintf("%s/%s%s", state->where, relative, directory ? "/" : "");
  if (relative_out)
    *relative_out = relative;
  else
    free(relative);
  return ofname;
}

/* -- attributes (files the host created itself) ---------------------------------------------- */

/* Owner, mode and times of where/relative, never through a symlink (the name
 * may have been replaced by one since it was created). */
static void apply_attributes(Job* job, const char* where, const char* relative, const struct stat* st,
                             int type)
{
  char* reason = NULL;
  if (safe_apply_attributes(where, relative, st, type == FT_DIREND, &reason) != 0) {
    Buffer name;
    buffer_init(&name);
    escape_name(&name, relative);
    job_message(job, M_WARNING, "cannot set the attributes of %s/%s: %s", where, name.data, reason);
    buffer_free(&name);
  }
  free(reason);
}

/* -- one entry ------------------------------------------------------------------------------ */

static void reset_entry(RestoreState* state)
{
  free(state->info.cmd);
  free(state->info.name);
  free(state->info.fname);
  free(state->info.link);
  memset(&state->info, 0, sizeof state->info);
  free(state->relative);
  free(state->ofname);
  free(state->olname);
  free(state->link_relative);
  state->relative = state->ofname = state->olname = state->link_relative = NULL;
  state->active = false;
  state->skip = false;
  state->instance = NULL;
  state->extracting = false;
  state->core_io = false;
  state->fd = -1;
  state->write_failed = false;
  state->core_created = false;
  state->status = 0;
  buffer_clear(&state->acl);
  buffer_clear(&state->xattr);
  state->have_acl = state->have_xattr = false;
}

static bool is_directory_entry(const RestoreState* state) { return state->info.type == FT_DIREND; }

static void apply_acl(RestoreState* state)
{
  Instance* instance = state->instance;
  if (!instance->plugin->functions->setAcl) {
    job_message(state->job, M_ERROR, "cannot restore the ACL of %s: plugin %s has no setAcl",
                state->ofname, instance->plugin->plugin.file);
    return;
  }
  acl_pkt ap;
  memset(&ap, 0, sizeof ap);
  ap.pkt_size = ap.pkt_end = sizeof ap;
  ap.fname = state->ofname;
  ap.content = state->acl.data;
  ap.content_length = (uint32_t)state->acl.length;
  bRC rc = instance->plugin->functions->setAcl(&instance->ctx, &ap);
  trace_simple(state->job, "set_acl", state->ofname, rc);
  if (rc != bRC_OK)
    job_message(state->job, M_WARNING, "error while restoring the ACL of %s (setAcl returned %d)",
                state->ofname, rc);
}

static void apply_xattrs(RestoreState* state)
{
  Instance* instance = state->instance;
  if (!instance->plugin->functions->setXattr) {
    job_message(state->job, M_ERROR,
                "cannot restore the extended attributes of %s: plugin %s has no setXattr",
                state->ofname, instance->plugin->plugin.file);
    return;
  }
  TlvReader tlv;
  uint16_t tag;
  const unsigned char* value;
  uint32_t length;
  tlv_start(&tlv, state->xattr.data, state->xattr.length);
  char* name = NULL;
  uint32_t name_length = 0;
  while (tlv_next(&tlv, &tag, &value, &length)) {
    if (tag == XATTR_NAME) {
      free(name);
      name = xmalloc(length + 1);
      memcpy(name, value, length);
      name[length] = '\0';
      name_length = length;
    } else if (tag == XATTR_VALUE && name) {
      char* copy = xmalloc(length + 1);
      memcpy(copy, value, length);
      copy[length] = '\0';
      xattr_pkt xp;
      memset(&xp, 0, sizeof xp);
      xp.pkt_size = xp.pkt_end = sizeof xp;
      xp.fname = state->ofname;
      xp.name = name;
      xp.name_length = name_length;
      xp.value = copy;
      xp.value_length = length;
      bRC rc = instance->plugin->functions->setXattr(&instance->ctx, &xp);
      trace_simple(state->job, "set_xattr", state->ofname, rc);
      free(copy);
      free(name);
      name = NULL;
      if (rc != bRC_OK) {
        job_message(state->job, M_ERROR,
                    "error while restoring the extended attributes of %s (setXattr returned %d)",
                    state->ofname, rc);
        break;
      }
    }
  }
  free(name);
}

static void set_file_attributes(RestoreState* state)
{
  Instance* instance = state->instance;
  restore_pkt rp = state->rp;
  rp.create_status = state->status;
  trace_simple(state->job, "set_file_attributes", state->ofname,
               instance->plugin->functions->setFileAttributes(&instance->ctx, &rp));
  if (rp.create_status == CF_CORE || state->core_created) {
    if (is_directory_entry(state)) {
      state->dirs = xrealloc(state->dirs, sizeof(DelayedDir) * (size_t)(state->n_dirs + 1));
      state->dirs[state->n_dirs].relative = xstrdup(state->relative);
      state->dirs[state->n_dirs].st = state->info.st;
      state->n_dirs++;
    } else if (!state->extracting) {
      apply_attributes(state->job, state->where, state->relative, &state->info.st, state->info.type);
    }
  }
}

/* IO_OPEN for writing (§6.1). */
static bool plugin_open(RestoreState* state, int flags, mode_t mode)
{
  Instance* instance = state->instance;
  io_pkt io;
  memset(&io, 0, sizeof io);
  io.pkt_size = io.pkt_end = sizeof io;
  io.func = IO_OPEN;
  io.fname = state->ofname;
  io.flags = flags;
  io.mode = mode;
  io.filedes = kInvalidFiledescriptor;
  bRC rc = instance->plugin->functions->pluginIO(&instance->ctx, &io);
  trace_io(state->job, &io, rc);
  bool ok;
  if (rc == bRC_Error) {
    ok = false;
  } else if (io.status == iostat_do_in_core) {
    ok = io.filedes != kInvalidFiledescriptor;
    state->core_io = ok;
    state->fd = io.filedes;
  } else {
    ok = io.status >= 0;
  }
  if (!ok) {
    int error = io.io_errno ? io.io_errno : EIO;
    job_message(state->job, M_ERROR, "Could not create %s: ERR=%s", state->ofname, strerror(error));
    return false;
  }
  state->extracting = true;
  return true;
}

static void plugin_close(RestoreState* state)
{
  Instance* instance = state->instance;
  io_pkt io;
  memset(&io, 0, sizeof io);
  io.pkt_size = io.pkt_end = sizeof io;
  io.func = IO_CLOSE;
  io.filedes = state->core_io ? state->fd : 0;
  trace_io(state->job, &io, instance->plugin->functions->pluginIO(&instance->ctx, &io));
}

/* Create the non-regular file of the current entry in the directory dirfd
 * (name leaf); 0, or -1 and errno. */
static int core_make_node(RestoreState* state, int dirfd, const char* leaf)
{
  const struct stat* st = &state->info.st;
  switch (state->info.type) {
    case FT_FIFO: return mkfifoat(dirfd, leaf, st->st_mode & 07777) != 0 && errno != EEXIST ? -1 : 0;
    case FT_DIREND: return mkdirat(dirfd, leaf, 0700) != 0 && errno != EEXIST ? -1 : 0;
    case FT_LNK: return symlinkat(state->olname, dirfd, leaf);
    case FT_LNKSAVED: {
      /* the first name is reached without following a symlink too; linkat
       * without AT_SYMLINK_FOLLOW never follows the last component */
      const char* target_leaf;
      int target_dir = safe_open_parent(state->where, state->link_relative, &target_leaf);
      if (target_dir < 0) return -1;
      int rc = linkat(target_dir, target_leaf, dirfd, leaf, 0);
      int error = errno;
      close(target_dir);
      errno = error;
      return rc;
    }
    default: /* FT_SPEC */
      if (S_ISFIFO(st->st_mode)) return mkfifoat(dirfd, leaf, st->st_mode & 07777);
      return mknodat(dirfd, leaf, st->st_mode, st->st_rdev);
  }
}

/* Whether a process has the FIFO dirfd/leaf open for reading: the data of a
 * FIFO entry are written only then, since an open for writing would wait
 * for a reader forever. */
static bool fifo_has_reader(int dirfd, const char* leaf)
{
  int fd = openat(dirfd, leaf, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false; /* ENXIO: nobody reads */
  close(fd);
  return true;
}

/* CF_CORE: create the file as a daemon would without a plugin. */
static int core_create(RestoreState* state)
{
  Job* job = state->job;
  char* reason = NULL;
  if (make_parents(state->where, state->relative, &reason) != 0) {
    job_message(job, M_ERROR, "cannot restore %s: %s", state->ofname, reason);
    free(reason);
    return CF_ERROR;
  }
  const struct stat* st = &state->info.st;
  state->core_created = true;
  switch (state->info.type) {
    case FT_REG:
    case FT_REGE:
    case FT_RAW:
      return plugin_open(state, O_WRONLY | O_CREAT | O_TRUNC, 0) ? CF_EXTRACT : CF_ERROR;
    case FT_FIFO:
    case FT_DIREND:
    case FT_LNK:
    case FT_LNKSAVED:
      break;
    case FT_SPEC:
      if (!S_ISFIFO(st->st_mode) && !S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode)) return CF_SKIP;
      break;
    default:
      job_message(job, M_ERROR, "cannot restore %s: the core cannot create a file of type %d",
                  state->ofname, state->info.type);
      return CF_ERROR;
  }
  const char* leaf;
  int dirfd = safe_open_parent(state->where, state->relative, &leaf);
  int rc = dirfd < 0 ? -1 : core_make_node(state, dirfd, leaf);
  int error = errno;
  bool reader = rc == 0 && state->info.type == FT_FIFO && state->info.has_data &&
                fifo_has_reader(dirfd, leaf);
  if (dirfd >= 0) close(dirfd);
  if (rc != 0) {
    job_message(job, M_ERROR, "cannot create %s: %s", state->ofname, strerror(error));
    return CF_ERROR;
  }
  if (state->info.type == FT_FIFO && state->info.has_data) {
    if (reader) return plugin_open(state, O_WRONLY, 0) ? CF_EXTRACT : CF_ERROR;
    job_message(job, M_WARNING, "%s: no process has this FIFO open for reading: its data are not restored",
                state->ofname);
  }
  return CF_CREATED;
}

/* The final component of ofname: decide about an existing file (replace
 * policy) and remove it if it is not a directory.  false: skip the entry. */
static bool prepare_target(RestoreState* state)
{
  Job* job = state->job;
  char* path = known_file_key(state->ofname);
  struct stat existing;
  if (lstat(path, &existing) != 0) {
    free(path);
    return true;
  }
  bool entry_is_dir = is_directory_entry(state);
  if (S_ISDIR(existing.st_mode) && entry_is_dir) {
    free(path);
    return true;
  }
  char replace = job->options->replace ? job->options->replace : REPLACE_ALWAYS;
  const char* why = NULL;
  if (replace == REPLACE_NEVER) why = "it already exists";
  else if (replace == REPLACE_IFNEWER && state->info.st.st_mtime <= existing.st_mtime) why = "the file on disk is not older";
  else if (replace == REPLACE_IFOLDER && state->info.st.st_mtime >= existing.st_mtime) why = "the file on disk is not newer";
  if (why) {
    Buffer name;
    buffer_init(&name);
    escape_name(&name, path);
    job_message(job, M_SKIPPED, "File skipped: %s: %s", name.data, why);
    buffer_free(&name);
    free(path);
    return false;
  }
  int rc = S_ISDIR(existing.st_mode) ? rmdir(path) : unlink(path);
  if (rc != 0) {
    job_message(job, M_ERROR, "cannot replace %s: %s", path, strerror(errno));
    free(path);
    return false;
  }
  free(path);
  return true;
}

static void refuse(RestoreState* state, const char* reason)
{
  Buffer name;
  buffer_init(&name);
  escape_name(&name, state->info.name);
  job_message(state->job, M_ERROR, "entry #%llu \"%s\" (archive offset %llu): refusing to restore it: %s",
              (unsigned long long)state->info.entry, name.data ? name.data : "",
              (unsigned long long)state->info.offset, reason);
  buffer_free(&name);
  state->skip = true;
}

/* Whether a name has no component but "" and "." (it is "/", "./", ...). */
static bool is_top_directory(const char* name)
{
  for (const char* p = name; *p;) {
    while (*p == '/') p++;
    const char* end = p;
    while (*end && *end != '/') end++;
    if (end - p > 1 || (end - p == 1 && *p != '.')) return false;
    p = end;
  }
  return true;
}

/* Why the hard link of the current entry must not be made, or NULL: a hard
 * link to a symlink would be a second name of the link itself, and whatever
 * is later applied to that name would reach the link's target. */
static const char* hard_link_refusal(const RestoreState* state)
{
  struct stat target;
  if (safe_lstat(state->where, state->link_relative, &target) != 0)
    return errno == ENOENT ? NULL : "its first name is not reachable without following a symbolic link";
  if (S_ISLNK(target.st_mode)) return "its first name is a symbolic link (a hard link would be a second name of the link)";
  if (S_ISDIR(target.st_mode)) return "its first name is a directory";
  /* A file that was there before may have other names outside --where. */
  if (!hash_get(&state->restored, state->link_relative))
    return "its first name was not restored by this job";
  return NULL;
}

/* Whether definition (from the archive) may reach a plugin; if not, the job
 * fails (M_FATAL stops it) with the reason, before any code it names is loaded. */
static bool plugin_code_trusted(Job* job, const char* definition, const char* what, const char* name)
{
  char* reason = archive_definition_refusal(job->options, definition);
  if (!reason) return true;
  Buffer escaped;
  buffer_init(&escaped);
  escape_name(&escaped, name ? name : "");
  job_message(job, M_FATAL, "refusing to restore: %s \"%s\": %s", what, escaped.data ? escaped.data : "",
              reason);
  buffer_free(&escaped);
  free(reason);
  return false;
}

static void copy_info(EntryInfo* to, const EntryInfo* from)
{
  *to = *from;
  to->cmd = xstrdup(from->cmd);
  to->name = xstrdup(from->name);
  to->fname = from->fname ? xstrdup(from->fname) : NULL;
  to->link = from->link ? xstrdup(from->link) : NULL;
}

static void on_entry(void* data, const EntryInfo* info)
{
  RestoreState* state = data;
  Job* job = state->job;
  reset_entry(state);
  state->active = true;
  copy_info(&state->info, info);
  job->current_file = state->info.name;
  if (info->type == FT_DELETED) {
    state->skip = true;
    return;
  }
  if (info->type == FT_DIREND && is_top_directory(info->name)) {
    /* "/" (a backup of the root): that is where itself */
    state->skip = true;
    return;
  }
  /* Output names, checked before any plugin sees them. */
  char* reason = NULL;
  state->ofname = output_name(state, info->name, info->type == FT_DIREND, &state->relative, &reason);
  if (!state->ofname) {
    refuse(state, reason);
    free(reason);
    return;
  }
  if (info->type == FT_LNKSAVED) {
    if (!info->link) {
      refuse(state, "a hard link without the name of its first link");
      return;
    }
    state->olname = output_name(state, info->link, false, &state->link_relative, &reason);
    if (!state->olname) {
      char* why = xasprintf("its link target: %s", reason);
      refuse(state, why);
      free(why);
      free(reason);
      return;
    }
    const char* why = hard_link_refusal(state);
    if (why) {
      refuse(state, why);
      return;
    }
  } else if (info->type == FT_LNK && info->link) {
    state->olname = (job->prefix_links && info->link[0] == '/')
                        ? xasprintf("%s%s", state->where, info->link)
                        : xstrdup(info->link);
  } else {
    state->olname = xstrdup("");
  }
  if (!prepare_target(state)) {
    state->skip = true;
    return;
  }
  if (!plugin_code_trusted(job, info->cmd, "entry", info->name)) {
    state->skip = true;
    return;
  }
  /* The plugin-name start record (§7.8 step 1). */
  Instance* instance = job_instance_for(job, info->cmd, bEventRestoreCommand);
  if (!instance) {
    job_message(job, M_WARNING, "Plugin=%s not found.", info->cmd);
    state->skip = true;
    return;
  }
  state->instance = instance;
  FdPluginFunctions* functions = instance->plugin->functions;
  if (instance_event(instance, bEventRestoreCommand, info->cmd) == bRC_OK) {
    if (instance->restore_started) {
      job_message(job, M_FATAL, "Second call to startRestoreFile. plugin=%s cmd=%s",
                  instance->plugin->plugin.file, info->cmd);
      state->skip = true;
      return;
    }
    bRC started = functions->startRestoreFile(&instance->ctx, info->cmd);
    trace_simple(job, "start_restore_file", info->cmd, started);
    if (started == bRC_OK)
      instance->restore_started = true;
  }
  /* The attributes record (§7.8 step 2). */
  restore_pkt* rp = &state->rp;
  memset(rp, 0, sizeof *rp);
  rp->pkt_size = rp->pkt_end = sizeof *rp;
  rp->stream = 2;
  rp->data_stream = info->has_data ? 1 : 0;
  rp->type = info->type;
  rp->file_index = (int32_t)info->entry;
  rp->LinkFI = (int32_t)info->link_fi;
  rp->uid = info->st.st_uid;
  rp->statp = info->st;
  rp->attrEx = "";
  rp->ofname = state->ofname;
  rp->olname = state->olname;
  rp->where = job->where;
  rp->RegexWhere = job->regexwhere;
  rp->replace = job->options->replace ? job->options->replace : REPLACE_ALWAYS;
  rp->create_status = CF_ERROR;
  rp->delta_seq = info->delta_seq;
  rp->filedes = kInvalidFiledescriptor;
  rp->original_file_name = state->info.name;
  rp->original_link_name = state->info.link ? state->info.link : "";
  if (!instance->restore_started) {
    job_message(job, M_FATAL, "Unbalanced call to createFile. plugin=%s cmd=%s",
                instance->plugin->plugin.file, info->cmd);
    state->skip = true;
    return;
  }
  bRC rc = functions->createFile(&instance->ctx, rp);
  trace_create_file(job, rp, rc);
  if (rc != bRC_OK) {
    job_message(job, M_ERROR, "Plugin createFile call failed. Stat=%d file=%s", rc, state->ofname);
    state->skip = true;
    return;
  }
  int status = rp->create_status;
  switch (status) {
    case CF_ERROR:
      job_message(job, M_ERROR, "Plugin createFile call failed. Returned CF_ERROR file=%s", state->ofname);
      state->skip = true;
      return;
    case CF_SKIP:
      job->files++;
      state->status = CF_SKIP;
      state->skip = true;
      return;
    case CF_CREATED: break;
    case CF_CORE:
      status = core_create(state);
      if (status == CF_ERROR || status == CF_SKIP) {
        if (status == CF_SKIP) job->files++;
        state->status = status;
        state->skip = true;
        return;
      }
      break;
    default:
      if (!plugin_open(state, O_WRONLY | O_CREAT | O_TRUNC, 0600)) {
        state->skip = true;
        return;
      }
      status = CF_EXTRACT;
      break;
  }
  state->status = status;
  job->files++;
  hash_put(&state->restored, state->relative, state);
  if (status == CF_CREATED) {
    set_file_attributes(state);
    if (rp->filedes >= 0) {
      state->core_io = true;
      state->fd = rp->filedes;
      plugin_close(state);
      state->core_io = false;
    }
  }
  job_progress(job, false);
}

static void on_chunk(void* data, const char* bytes, uint32_t length)
{
  RestoreState* state = data;
  if (!state->active || state->skip || !state->extracting || state->write_failed) return;
  Job* job = state->job;
  if (state->core_io) {
    uint32_t done = 0;
    while (done < length) {
      ssize_t n = write(state->fd, bytes + done, length - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        job_message(job, M_ERROR, "Write error on %s: %s", state->ofname,
                    n < 0 ? strerror(errno) : "nothing written");
        state->write_failed = true;
        return;
      }
      done += (uint32_t)n;
    }
  } else {
    Instance* instance = state->instance;
    io_pkt io;
    memset(&io, 0, sizeof io);
    io.pkt_size = io.pkt_end = sizeof io;
    io.func = IO_WRITE;
    io.count = (int32_t)length;
    io.buf = (char*)bytes;
    io.filedes = 0;
    trace_io(job, &io, instance->plugin->functions->pluginIO(&instance->ctx, &io));
    if (io.status != (int32_t)length) {
      job_message(job, M_ERROR, "Write error on %s: %s", state->ofname,
                  io.io_errno ? strerror(io.io_errno) : "short write");
      state->write_failed = true;
      return;
    }
  }
  job->bytes += length;
  job_progress(job, false);
}

static void on_data_end(void* data, uint64_t size, int read_error)
{
  (void)size;
  RestoreState* state = data;
  if (!state->active || state->skip || !read_error) return;
  job_message(state->job, M_WARNING, "%s: the backup could not read all of this file (ERR=%s); restored what was saved",
              state->ofname, strerror(read_error));
}

static void on_stream(RestoreState* state, bool acl, const char* bytes, uint32_t length)
{
  if (!state->active || state->skip) return;
  Buffer* buffer = acl ? &state->acl : &state->xattr;
  bool directory = is_directory_entry(state) && state->status == CF_CREATED;
  if (!state->extracting && !directory) return;
  buffer_clear(buffer);
  buffer_append(buffer, bytes, length);
  if (directory) {
    if (acl)
      apply_acl(state);
    else
      apply_xattrs(state);
    return;
  }
  if (acl)
    state->have_acl = true;
  else
    state->have_xattr = true;
}

static void on_acl(void* data, const char* bytes, uint32_t length) { on_stream(data, true, bytes, length); }
static void on_xattr(void* data, const char* bytes, uint32_t length) { on_stream(data, false, bytes, length); }

/* Remove what a damaged entry left behind (only a file this job wrote). */
static void remove_partial(RestoreState* state)
{
  char* reason = NULL;
  if (check_parents(state->where, state->relative, &reason) != 0) {
    free(reason);
    return;
  }
  struct stat st;
  if (lstat(state->ofname, &st) == 0 && S_ISREG(st.st_mode)) {
    if (unlink(state->ofname) == 0)
      job_message(state->job, M_INFO, "removed the incomplete file %s", state->ofname);
  }
}

static void finish_entry(RestoreState* state, bool ok)
{
  if (!state->active) return;
  Job* job = state->job;
  if (state->extracting) {
    ok = ok && !state->write_failed;
    if (ok) set_file_attributes(state);
    plugin_close(state);
    if (ok) {
      if (state->core_created)
        apply_attributes(job, state->where, state->relative, &state->info.st, state->info.type);
      if (state->have_acl) apply_acl(state);
      if (state->have_xattr) apply_xattrs(state);
    } else {
      remove_partial(state);
      if (job->files) job->files--; /* counted at createFile, but not restored */
    }
  }
  Instance* instance = state->instance;
  if (instance && instance->restore_started) {
    bRC rc = instance->plugin->functions->endRestoreFile(&instance->ctx);
    trace_simple(job, "end_restore_file", NULL, rc);
    instance->restore_started = false;
    if ((int)rc == PYTHON_UNDEFINED_RETURN_VALUE) {
      job_message(job, M_FATAL, "Return value of endRestoreFile invalid: -1, plugin=%s",
                  instance->plugin->plugin.file);
    }
  }
  job->current_file = NULL;
  reset_entry(state);
}

static void on_entry_end(void* data, bool complete)
{
  (void)complete;
  finish_entry(data, true);
}

static void on_entry_failed(void* data, const char* reason)
{
  (void)reason; /* already reported through on_problem */
  finish_entry(data, false);
}

static void on_problem(void* data, const char* text)
{
  RestoreState* state = data;
  job_message(state->job, M_ERROR, "%s", text);
}

static bool should_stop(void* data)
{
  RestoreState* state = data;
  return job_canceled(state->job);
}

static void send_restore_objects(Job* job, const ArchiveSummary* summary)
{
  for (const StoredObject* object = summary->objects; object && !job_canceled(job); object = object->next) {
    if (!plugin_code_trusted(job, object->plugin_name, "restore object", object->name)) break;
    restore_object_pkt rop;
    restore_object_from_archive(object, summary->job_id, &rop);
    job_event(job, bEventRestoreObject, &rop);
  }
  job_event(job, bEventRestoreObject, NULL);
}

void run_restore(Job* job)
{
  const JobOptions* options = job->options;
  RestoreState state;
  memset(&state, 0, sizeof state);
  state.job = job;
  state.fd = -1;
  buffer_init(&state.acl);
  buffer_init(&state.xattr);
  /* where: created if missing, used without its trailing '/'. */
  if (make_directories(options->where) != 0) {
    job_message(job, M_FATAL, "cannot create the restore directory %s: %s", options->where,
                strerror(errno));
    job_finish(job);
    return;
  }
  state.where = known_file_key(options->where);
  if (strcmp(state.where, "/") == 0) state.where[0] = '\0';
  char* error = NULL;
  if (options->regexwhere && parse_regexwhere(&state, options->regexwhere, &error) != 0) {
    job_message(job, M_FATAL, "%s", error);
    free(error);
    free(state.where);
    job_finish(job);
    return;
  }
  ArchiveSummary summary;
  if (archive_summarize(options->archive, &summary, NULL, &error) != 0) {
    job_message(job, M_FATAL, "%s", error);
    free(error);
    free(state.where);
    job_finish(job);
    return;
  }
  job->previous_job_name = summary.job_name ? xstrdup(summary.job_name) : NULL;
  job_start(job);
  if (options->plugin_options) job_event(job, bEventNewPluginOptions, options->plugin_options);
  send_restore_objects(job, &summary);
  job_event(job, bEventStartRestoreJob, NULL);
  hash_init(&state.restored);
  WalkCallbacks callbacks;
  memset(&callbacks, 0, sizeof callbacks);
  callbacks.data = &state;
  callbacks.entry = on_entry;
  callbacks.chunk = on_chunk;
  callbacks.data_end = on_data_end;
  callbacks.acl = on_acl;
  callbacks.xattr = on_xattr;
  callbacks.entry_end = on_entry_end;
  callbacks.entry_failed = on_entry_failed;
  callbacks.problem = on_problem;
  callbacks.stop = should_stop;
  if (!job_canceled(job) && archive_walk(options->archive, &callbacks, &error) < 0) {
    job_message(job, M_FATAL, "%s", error);
    free(error);
  }
  finish_entry(&state, false);
  job_event(job, bEventEndRestoreJob, NULL);
  /* Directories the host created: their attributes last, deepest first. */
  for (int i = state.n_dirs - 1; i >= 0; i--) {
    apply_attributes(job, state.where, state.dirs[i].relative, &state.dirs[i].st, FT_DIREND);
    free(state.dirs[i].relative);
  }
  free(state.dirs);
  for (int i = 0; i < state.n_rules; i++) {
    regfree(&state.rules[i].expression);
    free(state.rules[i].replacement);
  }
  free(state.rules);
  hash_free(&state.restored, NULL);
  buffer_free(&state.acl);
  buffer_free(&state.xattr);
  free(state.where);
  archive_summary_free(&summary);
  job_progress(job, true);
  job_finish(job);
}
