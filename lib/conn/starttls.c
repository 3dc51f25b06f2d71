/* See starttls.h. The patterns are each protocol's command to start TLS or
 * the greeting that precedes it (RFC 3207 SMTP, RFC 2595 IMAP/POP3, RFC 4217
 * FTP, RFC 4511 4.14 LDAP, RFC 6120 5 XMPP, IRCv3 tls, the PostgreSQL and
 * MySQL wire protocols). Commands are matched without regard to case, as their RFCs
 * say. */
#include "starttls.h"

#include <string.h>

#include "cursor.h"

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Does p[0..len) contain the (lower-case) word w, case-insensitively? */
static bool has(const uint8_t *p, size_t len, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && lower(p[i + k]) == w[k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool starts(const uint8_t *p, size_t len, const char *w)
{
    return len >= strlen(w) && has(p, strlen(w), w);
}

/* A line "<tag> STARTTLS": IMAP's tagged command (SMTP's has no tag). */
static bool imap_starttls(const uint8_t *p, size_t len)
{
    static const char cmd[] = " starttls";
    for (size_t i = 1; i + sizeof cmd - 1 <= len; i++)
        if (has(p + i, sizeof cmd - 1, cmd) && p[i - 1] != '\n' && p[i - 1] != ' ')
            return true;
    return false;
}

/* The PostgreSQL SSLRequest: length 8, code 80877103 (0x04d2162f). */
static bool pg_ssl_request(const uint8_t *p, size_t len)
{
    tnt_cursor c;
    uint32_t l, code;
    tnt_cursor_init(&c, p, len);
    return tnt_get_u32(&c, &l) && tnt_get_u32(&c, &code) && l == 8 && code == 80877103u;
}

/* MySQL: the server's HandshakeV10 (3-byte length, sequence 0, protocol
 * 10), or the client's SSLRequest (32 bytes, sequence 1, CLIENT_SSL). */
static bool mysql(const uint8_t *client, size_t cl, const uint8_t *server, size_t sl)
{
    tnt_cursor c;
    uint8_t b[6];
    tnt_cursor_init(&c, server, sl);
    if (tnt_copy(&c, b, 5) && b[3] == 0 && b[4] == 10 &&
        (size_t)(b[0] | b[1] << 8 | b[2] << 16) + 4 <= sl)
        return true;
    /* capability flags are little-endian: CLIENT_SSL (0x0800) is in b[5] */
    tnt_cursor_init(&c, client, cl);
    return tnt_copy(&c, b, 6) && b[0] == 32 && b[1] == 0 && b[2] == 0 && b[3] == 1 && (b[5] & 0x08);
}

const char *tnt_starttls_protocol(const uint8_t *client, size_t cl, const uint8_t *server,
                                  size_t sl)
{
    if (pg_ssl_request(client, cl))
        return "PostgreSQL SSLRequest";
    if (has(client, cl, "1.3.6.1.4.1.1466.20037") || has(server, sl, "1.3.6.1.4.1.1466.20037"))
        return "LDAP StartTLS";
    if (has(client, cl, "<stream:stream") || has(server, sl, "urn:ietf:params:xml:ns:xmpp-tls"))
        return "XMPP STARTTLS";
    if (has(client, cl, "auth tls") || has(client, cl, "auth ssl") || starts(server, sl, "234 ") ||
        has(server, sl, "\n234 "))
        return "FTP AUTH TLS";
    if (starts(server, sl, "* ok") || imap_starttls(client, cl))
        return "IMAP STARTTLS";
    if (starts(server, sl, "+ok") || has(client, cl, "stls\r\n"))
        return "POP3 STLS";
    /* IRC (IRCv3 tls): a bare STARTTLS answered by numeric 670. */
    if (has(server, sl, " 670 ") || (starts(client, cl, "starttls") && starts(server, sl, ":")))
        return "IRC STARTTLS";
    if (starts(client, cl, "ehlo") || starts(client, cl, "helo") || starts(client, cl, "lhlo") ||
        starts(server, sl, "220"))
        return "SMTP STARTTLS";
    if (mysql(client, cl, server, sl))
        return "MySQL SSL request";
    return NULL;
}

bool tnt_starttls_is_text(const uint8_t *p, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!(p[i] >= 0x20 && p[i] < 0x7f) && p[i] != '\r' && p[i] != '\n' && p[i] != '\t')
            return false;
    return true;
}
