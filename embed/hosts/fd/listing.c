/* listing.c -- the list command and the ls-style lines it shares with
 * estimate --listing. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "bareospy/consts.h"
#include "host.h"
#include "kit/util.h"

void format_listing_line(Buffer* out, unsigned mode, int type, long long size, long long mtime,
                         const char* name, const char* link)
{
  char mode_text[11];
  char time_text[32];
  if (type == FT_DELETED)
    strcpy(mode_text, "----------");
  else
    format_mode(mode, mode_text);
  if (type == FT_DELETED)
    strcpy(time_text, "-                  ");
  else
    format_time((time_t)mtime, time_text);
  buffer_printf(out, "%s %-9s %12lld %s\t", mode_text, file_type_name(type), size, time_text);
  escape_name(out, name);
  if (link) {
    buffer_append_str(out, " -> ");
    escape_name(out, link);
  }
  buffer_append(out, "\n", 1);
}

typedef struct ListState {
  Buffer line;
  uint64_t entries, objects, deleted, bytes;
} ListState;

static void on_entry(void* data, const EntryInfo* entry)
{
  ListState* state = data;
  buffer_clear(&state->line);
  const char* link = (entry->type == FT_LNK || entry->type == FT_LNKSAVED) ? entry->link : NULL;
  format_listing_line(&state->line, entry->st.st_mode, entry->type, (long long)entry->st.st_size,
                      (long long)entry->st.st_mtime, entry->name, link);
  fputs(state->line.data, stdout);
  state->entries++;
}

static void on_data_end(void* data, uint64_t size, int read_error)
{
  (void)read_error;
  ((ListState*)data)->bytes += size;
}

static void on_object(void* data, const StoredObject* object)
{
  ListState* state = data;
  buffer_clear(&state->line);
  buffer_printf(&state->line, "# restore object %s, index %d, %u bytes, plugin ",
                file_type_name(object->type), object->index, object->length);
  escape_name(&state->line, object->plugin_name ? object->plugin_name : "");
  buffer_append_str(&state->line, ": ");
  escape_name(&state->line, object->name);
  buffer_append(&state->line, "\n", 1);
  fputs(state->line.data, stdout);
  state->objects++;
}

static void on_deleted(void* data, const char* name, int type)
{
  (void)type;
  ListState* state = data;
  buffer_clear(&state->line);
  format_listing_line(&state->line, 0, FT_DELETED, 0, 0, name, NULL);
  fputs(state->line.data, stdout);
  state->deleted++;
}

static void on_problem(void* data, const char* text)
{
  (void)data;
  fflush(stdout);
  fprintf(stderr, HOST_NAME ": %s\n", text);
}

/* The final status of the job that wrote the archive, from its end-of-job
 * record: "OK", "Error", "Fatal", "Canceled"; NULL if the record is missing
 * (the job did not end: the archive is truncated). */
static const char* final_job_status(const char* path, uint64_t* errors)
{
  ArchiveReader reader;
  char* error = NULL;
  if (archive_open(&reader, path, &error) != 0) {
    free(error);
    return NULL;
  }
  reader.skip_mask = (1u << REC_DATA) | (1u << REC_CATALOG) | (1u << REC_OBJECT);
  const char* text = NULL;
  RecordHeader header;
  for (;;) {
    ReadStatus status = archive_read(&reader, &header);
    if (status == READ_BAD_HEADER) {
      uint64_t from, to;
      if (!archive_resync(&reader, &from, &to)) break;
      continue;
    }
    if (status == READ_BAD_PAYLOAD) continue;
    if (status != READ_OK) break;
    if (header.type != REC_TRAILER) continue;
    TlvReader tlv;
    uint16_t tag;
    const unsigned char* value;
    uint32_t length;
    uint64_t code = 0;
    *errors = 0;
    tlv_start(&tlv, reader.payload.data, reader.payload.length);
    while (tlv_next(&tlv, &tag, &value, &length)) {
      if (tag == TRL_STATUS) code = tlv_u64(value, length);
      if (tag == TRL_ERRORS) *errors = tlv_u64(value, length);
    }
    switch (code) {
      case JS_Terminated:
      case JS_Warnings: text = "OK"; break;
      case JS_ErrorTerminated: text = "Error"; break;
      case JS_FatalError: text = "Fatal"; break;
      case JS_Canceled: text = "Canceled"; break;
      default: text = "unknown"; break;
    }
  }
  archive_close_reader(&reader);
  return text;
}

int run_list(const JobOptions* options)
{
  ArchiveSummary summary;
  char* error = NULL;
  if (archive_summarize(options->archive, &summary, NULL, &error) != 0) {
    fprintf(stderr, HOST_NAME ": %s\n", error);
    free(error);
    return EXIT_JOB_ERRORS;
  }
  char start[32];
  format_time(summary.start_time, start);
  printf("# archive %s: job %s, level %c, started %s", options->archive,
         summary.job_name ? summary.job_name : "?", summary.level ? summary.level : '?', start);
  if (summary.since) {
    char since[32];
    format_time(summary.since, since);
    printf(", since %s", since);
  }
  printf("%s\n", summary.accurate ? ", accurate" : "");
  archive_summary_free(&summary);
  uint64_t job_errors = 0;
  const char* job_status = final_job_status(options->archive, &job_errors);
  if (!job_status)
    printf("# job status: unknown (no end-of-job record: the job did not finish writing it)\n");
  else if (strcmp(job_status, "OK") != 0)
    printf("# job status: %s, %llu errors: THE BACKUP JOB DID NOT END OK, the archive may be incomplete\n",
           job_status, (unsigned long long)job_errors);
  else
    printf("# job status: OK\n");
  ListState state;
  memset(&state, 0, sizeof state);
  buffer_init(&state.line);
  WalkCallbacks callbacks;
  memset(&callbacks, 0, sizeof callbacks);
  callbacks.data = &state;
  callbacks.entry = on_entry;
  callbacks.data_end = on_data_end;
  callbacks.object = on_object;
  callbacks.deleted = on_deleted;
  callbacks.problem = on_problem;
  int problems = archive_walk(options->archive, &callbacks, &error);
  buffer_free(&state.line);
  if (problems < 0) {
    fprintf(stderr, HOST_NAME ": %s\n", error);
    free(error);
    return EXIT_JOB_ERRORS;
  }
  printf("# %llu entries, %llu bytes of data, %llu restore objects, %llu deleted files%s\n",
         (unsigned long long)state.entries, (unsigned long long)state.bytes,
         (unsigned long long)state.objects, (unsigned long long)state.deleted,
         problems ? "; THE ARCHIVE IS DAMAGED" : "");
  fflush(stdout);
  return problems ? EXIT_JOB_ERRORS : EXIT_OK;
}
