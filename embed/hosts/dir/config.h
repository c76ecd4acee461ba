/* config.h -- bareospy-dir's configuration: the subset of the daemons'
 * resource syntax it reads (docs/dir-config.md).
 *
 *   Config* config;  char* error;
 *   if (!(config = config_load("bareospy-dir.conf", &error))) {
 *     fprintf(stderr, "%s\n", error);   // "FILE:LINE: Job \"x\": unknown directive \"Foo\""
 *     free(error);
 *   }
 */
#ifndef BAREOSPY_DIR_CONFIG_H
#define BAREOSPY_DIR_CONFIG_H

#include <stdint.h>

typedef struct StrList {
  char** items;
  int count;
} StrList;

typedef struct DirectorRes {
  char* name;
  char* working_directory;
  char* plugin_directory;
  StrList plugin_names;
  StrList dir_plugin_options;
  int64_t maximum_concurrent_jobs;
  char* messages;
  char* scripts_directory; /* Bacula-style Python scripting (scripting.c) */
} DirectorRes;

typedef struct JobRes {
  char* name;
  int type;  /* JT_* code */
  int level; /* L_* code */
  char* client;
  char* fileset;
  char* storage;
  char* pool;
  char* messages;
  int64_t priority;
  StrList dir_plugin_options;
  StrList sd_plugin_options;
} JobRes;

typedef struct ClientRes {
  char* name;
  char* address;
  int64_t port;
  char* password;
  char* command; /* how to start bareospy-fd locally (a bareospy extension) */
} ClientRes;

typedef struct FileSetRes {
  char* name;
  StrList plugins; /* Include { Plugin = "..." } */
  StrList files;   /* Include { File = "..." } */
  StrList options; /* Include { Options { k = v } } as "k=v" */
} FileSetRes;

typedef struct StorageRes {
  char* name;
  char* address;
  int64_t port;
  char* password;
  char* device;
  char* media_type;
} StorageRes;

typedef struct PoolRes {
  char* name;
  char* pool_type;
  char* label_format;
  int64_t maximum_volume_bytes; /* 0: no limit */
  int64_t volume_retention;     /* seconds */
} PoolRes;

typedef struct CatalogRes {
  char* name;
  char* db_driver;
  char* db_name; /* the SQLite file, relative to the Working Directory */
} CatalogRes;

typedef struct MessagesRes {
  char* name;
  char* append; /* file the messages are appended to */
  StrList append_types;
  char* console;
  char* stdout_types;
} MessagesRes;

typedef struct Config {
  DirectorRes* director;
  JobRes** jobs;
  int job_count;
  ClientRes** clients;
  int client_count;
  FileSetRes** filesets;
  int fileset_count;
  StorageRes** storages;
  int storage_count;
  PoolRes** pools;
  int pool_count;
  CatalogRes** catalogs;
  int catalog_count;
  MessagesRes** messages;
  int messages_count;
} Config;

/* Read and check a configuration file (and the files it @includes).
 * Returns NULL with *error (malloc'ed) naming file, line and directive. */
Config* config_load(const char* path, char** error);
void config_free(Config* config);

JobRes* config_job(const Config* config, const char* name);
PoolRes* config_pool(const Config* config, const char* name);
ClientRes* config_client(const Config* config, const char* name);
StorageRes* config_storage(const Config* config, const char* name);
FileSetRes* config_fileset(const Config* config, const char* name);

/* "Full", "Backup"...: names of the codes, and codes of names (-1: unknown). */
const char* config_level_name(int level);
int config_level_code(const char* name);
const char* config_type_name(int type);

#endif
