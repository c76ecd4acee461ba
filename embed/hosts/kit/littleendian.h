/* littleendian.h -- reading and writing little-endian integers in byte
 * arrays, whatever the machine's byte order (archives, stat records). */
#ifndef BAREOSPY_KIT_LITTLEENDIAN_H
#define BAREOSPY_KIT_LITTLEENDIAN_H

#include <stdint.h>

static inline uint16_t get_le16(const unsigned char* p)
{
  return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const unsigned char* p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const unsigned char* p)
{
  return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(unsigned char* p, uint16_t value)
{
  p[0] = (unsigned char)value;
  p[1] = (unsigned char)(value >> 8);
}

static inline void put_le32(unsigned char* p, uint32_t value)
{
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(value >> (8 * i));
}

static inline void put_le64(unsigned char* p, uint64_t value)
{
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(value >> (8 * i));
}

#endif
