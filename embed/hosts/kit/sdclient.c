/* sdclient.c -- the client side of bareospy-sd. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sdclient.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sdproto.h"

struct SdClient {
  int fd;
  char* error;
  Buffer frame;
  SdVolumeHandler volume_handler;
  void* volume_data;
};

static int fail(SdClient* sd, const char* format, ...) __attribute__((format(printf, 2, 3)));
static int fail(SdClient* sd, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  free(sd->error);
  sd->error = xvasprintf(format, args);
  va_end(args);
  return -1;
}

SdClient* sd_open(const char* address, char** message)
{
  int fd = sdp_connect(address, message);
  if (fd < 0) return NULL;
  SdClient* sd = xcalloc(1, sizeof *sd);
  sd->fd = fd;
  buffer_init(&sd->frame);
  return sd;
}

void sd_close(SdClient* sd)
{
  if (!sd) return;
  close(sd->fd);
  free(sd->error);
  buffer_free(&sd->frame);
  free(sd);
}

const char* sd_error(const SdClient* sd)
{
  return sd->error ? sd->error : "";
}

/* Read a frame the SD sends; on SDP_ERROR or a broken connection fail. */
static int receive(SdClient* sd, uint16_t* type)
{
  int rc = sdp_read(sd->fd, type, &sd->frame);
  if (rc == SDP_READ_EOF || rc == SDP_READ_IO)
    return fail(sd, "lost the connection to the storage daemon%s%s",
                rc == SDP_READ_IO && errno ? ": " : "", rc == SDP_READ_IO && errno ? strerror(errno) : "");
  if (rc == SDP_READ_BAD) return fail(sd, "damaged frame from the storage daemon");
  if (*type == SDP_ERROR) {
    char* text = sdp_kv_get(sd->frame.data, "message");
    fail(sd, "storage daemon: %s", text ? text : "error");
    free(text);
    return -1;
  }
  return 0;
}

/* Send a frame; if the SD closed, pick up the error it may have sent. */
static int send_frame(SdClient* sd, uint16_t type, const void* data, size_t length)
{
  if (sdp_write(sd->fd, type, data, length) == 0) return 0;
  int saved = errno;
  uint16_t answer;
  if (receive(sd, &answer) == 0)
    return fail(sd, "lost the connection to the storage daemon: %s", strerror(saved));
  return -1;
}

void sd_set_volume_handler(SdClient* sd, SdVolumeHandler handler, void* data)
{
  sd->volume_handler = handler;
  sd->volume_data = data;
}

/* The SD's question (a VOLUME frame in sd->frame): ask the handler, answer. */
static int answer_volume(SdClient* sd)
{
  if (!sd->volume_handler) return fail(sd, "the storage daemon asked for a volume unasked");
  char* previous = sdp_kv_get(sd->frame.data, "previous");
  char* bytes = sdp_kv_get(sd->frame.data, "bytes");
  char name[256] = "";
  char* error = NULL;
  int rc = sd->volume_handler(sd->volume_data, previous ? previous : "",
                              bytes ? strtoull(bytes, NULL, 10) : 0, name, sizeof name, &error);
  free(previous);
  free(bytes);
  if (rc != 0) {
    fail(sd, "%s", error ? error : "no volume for the storage daemon");
    free(error);
    return -1;
  }
  Buffer text;
  buffer_init(&text);
  sdp_kv_add(&text, "volume", name);
  rc = sdp_write(sd->fd, SDP_VOLUME, text.data, text.length);
  buffer_free(&text);
  return rc == 0 ? 0 : fail(sd, "lost the connection to the storage daemon: %s", strerror(errno));
}

static int expect_ok(SdClient* sd)
{
  uint16_t type;
  for (;;) {
    if (receive(sd, &type) != 0) return -1;
    if (type != SDP_VOLUME) break;
    if (answer_volume(sd) != 0) return -1;
  }
  if (type != SDP_OK) return fail(sd, "unexpected frame %u from the storage daemon", type);
  return 0;
}

/* Answer the SD's questions that arrived while records were being sent. */
static int answer_pending(SdClient* sd)
{
  struct pollfd ready = {sd->fd, POLLIN, 0};
  while (poll(&ready, 1, 0) == 1) {
    uint16_t type;
    if (receive(sd, &type) != 0) return -1;
    if (type != SDP_VOLUME) return fail(sd, "unexpected frame %u from the storage daemon", type);
    if (answer_volume(sd) != 0) return -1;
  }
  return 0;
}

int sd_begin_backup(SdClient* sd, const SdJobInfo* info)
{
  return sd_begin_backup_on(sd, info, NULL);
}

int sd_begin_backup_on(SdClient* sd, const SdJobInfo* info, const char* volume)
{
  Buffer text;
  buffer_init(&text);
  sdp_kv_add(&text, "job", info->job);
  sdp_kv_add(&text, "pool", info->pool);
  sdp_kv_add(&text, "client", info->client);
  sdp_kv_add(&text, "level", info->level);
  sdp_kv_add(&text, "plugin_options", info->plugin_options);
  sdp_kv_add(&text, "volume", volume);
  if (sd->volume_handler) sdp_kv_add(&text, "volume_requests", "1");
  int rc = send_frame(sd, SDP_BACKUP, text.data, text.length);
  buffer_free(&text);
  return rc == 0 ? expect_ok(sd) : -1;
}

int sd_send_record(SdClient* sd, const void* data, size_t length)
{
  if (send_frame(sd, SDP_DATA, data, length) != 0) return -1;
  return sd->volume_handler ? answer_pending(sd) : 0;
}

int sd_end_backup(SdClient* sd, char** summary)
{
  if (send_frame(sd, SDP_END, NULL, 0) != 0 || expect_ok(sd) != 0) return -1;
  if (summary) *summary = xstrdup(sd->frame.data);
  return 0;
}

void sd_abort_backup(SdClient* sd)
{
  shutdown(sd->fd, SHUT_WR);
  struct pollfd ready = {sd->fd, POLLIN, 0};
  for (int waited = 0; waited < 60 && poll(&ready, 1, 1000) >= 0; waited++) {
    if (!(ready.revents & (POLLIN | POLLHUP | POLLERR))) continue;
    uint16_t type;
    if (sdp_read(sd->fd, &type, &sd->frame) != SDP_READ_OK) return;
  }
}

int sd_begin_restore(SdClient* sd, const char* job)
{
  Buffer text;
  buffer_init(&text);
  sdp_kv_add(&text, "job", job);
  int rc = send_frame(sd, SDP_RESTORE, text.data, text.length);
  buffer_free(&text);
  return rc == 0 ? expect_ok(sd) : -1;
}

int sd_next_record(SdClient* sd, Buffer* record)
{
  uint16_t type;
  buffer_clear(record);
  if (receive(sd, &type) != 0) return -1;
  if (type == SDP_END) return 0;
  if (type != SDP_DATA) return fail(sd, "unexpected frame %u from the storage daemon", type);
  buffer_append(record, sd->frame.data, sd->frame.length);
  return 1;
}
