/* catalog.c -- the SQLite catalog of bareospy-dir (schema: docs/catalog.md). */
#include "catalog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kit/util.h"

struct Catalog {
  sqlite3* db;
  pthread_mutex_t lock;
  char error[512];
};

static const char* const SCHEMA[] = {
    "CREATE TABLE version (version INTEGER NOT NULL)",
    "CREATE TABLE pool (poolid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " label_format TEXT, max_volume_bytes INTEGER NOT NULL DEFAULT 0,"
    " volume_retention INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE media (mediaid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " poolid INTEGER NOT NULL REFERENCES pool(poolid), status TEXT NOT NULL,"
    " bytes INTEGER NOT NULL DEFAULT 0, jobs INTEGER NOT NULL DEFAULT 0,"
    " recycle_count INTEGER NOT NULL DEFAULT 0, label_time INTEGER, first_written INTEGER,"
    " last_written INTEGER)",
    "CREATE TABLE job (jobid INTEGER PRIMARY KEY, name TEXT NOT NULL, job TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL, level TEXT NOT NULL, status TEXT NOT NULL, priority INTEGER NOT NULL,"
    " client TEXT, fileset TEXT, pool TEXT, storage TEXT, sched_time INTEGER,"
    " start_time INTEGER, end_time INTEGER, files INTEGER NOT NULL DEFAULT 0,"
    " bytes INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,"
    " pid INTEGER, cancel_requested INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE file (fileid INTEGER PRIMARY KEY, jobid INTEGER NOT NULL REFERENCES job(jobid),"
    " path TEXT NOT NULL, lstat TEXT, digest TEXT)",
    "CREATE INDEX file_jobid ON file(jobid)",
    "CREATE TABLE jobmedia (jobmediaid INTEGER PRIMARY KEY,"
    " jobid INTEGER NOT NULL REFERENCES job(jobid),"
    " mediaid INTEGER NOT NULL REFERENCES media(mediaid), bytes INTEGER NOT NULL)",
    "CREATE TABLE log (logid INTEGER PRIMARY KEY, jobid INTEGER, time INTEGER NOT NULL,"
    " type INTEGER NOT NULL, text TEXT NOT NULL, shown INTEGER NOT NULL DEFAULT 0)",
    NULL};

const char* catalog_error(Catalog* c) { return c->error; }

static void set_error(Catalog* c, const char* what)
{
  snprintf(c->error, sizeof c->error, "%s: %s", what, sqlite3_errmsg(c->db));
}

/* Binds "i" (int64_t) and "s" (const char*, NULL allowed) arguments. */
static sqlite3_stmt* vprepare(Catalog* c, const char* sql, const char* types, va_list args)
{
  sqlite3_stmt* stmt;
  if (sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
    set_error(c, sql);
    return NULL;
  }
  for (int i = 0; types && types[i]; i++) {
    if (types[i] == 'i')
      sqlite3_bind_int64(stmt, i + 1, va_arg(args, int64_t));
    else {
      const char* text = va_arg(args, const char*);
      if (text)
        sqlite3_bind_text(stmt, i + 1, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(stmt, i + 1);
    }
  }
  return stmt;
}

/* Run a statement to its end; 0, or -1 with c->error. */
static int run(Catalog* c, const char* sql, const char* types, ...)
{
  va_list args;
  va_start(args, types);
  sqlite3_stmt* stmt = vprepare(c, sql, types, args);
  va_end(args);
  if (!stmt)
    return -1;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    set_error(c, sql);
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* The first column of the first row as an integer: 1 found, 0 no row, -1 error. */
static int query_int(Catalog* c, int64_t* out, const char* sql, const char* types, ...)
{
  va_list args;
  va_start(args, types);
  sqlite3_stmt* stmt = vprepare(c, sql, types, args);
  va_end(args);
  if (!stmt)
    return -1;
  int rc = sqlite3_step(stmt);
  int result = 0;
  if (rc == SQLITE_ROW) {
    *out = sqlite3_column_int64(stmt, 0);
    result = 1;
  } else if (rc != SQLITE_DONE) {
    set_error(c, sql);
    result = -1;
  }
  sqlite3_finalize(stmt);
  return result;
}

static int begin(Catalog* c) { return run(c, "BEGIN IMMEDIATE", NULL); }
static int commit(Catalog* c) { return run(c, "COMMIT", NULL); }
static void rollback(Catalog* c) { sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL); }

/* Ends the open transaction: commits when every step succeeded (rc == 0),
 * else, or when the commit fails, rolls it back.  Returns the final rc. */
static int end_transaction(Catalog* c, int rc)
{
  if (rc == 0) rc = commit(c);
  if (rc < 0) rollback(c);
  return rc;
}

static int create_schema(Catalog* c)
{
  if (begin(c) < 0)
    return -1;
  for (int i = 0; SCHEMA[i]; i++)
    if (run(c, SCHEMA[i], NULL) < 0) {
      rollback(c);
      return -1;
    }
  if (run(c, "INSERT INTO version (version) VALUES (?)", "i", (int64_t)CATALOG_SCHEMA_VERSION) < 0 ||
      commit(c) < 0) {
    rollback(c);
    return -1;
  }
  return 0;
}

/* Reads the version table only: a damaged or foreign file is not written. */
static int check_schema(Catalog* c, const char* path, char** error)
{
  int64_t tables = 0;
  if (query_int(c, &tables,
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='version'",
                NULL) < 0) {
    *error = xasprintf("catalog %s is not a readable SQLite database (%s)", path,
                       sqlite3_errmsg(c->db));
    return -1;
  }
  if (!tables) {
    *error = xasprintf("catalog %s is an SQLite database but not a bareospy catalog "
                       "(no version table)", path);
    return -1;
  }
  int64_t version = 0;
  int found = query_int(c, &version, "SELECT max(version) FROM version", NULL);
  if (found <= 0 || version == 0) {
    *error = xasprintf("catalog %s has no schema version", path);
    return -1;
  }
  if (version != CATALOG_SCHEMA_VERSION) {
    *error = xasprintf("catalog %s has schema version %lld; this bareospy-dir reads version %d%s",
                       path, (long long)version, CATALOG_SCHEMA_VERSION,
                       version > CATALOG_SCHEMA_VERSION ? " (written by a newer director)" : "");
    return -1;
  }
  char* message = NULL;
  sqlite3_stmt* stmt;
  if (sqlite3_prepare_v2(c->db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK) {
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const char* result = (const char*)sqlite3_column_text(stmt, 0);
      if (!result || strcmp(result, "ok") != 0)
        message = xasprintf("catalog %s is damaged: %s", path, result ? result : "?");
    } else {
      message = xasprintf("catalog %s is damaged: %s", path, sqlite3_errmsg(c->db));
    }
    sqlite3_finalize(stmt);
  }
  if (message) {
    *error = message;
    return -1;
  }
  return 0;
}

Catalog* catalog_open(const char* path, char** error)
{
  struct stat st;
  int fresh = stat(path, &st) != 0 || st.st_size == 0;
  Catalog* c = xcalloc(1, sizeof *c);
  pthread_mutex_init(&c->lock, NULL);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (fresh ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
    *error = xasprintf("cannot open catalog %s: %s", path,
                       c->db ? sqlite3_errmsg(c->db) : "out of memory");
    catalog_close(c);
    return NULL;
  }
  sqlite3_busy_timeout(c->db, 10000);
  if (fresh) {
    if (create_schema(c) < 0) {
      *error = xasprintf("cannot create catalog %s: %s", path, c->error);
      catalog_close(c);
      return NULL;
    }
  } else if (check_schema(c, path, error) < 0) {
    catalog_close(c);
    return NULL;
  }
  /* WAL lets a console read while another process runs a job. */
  sqlite3_exec(c->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  sqlite3_exec(c->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
  return c;
}

void catalog_close(Catalog* c)
{
  if (!c)
    return;
  if (c->db)
    sqlite3_close(c->db);
  pthread_mutex_destroy(&c->lock);
  free(c);
}


static void lock(Catalog* c) { pthread_mutex_lock(&c->lock); }
static void unlock(Catalog* c) { pthread_mutex_unlock(&c->lock); }

int catalog_sync_pool(Catalog* c, const char* name, const char* label_format,
                      int64_t max_volume_bytes, int64_t volume_retention)
{
  lock(c);
  int rc = run(c,
               "INSERT INTO pool (name, label_format, max_volume_bytes, volume_retention)"
               " VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
               " label_format=excluded.label_format, max_volume_bytes=excluded.max_volume_bytes,"
               " volume_retention=excluded.volume_retention",
               "ssii", name, label_format, max_volume_bytes, volume_retention);
  unlock(c);
  return rc;
}


int64_t catalog_create_job(Catalog* c, const JobRecord* j)
{
  char type[2] = {(char)j->type, 0}, level[2] = {(char)j->level, 0},
       status[2] = {(char)j->status, 0};
  lock(c);
  int rc = run(c,
               "INSERT INTO job (name, job, type, level, status, priority, client, fileset, pool,"
               " storage, sched_time, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               "sssssissssii", j->name, j->job, type, level, status, j->priority, j->client,
               j->fileset, j->pool, j->storage, (int64_t)time(NULL), (int64_t)getpid());
  int64_t id = rc < 0 ? -1 : sqlite3_last_insert_rowid(c->db);
  unlock(c);
  return id;
}

int catalog_set_job_status(Catalog* c, int64_t jobid, int status)
{
  char text[2] = {(char)status, 0};
  lock(c);
  int rc = run(c, "UPDATE job SET status=? WHERE jobid=?", "si", text, jobid);
  unlock(c);
  return rc;
}

int catalog_start_job(Catalog* c, int64_t jobid, int level, int64_t priority)
{
  char text[2] = {(char)level, 0};
  lock(c);
  int rc = run(c, "UPDATE job SET status='R', start_time=?, level=?, priority=? WHERE jobid=?",
               "isii", (int64_t)time(NULL), text, priority, jobid);
  unlock(c);
  return rc;
}

int catalog_reap_stale_jobs(Catalog* c)
{
  lock(c);
  sqlite3_stmt* stmt;
  int reaped = 0;
  if (sqlite3_prepare_v2(c->db, "SELECT jobid, pid FROM job WHERE status IN ('C', 'R')", -1,
                         &stmt, NULL) != SQLITE_OK) {
    unlock(c);
    return -1;
  }
  int64_t ids[256];
  int count = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW && count < 256) {
    pid_t pid = (pid_t)sqlite3_column_int64(stmt, 1);
    if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
      ids[count++] = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  for (int i = 0; i < count; i++)
    if (run(c, "UPDATE job SET status='E', end_time=?, bytes=(SELECT coalesce(sum(bytes), 0)"
            " FROM jobmedia WHERE jobmedia.jobid=job.jobid) WHERE jobid=?", "ii",
            (int64_t)time(NULL), ids[i]) == 0)
      reaped++;
  unlock(c);
  return reaped;
}

int catalog_request_cancel(Catalog* c, int64_t jobid, int* status)
{
  int64_t value = 0;
  lock(c);
  int found = query_int(c, &value, "SELECT unicode(status) FROM job WHERE jobid=?", "i", jobid);
  if (found == 1) {
    *status = (int)value;
    if (value == 'C' || value == 'R')
      found = run(c, "UPDATE job SET cancel_requested=1 WHERE jobid=?", "i", jobid) == 0 ? 1 : -1;
  }
  unlock(c);
  return found;
}

int catalog_cancel_requested(Catalog* c, int64_t jobid)
{
  int64_t value = 0;
  lock(c);
  int found = query_int(c, &value, "SELECT cancel_requested FROM job WHERE jobid=?", "i", jobid);
  unlock(c);
  return found == 1 && value;
}

int catalog_end_job(Catalog* c, int64_t jobid, int status, const FileRecord* files,
                    int file_count, int64_t job_bytes, int64_t errors)
{
  char text[2] = {(char)status, 0};
  int keep_files = status == 'T' || status == 'W';
  lock(c);
  int rc = begin(c);
  for (int i = 0; rc == 0 && keep_files && i < file_count; i++)
    rc = run(c, "INSERT INTO file (jobid, path, lstat, digest) VALUES (?, ?, ?, ?)", "isss",
             jobid, files[i].path, files[i].lstat, files[i].digest);
  if (rc == 0)
    rc = run(c, "UPDATE job SET status=?, end_time=?, files=?, bytes=?, errors=? WHERE jobid=?",
             "siiiii", text, (int64_t)time(NULL), (int64_t)(keep_files ? file_count : 0),
             job_bytes, errors, jobid);
  rc = end_transaction(c, rc);
  unlock(c);
  return rc;
}

int catalog_num_vols(Catalog* c, const char* pool)
{
  int64_t count = 0;
  lock(c);
  int rc = query_int(c, &count,
                     "SELECT count(*) FROM media JOIN pool USING (poolid) WHERE pool.name=?", "s",
                     pool);
  unlock(c);
  return rc < 0 ? -1 : (int)count;
}

static int read_volume(Catalog* c, Volume* out, const char* where, const char* types, ...)
{
  char* sql = xasprintf("SELECT media.mediaid, media.name, pool.name, media.status, media.bytes,"
                        " pool.max_volume_bytes FROM media JOIN pool USING (poolid) %s",
                        where);
  va_list args;
  va_start(args, types);
  sqlite3_stmt* stmt = vprepare(c, sql, types, args);
  va_end(args);
  free(sql);
  if (!stmt)
    return -1;
  int rc = sqlite3_step(stmt), result = 0;
  if (rc == SQLITE_ROW) {
    memset(out, 0, sizeof *out);
    out->mediaid = sqlite3_column_int64(stmt, 0);
    snprintf(out->name, sizeof out->name, "%s", (const char*)sqlite3_column_text(stmt, 1));
    snprintf(out->pool, sizeof out->pool, "%s", (const char*)sqlite3_column_text(stmt, 2));
    snprintf(out->status, sizeof out->status, "%s", (const char*)sqlite3_column_text(stmt, 3));
    out->bytes = sqlite3_column_int64(stmt, 4);
    out->max_bytes = sqlite3_column_int64(stmt, 5);
    result = 1;
  } else if (rc != SQLITE_DONE) {
    set_error(c, "volume");
    result = -1;
  }
  sqlite3_finalize(stmt);
  return result;
}

int catalog_find_volume(Catalog* c, const char* pool, const char* status, Volume* out)
{
  return catalog_find_volume_at(c, pool, status, 0, out);
}

int catalog_find_volume_at(Catalog* c, const char* pool, const char* status, int64_t index,
                           Volume* out)
{
  lock(c);
  int rc = read_volume(c, out, "WHERE pool.name=? AND media.status=?"
                       " ORDER BY media.bytes DESC, media.mediaid LIMIT 1 OFFSET ?", "ssi", pool,
                       status, index);
  unlock(c);
  return rc;
}

int catalog_find_expired_volume(Catalog* c, const char* pool, int64_t now, Volume* out)
{
  lock(c);
  int rc = read_volume(c, out, "WHERE pool.name=? AND media.status IN ('Full', 'Used')"
                       " AND pool.volume_retention > 0 AND media.last_written IS NOT NULL"
                       " AND media.last_written + pool.volume_retention <= ?"
                       " ORDER BY media.last_written, media.mediaid LIMIT 1", "si", pool, now);
  unlock(c);
  return rc;
}

int catalog_get_volume(Catalog* c, const char* name, Volume* out)
{
  lock(c);
  int rc = read_volume(c, out, "WHERE media.name=?", "s", name);
  unlock(c);
  return rc;
}

int catalog_create_volume(Catalog* c, const char* name, const char* pool)
{
  lock(c);
  int64_t poolid = 0;
  int rc = query_int(c, &poolid, "SELECT poolid FROM pool WHERE name=?", "s", pool);
  if (rc == 1)
    rc = run(c, "INSERT INTO media (name, poolid, status, label_time) VALUES (?, ?, 'Append', ?)",
             "sii", name, poolid, (int64_t)time(NULL));
  else {
    snprintf(c->error, sizeof c->error, "no pool \"%s\" in the catalog", pool);
    rc = -1;
  }
  unlock(c);
  return rc;
}

int catalog_set_volume_status(Catalog* c, int64_t mediaid, const char* status)
{
  lock(c);
  int rc = run(c, "UPDATE media SET status=? WHERE mediaid=?", "si", status, mediaid);
  unlock(c);
  return rc;
}

int catalog_move_volume(Catalog* c, int64_t mediaid, const char* pool)
{
  lock(c);
  int rc = run(c, "UPDATE media SET poolid=(SELECT poolid FROM pool WHERE name=?)"
               " WHERE mediaid=? AND EXISTS (SELECT 1 FROM pool WHERE name=?)", "sis",
               pool, mediaid, pool);
  unlock(c);
  return rc;
}

int catalog_recycle_volume(Catalog* c, int64_t mediaid)
{
  lock(c);
  int rc = run(c, "UPDATE media SET status='Append', bytes=0, jobs=0,"
               " recycle_count=recycle_count+1 WHERE mediaid=?", "i", mediaid);
  unlock(c);
  return rc;
}

int catalog_write_volume(Catalog* c, int64_t jobid, int64_t mediaid, int64_t bytes)
{
  int64_t now = (int64_t)time(NULL), existing = 0;
  lock(c);
  int rc = begin(c);
  int found = rc == 0 ? query_int(c, &existing, "SELECT jobmediaid FROM jobmedia"
                                  " WHERE jobid=? AND mediaid=?", "ii", jobid, mediaid) : -1;
  if (found < 0)
    rc = -1;
  else if (found == 1)
    rc = run(c, "UPDATE jobmedia SET bytes=bytes+? WHERE jobmediaid=?", "ii", bytes, existing);
  else
    rc = run(c, "INSERT INTO jobmedia (jobid, mediaid, bytes) VALUES (?, ?, ?)", "iii", jobid,
             mediaid, bytes);
  if (rc == 0)
    rc = run(c, "UPDATE media SET bytes=bytes+?, jobs=jobs+?, last_written=?,"
             " first_written=coalesce(first_written, ?) WHERE mediaid=?", "iiiii", bytes,
             (int64_t)(found == 0), now, now, mediaid);
  rc = end_transaction(c, rc);
  unlock(c);
  return rc;
}

int catalog_purge_volume(Catalog* c, const char* name)
{
  int64_t mediaid = 0;
  lock(c);
  int found = query_int(c, &mediaid, "SELECT mediaid FROM media WHERE name=?", "s", name);
  int rc = found < 0 ? -1 : 0;
  if (found == 1) {
    rc = begin(c);
    if (rc == 0)
      rc = run(c, "DELETE FROM jobmedia WHERE mediaid=?", "i", mediaid);
    if (rc == 0)
      rc = run(c, "DELETE FROM file WHERE jobid IN (SELECT jobid FROM job WHERE status"
               " NOT IN ('C', 'R') AND jobid NOT IN (SELECT jobid FROM jobmedia))"
               " AND jobid IN (SELECT jobid FROM job WHERE type='B')", NULL);
    if (rc == 0)
      rc = run(c, "UPDATE media SET status='Purged', jobs=0 WHERE mediaid=?", "i", mediaid);
    rc = end_transaction(c, rc);
  }
  unlock(c);
  return rc < 0 ? -1 : found;
}

int64_t catalog_next_media_number(Catalog* c)
{
  int64_t value = 0;
  lock(c);
  int rc = query_int(c, &value, "SELECT coalesce(max(mediaid), 0) + 1 FROM media", NULL);
  unlock(c);
  return rc < 0 ? -1 : value;
}

int catalog_log(Catalog* c, int64_t jobid, int type, const char* text)
{
  lock(c);
  int rc = jobid > 0
               ? run(c, "INSERT INTO log (jobid, time, type, text) VALUES (?, ?, ?, ?)", "iiis",
                     jobid, (int64_t)time(NULL), (int64_t)type, text)
               : run(c, "INSERT INTO log (jobid, time, type, text) VALUES (NULL, ?, ?, ?)", "iis",
                     (int64_t)time(NULL), (int64_t)type, text);
  unlock(c);
  return rc;
}

/* Print every row of a query, columns separated by " | ". */
static int print_rows(Catalog* c, FILE* out, const char* header, const char* sql,
                      const char* types, ...)
{
  va_list args;
  va_start(args, types);
  sqlite3_stmt* stmt = vprepare(c, sql, types, args);
  va_end(args);
  if (!stmt)
    return -1;
  if (header)
    fprintf(out, "%s\n", header);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int columns = sqlite3_column_count(stmt);
    for (int i = 0; i < columns; i++) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      fprintf(out, "%s%s", i ? " | " : "", text ? (const char*)text : "");
    }
    fputc('\n', out);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    set_error(c, sql);
    return -1;
  }
  return 0;
}

int catalog_list_jobs(Catalog* c, FILE* out)
{
  lock(c);
  int rc = print_rows(c, out, "jobid | name | type | level | status | priority | files | bytes"
                      " | errors | pool",
                      "SELECT jobid, name, type, level, status, priority, files, bytes, errors,"
                      " coalesce(pool, '') FROM job ORDER BY jobid", NULL);
  unlock(c);
  return rc;
}

int catalog_list_volumes(Catalog* c, FILE* out)
{
  lock(c);
  int rc = print_rows(c, out, "mediaid | name | pool | status | bytes | jobs",
                      "SELECT mediaid, media.name, pool.name, status, bytes, jobs FROM media"
                      " JOIN pool USING (poolid) ORDER BY mediaid", NULL);
  unlock(c);
  return rc;
}

int catalog_list_files(Catalog* c, int64_t jobid, FILE* out)
{
  lock(c);
  int rc = print_rows(c, out, NULL, "SELECT path FROM file WHERE jobid=? ORDER BY fileid", "i",
                      jobid);
  unlock(c);
  return rc;
}

int catalog_list_messages(Catalog* c, FILE* out)
{
  lock(c);
  int rc = print_rows(c, out, NULL,
                      "SELECT strftime('%Y-%m-%d %H:%M:%S', time, 'unixepoch') || ' JobId '"
                      " || coalesce(jobid, 0) || ': ' || text FROM log WHERE shown=0"
                      " ORDER BY logid", NULL);
  if (rc == 0)
    rc = run(c, "UPDATE log SET shown=1 WHERE shown=0", NULL);
  unlock(c);
  return rc;
}

int catalog_job_status(Catalog* c, int64_t jobid, int* status)
{
  int64_t value = 0;
  lock(c);
  int rc = query_int(c, &value, "SELECT unicode(status) FROM job WHERE jobid=?", "i", jobid);
  unlock(c);
  if (rc == 1)
    *status = (int)value;
  return rc;
}

static sqlite3_stmt* prepare(Catalog* c, const char* sql, const char* types, ...)
{
  va_list args;
  va_start(args, types);
  sqlite3_stmt* stmt = vprepare(c, sql, types, args);
  va_end(args);
  return stmt;
}

int catalog_last_backup(Catalog* c, const char* name, int full_only, int64_t jobid_wanted,
                        int64_t* jobid, char* job, size_t size)
{
  lock(c);
  sqlite3_stmt* stmt = prepare(
      c,
      "SELECT jobid, job FROM job WHERE type='B' AND status IN ('T','W')"
      " AND (? IS NULL OR name=?) AND (?=0 OR level='F') AND (?=0 OR jobid=?)"
      " ORDER BY jobid DESC LIMIT 1",
      "ssiii", name, name, (int64_t)full_only, jobid_wanted, jobid_wanted);
  int result = -1;
  if (stmt) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      *jobid = sqlite3_column_int64(stmt, 0);
      snprintf(job, size, "%s", (const char*)sqlite3_column_text(stmt, 1));
      result = 1;
    } else if (rc == SQLITE_DONE) {
      result = 0;
    } else {
      set_error(c, "last backup");
    }
    sqlite3_finalize(stmt);
  }
  unlock(c);
  return result;
}
