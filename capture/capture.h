/* The packet side of tntdump: from a capture file or live interface to
 * in-order TCP byte streams, one per direction of each connection.
 *
 * tntdump.c opens a source, sets callbacks and runs the loop; everything below
 * the TCP payload (libpcap, link layers, IP fragments, TCP reassembly) stays
 * behind this header. All callbacks run synchronously from tnt_capture_run()
 * (or tnt_tcp_* in tests); none of them may call back into the capture.
 *
 * Frame numbers count every packet read from the source, starting at 1, also
 * those a BPF filter rejects, so they match Wireshark's frame numbers for the
 * same file. Timestamps are microseconds (libpcap converts nanosecond pcapng).
 *
 * Memory bounds (defaults, see tnt_tcp_limits):
 *   - per direction: at most 1 MiB and 4096 segments held out of order;
 *   - all connections: at most 64 MiB held out of order;
 *   - at most 65536 tracked connections (open ones plus recently closed ones
 *     remembered so that late ACKs do not open phantom connections);
 *     an open connection idle for 3600 s of capture time is closed (idle);
 *   - IPv4/IPv6 fragment reassembly: at most 256 datagrams and 8 MiB pending,
 *     each datagram at most 65535 bytes, 60 s capture-time timeout.
 * When a bound is hit the affected data is reported (gap or diagnostic), never
 * silently dropped. */
#ifndef TNT_CAPTURE_H
#define TNT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capture timestamp. */
typedef struct tnt_cap_ts {
    int64_t sec;
    uint32_t usec;
} tnt_cap_ts;

/* Direction of a byte stream. */
enum { TNT_DIR_C2S = 0, TNT_DIR_S2C = 1 };

typedef struct tnt_conn_info {
    uint32_t id;             /* 1-based, in order of the connection's first packet */
    int family;              /* 4 or 6 */
    uint8_t client_addr[16]; /* IPv4 uses the first 4 bytes */
    uint8_t server_addr[16];
    uint16_t client_port;
    uint16_t server_port;
    bool syn_seen; /* the connection's SYN or SYN-ACK was captured */
    uint64_t first_frame;
    tnt_cap_ts first_ts;
} tnt_conn_info;

typedef enum tnt_close_reason {
    TNT_CLOSE_FIN,          /* both directions finished (FIN delivered in order) */
    TNT_CLOSE_RST,          /* a RST was seen */
    TNT_CLOSE_END_OF_INPUT, /* still open when the input ended */
    TNT_CLOSE_IDLE,         /* no packet for the idle timeout */
    TNT_CLOSE_EVICTED,      /* the connection table was full */
    TNT_CLOSE_REUSED,       /* a new SYN reused the 4-tuple */
} tnt_close_reason;

const char *tnt_close_reason_name(tnt_close_reason r);

typedef struct tnt_capture_callbacks {
    void *user;
    /* A new connection (first packet of its 4-tuple). The return value is the
     * per-connection pointer handed to the other callbacks (may be NULL). The
     * info is only valid during the call; copy what you need. */
    void *(*on_conn_open)(void *user, const tnt_conn_info *info);
    /* In-order stream bytes. frame/ts are those of the packet that made the
     * bytes deliverable (for bytes that waited out of order: the packet that
     * filled the hole). data is only valid during the call. */
    void (*on_data)(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                    tnt_cap_ts ts);
    /* bytes of this direction's stream are missing (never captured); delivery
     * continues after them. frame is the packet that made that decision. */
    void (*on_gap)(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts);
    /* Called exactly once per opened connection, at the latest from
     * tnt_capture_run() at end of input (then in order of id). last_frame and
     * last_ts are those of the connection's last packet. */
    void (*on_conn_close)(void *conn, tnt_close_reason reason, uint64_t last_frame,
                          tnt_cap_ts last_ts);
    /* A malformed, truncated or undecodable packet, or a file-level problem.
     * frame is 0 when no packet is concerned. text is one line without a
     * trailing newline, valid only during the call. */
    void (*on_diag)(void *user, uint64_t frame, const char *text);
    /* Optional (may be NULL), for writing packets back out (-w): every
     * packet read that passes the filter, before it is decoded, with its
     * libpcap DLT_ link type; */
    void (*on_packet)(void *user, uint64_t frame, tnt_cap_ts ts, int dlt, const uint8_t *data,
                      size_t caplen, size_t wirelen);
    /* and, for a packet whose TCP segment belongs to an open connection,
     * that connection (called before the segment is processed). */
    void (*on_segment)(void *conn, uint64_t frame);
    /* Optional: the ACKs of the two directions contradict each other, so
     * the order the endpoints sent their bytes in is not known; the bytes
     * delivered next follow the capture's order. Once per connection. */
    void (*on_order_unknown)(void *conn, uint64_t frame);
} tnt_capture_callbacks;

typedef struct tnt_capture tnt_capture;

#define TNT_CAPTURE_ERRBUF_SIZE 512

/* Opens a pcap or pcapng file ("-" = stdin). On failure returns NULL and puts
 * libpcap's message in errbuf (the input cannot be read at all: exit 1). */
tnt_capture *tnt_capture_open_file(const char *path, char errbuf[TNT_CAPTURE_ERRBUF_SIZE]);

/* Opens a live interface. snaplen <= 0 means 262144. */
tnt_capture *tnt_capture_open_live(const char *iface, int snaplen, bool promisc,
                                   char errbuf[TNT_CAPTURE_ERRBUF_SIZE]);

/* Compiles a BPF filter with libpcap. For files the filter is applied per
 * packet so frame numbers still count every packet of the file. Returns false
 * with a message in errbuf when the expression does not compile. */
bool tnt_capture_set_filter(tnt_capture *cap, const char *expr,
                            char errbuf[TNT_CAPTURE_ERRBUF_SIZE]);

/* The link type as libpcap names it (e.g. "EN10MB"), for messages. */
const char *tnt_capture_linktype_name(const tnt_capture *cap);

typedef enum tnt_capture_status {
    TNT_CAPTURE_EOF,        /* all input read */
    TNT_CAPTURE_STOPPED,    /* tnt_capture_stop() or max_packets reached */
    TNT_CAPTURE_READ_ERROR, /* libpcap failed mid-way, e.g. truncated file;
                               a diagnostic was emitted, everything before it
                               was decoded; see tnt_capture_error() */
} tnt_capture_status;

/* Reads and decodes packets until end of input, an error, tnt_capture_stop(),
 * or max_packets frames (0 = no limit). When it returns, every connection has
 * been closed (on_conn_close called). Call once. */
tnt_capture_status tnt_capture_run(tnt_capture *cap, const tnt_capture_callbacks *cb,
                                   uint64_t max_packets);

/* Async-signal-safe: makes tnt_capture_run() return soon (pcap_breakloop). */
void tnt_capture_stop(tnt_capture *cap);

/* libpcap's message for the READ_ERROR status, or NULL. */
const char *tnt_capture_error(const tnt_capture *cap);

/* Bytes of a file read so far (for a progress line); 0 when unknown. */
uint64_t tnt_capture_offset(const tnt_capture *cap);

/* Frames read so far. */
uint64_t tnt_capture_frames(const tnt_capture *cap);

void tnt_capture_close(tnt_capture *cap);

#endif
