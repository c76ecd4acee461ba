/* sdproto.h -- the frames bareospy-sd and its clients exchange
 * (docs/sd-protocol.md).
 *
 * A frame is a 12-byte header -- type (u16), reserved (u16, 0), payload
 * length (u32), CRC-32 of the payload (u32), all little-endian -- followed
 * by the payload.  Control payloads are "key=value\n" lines; DATA payloads
 * are one opaque record of the client.
 */
#ifndef BAREOSPY_KIT_SDPROTO_H
#define BAREOSPY_KIT_SDPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define SDP_HEADER_SIZE 12
/* The largest payload either side sends or accepts. */
#define SDP_MAX_PAYLOAD (64u * 1024u * 1024u)

/* Frame types. */
enum {
  SDP_BACKUP = 1,  /* client: start a backup job (job, pool, client, level, plugin_options) */
  SDP_DATA = 2,    /* either side: one record */
  SDP_END = 3,     /* client: end of the backup's records; SD: end of a restore's records */
  SDP_RESTORE = 4, /* client: read a job back (job) */
  SDP_VOLUME = 5,  /* SD: which volume next? (previous, bytes); client: its answer (volume) */
  SDP_OK = 100,    /* SD: the step succeeded (key=value details) */
  SDP_ERROR = 101  /* SD: the step failed (message=...); the SD closes afterwards */
};

/* Result of sdp_read. */
enum { SDP_READ_OK = 0, SDP_READ_EOF = 1, SDP_READ_IO = -1, SDP_READ_BAD = -2 };

/* Write one frame (all of it, retrying on EINTR); 0 or -1 with errno. */
int sdp_write(int fd, uint16_t type, const void* payload, size_t length);
/* Read one frame into *payload (cleared first; NUL-terminated).
 * SDP_READ_EOF: the peer closed before a frame began; SDP_READ_IO: a read
 * failed or the stream ended inside a frame; SDP_READ_BAD: a wrong CRC, a
 * reserved field that is not 0 or a payload larger than SDP_MAX_PAYLOAD. */
int sdp_read(int fd, uint16_t* type, Buffer* payload);

/* "key=value\n" lines: add one (value NULL adds nothing; a newline in a
 * value is written as a space), or find one (malloc'ed value, or NULL). */
void sdp_kv_add(Buffer* out, const char* key, const char* value);
char* sdp_kv_get(const char* text, const char* key);

/* Connect to "unix:PATH" or "HOST:PORT" (numeric IPv4/IPv6 host, e.g.
 * 127.0.0.1:9103).  Returns the socket, or -1 with *message (malloc'ed). */
int sdp_connect(const char* address, char** message);

#endif
