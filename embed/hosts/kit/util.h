/* util.h -- small helpers of the programs that load plugins (hosts, bench,
 * test driver): memory, growable byte buffers, a string-keyed hash table,
 * name escaping, time formatting, directories.
 */
#ifndef BAREOSPY_KIT_UTIL_H
#define BAREOSPY_KIT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Allocation that never returns NULL: on exhaustion the program prints
 * "<program>: out of memory" and aborts. */
void* xmalloc(size_t size);
void* xcalloc(size_t count, size_t size);
void* xrealloc(void* memory, size_t size);
char* xstrdup(const char* text);
char* xstrndup(const char* text, size_t length);
char* xasprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
char* xvasprintf(const char* format, va_list args);

/* A growable byte buffer; data is always NUL-terminated for convenience. */
typedef struct Buffer {
  char* data;
  size_t length;
  size_t capacity;
} Buffer;

void buffer_init(Buffer* buffer);
void buffer_free(Buffer* buffer);
void buffer_clear(Buffer* buffer);
void buffer_reserve(Buffer* buffer, size_t extra);
void buffer_append(Buffer* buffer, const void* data, size_t length);
void buffer_append_str(Buffer* buffer, const char* text);
void buffer_printf(Buffer* buffer, const char* format, ...) __attribute__((format(printf, 2, 3)));
/* Hand the contents over (NUL-terminated); the buffer is empty afterwards. */
char* buffer_steal(Buffer* buffer);

/* A hash table from NUL-terminated byte strings to pointers.  Keys are
 * copied; values are owned by the caller.  Not thread-safe. */
typedef struct HashEntry {
  char* key;
  void* value;
  uint64_t hash;
  struct HashEntry* next;
} HashEntry;

typedef struct HashTable {
  HashEntry** buckets;
  size_t bucket_count;
  size_t count;
} HashTable;

void hash_init(HashTable* table);
/* Free the table; free_value (may be NULL) is called on every value. */
void hash_free(HashTable* table, void (*free_value)(void*));
void* hash_get(const HashTable* table, const char* key);
/* Insert or replace; returns the previous value (or NULL). */
void* hash_put(HashTable* table, const char* key, void* value);
/* Visit every entry (order unspecified). */
void hash_each(const HashTable* table, void (*visit)(const char* key, void* value, void* data),
               void* data);

/* Binary-safe keys for a table: (dev, ino) pairs and the like. */
char* hash_key_u64_pair(uint64_t first, uint64_t second, char out[34]);

/* Length of the valid UTF-8 sequence at text (at most `available` bytes):
 * 1-4, or 0 if the bytes there are not UTF-8 (overlong forms, surrogates
 * and code points above U+10FFFF are not). */
size_t utf8_sequence_length(const unsigned char* text, size_t available);

/* A name as printable text: valid UTF-8 is kept, backslash, control
 * characters and bytes that are not UTF-8 become \\, \n, \t, \xHH. */
void escape_name(Buffer* out, const char* name);
/* Print an escaped name to a stream. */
void fputs_escaped(const char* name, FILE* stream);

/* "YYYY-MM-DD HH:MM:SS" in local time. */
void format_time(time_t when, char out[32]);
/* An ls-style mode string, e.g. "drwxr-xr-x" (out: 11 bytes). */
void format_mode(unsigned mode, char out[11]);
/* Monotonic seconds, for rates and progress. */
double monotonic_seconds(void);

/* Create a directory and its missing parents (mode 0777 & ~umask). */
int make_directories(const char* path);
/* Remove a directory tree (no symlinks followed).  0 on success. */
int remove_tree(const char* path);

/* Whether text ends with suffix. */
bool ends_with(const char* text, const char* suffix);

#endif
