/* jsonl.c -- JSON objects written as single lines. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "jsonl.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;

void j_raw(Json* j, const char* text, size_t length) { buffer_append(&j->text, text, length); }

void j_rawz(Json* j, const char* text) { j_raw(j, text, strlen(text)); }

/* The JSON escape of one byte that cannot stand as itself. */
static void j_escape_byte(Json* j, unsigned char byte)
{
  char escape[8];
  snprintf(escape, sizeof escape, "\\u%04x", byte);
  j_raw(j, escape, 6);
}

void j_string(Json* j, const char* text, size_t length)
{
  const unsigned char* bytes = (const unsigned char*)text;
  j_raw(j, "\"", 1);
  for (size_t i = 0; i < length;) {
    unsigned char byte = bytes[i];
    size_t sequence = 1;
    if (byte == '"')
      j_raw(j, "\\\"", 2);
    else if (byte == '\\')
      j_raw(j, "\\\\", 2);
    else if (byte == '\n')
      j_raw(j, "\\n", 2);
    else if (byte == '\t')
      j_raw(j, "\\t", 2);
    else if (byte < 0x20 || byte == 0x7f)
      j_escape_byte(j, byte);
    else if ((sequence = utf8_sequence_length(bytes + i, length - i)) != 0)
      j_raw(j, text + i, sequence);
    else {
      j_escape_byte(j, byte);
      sequence = 1;
    }
    i += sequence;
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
  buffer_init(&j->text);
  j->comma = false;
  j_raw(j, "{", 1);
}

void j_end(Json* j)
{
  j_raw(j, "}\n", 2);
  pthread_mutex_lock(&output_lock);
  fwrite(j->text.data, 1, j->text.length, stdout);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
  j_discard(j);
}

void j_discard(Json* j)
{
  buffer_free(&j->text);
  j->comma = false;
}

void j_str(Json* j, const char* key, const char* value)
{
  j_strn(j, key, value, value ? strlen(value) : 0);
}

void j_strn(Json* j, const char* key, const char* value, size_t length)
{
  j_key(j, key);
  if (value)
    j_string(j, value, length);
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

/* A number's JSON text (JSON has no NaN or infinity: null). */
static void j_number(Json* j, double value)
{
  char text[32];
  if (isfinite(value))
    snprintf(text, sizeof text, "%.6g", value);
  else
    snprintf(text, sizeof text, "null");
  j_rawz(j, text);
}

void j_double(Json* j, const char* key, double value)
{
  j_key(j, key);
  j_number(j, value);
}

void j_doubles(Json* j, const char* key, const double* values, int count)
{
  j_key(j, key);
  j_raw(j, "[", 1);
  for (int i = 0; i < count; i++) {
    if (i) j_raw(j, ",", 1);
    j_number(j, values[i]);
  }
  j_raw(j, "]", 1);
}

void j_members(Json* j, const char* members)
{
  if (!members || !*members) return;
  if (j->comma) j_raw(j, ",", 1);
  j_rawz(j, members);
  j->comma = true;
}
