/* sd_test_client.c -- drives bareospy-sd through the kit's client library
 * (embed/hosts/kit/sdclient.h) for tests/sd/test_sd_host.py.
 *
 *   sd_test_client backup ADDRESS JOB [--pool P] [--client C] [--options S]
 *                  [--records N] [--size BYTES] [--stall-after K]
 *   sd_test_client restore ADDRESS JOB
 *
 * A backup sends N records of deterministic content (record i has a length
 * between BYTES/2 and BYTES and bytes derived from i); both commands print
 * "records=N", "bytes=N" and "sha256=HEX" of all records in order, so the
 * test compares a backup with its restore.  --stall-after K stops after K
 * records and waits (at most 10 minutes) to be killed.  Errors: one line on
 * stderr, exit status 1.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit/sdclient.h"
#include "kit/sha256.h"

static void record_content(Buffer* out, unsigned long index, unsigned long size)
{
  buffer_clear(out);
  unsigned long length = size / 2 + (index * 7919ul) % (size / 2 + 1);
  uint64_t x = 0x9E3779B97F4A7C15ull ^ (index + 1) * 0xBF58476D1CE4E5B9ull;
  for (unsigned long i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    unsigned char byte = (unsigned char)x;
    buffer_append(out, &byte, 1);
  }
}

static void print_totals(unsigned long records, unsigned long long bytes, Sha256* hash)
{
  unsigned char digest[SHA256_DIGEST_SIZE];
  char hex[65];
  sha256_final(hash, digest);
  sha256_hex(digest, hex);
  printf("records=%lu\nbytes=%llu\nsha256=%s\n", records, bytes, hex);
  fflush(stdout);
}

static int fail(const char* what, SdClient* sd)
{
  fprintf(stderr, "sd_test_client: %s: %s\n", what, sd_error(sd));
  sd_close(sd);
  return 1;
}

static int backup(SdClient* sd, SdJobInfo* info, unsigned long records, unsigned long size, long stall_after)
{
  if (sd_begin_backup(sd, info) != 0) return fail("backup", sd);
  Sha256 hash;
  sha256_init(&hash);
  Buffer record;
  buffer_init(&record);
  unsigned long long bytes = 0;
  for (unsigned long i = 0; i < records; i++) {
    if (stall_after >= 0 && (long)i == stall_after) {
      printf("stalled\n");
      fflush(stdout);
      for (int second = 0; second < 600; second++) sleep(1);
      break;
    }
    record_content(&record, i, size);
    sha256_update(&hash, record.data, record.length);
    bytes += record.length;
    if (sd_send_record(sd, record.data, record.length) != 0) {
      buffer_free(&record);
      return fail("sending a record", sd);
    }
  }
  buffer_free(&record);
  char* summary = NULL;
  if (sd_end_backup(sd, &summary) != 0) return fail("ending the backup", sd);
  fputs(summary, stdout);
  free(summary);
  print_totals(records, bytes, &hash);
  sd_close(sd);
  return 0;
}

static int restore(SdClient* sd, const char* job)
{
  if (sd_begin_restore(sd, job) != 0) return fail("restore", sd);
  Sha256 hash;
  sha256_init(&hash);
  Buffer record;
  buffer_init(&record);
  unsigned long records = 0;
  unsigned long long bytes = 0;
  int rc;
  while ((rc = sd_next_record(sd, &record)) == 1) {
    sha256_update(&hash, record.data, record.length);
    bytes += record.length;
    records++;
  }
  buffer_free(&record);
  if (rc < 0) {
    fprintf(stderr, "sd_test_client: after %lu records: %s\n", records, sd_error(sd));
    sd_close(sd);
    return 1;
  }
  print_totals(records, bytes, &hash);
  sd_close(sd);
  return 0;
}

int main(int argc, char** argv)
{
  if (argc < 4) {
    fprintf(stderr, "usage: sd_test_client backup|restore ADDRESS JOB [options]\n");
    return 2;
  }
  SdJobInfo info = {argv[3], NULL, NULL, "F", NULL};
  unsigned long records = 10, size = 1000;
  long stall_after = -1;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--pool") == 0) info.pool = argv[i + 1];
    else if (strcmp(argv[i], "--client") == 0) info.client = argv[i + 1];
    else if (strcmp(argv[i], "--options") == 0) info.plugin_options = argv[i + 1];
    else if (strcmp(argv[i], "--records") == 0) records = strtoul(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--size") == 0) size = strtoul(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--stall-after") == 0) stall_after = strtol(argv[i + 1], NULL, 10);
    else {
      fprintf(stderr, "sd_test_client: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  char* message = NULL;
  SdClient* sd = sd_open(argv[2], &message);
  if (!sd) {
    fprintf(stderr, "sd_test_client: %s\n", message);
    free(message);
    return 1;
  }
  if (strcmp(argv[1], "backup") == 0) return backup(sd, &info, records, size, stall_after);
  if (strcmp(argv[1], "restore") == 0) return restore(sd, argv[3]);
  fprintf(stderr, "sd_test_client: unknown command %s\n", argv[1]);
  sd_close(sd);
  return 2;
}
