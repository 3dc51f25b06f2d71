#include "link.h"

#include <pcap/dlt.h>

#include "tnt/cursor.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88A8
#define ETHERTYPE_QINQ_OLD 0x9100 /* pre-802.1ad stacking, still seen in the wild */
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MULTICAST 0x8848
#define ETHERTYPE_PPPOE_SESSION 0x8864
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057

bool tnt_link_supported(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_NULL:
    case DLT_LOOP:
    case DLT_RAW:
    case TNT_LINKTYPE_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
        return true;
    default:
        return false;
    }
}

static tnt_link_result link_fail(const char **why, const char *text)
{
    *why = text;
    return TNT_LINK_ERROR;
}

static tnt_link_result link_done(tnt_cursor *c, tnt_link_result r, const uint8_t **l3,
                                 size_t *l3_len)
{
    *l3 = tnt_cursor_data(c);
    *l3_len = tnt_cursor_len(c);
    return r;
}

/* MPLS carries no protocol field: the payload after the bottom-of-stack label
 * is told apart by its first nibble, as routers and Wireshark do. Each label
 * consumes four bytes, so the cursor bounds the loop. */
static tnt_link_result mpls(tnt_cursor *c, const uint8_t **l3, size_t *l3_len, const char **why)
{
    for (;;) {
        uint32_t entry;
        if (!tnt_get_u32(c, &entry))
            return link_fail(why, "truncated MPLS label stack");
        if (entry & 0x100) /* bottom of stack */
            break;
    }
    uint8_t b;
    if (!tnt_peek_u8(c, &b))
        return link_fail(why, "MPLS label stack without payload");
    switch (b >> 4) {
    case 4:
        return link_done(c, TNT_LINK_IPV4, l3, l3_len);
    case 6:
        return link_done(c, TNT_LINK_IPV6, l3, l3_len);
    default: /* pseudowire control word, ...: not IP */
        return TNT_LINK_OTHER;
    }
}

/* RFC 2516 session stage. The PPPoE length covers the PPP protocol field and
 * payload; bytes after it are Ethernet padding. A length beyond the frame is
 * left for the IP layer to judge (it knows whether the snap length cut it). */
static tnt_link_result pppoe_session(tnt_cursor *c, const uint8_t **l3, size_t *l3_len,
                                     const char **why)
{
    uint8_t vertype, code;
    uint16_t session, len, proto;
    if (!tnt_get_u8(c, &vertype) || !tnt_get_u8(c, &code) || !tnt_get_u16(c, &session) ||
        !tnt_get_u16(c, &len))
        return link_fail(why, "truncated PPPoE header");
    if (vertype != 0x11 || code != 0)
        return link_fail(why, "PPPoE session frame with bad version, type or code");
    if (len < 2)
        return link_fail(why, "PPPoE length too short for a PPP protocol field");
    if (!tnt_get_u16(c, &proto))
        return link_fail(why, "truncated PPP protocol field");
    tnt_cursor body = *c;
    if ((size_t)len - 2 < tnt_cursor_len(c))
        tnt_get_sub(c, &body, (size_t)len - 2);
    switch (proto) {
    case PPP_IPV4:
        return link_done(&body, TNT_LINK_IPV4, l3, l3_len);
    case PPP_IPV6:
        return link_done(&body, TNT_LINK_IPV6, l3, l3_len);
    default: /* LCP, IPCP, compressed, ... */
        return TNT_LINK_OTHER;
    }
}

/* Everything after an EtherType: VLAN tags (any depth; each one consumes four
 * bytes, so the cursor bounds the loop), then IP, MPLS, PPPoE or something
 * else. */
static tnt_link_result by_ethertype(tnt_cursor *c, uint16_t type, const uint8_t **l3,
                                    size_t *l3_len, const char **why)
{
    for (;;) {
        switch (type) {
        case ETHERTYPE_IPV4:
            return link_done(c, TNT_LINK_IPV4, l3, l3_len);
        case ETHERTYPE_IPV6:
            return link_done(c, TNT_LINK_IPV6, l3, l3_len);
        case ETHERTYPE_VLAN:
        case ETHERTYPE_QINQ:
        case ETHERTYPE_QINQ_OLD: {
            uint16_t tci;
            if (!tnt_get_u16(c, &tci) || !tnt_get_u16(c, &type))
                return link_fail(why, "truncated VLAN tag");
            continue;
        }
        case ETHERTYPE_MPLS:
        case ETHERTYPE_MPLS_MULTICAST:
            return mpls(c, l3, l3_len, why);
        case ETHERTYPE_PPPOE_SESSION:
            return pppoe_session(c, l3, l3_len, why);
        default:
            return TNT_LINK_OTHER;
        }
    }
}

static tnt_link_result ethernet(tnt_cursor *c, const uint8_t **l3, size_t *l3_len, const char **why)
{
    uint16_t type;
    if (!tnt_skip(c, 12) || !tnt_get_u16(c, &type))
        return link_fail(why, "truncated Ethernet header");
    if (type <= 1500) {
        /* 802.3 length field: only LLC/SNAP with an EtherType can carry IP. */
        uint8_t dsap, ssap, ctl, oui[3];
        if (!tnt_get_u8(c, &dsap) || !tnt_get_u8(c, &ssap) || !tnt_get_u8(c, &ctl))
            return link_fail(why, "truncated 802.2 LLC header");
        if (dsap != 0xAA || ssap != 0xAA || ctl != 0x03)
            return TNT_LINK_OTHER;
        if (!tnt_copy(c, oui, 3) || !tnt_get_u16(c, &type))
            return link_fail(why, "truncated SNAP header");
        if (oui[0] || oui[1] || oui[2])
            return TNT_LINK_OTHER;
    }
    return by_ethertype(c, type, l3, l3_len, why);
}

static tnt_link_result sll(tnt_cursor *c, const uint8_t **l3, size_t *l3_len, const char **why)
{
    /* packet type, ARPHRD type, address length, 8 address bytes, protocol */
    uint16_t proto;
    if (!tnt_skip(c, 14) || !tnt_get_u16(c, &proto))
        return link_fail(why, "truncated Linux cooked (SLL) header");
    return by_ethertype(c, proto, l3, l3_len, why);
}

static tnt_link_result sll2(tnt_cursor *c, const uint8_t **l3, size_t *l3_len, const char **why)
{
    /* protocol first, then reserved, ifindex, ARPHRD, packet type, addr len, addr */
    uint16_t proto;
    if (!tnt_get_u16(c, &proto) || !tnt_skip(c, 18))
        return link_fail(why, "truncated Linux cooked (SLL2) header");
    return by_ethertype(c, proto, l3, l3_len, why);
}

/* DLT_NULL stores the address family in the capturing host's byte order and
 * DLT_LOOP in network order, but writers get both wrong, so accept either. */
static tnt_link_result bsd_loopback(tnt_cursor *c, const uint8_t **l3, size_t *l3_len,
                                    const char **why)
{
    uint32_t af;
    if (!tnt_get_u32(c, &af))
        return link_fail(why, "truncated loopback (NULL/LOOP) header");
    if (af & 0xFFFF0000u)
        af = ((af & 0xFF) << 24) | ((af & 0xFF00) << 8) | ((af >> 8) & 0xFF00) | (af >> 24);
    switch (af) {
    case 2:
        return link_done(c, TNT_LINK_IPV4, l3, l3_len);
    case 10: /* Linux */
    case 24: /* NetBSD, OpenBSD */
    case 28: /* FreeBSD */
    case 30: /* macOS */
        return link_done(c, TNT_LINK_IPV6, l3, l3_len);
    default:
        return TNT_LINK_OTHER;
    }
}

static tnt_link_result raw_ip(tnt_cursor *c, const uint8_t **l3, size_t *l3_len, const char **why)
{
    uint8_t b;
    if (!tnt_peek_u8(c, &b))
        return link_fail(why, "empty raw IP frame");
    switch (b >> 4) {
    case 4:
        return link_done(c, TNT_LINK_IPV4, l3, l3_len);
    case 6:
        return link_done(c, TNT_LINK_IPV6, l3, l3_len);
    default:
        return link_fail(why, "raw IP frame with IP version neither 4 nor 6");
    }
}

tnt_link_result tnt_link_decode_ethertype(uint16_t type, const uint8_t *data, size_t len,
                                          const uint8_t **l3, size_t *l3_len, const char **why)
{
    tnt_cursor c;
    tnt_cursor_init(&c, data, len);
    *why = NULL;
    return by_ethertype(&c, type, l3, l3_len, why);
}

tnt_link_result tnt_link_decode(int dlt, const uint8_t *frame, size_t len, const uint8_t **l3,
                                size_t *l3_len, const char **why)
{
    tnt_cursor c;
    tnt_cursor_init(&c, frame, len);
    *why = NULL;
    switch (dlt) {
    case DLT_EN10MB:
        return ethernet(&c, l3, l3_len, why);
    case DLT_LINUX_SLL:
        return sll(&c, l3, l3_len, why);
    case DLT_LINUX_SLL2:
        return sll2(&c, l3, l3_len, why);
    case DLT_NULL:
    case DLT_LOOP:
        return bsd_loopback(&c, l3, l3_len, why);
    case DLT_RAW:
    case TNT_LINKTYPE_RAW:
        return raw_ip(&c, l3, l3_len, why);
    case DLT_IPV4: {
        tnt_link_result r = raw_ip(&c, l3, l3_len, why);
        return r == TNT_LINK_IPV6 ? link_fail(why, "IPv6 packet on an IPv4-only link") : r;
    }
    case DLT_IPV6: {
        tnt_link_result r = raw_ip(&c, l3, l3_len, why);
        return r == TNT_LINK_IPV4 ? link_fail(why, "IPv4 packet on an IPv6-only link") : r;
    }
    default:
        return link_fail(why, "unsupported link type");
    }
}
