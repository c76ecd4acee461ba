/* sd.h -- bareospy-sd, the reference storage daemon: its settings, jobs,
 * plugin instances and devices, and the entry points of its parts.
 *
 *   main.c     command line, the server (one thread per connection), SIGTERM, list
 *   core.c     the SdCoreFunctions table, plugin instances, event dispatch (§1.5,
 *              §1.7, §7.14), job messages and the job report
 *   volume.c   the volume format (docs/volume-format.md): labels, blocks, scanning
 *   session.c  a backup or restore job over a connection (docs/sd-protocol.md):
 *              reserving, mounting, labelling and switching volumes
 */
#ifndef BAREOSPY_SD_SD_H
#define BAREOSPY_SD_SD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bareospy/consts.h"
#include "bareospy/sd.h"
#include "kit/events.h"
#include "kit/messages.h"
#include "kit/loader.h"
#include "kit/util.h"

#define SD_NAME "bareospy-sd"
#define SD_VERSION "0.1.0"

/* -- plugins ------------------------------------------------------------------ */

typedef struct LoadedPlugin {
  Plugin plugin; /* what PluginContext.plugin points to */
  PluginInformation* information;
  SdPluginFunctions* functions;
} LoadedPlugin;

/* -- settings ----------------------------------------------------------------- */

typedef struct SdConfig {
  char* storage_dir;
  uint64_t max_volume_bytes; /* 0: no limit */
  char* label_format;        /* e.g. "Vol-%04d" */
  char* pool;                /* default pool */
  char* media_type;
  char* storage_name;        /* the device resource name (bsdVarStorage) */
  char* plugin_dir;
  char** plugin_names;
  int n_plugin_names;
  char** plugin_options;     /* default SD plugin options of a job */
  int n_plugin_options;
  int debug_level;
  LoadedPlugin** plugins;
  int n_plugins;
} SdConfig;

extern SdConfig sd;

/* -- jobs --------------------------------------------------------------------- */

struct Job;

typedef struct Instance {
  PluginContext ctx;
  LoadedPlugin* plugin;
  struct Job* job;
  EventMask events; /* bit n: event n registered (1..24) */
  bool disabled;   /* newPlugin failed, or the plugin asked to be unloaded */
} Instance;

/* The device of a job: one file volume at a time. */
typedef struct Device {
  bool reserved;
  int fd;             /* the mounted volume, or -1 */
  char* volume_name;  /* the mounted (or last) volume, or NULL */
  char* volume_path;
  uint64_t size;      /* bytes in the volume */
  bool appending;
  bool mounted;       /* DeviceMount was allowed (DeviceUnmount is due) */
  bool loaded;        /* VolumeLoad was allowed (VolumeUnload is due) */
} Device;

typedef struct Job {
  uint32_t id;
  char* name;
  char* client;
  char* pool;
  char level;   /* L_FULL ... */
  char type;    /* JT_BACKUP or JT_RESTORE */
  char status;  /* JS_Running, then JS_Terminated, JS_Warnings, JS_ErrorTerminated, JS_Canceled */
  bool fatal;
  uint64_t records;
  uint64_t bytes;
  int errors;
  time_t start_time;

  Instance** instances;
  int n_instances;

  Device device;
  char* next_volume_name; /* set by a plugin (bsdwVarVolumeName) */
  int priority;
  char** volumes;         /* the volumes this job wrote or read, in order */
  uint64_t* volume_bytes; /* backup: record bytes the job wrote on volumes[i] */
  int n_volumes;
  /* backup: a client that names the next volumes (volume_requests=1 in its
   * BACKUP frame), -1 if the SD chooses them; the frames read from it while
   * waiting for its answer (session.c) */
  int client_fd;
  struct PendingFrame* pending;

  /* backup: the session on the volumes */
  uint64_t session_id;
  uint64_t sequence;
  uint32_t part;
  uint64_t part_records;

  pthread_mutex_t lock; /* messages */
  Buffer log;
  char* failure;        /* the first fatal error, for the client */
} Job;

extern SdCoreFunctions core_functions;

Job* job_new(char type, const char* name);
void job_free(Job* job);
/* Instance 0 of every plugin, NewPluginOptions for each options string
 * (§1.8), then JobStart. */
void job_start(Job* job, char** options, int n_options);
/* JobEnd, freePlugin of every instance. */
void job_finish(Job* job);
/* GeneratePluginEvent of the SD (§1.5): stops at the first Stop/Error/Skip. */
bRC job_event(Job* job, int event, void* value);
const char* event_name(int event);
/* A message in the job's log; M_FATAL fails the job (the first one is the
 * error the client gets), M_ERROR counts an error. */
void job_message(Job* job, int type, const char* format, ...) __attribute__((format(printf, 3, 4)));
void job_report(Job* job);
bool server_stopping(void);

/* Debug output on stderr when level <= -d. */
void sd_debug(int level, const char* format, ...) __attribute__((format(printf, 2, 3)));
extern pthread_mutex_t output_lock;

/* -- volumes (volume.c) ------------------------------------------------------- */

#define VOLUME_MAGIC "BPYSDVOL"
#define VOLUME_VERSION 1
#define VOLUME_LABEL_MAX 4096
#define BLOCK_MAGIC "BPyB"
#define BLOCK_HEADER_SIZE 36

enum { BLOCK_SOS = 1, BLOCK_DATA = 2, BLOCK_EOS = 3 };

typedef struct VolumeLabel {
  char* name;
  char* pool;
  char* media_type;
  char* storage;
  long long label_time;
  uint32_t length; /* of the label on the volume, CRC included */
} VolumeLabel;

typedef enum { LABEL_OK = 0, LABEL_IO, LABEL_FOREIGN, LABEL_VERSION, LABEL_DAMAGED } LabelStatus;

typedef struct Block {
  uint16_t type;
  uint64_t session;
  uint64_t sequence;
  uint32_t length;
  uint32_t payload_crc;
  uint64_t offset; /* of the header in the volume */
} Block;

/* Write a label at offset 0 of an empty file; -1 with errno. */
int volume_write_label(int fd, const VolumeLabel* label, uint32_t* length);
/* Read the label at offset 0; LABEL_OK fills *label (free with label_free). */
LabelStatus volume_read_label(int fd, VolumeLabel* label);
const char* label_status_text(LabelStatus status);
void label_free(VolumeLabel* label);

/* Append one block (header + payload) at the end; -1 with errno. */
int volume_write_block(int fd, uint16_t type, uint64_t session, uint64_t sequence,
                       const void* payload, uint32_t length);
/* Read the block header at offset: 1 (filled *block), 0 at the exact end of
 * the file, -1 on a read error (errno), -2 if damaged or cut short. */
int volume_read_header(int fd, uint64_t offset, uint64_t file_size, Block* block);
/* Read a block's payload into out and check its CRC: 0, -1 (errno), -2 (CRC). */
int volume_read_payload(int fd, const Block* block, Buffer* out);

/* Whether name may be a volume name: [A-Za-z0-9._+-], 1..127 bytes, not
 * starting with '.'. */
bool volume_name_valid(const char* name);
/* The label format with its number filled in ("Vol-%04d", 3 -> "Vol-0003");
 * NULL if the format has not exactly one %d (optionally %0Nd). */
char* volume_format_name(const char* format, int number);

/* `bareospy-sd list`: print volumes and jobs; 0, or 1 if a volume could not be read. */
int volume_list(const char* storage_dir);

/* -- sessions (session.c) ----------------------------------------------------- */

/* Serve one connection: read the first frame, run the job it asks for. */
void session_serve(int fd);

#endif
