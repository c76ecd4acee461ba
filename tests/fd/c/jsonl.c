/* jsonl.c -- the driver's output: one JSON object per line on stdout, each
 * written whole (atomically among threads).  Bytes that are not UTF-8, and
 * control bytes, appear as \u00XX.  What these lines say is the tests'
 * contract (tests/fd/conftest.py reads them). */
#include "driver.h"

#include <stdio.h>
#include <string.h>

static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;
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


void j_raw(Json* j, const char* s, size_t n) { bytes_add(&j->b, s, n); }
void j_rawz(Json* j, const char* s) { j_raw(j, s, strlen(s)); }

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_sequence(const unsigned char* s, size_t n)
{
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else
    return 0;
  if (n < len) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return len;
}

static void j_string(Json* j, const char* s, size_t n)
{
  const unsigned char* u = (const unsigned char*)s;
  char esc[8];
  j_raw(j, "\"", 1);
  for (size_t i = 0; i < n;) {
    unsigned char c = u[i];
    if (c == '"') {
      j_raw(j, "\\\"", 2);
      i++;
    } else if (c == '\\') {
      j_raw(j, "\\\\", 2);
      i++;
    } else if (c == '\n') {
      j_raw(j, "\\n", 2);
      i++;
    } else if (c == '\t') {
      j_raw(j, "\\t", 2);
      i++;
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      j_raw(j, esc, 6);
      i++;
    } else if (c < 0x80) {
      j_raw(j, (const char*)u + i, 1);
      i++;
    } else {
      size_t len = utf8_sequence(u + i, n - i);
      if (len) {
        j_raw(j, (const char*)u + i, len);
        i += len;
      } else {
        snprintf(esc, sizeof esc, "\\u%04x", c);
        j_raw(j, esc, 6);
        i++;
      }
    }
  }
  j_raw(j, "\"", 1);
}

void j_key(Json* j, const char* key)
{
  if (j->comma) j_raw(j, ",", 1);
  j_string(j, key, strlen(key));
  j_raw(j, ":", 1);
  j->comma = true;
}

void j_begin(Json* j)
{
  memset(j, 0, sizeof *j);
  j_raw(j, "{", 1);
}

void j_str(Json* j, const char* key, const char* value)
{
  j_key(j, key);
  if (value)
    j_string(j, value, strlen(value));
  else
    j_rawz(j, "null");
}

void j_strn(Json* j, const char* key, const char* value, size_t n)
{
  j_key(j, key);
  if (value)
    j_string(j, value, n);
  else
    j_rawz(j, "null");
}

void j_int(Json* j, const char* key, long long value)
{
  char text[32];
  snprintf(text, sizeof text, "%lld", value);
  j_key(j, key);
  j_rawz(j, text);
}

void j_uint(Json* j, const char* key, unsigned long long value)
{
  char text[32];
  snprintf(text, sizeof text, "%llu", value);
  j_key(j, key);
  j_rawz(j, text);
}

void j_bool(Json* j, const char* key, bool value)
{
  j_key(j, key);
  j_rawz(j, value ? "true" : "false");
}

void j_null(Json* j, const char* key)
{
  j_key(j, key);
  j_rawz(j, "null");
}

/* Finish the object and write it as one line (atomically among threads). */
void j_end(Json* j)
{
  j_raw(j, "}\n", 2);
  pthread_mutex_lock(&output_lock);
  fwrite(j->b.p, 1, j->b.len, stdout);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
  bytes_free(&j->b);
}

void print_error(const char* stage, const char* text)
{
  Json j;
  j_begin(&j);
  j_str(&j, "error", text);
  j_str(&j, "stage", stage);
  j_end(&j);
}
