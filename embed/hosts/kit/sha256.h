/* sha256.h -- SHA-256 (FIPS 180-4), for the programs that load plugins. */
#ifndef BAREOSPY_KIT_SHA256_H
#define BAREOSPY_KIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

typedef struct Sha256 {
  uint32_t state[8];
  uint64_t total;        /* bytes hashed so far */
  unsigned char block[64];
  size_t used;           /* bytes waiting in block */
} Sha256;

void sha256_init(Sha256* context);
void sha256_update(Sha256* context, const void* data, size_t length);
void sha256_final(Sha256* context, unsigned char digest[SHA256_DIGEST_SIZE]);
/* The digest as 64 lower-case hex digits (out: 65 bytes). */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_SIZE], char out[65]);

#endif
