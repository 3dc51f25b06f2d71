/* Decryption Secrets Blocks (capture/pcapng_dsb.c) at their size limit
 * (docs/robustness.md, "Limits"): a block carrying exactly 64 MiB of
 * secrets is read, one byte more is refused as damaged and said so, and a
 * block after it is still read. The files are written here, sparse, into
 * a temporary directory and removed. */
#include "check.h"

#include "pcapng_dsb.c"
#include "pcapng_reader.c"

#include <errno.h>

#define LIMIT (64u << 20)
#define KEYLINE "CLIENT_RANDOM 00 00\n"

static int fd_out;
static size_t at_out;

static void w32(uint32_t v)
{
    uint8_t b[4];
    memcpy(b, &v, 4); /* the file's byte order is the host's (byte-order magic) */
    if (pwrite(fd_out, b, 4, (off_t)at_out) != 4)
        abort();
    at_out += 4;
}

static void wbytes(const void *p, size_t n)
{
    if (pwrite(fd_out, p, n, (off_t)at_out) != (ssize_t)n)
        abort();
    at_out += n;
}

/* A DSB whose secrets are slen bytes: KEYLINE (when it fits), then zeros
 * (left as a hole). */
static void dsb(uint32_t slen)
{
    uint32_t padded = (slen + 3) & ~3u;
    uint32_t len = 8 + 8 + padded + 4; /* type and length, stype and slen, data, length */
    w32(0x0000000Au);
    w32(len);
    w32(PCAPNG_SECRETS_TLS_KEYLOG);
    w32(slen);
    size_t line = slen >= strlen(KEYLINE) ? strlen(KEYLINE) : 0;
    wbytes(KEYLINE, line);
    at_out += padded - line;
    w32(len);
}

/* SHB, the big DSB, then a small one. */
static void write_file(const char *path, uint32_t slen)
{
    fd_out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd_out < 0) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        exit(1);
    }
    at_out = 0;
    w32(0x0A0D0D0Au);
    w32(28);
    w32(0x1A2B3C4Du);
    w32(0x00000001u); /* version 1.0 */
    w32(0xFFFFFFFFu); /* section length unknown */
    w32(0xFFFFFFFFu);
    w32(28);
    dsb(slen);
    dsb(8);
    close(fd_out);
}

typedef struct seen {
    unsigned n;
    size_t len[4];
    bool starts_with_line[4];
} seen;

static void on_secrets(void *user, uint32_t type, const uint8_t *data, size_t len)
{
    seen *s = user;
    CHECK_EQ(type, PCAPNG_SECRETS_TLS_KEYLOG);
    if (s->n < 4) {
        s->len[s->n] = len;
        s->starts_with_line[s->n] = len >= strlen(KEYLINE) && !memcmp(data, KEYLINE, 8);
    }
    s->n++;
}

static void test_dsb_limit(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/test_pcapng_dsb_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "mkstemp: %s\n", strerror(errno));
        exit(1);
    }
    close(fd);

    /* At the limit: both blocks delivered, the big one whole. */
    write_file(path, LIMIT);
    seen s = {0};
    char err[256] = "";
    CHECK_EQ(pcapng_read_secrets(path, on_secrets, &s, err, sizeof err), PCAPNG_DSB_OK);
    CHECK_EQ(s.n, 2);
    CHECK_EQ(s.len[0], LIMIT);
    CHECK(s.starts_with_line[0]);
    CHECK_EQ(s.len[1], 8);
    CHECK_STR(err, "");

    /* One byte past: refused as damaged, with the size named; the walk goes
     * on to the next block. */
    write_file(path, LIMIT + 1);
    memset(&s, 0, sizeof s);
    CHECK_EQ(pcapng_read_secrets(path, on_secrets, &s, err, sizeof err), PCAPNG_DSB_DAMAGED);
    CHECK_EQ(s.n, 1);
    CHECK_EQ(s.len[0], 8);
    CHECK_STR(err, "secrets block at offset 28 holds 67108865 bytes of secrets, more than the "
                   "64 MiB limit");

    /* A length that does not fit its block is still called that. */
    write_file(path, 64);
    int f = open(path, O_WRONLY);
    uint32_t bad = 1000;
    CHECK(pwrite(f, &bad, 4, 28 + 12) == 4);
    close(f);
    memset(&s, 0, sizeof s);
    CHECK_EQ(pcapng_read_secrets(path, on_secrets, &s, err, sizeof err), PCAPNG_DSB_DAMAGED);
    CHECK_EQ(s.n, 1);
    CHECK_STR(err, "secrets block at offset 28 overruns itself");
    unlink(path);
}

int main(void)
{
    test_dsb_limit();
    return check_done("test_pcapng_dsb");
}
