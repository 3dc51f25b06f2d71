/* Tunnel headers. Which UDP datagrams are tunnels is decided by the
 * IANA-assigned port alone, as Wireshark does, so a conversation that merely
 * happens to use port 2152 or 4789 is taken for a tunnel; its diagnostics are
 * rate-limited by the caller for that reason. Checksums are not verified (see
 * ip.c). */
#include "tunnel.h"

#include "tnt/cursor.h"
#include "link.h"

#define GRE_PTYPE_TEB 0x6558      /* Transparent Ethernet Bridging */
#define GRE_PTYPE_ERSPAN_2 0x88BE /* ERSPAN type I (no sequence) and II */
#define GRE_PTYPE_ERSPAN_3 0x22EB
#define GRE_PTYPE_PPP 0x880B /* PPTP, GRE version 1 */

#define GTP_GPDU 0xFF

bool tnt_tunnel_proto(uint8_t proto)
{
    switch (proto) {
    case TNT_IPPROTO_IPIP:
    case TNT_IPPROTO_UDP:
    case TNT_IPPROTO_IPV6:
    case TNT_IPPROTO_GRE:
        return true;
    default:
        return false;
    }
}

static tnt_tunnel_result tun_fail(const char **why, const char *text)
{
    *why = text;
    return TNT_TUNNEL_ERROR;
}

static tnt_tunnel_result tun_done(const tnt_cursor *c, tnt_tunnel_result r, const uint8_t **inner,
                                  size_t *inner_len)
{
    *inner = tnt_cursor_data(c);
    *inner_len = tnt_cursor_len(c);
    return r;
}

/* An IP packet whose version is only known from its first nibble. */
static tnt_tunnel_result ip_by_nibble(const tnt_cursor *c, size_t missing, const uint8_t **inner,
                                      size_t *inner_len, const char **why, const char *not_ip)
{
    uint8_t b;
    if (!tnt_peek_u8(c, &b)) /* an empty PDU carries no packet */
        return missing ? tun_fail(why, "tunnel payload cut short by the capture")
                       : TNT_TUNNEL_OTHER;
    switch (b >> 4) {
    case 4:
        return tun_done(c, TNT_TUNNEL_IPV4, inner, inner_len);
    case 6:
        return tun_done(c, TNT_TUNNEL_IPV6, inner, inner_len);
    default:
        return tun_fail(why, not_ip);
    }
}

/* 3GPP TS 29.281. The length field counts everything after the mandatory
 * eight bytes, optional fields and extension headers included. */
static tnt_tunnel_result gtpu(tnt_cursor *c, size_t missing, const uint8_t **inner,
                              size_t *inner_len, const char **why)
{
    uint8_t flags, type;
    uint16_t len;
    uint32_t teid;
    if (!tnt_get_u8(c, &flags) || !tnt_get_u8(c, &type) || !tnt_get_u16(c, &len) ||
        !tnt_get_u32(c, &teid))
        return tun_fail(why, "truncated GTP-U header");
    if (flags >> 5 != 1 || !(flags & 0x10))
        return tun_fail(why, "UDP port 2152 but not GTPv1-U");
    tnt_cursor body = *c;
    if (len > tnt_cursor_len(c)) {
        if (!missing)
            return tun_fail(why, "GTP-U length exceeds the UDP payload");
    } else {
        tnt_get_sub(c, &body, len);
    }
    if (type != GTP_GPDU)
        return TNT_TUNNEL_OTHER; /* echo, error indication, end marker */
    if (flags & 0x07) {
        uint16_t seq;
        uint8_t npdu, next;
        if (!tnt_get_u16(&body, &seq) || !tnt_get_u8(&body, &npdu) || !tnt_get_u8(&body, &next))
            return tun_fail(why, "truncated GTP-U optional fields");
        /* Each extension header is at least four bytes, so the cursor bounds
         * the chain. */
        while (next != 0) {
            uint8_t units;
            if (!tnt_get_u8(&body, &units))
                return tun_fail(why, "truncated GTP-U extension header");
            if (units == 0)
                return tun_fail(why, "GTP-U extension header with length 0");
            if (!tnt_skip(&body, (size_t)units * 4 - 2) || !tnt_get_u8(&body, &next))
                return tun_fail(why, "truncated GTP-U extension header");
        }
    }
    return ip_by_nibble(&body, missing, inner, inner_len, why, "GTP-U G-PDU not carrying IP");
}

/* RFC 7348. Only the I flag is defined; a receiver ignores the others. */
static tnt_tunnel_result vxlan(tnt_cursor *c, const uint8_t **inner, size_t *inner_len,
                               const char **why)
{
    if (!tnt_skip(c, 8))
        return tun_fail(why, "truncated VXLAN header");
    return tun_done(c, TNT_TUNNEL_ETHERNET, inner, inner_len);
}

static tnt_tunnel_result udp(tnt_cursor *c, size_t missing, const uint8_t **inner,
                             size_t *inner_len, const char **why)
{
    uint16_t sport, dport, len, csum;
    if (!tnt_get_u16(c, &sport) || !tnt_get_u16(c, &dport) || !tnt_get_u16(c, &len) ||
        !tnt_get_u16(c, &csum)) {
        /* Unknown ports: only a cut capture is worth a word. */
        return missing ? tun_fail(why, "UDP header cut short by the capture") : TNT_TUNNEL_NONE;
    }
    bool gtp = sport == TNT_UDP_PORT_GTPU || dport == TNT_UDP_PORT_GTPU;
    bool vx = sport == TNT_UDP_PORT_VXLAN || dport == TNT_UDP_PORT_VXLAN;
    if (!gtp && !vx)
        return TNT_TUNNEL_NONE;
    if (len < 8)
        return tun_fail(why, "UDP length below 8");
    tnt_cursor body = *c;
    if (len - 8u > tnt_cursor_len(c)) {
        if (!missing)
            return tun_fail(why, "UDP length exceeds the IP payload");
    } else {
        tnt_get_sub(c, &body, len - 8u); /* the rest is IP-level padding */
    }
    if (gtp) /* the lower port first, as Wireshark tries them */
        return gtpu(&body, missing, inner, inner_len, why);
    return vxlan(&body, inner, inner_len, why);
}

/* A GRE payload named by EtherType. */
static tnt_tunnel_result gre_payload(tnt_cursor *c, uint16_t ptype, const uint8_t **inner,
                                     size_t *inner_len, const char **why)
{
    switch (ptype) {
    case GRE_PTYPE_TEB:
        return tun_done(c, TNT_TUNNEL_ETHERNET, inner, inner_len);
    case 0x0000: /* keepalive reply looped back through the tunnel */
        return TNT_TUNNEL_OTHER;
    case 0x0800:
    case 0x86DD:
    case 0x8100:
    case 0x88A8:
    case 0x8847:
    case 0x8848:
    case 0x8864:
        break;
    default:
        return tun_fail(why, "GRE payload protocol type not supported");
    }
    const uint8_t *l3;
    size_t l3_len;
    tnt_link_result lr =
        tnt_link_decode_ethertype(ptype, tnt_cursor_data(c), tnt_cursor_len(c), &l3, &l3_len, why);
    switch (lr) {
    case TNT_LINK_IPV4:
        *inner = l3;
        *inner_len = l3_len;
        return TNT_TUNNEL_IPV4;
    case TNT_LINK_IPV6:
        *inner = l3;
        *inner_len = l3_len;
        return TNT_TUNNEL_IPV6;
    case TNT_LINK_OTHER:
        return TNT_TUNNEL_OTHER;
    default:
        return TNT_TUNNEL_ERROR; /* *why set by the link layer */
    }
}

/* ERSPAN (draft-foschiano-erspan): type II has an 8-byte header when GRE
 * carries a sequence number (type I has none), type III a 12-byte header plus
 * an optional 8-byte platform subheader. */
static bool erspan(tnt_cursor *c, uint16_t ptype, bool seq, const char **why)
{
    if (ptype == GRE_PTYPE_ERSPAN_2) {
        if (seq && !tnt_skip(c, 8)) {
            *why = "truncated ERSPAN type II header";
            return false;
        }
        return true;
    }
    uint8_t h[12];
    if (!tnt_copy(c, h, sizeof h)) {
        *why = "truncated ERSPAN type III header";
        return false;
    }
    if ((h[10] >> 2) & 0x1F) { /* frame type: 0 Ethernet, 2 IP */
        *why = "ERSPAN type III frame type not Ethernet";
        return false;
    }
    if ((h[11] & 1) && !tnt_skip(c, 8)) {
        *why = "truncated ERSPAN type III platform subheader";
        return false;
    }
    return true;
}

/* PPP inside PPTP's enhanced GRE, with address/control and the protocol field
 * possibly compressed (RFC 1661 section 6.5/6.6). */
static tnt_tunnel_result ppp(tnt_cursor *c, const uint8_t **inner, size_t *inner_len,
                             const char **why)
{
    uint8_t b;
    if (!tnt_peek_u8(c, &b))
        return tun_fail(why, "truncated PPP header");
    if (b == 0xFF) {
        uint8_t ctl;
        if (!tnt_skip(c, 1) || !tnt_get_u8(c, &ctl))
            return tun_fail(why, "truncated PPP header");
    }
    uint16_t proto;
    uint8_t lo;
    if (!tnt_get_u8(c, &b))
        return tun_fail(why, "truncated PPP header");
    proto = b;
    if (!(b & 1)) {
        if (!tnt_get_u8(c, &lo))
            return tun_fail(why, "truncated PPP header");
        proto = (uint16_t)(proto << 8 | lo);
    }
    switch (proto) {
    case 0x0021:
        return tun_done(c, TNT_TUNNEL_IPV4, inner, inner_len);
    case 0x0057:
        return tun_done(c, TNT_TUNNEL_IPV6, inner, inner_len);
    default: /* LCP, IPCP, MPPE-compressed data, ... */
        return TNT_TUNNEL_OTHER;
    }
}

/* RFC 2784/2890 (version 0, with RFC 1701 routing) and RFC 2637 (version 1). */
static tnt_tunnel_result gre(tnt_cursor *c, size_t missing, const uint8_t **inner,
                             size_t *inner_len, const char **why)
{
    uint16_t flags, ptype;
    if (!tnt_get_u16(c, &flags) || !tnt_get_u16(c, &ptype))
        return tun_fail(why, "truncated GRE header");
    bool csum = flags & 0x8000, routing = flags & 0x4000, key = flags & 0x2000,
         seq = flags & 0x1000, ack = flags & 0x0080;
    uint32_t word;
    switch (flags & 7) {
    case 0:
        if ((csum || routing) && !tnt_get_u32(c, &word))
            return tun_fail(why, "truncated GRE checksum");
        if (key && !tnt_get_u32(c, &word))
            return tun_fail(why, "truncated GRE key");
        if (seq && !tnt_get_u32(c, &word))
            return tun_fail(why, "truncated GRE sequence number");
        /* Source route entries, each at least four bytes, up to a null one. */
        while (routing) {
            uint16_t af;
            uint8_t off, len;
            if (!tnt_get_u16(c, &af) || !tnt_get_u8(c, &off) || !tnt_get_u8(c, &len) ||
                !tnt_skip(c, len))
                return tun_fail(why, "truncated GRE routing field");
            if (af == 0 && len == 0)
                break;
        }
        if (ptype == GRE_PTYPE_ERSPAN_2 || ptype == GRE_PTYPE_ERSPAN_3) {
            if (!erspan(c, ptype, seq, why))
                return TNT_TUNNEL_ERROR;
            return tun_done(c, TNT_TUNNEL_ETHERNET, inner, inner_len);
        }
        return gre_payload(c, ptype, inner, inner_len, why);
    case 1: {
        if (ptype != GRE_PTYPE_PPP || !key)
            return tun_fail(why, "GRE version 1 that is not PPTP");
        uint16_t plen, call;
        if (!tnt_get_u16(c, &plen) || !tnt_get_u16(c, &call))
            return tun_fail(why, "truncated GRE key");
        if (seq && !tnt_get_u32(c, &word))
            return tun_fail(why, "truncated GRE sequence number");
        if (ack && !tnt_get_u32(c, &word))
            return tun_fail(why, "truncated GRE acknowledgement number");
        if (plen == 0)
            return TNT_TUNNEL_OTHER; /* acknowledgement only */
        tnt_cursor body = *c;
        if (plen > tnt_cursor_len(c)) {
            if (!missing)
                return tun_fail(why, "PPTP payload length exceeds the packet");
        } else {
            tnt_get_sub(c, &body, plen);
        }
        return ppp(&body, inner, inner_len, why);
    }
    default:
        return tun_fail(why, "GRE version not 0 or 1");
    }
}

tnt_tunnel_result tnt_tunnel_decode(uint8_t proto, const uint8_t *payload, size_t len,
                                    size_t missing, const uint8_t **inner, size_t *inner_len,
                                    const char **why)
{
    tnt_cursor c;
    tnt_cursor_init(&c, payload, len);
    *why = NULL;
    *inner = NULL;
    *inner_len = 0;
    switch (proto) {
    case TNT_IPPROTO_UDP:
        return udp(&c, missing, inner, inner_len, why);
    case TNT_IPPROTO_GRE:
        return gre(&c, missing, inner, inner_len, why);
    case TNT_IPPROTO_IPIP:
        return tun_done(&c, TNT_TUNNEL_IPV4, inner, inner_len);
    case TNT_IPPROTO_IPV6:
        return tun_done(&c, TNT_TUNNEL_IPV6, inner, inner_len);
    default:
        return TNT_TUNNEL_NONE;
    }
}
