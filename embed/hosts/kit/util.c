/* util.c -- helpers shared by the programs that load plugins. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "util.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static void out_of_memory(void)
{
  fprintf(stderr, "%s: out of memory\n", program_invocation_short_name);
  abort();
}

void* xmalloc(size_t size)
{
  void* memory = malloc(size ? size : 1);
  if (!memory) out_of_memory();
  return memory;
}

void* xcalloc(size_t count, size_t size)
{
  void* memory = calloc(count ? count : 1, size ? size : 1);
  if (!memory) out_of_memory();
  return memory;
}

void* xrealloc(void* memory, size_t size)
{
  void* bigger = realloc(memory, size ? size : 1);
  if (!bigger) out_of_memory();
  return bigger;
}

char* xstrdup(const char* text)
{
  return xstrndup(text, strlen(text));
}

char* xstrndup(const char* text, size_t length)
{
  char* copy = xmalloc(length + 1);
  memcpy(copy, text, length);
  copy[length] = '\0';
  return copy;
}

char* xvasprintf(const char* format, va_list args)
{
  va_list again;
  va_copy(again, args);
  int length = vsnprintf(NULL, 0, format, args);
  if (length < 0) {
    va_end(again);
    return xstrdup("(unformattable message)");
  }
  char* text = xmalloc((size_t)length + 1);
  vsnprintf(text, (size_t)length + 1, format, again);
  va_end(again);
  return text;
}

char* xasprintf(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  return text;
}

/* -- buffers ----------------------------------------------------------------- */

void buffer_init(Buffer* buffer)
{
  buffer->data = NULL;
  buffer->length = 0;
  buffer->capacity = 0;
}

void buffer_free(Buffer* buffer)
{
  free(buffer->data);
  buffer_init(buffer);
}

void buffer_clear(Buffer* buffer)
{
  buffer->length = 0;
  if (buffer->data) buffer->data[0] = '\0';
}

void buffer_reserve(Buffer* buffer, size_t extra)
{
  size_t needed = buffer->length + extra + 1;
  if (needed <= buffer->capacity) return;
  size_t capacity = buffer->capacity ? buffer->capacity : 64;
  while (capacity < needed) capacity *= 2;
  buffer->data = xrealloc(buffer->data, capacity);
  buffer->capacity = capacity;
}

void buffer_append(Buffer* buffer, const void* data, size_t length)
{
  buffer_reserve(buffer, length);
  if (length) memcpy(buffer->data + buffer->length, data, length);
  buffer->length += length;
  buffer->data[buffer->length] = '\0';
}

void buffer_append_str(Buffer* buffer, const char* text)
{
  buffer_append(buffer, text, strlen(text));
}

void buffer_printf(Buffer* buffer, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  buffer_append_str(buffer, text);
  free(text);
}

char* buffer_steal(Buffer* buffer)
{
  buffer_reserve(buffer, 0);
  buffer->data[buffer->length] = '\0'; /* also when nothing was ever appended */
  char* data = buffer->data;
  buffer_init(buffer);
  return data;
}

/* -- hash table -------------------------------------------------------------- */

static uint64_t hash_bytes(const char* key)
{
  uint64_t hash = 1469598103934665603ULL; /* FNV-1a */
  for (const unsigned char* p = (const unsigned char*)key; *p; p++) {
    hash ^= *p;
    hash *= 1099511628211ULL;
  }
  return hash;
}

void hash_init(HashTable* table)
{
  table->bucket_count = 64;
  table->buckets = xcalloc(table->bucket_count, sizeof(HashEntry*));
  table->count = 0;
}

void hash_free(HashTable* table, void (*free_value)(void*))
{
  if (!table->buckets) return;
  for (size_t i = 0; i < table->bucket_count; i++) {
    HashEntry* entry = table->buckets[i];
    while (entry) {
      HashEntry* next = entry->next;
      if (free_value) free_value(entry->value);
      free(entry->key);
      free(entry);
      entry = next;
    }
  }
  free(table->buckets);
  table->buckets = NULL;
  table->bucket_count = 0;
  table->count = 0;
}

static HashEntry* hash_find(const HashTable* table, const char* key, uint64_t hash)
{
  for (HashEntry* entry = table->buckets[hash % table->bucket_count]; entry; entry = entry->next)
    if (entry->hash == hash && strcmp(entry->key, key) == 0) return entry;
  return NULL;
}

void* hash_get(const HashTable* table, const char* key)
{
  HashEntry* entry = hash_find(table, key, hash_bytes(key));
  return entry ? entry->value : NULL;
}

static void hash_grow(HashTable* table)
{
  size_t count = table->bucket_count * 4;
  HashEntry** buckets = xcalloc(count, sizeof(HashEntry*));
  for (size_t i = 0; i < table->bucket_count; i++) {
    HashEntry* entry = table->buckets[i];
    while (entry) {
      HashEntry* next = entry->next;
      entry->next = buckets[entry->hash % count];
      buckets[entry->hash % count] = entry;
      entry = next;
    }
  }
  free(table->buckets);
  table->buckets = buckets;
  table->bucket_count = count;
}

void* hash_put(HashTable* table, const char* key, void* value)
{
  uint64_t hash = hash_bytes(key);
  HashEntry* entry = hash_find(table, key, hash);
  if (entry) {
    void* previous = entry->value;
    entry->value = value;
    return previous;
  }
  if (table->count + 1 > table->bucket_count) hash_grow(table);
  entry = xmalloc(sizeof *entry);
  entry->key = xstrdup(key);
  entry->value = value;
  entry->hash = hash;
  entry->next = table->buckets[hash % table->bucket_count];
  table->buckets[hash % table->bucket_count] = entry;
  table->count++;
  return NULL;
}

void hash_each(const HashTable* table, void (*visit)(const char* key, void* value, void* data),
               void* data)
{
  for (size_t i = 0; i < table->bucket_count; i++)
    for (HashEntry* entry = table->buckets[i]; entry; entry = entry->next)
      visit(entry->key, entry->value, data);
}

char* hash_key_u64_pair(uint64_t first, uint64_t second, char out[34])
{
  snprintf(out, 34, "%016llx%016llx", (unsigned long long)first, (unsigned long long)second);
  return out;
}

/* -- text -------------------------------------------------------------------- */

size_t utf8_sequence_length(const unsigned char* text, size_t available)
{
  unsigned char first = text[0];
  if (first < 0x80) return available ? 1 : 0;
  size_t length;
  unsigned char low = 0x80, high = 0xBF; /* allowed range of the second byte */
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    if (first == 0xE0) low = 0xA0; /* overlong */
    if (first == 0xED) high = 0x9F; /* surrogates */
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    if (first == 0xF0) low = 0x90; /* overlong */
    if (first == 0xF4) high = 0x8F; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (available < length || text[1] < low || text[1] > high) return 0;
  for (size_t i = 2; i < length; i++)
    if (text[i] < 0x80 || text[i] > 0xBF) return 0;
  return length;
}

void escape_name(Buffer* out, const char* name)
{
  const unsigned char* p = (const unsigned char*)name;
  const unsigned char* end = p + strlen(name);
  while (*p) {
    if (*p == '\\') {
      buffer_append(out, "\\\\", 2);
      p++;
    } else if (*p == '\n') {
      buffer_append(out, "\\n", 2);
      p++;
    } else if (*p == '\t') {
      buffer_append(out, "\\t", 2);
      p++;
    } else if (*p < 0x20 || *p == 0x7F) {
      buffer_printf(out, "\\x%02x", *p);
      p++;
    } else {
      size_t length = utf8_sequence_length(p, (size_t)(end - p));
      if (length == 0) {
        buffer_printf(out, "\\x%02x", *p);
        p++;
      } else {
        buffer_append(out, p, length);
        p += length;
      }
    }
  }
}

void fputs_escaped(const char* name, FILE* stream)
{
  Buffer text;
  buffer_init(&text);
  escape_name(&text, name);
  if (text.data) fputs(text.data, stream);
  buffer_free(&text);
}

void format_time(time_t when, char out[32])
{
  struct tm local;
  if (!localtime_r(&when, &local)) {
    snprintf(out, 32, "@%lld", (long long)when);
    return;
  }
  strftime(out, 32, "%Y-%m-%d %H:%M:%S", &local);
}

void format_mode(unsigned mode, char out[11])
{
  char type = '?';
  switch (mode & S_IFMT) {
    case S_IFREG: type = '-'; break;
    case S_IFDIR: type = 'd'; break;
    case S_IFLNK: type = 'l'; break;
    case S_IFIFO: type = 'p'; break;
    case S_IFCHR: type = 'c'; break;
    case S_IFBLK: type = 'b'; break;
    case S_IFSOCK: type = 's'; break;
    default: break;
  }
  out[0] = type;
  const char* letters = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) out[1 + i] = (mode & (0400u >> i)) ? letters[i] : '-';
  if (mode & S_ISUID) out[3] = (mode & S_IXUSR) ? 's' : 'S';
  if (mode & S_ISGID) out[6] = (mode & S_IXGRP) ? 's' : 'S';
  if (mode & S_ISVTX) out[9] = (mode & S_IXOTH) ? 't' : 'T';
  out[10] = '\0';
}

double monotonic_seconds(void)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int make_directories(const char* path)
{
  char* copy = xstrdup(path);
  size_t length = strlen(copy);
  while (length > 1 && copy[length - 1] == '/') copy[--length] = '\0';
  for (char* p = copy + 1; ; p++) {
    if (*p == '/' || *p == '\0') {
      char saved = *p;
      *p = '\0';
      if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
        int error = errno;
        free(copy);
        errno = error;
        return -1;
      }
      *p = saved;
      if (saved == '\0') break;
    }
  }
  struct stat st;
  int rc = stat(copy, &st);
  free(copy);
  if (rc != 0) return -1;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

static int remove_one(const char* path, const struct stat* st, int flag, struct FTW* ftw)
{
  (void)st, (void)flag, (void)ftw;
  if (remove(path) != 0 && errno != ENOENT) return -1;
  return 0;
}

int remove_tree(const char* path)
{
  return nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS);
}

bool ends_with(const char* text, const char* suffix)
{
  size_t length = strlen(text), suffix_length = strlen(suffix);
  return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}
