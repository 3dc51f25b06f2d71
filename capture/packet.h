/* One captured frame through link layer, IP and TCP, without libpcap (so
 * tests can feed frames directly). */
#ifndef TNT_CAPTURE_PACKET_H
#define TNT_CAPTURE_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "ip.h"
#include "tcp_reassembly.h"

typedef struct tnt_packet_decoder tnt_packet_decoder;

/* dlt: libpcap DLT_ value. cb is copied. Limits NULL = defaults. */
tnt_packet_decoder *tnt_packet_decoder_new(int dlt, const tnt_capture_callbacks *cb,
                                           const tnt_tcp_limits *tcp_lim,
                                           const tnt_ip_limits *ip_lim);
/* caplen bytes at data were captured of a wirelen-byte frame. */
void tnt_packet_decode(tnt_packet_decoder *d, uint64_t frame, tnt_cap_ts ts, const uint8_t *data,
                       size_t caplen, size_t wirelen);
/* The same for a frame of another link type than the decoder's: a pcapng
 * file may mix interfaces of several types, and one decoder keeps the TCP
 * state of connections seen through more than one of them. */
void tnt_packet_decode_dlt(tnt_packet_decoder *d, int dlt, uint64_t frame, tnt_cap_ts ts,
                           const uint8_t *data, size_t caplen, size_t wirelen);
/* End of input: incomplete fragments reported, every connection closed. */
void tnt_packet_finish(tnt_packet_decoder *d, uint64_t last_frame);
void tnt_packet_decoder_free(tnt_packet_decoder *d);

/* For tests. */
tnt_tcp_table *tnt_packet_tcp(tnt_packet_decoder *d);
tnt_ip_reasm *tnt_packet_ip(tnt_packet_decoder *d);

#endif
