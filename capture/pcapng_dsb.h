/* Decryption Secrets Blocks (pcapng, block type 0x0000000A).
 *
 * libpcap reads pcapng but skips these blocks, so tntdump finds them itself
 * with one pass over the block headers before decoding: a DSB may stand
 * anywhere in the file, and its keys may be needed by packets before it. */
#ifndef TNTDUMP_PCAPNG_DSB_H
#define TNTDUMP_PCAPNG_DSB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPNG_SECRETS_TLS_KEYLOG 0x544c534bu /* "TLSK" */

typedef void (*pcapng_secrets_cb)(void *user, uint32_t secrets_type, const uint8_t *data,
                                  size_t len);

typedef enum pcapng_dsb_result {
    PCAPNG_DSB_OK,         /* a pcapng file, read to the end */
    PCAPNG_DSB_NOT_PCAPNG, /* another format (classic pcap): nothing to do */
    PCAPNG_DSB_DAMAGED,    /* a malformed block: secrets before it were delivered */
    PCAPNG_DSB_UNREADABLE, /* could not open or read (or not a regular file) */
} pcapng_dsb_result;

/* Calls cb for every DSB of the file. err receives a one-line reason for
 * DAMAGED and UNREADABLE. */
pcapng_dsb_result pcapng_read_secrets(const char *path, pcapng_secrets_cb cb, void *user, char *err,
                                      size_t errcap);

#endif
