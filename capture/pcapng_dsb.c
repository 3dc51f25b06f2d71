#include "pcapng_dsb.h"
#include "cursor.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_DSB 0x0000000Au
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
/* A secrets block larger than this is not a key log anyone wrote. */
#define MAX_DSB (64u << 20)

static uint32_t swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

/* Multi-byte fields are read big-endian by the cursor; swap is set when the
 * section is little-endian, which is the common case. */
static bool get32(tnt_cursor *c, bool swap, uint32_t *v)
{
    if (!tnt_get_u32(c, v))
        return false;
    if (swap)
        *v = swap32(*v);
    return true;
}

/* The file is mapped rather than read: the walk touches only block headers,
 * and on a capture of small packets seeking and refilling a stdio buffer per
 * block cost more than reading the packets themselves. */
pcapng_dsb_result pcapng_read_secrets(const char *path, pcapng_secrets_cb cb, void *user, char *err,
                                      size_t errcap)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        snprintf(err, errcap, "not a readable regular file");
        return PCAPNG_DSB_UNREADABLE;
    }
    if (st.st_size < 12) {
        close(fd);
        return PCAPNG_DSB_NOT_PCAPNG;
    }
    size_t size = (size_t)st.st_size;
    const uint8_t *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        snprintf(err, errcap, "cannot map the file");
        return PCAPNG_DSB_UNREADABLE;
    }
    madvise((void *)map, size, MADV_SEQUENTIAL);

    pcapng_dsb_result res = PCAPNG_DSB_OK;
    tnt_cursor file;
    tnt_cursor_init(&file, map, size);
    bool swap = false, first = true;
    size_t released = 0;
    const size_t window = 2u << 20;
    while (tnt_cursor_len(&file) > 0) {
        /* A position in size_t: files past 4 GiB are ordinary, and the
         * cursor's offsets are 32-bit. */
        size_t at = (size_t)(tnt_cursor_data(&file) - map);
        /* Give back what has been walked past, so that the pages touched
         * for the headers never add up to the file's size in memory. */
        if (at - released >= 2 * window && released + window <= size) {
            madvise((void *)(map + released), window, MADV_DONTNEED);
            released += window;
        }
        tnt_cursor peek = file;
        uint32_t type_raw;
        if (!tnt_get_u32(&peek, &type_raw)) {
            snprintf(err, errcap, "truncated block header at offset %zu", at);
            res = first ? PCAPNG_DSB_NOT_PCAPNG : PCAPNG_DSB_DAMAGED;
            break;
        }
        if (type_raw == BT_SHB) {
            uint32_t len_raw, magic;
            if (!tnt_get_u32(&peek, &len_raw) || !tnt_get_u32(&peek, &magic)) {
                snprintf(err, errcap, "truncated section header at offset %zu", at);
                res = first ? PCAPNG_DSB_NOT_PCAPNG : PCAPNG_DSB_DAMAGED;
                break;
            }
            if (magic == BYTE_ORDER_MAGIC)
                swap = false;
            else if (swap32(magic) == BYTE_ORDER_MAGIC)
                swap = true;
            else {
                snprintf(err, errcap, "bad byte-order magic at offset %zu", at);
                res = first ? PCAPNG_DSB_NOT_PCAPNG : PCAPNG_DSB_DAMAGED;
                break;
            }
        } else if (first) {
            res = PCAPNG_DSB_NOT_PCAPNG;
            break;
        }
        first = false;
        tnt_cursor hdr = file;
        uint32_t type, len;
        get32(&hdr, swap, &type);
        if (!get32(&hdr, swap, &len) || len < 12 || len % 4 != 0) {
            snprintf(err, errcap, "block at offset %zu has a bad length", at);
            res = PCAPNG_DSB_DAMAGED;
            break;
        }
        tnt_cursor block;
        if (!tnt_get_sub(&file, &block, len)) {
            snprintf(err, errcap, "block at offset %zu runs past the end of the file", at);
            res = PCAPNG_DSB_DAMAGED;
            break;
        }
        if (type != BT_DSB)
            continue;
        tnt_cursor body;
        uint32_t stype, slen;
        tnt_skip(&block, 8);
        if (!tnt_get_sub(&block, &body, len - 12) || !get32(&body, swap, &stype) ||
            !get32(&body, swap, &slen) || slen > MAX_DSB || slen > tnt_cursor_len(&body)) {
            snprintf(err, errcap, "secrets block at offset %zu overruns itself", at);
            res = PCAPNG_DSB_DAMAGED;
            continue;
        }
        if (cb)
            cb(user, stype, tnt_cursor_data(&body), slen);
    }
    munmap((void *)map, size);
    return res;
}
