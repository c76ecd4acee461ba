/* util.c -- the driver's own small helpers, on top of the kit's (kit/util.h:
 * xmalloc, xstrdup, xvasprintf, Buffer): copies that keep NULL, SHA-256 hex
 * digests, FileSet option bits, the thread labels of the JSON lines and the
 * line of a driver failure. */
#include "driver.h"

#include <string.h>

char* xstrdup_or_null(const char* text) { return text ? xstrdup(text) : NULL; }

void* xmemdup(const void* data, size_t n)
{
  void* copy = xmalloc(n);
  if (n) memcpy(copy, data, n);
  return copy;
}

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

static pthread_key_t thread_label_key;

/* Before any other call: the main thread is thread 0. */
void thread_labels_init(void)
{
  pthread_key_create(&thread_label_key, NULL);
  set_thread_label(0);
}

/* A small number naming the calling thread: 0 main, 1 cancel, 1..N workers. */
int thread_label(void) { return (int)(intptr_t)pthread_getspecific(thread_label_key); }
void set_thread_label(int label) { pthread_setspecific(thread_label_key, (void*)(intptr_t)label); }

void print_error(const char* stage, const char* text)
{
  Json j;
  j_begin(&j);
  j_str(&j, "error", text);
  j_str(&j, "stage", stage);
  j_end(&j);
}
