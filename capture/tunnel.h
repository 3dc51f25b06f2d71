/* Tunnels: from the payload of an IP packet to the packet or frame it
 * encapsulates. GTPv1-U and VXLAN (over UDP), GRE, IPv4-in-IP and IPv6-in-IP.
 * Link-layer encapsulations (802.1Q, MPLS, PPPoE) are in link.c. */
#ifndef TNT_CAPTURE_TUNNEL_H
#define TNT_CAPTURE_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The deepest stack of tunnels decapsulated in one frame; a frame nested
 * deeper is reported and skipped, so a crafted capture cannot make the
 * decoder loop for long. */
#define TNT_TUNNEL_MAX_DEPTH 8

#define TNT_IPPROTO_IPIP 4
#define TNT_IPPROTO_UDP 17
#define TNT_IPPROTO_IPV6 41
#define TNT_IPPROTO_GRE 47

#define TNT_UDP_PORT_GTPU 2152
#define TNT_UDP_PORT_VXLAN 4789

typedef enum tnt_tunnel_result {
    TNT_TUNNEL_NONE,     /* not a tunnel protocol (plain UDP, ICMP, ...) */
    TNT_TUNNEL_IPV4,     /* *inner = an IPv4 packet */
    TNT_TUNNEL_IPV6,     /* *inner = an IPv6 packet */
    TNT_TUNNEL_ETHERNET, /* *inner = an Ethernet frame */
    TNT_TUNNEL_OTHER,    /* a well-formed tunnel message without a packet
                            (GTP echo, GRE keepalive, PPP control, ...) */
    TNT_TUNNEL_ERROR,    /* malformed, or carrying a payload this decoder does
                            not know; *why says what (a static string) */
} tnt_tunnel_result;

/* Whether an IP packet of this protocol may be a tunnel, so that its
 * fragments are worth reassembling. */
bool tnt_tunnel_proto(uint8_t proto);

/* proto: the IP protocol of the payload. missing: payload bytes the IP header
 * announced but the capture's snap length cut off (then a length field
 * running past the end is truncation, not a lie). *inner points into payload;
 * when missing != 0 the inner packet may be cut short too. */
tnt_tunnel_result tnt_tunnel_decode(uint8_t proto, const uint8_t *payload, size_t len,
                                    size_t missing, const uint8_t **inner, size_t *inner_len,
                                    const char **why);

#endif
