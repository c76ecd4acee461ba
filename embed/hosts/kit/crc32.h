/* crc32.h -- CRC-32 (the ISO-HDLC/zlib one), the per-record check of the archive:
 * crc32(0, data, n) equals Python's zlib.crc32(data). */
#ifndef BAREOSPY_KIT_CRC32_H
#define BAREOSPY_KIT_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0. */
uint32_t crc32(uint32_t crc, const void* data, size_t length);

#endif
