/* IPv4 and IPv6: header checks, IPv6 extension headers, fragment reassembly. */
#ifndef TNT_CAPTURE_IP_H
#define TNT_CAPTURE_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

#define TNT_IPPROTO_TCP 6

typedef struct tnt_ip_packet {
    int family; /* 4 or 6 */
    uint8_t src[16];
    uint8_t dst[16];
    uint8_t proto; /* upper-layer protocol after all extension headers */
    const uint8_t *payload;
    size_t len;           /* payload bytes present */
    size_t missing;       /* payload bytes the header announces but the capture cut off */
    bool reassembled;     /* put together from fragments */
    uint64_t first_frame; /* of the first fragment, when reassembled */
} tnt_ip_packet;

typedef struct tnt_ip_limits {
    size_t max_datagrams; /* datagrams being reassembled at once */
    size_t max_bytes;     /* bytes held for all of them */
    int64_t timeout_sec;  /* capture time from a datagram's first fragment */
} tnt_ip_limits;

#define TNT_IP_DEFAULT_MAX_DATAGRAMS 256
#define TNT_IP_DEFAULT_MAX_BYTES (8u << 20)
#define TNT_IP_DEFAULT_TIMEOUT 60

typedef void (*tnt_diag_fn)(void *user, uint64_t frame, const char *text);

typedef struct tnt_ip_reasm tnt_ip_reasm;

/* lim NULL = defaults. diag reports datagrams given up on (timeout, bounds,
 * inconsistent or snaplen-cut fragments). NULL only when malloc fails. */
tnt_ip_reasm *tnt_ip_reasm_new(const tnt_ip_limits *lim, tnt_diag_fn diag, void *diag_user);
void tnt_ip_reasm_free(tnt_ip_reasm *r);

typedef enum tnt_ip_result {
    TNT_IP_PACKET, /* *out is complete; out->payload valid until the next call */
    TNT_IP_HELD,   /* a fragment, kept until its datagram is complete */
    TNT_IP_SKIP,   /* well-formed but nothing for TCP (other protocol, ESP, ...) */
    TNT_IP_ERROR,  /* malformed; *why says what */
} tnt_ip_result;

/* version: 4 or 6, as the link layer said. cut_by_snaplen: the frame is
 * shorter on disk than on the wire, so a short packet is truncation rather
 * than a lie in a length field. */
tnt_ip_result tnt_ip_input(tnt_ip_reasm *r, int version, const uint8_t *data, size_t len,
                           bool cut_by_snaplen, uint64_t frame, tnt_cap_ts ts, tnt_ip_packet *out,
                           const char **why);

/* End of input: reports every datagram still incomplete and frees them. */
void tnt_ip_reasm_finish(tnt_ip_reasm *r, uint64_t frame);

/* Bytes currently held, for tests. */
size_t tnt_ip_reasm_bytes(const tnt_ip_reasm *r);

#endif
