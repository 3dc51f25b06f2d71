/* Naming the protocol that switched to TLS (lib/conn/starttls.c), from the
 * cleartext each direction sent first. SMTP, IMAP, POP3, FTP, XMPP and
 * PostgreSQL are also checked end to end on captures
 * (tests/scripts/test_starttls.py); LDAP and MySQL have no capture, so their
 * byte patterns are built here from the protocol definitions. */
#include "check.h"
#include "starttls.h"

#define S(x) (const uint8_t *)(x), sizeof(x) - 1

static void check_proto(const uint8_t *c, size_t cl, const uint8_t *s, size_t sl, const char *want)
{
    const char *got = tnt_starttls_protocol(c, cl, s, sl);
    if (!want) {
        CHECK(got == NULL);
        return;
    }
    CHECK(got != NULL);
    if (got)
        CHECK_STR(got, want);
}

int main(void)
{
    check_proto(S("EHLO client.example\r\nSTARTTLS\r\n"),
                S("220 mail.example ESMTP\r\n250-STARTTLS\r\n220 Go ahead\r\n"), "SMTP STARTTLS");
    /* Either direction alone suffices; commands are case-insensitive. */
    check_proto(S("ehlo x\r\nstarttls\r\n"), S(""), "SMTP STARTTLS");
    /* IRC's bare STARTTLS is not SMTP's (zeek's irc-starttls.pcap). */
    check_proto(S("STARTTLS\r\n"), S(":irc.example.org 670  :STARTTLS successful\r\n"),
                "IRC STARTTLS");
    check_proto(S(""), S("220 mail.example ESMTP\r\n"), "SMTP STARTTLS");
    check_proto(S("a001 CAPABILITY\r\na002 STARTTLS\r\n"), S("* OK [CAPABILITY IMAP4rev1]\r\n"),
                "IMAP STARTTLS");
    check_proto(S("a1 starttls\r\n"), S(""), "IMAP STARTTLS");
    check_proto(S("CAPA\r\nSTLS\r\n"), S("+OK ready\r\n"), "POP3 STLS");
    /* FTP greets with 220 too: the client's AUTH TLS or the 234 decides. */
    check_proto(S("FEAT\r\nAUTH TLS\r\n"), S("220 (vsFTPd 3.0.3)\r\n234 Proceed\r\n"),
                "FTP AUTH TLS");
    check_proto(S(""), S("220 (vsFTPd 3.0.3)\r\n211-Features\r\n234 Proceed\r\n"), "FTP AUTH TLS");
    check_proto(S("<?xml version='1.0'?><stream:stream to='x' xmlns='jabber:client'>"
                  "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
                S(""), "XMPP STARTTLS");
    /* PostgreSQL SSLRequest: int32 length 8, int32 code 80877103. */
    check_proto(S("\x00\x00\x00\x08\x04\xd2\x16\x2f"), S("S"), "PostgreSQL SSLRequest");
    /* GSSENCRequest (code 80877104) is not TLS. */
    check_proto(S("\x00\x00\x00\x08\x04\xd2\x16\x30"), S("N"), NULL);
    /* LDAP ExtendedRequest (RFC 4511 4.12) with the StartTLS OID (4.14):
     * LDAPMessage SEQUENCE { messageID 1, [APPLICATION 23] { [0] oid } }. */
    check_proto(S("\x30\x1d\x02\x01\x01\x77\x18\x80\x16"
                  "1.3.6.1.4.1.1466.20037"),
                S(""), "LDAP StartTLS");
    /* MySQL: the server's HandshakeV10 (length 0x4a, sequence 0, protocol 10)... */
    check_proto(S(""),
                S("\x4a\x00\x00\x00\x0a"
                  "8.0.36\x00\x01\x00\x00\x00"
                  "abcdefgh\x00\xff\xff\x08\x02\x00\xff\xc1\x15\x00\x00\x00\x00\x00"
                  "\x00\x00\x00\x00\x00ijklmnopqrst\x00"
                  "caching_sha2_password\x00"),
                "MySQL SSL request");
    /* ... or the client's 32-byte SSLRequest (sequence 1, CLIENT_SSL set). */
    static const uint8_t my_ssl[36] = {32, 0, 0, 1, 0x05, 0xae, 0x0f, 0x00};
    check_proto(my_ssl, sizeof my_ssl, NULL, 0, "MySQL SSL request");
    /* Unknown bytes name nothing. */
    check_proto(S("\x17\x03\x03\x00\x10garbage"), S(""), NULL);
    check_proto(NULL, 0, NULL, 0, NULL);

    CHECK(tnt_starttls_is_text(S("GET / HTTP/1.1\r\n\tHost: x\r\n")));
    CHECK(!tnt_starttls_is_text(S("\x17\x03\x03\x00\x10")));
    CHECK(!tnt_starttls_is_text(NULL, 0));
    return check_done("test_starttls");
}
