/* sdproto.c -- frames of the bareospy-sd protocol (docs/sd-protocol.md). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sdproto.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "crc32.h"
#include "littleendian.h"

static int write_all(int fd, const void* data, size_t length)
{
  const char* p = data;
  while (length > 0) {
    ssize_t n = send(fd, p, length, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = write(fd, p, length);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    length -= (size_t)n;
  }
  return 0;
}

/* 1 when all read, 0 at end of stream before any byte, -1 otherwise. */
static int read_all(int fd, void* data, size_t length)
{
  char* p = data;
  size_t got = 0;
  while (got < length) {
    ssize_t n = read(fd, p + got, length - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return got == 0 ? 0 : -1;
    got += (size_t)n;
  }
  return 1;
}

int sdp_write(int fd, uint16_t type, const void* payload, size_t length)
{
  if (length > SDP_MAX_PAYLOAD) {
    errno = EMSGSIZE;
    return -1;
  }
  unsigned char header[SDP_HEADER_SIZE];
  put_le16(header, type);
  put_le16(header + 2, 0);
  put_le32(header + 4, (uint32_t)length);
  put_le32(header + 8, crc32(0, payload, length));
  if (write_all(fd, header, sizeof header) != 0) return -1;
  return length ? write_all(fd, payload, length) : 0;
}

int sdp_read(int fd, uint16_t* type, Buffer* payload)
{
  buffer_clear(payload);
  unsigned char header[SDP_HEADER_SIZE];
  int r = read_all(fd, header, sizeof header);
  if (r == 0) return SDP_READ_EOF;
  if (r < 0) return SDP_READ_IO;
  uint32_t length = get_le32(header + 4);
  if (get_le16(header + 2) != 0 || length > SDP_MAX_PAYLOAD) return SDP_READ_BAD;
  buffer_reserve(payload, length + 1);
  if (length && read_all(fd, payload->data, length) != 1) return SDP_READ_IO;
  payload->length = length;
  payload->data[length] = '\0';
  if (crc32(0, payload->data, length) != get_le32(header + 8)) return SDP_READ_BAD;
  *type = get_le16(header);
  return SDP_READ_OK;
}

void sdp_kv_add(Buffer* out, const char* key, const char* value)
{
  if (!value) return;
  buffer_append_str(out, key);
  buffer_append(out, "=", 1);
  for (const char* p = value; *p; p++) buffer_append(out, *p == '\n' ? " " : p, 1);
  buffer_append(out, "\n", 1);
}

char* sdp_kv_get(const char* text, const char* key)
{
  size_t key_length = strlen(key);
  for (const char* line = text; line && *line;) {
    const char* end = strchr(line, '\n');
    size_t length = end ? (size_t)(end - line) : strlen(line);
    if (length > key_length && strncmp(line, key, key_length) == 0 && line[key_length] == '=')
      return xstrndup(line + key_length + 1, length - key_length - 1);
    line = end ? end + 1 : NULL;
  }
  return NULL;
}

static int connect_unix(const char* path, char** message)
{
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof address.sun_path) {
    *message = xasprintf("socket path too long: %s", path);
    return -1;
  }
  strcpy(address.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr*)&address, sizeof address) != 0) {
    *message = xasprintf("cannot connect to unix:%s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

int sdp_connect(const char* address, char** message)
{
  *message = NULL;
  if (strncmp(address, "unix:", 5) == 0) return connect_unix(address + 5, message);
  const char* colon = strrchr(address, ':');
  if (!colon || colon == address || !colon[1]) {
    *message = xasprintf("bad storage address '%s' (unix:PATH or HOST:PORT)", address);
    return -1;
  }
  char* host = xstrndup(address, (size_t)(colon - address));
  if (host[0] == '[' && host[strlen(host) - 1] == ']') {
    memmove(host, host + 1, strlen(host));
    host[strlen(host) - 1] = '\0';
  }
  struct addrinfo hints, *found = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  int rc = getaddrinfo(host, colon + 1, &hints, &found);
  free(host);
  if (rc != 0) {
    *message = xasprintf("bad storage address '%s': %s", address, gai_strerror(rc));
    return -1;
  }
  int fd = socket(found->ai_family, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    *message = xasprintf("cannot connect to %s: %s", address, strerror(errno));
    if (fd >= 0) close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  return fd;
}
