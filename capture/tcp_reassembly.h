/* TCP: from segments to in-order byte streams per connection and direction.
 *
 * Every byte of a direction's stream is either delivered once, in order
 * (on_data), or reported missing (on_gap); the first copy of a byte that
 * arrives wins over retransmissions and overlaps. A hole is given up on (and
 * reported as a gap) when
 *   - holding the data after it would exceed a bound (per direction bytes or
 *     segments, or all connections' bytes),
 *   - the capture cut a segment short (snaplen) and nothing else can fill it,
 *   - the connection closes (RST, both FINs ACKed and a 2 s linger, idle,
 *     evicted, end of input), in which case everything held is delivered with
 *     the holes between reported, including a hole up to a FIN or the peer's
 *     highest ACK.
 * A peer's ACK beyond a hole does not end it: segments do arrive after their
 * ACK in captures (SPAN ports, multi-queue NICs).
 *
 * The two directions are delivered in send order: a segment with ack=X was
 * sent after its sender received the peer's bytes up to X, so its bytes are
 * delivered only after those (within the same budget). Concurrent bytes keep
 * the capture's order. Expiry runs on a clock that ignores steps back and
 * leaps beyond the idle timeout (said once per table): timestamps never
 * split, drop or reorder a connection. See docs/robustness.md.
 * Stream positions are 64-bit, so sequence numbers wrap freely and streams
 * may exceed 4 GiB. Checksums are not verified (offloaded on capture hosts). */
#ifndef TNT_CAPTURE_TCP_REASSEMBLY_H
#define TNT_CAPTURE_TCP_REASSEMBLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

#define TNT_TCP_FIN 0x01
#define TNT_TCP_SYN 0x02
#define TNT_TCP_RST 0x04
#define TNT_TCP_PSH 0x08
#define TNT_TCP_ACK 0x10

typedef struct tnt_tcp_segment {
    int family; /* 4 or 6 */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sport;
    uint16_t dport;
    uint32_t seq;
    uint32_t ack;
    uint8_t flags;
    const uint8_t *payload;
    size_t len;     /* payload bytes captured */
    size_t missing; /* payload bytes after those that the capture cut off */
} tnt_tcp_segment;

typedef struct tnt_tcp_limits {
    size_t max_ooo_bytes;    /* held out of order, per direction */
    size_t max_ooo_segments; /* held out of order, per direction */
    size_t max_ooo_total;    /* held out of order, all connections */
    size_t max_conns;        /* tracked 4-tuples, open or recently closed */
    int64_t idle_timeout;    /* seconds of capture time without a packet (plausible steps only) */
    int64_t closed_linger;   /* seconds a closed 4-tuple swallows stray packets */
} tnt_tcp_limits;

#define TNT_TCP_DEFAULT_MAX_OOO_BYTES (1u << 20)
#define TNT_TCP_DEFAULT_MAX_OOO_SEGMENTS 4096
#define TNT_TCP_DEFAULT_MAX_OOO_TOTAL (64u << 20)
#define TNT_TCP_DEFAULT_MAX_CONNS 65536
#define TNT_TCP_DEFAULT_IDLE_TIMEOUT 3600
#define TNT_TCP_DEFAULT_CLOSED_LINGER 120

/* Fills l with the defaults. */
void tnt_tcp_default_limits(tnt_tcp_limits *l);

/* Parses a TCP header. addresses/family are left alone; missing is the number
 * of IP payload bytes the capture cut off (they must all be payload: a cut
 * TCP header is an error). */
bool tnt_tcp_parse(const uint8_t *data, size_t len, size_t missing, tnt_tcp_segment *seg,
                   const char **why);

typedef struct tnt_tcp_table tnt_tcp_table;

/* cb is copied. lim NULL = defaults. NULL only when malloc fails. */
tnt_tcp_table *tnt_tcp_new(const tnt_capture_callbacks *cb, const tnt_tcp_limits *lim);
void tnt_tcp_input(tnt_tcp_table *t, const tnt_tcp_segment *seg, uint64_t frame, tnt_cap_ts ts);
/* End of input: closes every open connection, in order of id. */
void tnt_tcp_finish(tnt_tcp_table *t);
void tnt_tcp_free(tnt_tcp_table *t);

/* For tests and statistics. */
size_t tnt_tcp_ooo_bytes(const tnt_tcp_table *t);
size_t tnt_tcp_conn_count(const tnt_tcp_table *t); /* tracked, incl. closed */

#endif
