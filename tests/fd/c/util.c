/* util.c -- the driver's small utilities: allocation that exits on failure,
 * growing byte buffers, printf into a new string, SHA-256 of the data that
 * passes through (the reference host's embed/hosts/fd/sha256.c, compiled in
 * by the test fixture) and FileSet option bits. */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
  fputs("{\"error\":\"driver: out of memory\"}\n", stdout);
  fflush(stdout);
  exit(70);
}

void* xmalloc(size_t size)
{
  void* p = malloc(size ? size : 1);
  if (!p) out_of_memory();
  return p;
}

void* xrealloc(void* old, size_t size)
{
  void* p = realloc(old, size ? size : 1);
  if (!p) out_of_memory();
  return p;
}

char* xstrdup(const char* s)
{
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char* copy = xmalloc(n);
  memcpy(copy, s, n);
  return copy;
}


/* A malloc'd copy of n bytes (at least one byte is allocated). */
void* xmemdup(const void* data, size_t n)
{
  void* copy = xmalloc(n);
  if (n) memcpy(copy, data, n);
  return copy;
}

void bytes_add(Bytes* b, const void* data, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = 0;
}

void bytes_free(Bytes* b)
{
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

/* printf into a new malloc'd string. */
char* vformat(const char* fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return xstrdup("(unformattable message)");
  char* text = xmalloc((size_t)n + 1);
  vsnprintf(text, (size_t)n + 1, fmt, ap);
  return text;
}

/* SHA-256 of the data that passes through: the reference host's own
 * implementation (embed/hosts/fd/sha256.c, compiled in by the test fixture). */

void sha_hex(Sha256* s, char out[65])
{
  unsigned char digest[SHA256_DIGEST_SIZE];
  sha256_final(s, digest);
  sha256_hex(digest, out);
}

void sha_of(const void* data, size_t n, char out[65])
{
  Sha256 s;
  sha256_init(&s);
  sha256_update(&s, data, n);
  sha_hex(&s, out);
}

bool flag_set(const char flags[FOPTS_BYTES], int bit)
{
  return (flags[bit >> 3] & (1 << (bit & 7))) != 0;
}

void set_flag(unsigned char flags[FOPTS_BYTES], int bit)
{
  flags[bit >> 3] = (unsigned char)(flags[bit >> 3] | (1 << (bit & 7)));
}
