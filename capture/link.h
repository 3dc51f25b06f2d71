/* Link layers: from a captured frame to the IP packet inside it. */
#ifndef TNT_CAPTURE_LINK_H
#define TNT_CAPTURE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LINKTYPE_RAW as stored in files; libpcap may hand it through unmapped. */
#define TNT_LINKTYPE_RAW 101

typedef enum tnt_link_result {
    TNT_LINK_IPV4,  /* l3, l3_len = the IPv4 packet */
    TNT_LINK_IPV6,  /* l3, l3_len = the IPv6 packet */
    TNT_LINK_OTHER, /* a well-formed frame carrying something else (ARP, ...) */
    TNT_LINK_ERROR, /* malformed or truncated; *why says what */
} tnt_link_result;

/* Whether tnt_link_decode() understands this libpcap DLT_ value. */
bool tnt_link_supported(int dlt);

/* Strips the link header(s) of one frame, including stacked 802.1Q/802.1ad
 * tags, MPLS label stacks and PPPoE sessions. *l3 points into frame. */
tnt_link_result tnt_link_decode(int dlt, const uint8_t *frame, size_t len, const uint8_t **l3,
                                size_t *l3_len, const char **why);

/* The same for a payload whose EtherType is already known (tunnels that name
 * their payload by EtherType, such as GRE). */
tnt_link_result tnt_link_decode_ethertype(uint16_t type, const uint8_t *data, size_t len,
                                          const uint8_t **l3, size_t *l3_len, const char **why);

#endif
