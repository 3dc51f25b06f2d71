#include "pcapng_dsb.h"
#include "cursor.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_DSB 0x0000000Au
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
/* A secrets block larger than this is not a key log anyone wrote. */
#define MAX_DSB (64u << 20)

static uint32_t get32(const uint8_t *p, bool swap)
{
    tnt_cursor c;
    uint32_t v = 0;
    tnt_cursor_init(&c, p, 4);
    tnt_get_u32(&c, &v);
    if (swap)
        v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
    return v;
}

pcapng_dsb_result pcapng_read_secrets(const char *path, pcapng_secrets_cb cb, void *user, char *err,
                                      size_t errcap)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errcap, "not a regular file");
        return PCAPNG_DSB_UNREADABLE;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open");
        return PCAPNG_DSB_UNREADABLE;
    }
    pcapng_dsb_result res = PCAPNG_DSB_OK;
    /* Multi-byte fields are read big-endian by the cursor; "swap" is set when
     * the section is little-endian, which is the common case. */
    bool swap = false;
    bool first = true;
    uint8_t hdr[12];
    for (;;) {
        long at = ftell(f);
        size_t got = fread(hdr, 1, 8, f);
        if (got == 0)
            break;
        if (got < 8) {
            if (!first) {
                snprintf(err, errcap, "truncated block header at offset %ld", at);
                res = PCAPNG_DSB_DAMAGED;
            } else {
                res = PCAPNG_DSB_NOT_PCAPNG;
            }
            break;
        }
        uint32_t type_raw = get32(hdr, false);
        if (type_raw == BT_SHB) {
            if (fread(hdr + 8, 1, 4, f) != 4) {
                res = first ? PCAPNG_DSB_NOT_PCAPNG : PCAPNG_DSB_DAMAGED;
                snprintf(err, errcap, "truncated section header at offset %ld", at);
                break;
            }
            uint32_t magic = get32(hdr + 8, false);
            if (magic == BYTE_ORDER_MAGIC)
                swap = false;
            else if (get32(hdr + 8, true) == BYTE_ORDER_MAGIC)
                swap = true;
            else {
                res = first ? PCAPNG_DSB_NOT_PCAPNG : PCAPNG_DSB_DAMAGED;
                snprintf(err, errcap, "bad byte-order magic at offset %ld", at);
                break;
            }
            if (fseek(f, at + 8, SEEK_SET) != 0)
                break;
        } else if (first) {
            res = PCAPNG_DSB_NOT_PCAPNG;
            break;
        }
        first = false;
        uint32_t type = get32(hdr, swap);
        uint32_t len = get32(hdr + 4, swap);
        if (len < 12 || len % 4 != 0 || (uint64_t)at + len > (uint64_t)st.st_size) {
            snprintf(err, errcap, "block at offset %ld has a bad length %u", at, len);
            res = PCAPNG_DSB_DAMAGED;
            break;
        }
        if (type == BT_DSB && len >= 20 && len - 12 <= MAX_DSB) {
            size_t body_len = len - 12;
            uint8_t *body = malloc(body_len);
            if (!body || fread(body, 1, body_len, f) != body_len) {
                free(body);
                snprintf(err, errcap, "cannot read block at offset %ld", at);
                res = PCAPNG_DSB_DAMAGED;
                break;
            }
            uint32_t stype = get32(body, swap);
            uint32_t slen = get32(body + 4, swap);
            if ((uint64_t)slen + 8 > body_len) {
                snprintf(err, errcap, "secrets block at offset %ld overruns itself", at);
                res = PCAPNG_DSB_DAMAGED;
            } else if (cb) {
                cb(user, stype, body + 8, slen);
            }
            free(body);
        }
        if (fseek(f, at + (long)len, SEEK_SET) != 0) {
            res = PCAPNG_DSB_DAMAGED;
            break;
        }
    }
    fclose(f);
    return res;
}
