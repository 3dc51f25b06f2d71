#include "pcapng_dsb.h"
#include "tnt/cursor.h"
#include "pcapng_reader.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BT_DSB 0x0000000Au
/* A secrets block larger than this is not a key log anyone wrote. */
#define MAX_DSB (64u << 20)

/* The file is mapped rather than read: the walk (pcapng_reader.c's, the one
 * block walker) touches only block headers, and on a capture of small
 * packets seeking and refilling a stdio buffer per block cost more than
 * reading the packets themselves. */
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
    pcapng_reader r;
    pcapng_reader_init(&r, map, size, true);
    for (;;) {
        uint32_t type;
        tnt_cursor body;
        size_t at;
        pcapng_next_result b = pcapng_reader_block(&r, &type, &body, &at);
        if (b == PCAPNG_END)
            break;
        if (b == PCAPNG_ERROR) {
            snprintf(err, errcap, "%s", r.err);
            res = r.started ? PCAPNG_DSB_DAMAGED : PCAPNG_DSB_NOT_PCAPNG;
            break;
        }
        if (type != BT_DSB)
            continue;
        uint32_t stype, slen;
        if (!pcapng_reader_get32(&r, &body, &stype) || !pcapng_reader_get32(&r, &body, &slen) ||
            slen > tnt_cursor_len(&body)) {
            snprintf(err, errcap, "secrets block at offset %zu overruns itself", at);
            res = PCAPNG_DSB_DAMAGED;
            continue;
        }
        if (slen > MAX_DSB) {
            snprintf(err, errcap,
                     "secrets block at offset %zu holds %u bytes of secrets, more than the "
                     "64 MiB limit",
                     at, slen);
            res = PCAPNG_DSB_DAMAGED;
            continue;
        }
        if (cb)
            cb(user, stype, tnt_cursor_data(&body), slen);
    }
    pcapng_reader_free(&r);
    munmap((void *)map, size);
    return res;
}
