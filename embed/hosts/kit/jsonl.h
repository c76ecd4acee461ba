/* jsonl.h -- JSON lines: build one JSON object, then write it to stdout as
 * one line, atomically among threads.  Used by the test driver and the
 * bench, whose output Python reads line by line.
 *
 *   Json j;
 *   j_begin(&j);                      // "{"
 *   j_str(&j, "load", file);          // "load": "<file, escaped>"  (NULL -> null)
 *   j_int(&j, "rc", rc);
 *   j_key(&j, "events"); j_rawz(&j, "[1,2]");   // any value, written raw
 *   j_end(&j);                        // "}\n" to stdout, buffer freed
 *
 * Strings are escaped as JSON wants; bytes that are not UTF-8 (and control
 * characters) become \u00XX, so any C string gives a valid line.
 */
#ifndef BAREOSPY_KIT_JSONL_H
#define BAREOSPY_KIT_JSONL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef struct Json {
  Buffer text;
  bool comma; /* a member was written: the next one needs a ',' */
} Json;

void j_begin(Json* j);
/* Close the object and write it to stdout as one line (under a lock shared
 * by all threads), then free it. */
void j_end(Json* j);
/* Free an object without writing it. */
void j_discard(Json* j);

/* Members.  Each writes `"key":value`, preceded by ',' when needed. */
void j_str(Json* j, const char* key, const char* value);
void j_strn(Json* j, const char* key, const char* value, size_t length);
void j_int(Json* j, const char* key, long long value);
void j_uint(Json* j, const char* key, unsigned long long value);
void j_bool(Json* j, const char* key, bool value);
void j_null(Json* j, const char* key);
/* A number as printf "%.6g" (null if it is not finite). */
void j_double(Json* j, const char* key, double value);
/* An array of such numbers. */
void j_doubles(Json* j, const char* key, const double* values, int count);
/* Members already written as JSON text (`"a": 1, "b": 2`); NULL or "" adds nothing. */
void j_members(Json* j, const char* members);

/* Building blocks for other values: j_key writes `"key":` (with the ','),
 * then j_raw/j_rawz append the value's JSON text as is; j_string appends a
 * quoted, escaped string of `length` bytes. */
void j_key(Json* j, const char* key);
void j_raw(Json* j, const char* text, size_t length);
void j_rawz(Json* j, const char* text);
void j_string(Json* j, const char* text, size_t length);

#endif
