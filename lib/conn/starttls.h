/* Naming the cleartext protocol that switched to TLS mid-connection
 * (STARTTLS and its relatives), from the first bytes each direction sent
 * before its first TLS record. */
#ifndef TNT_STARTTLS_H
#define TNT_STARTTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "SMTP STARTTLS", "IMAP STARTTLS", "POP3 STLS", "FTP AUTH TLS", "LDAP
 * StartTLS", "XMPP STARTTLS", "IRC STARTTLS", "PostgreSQL SSLRequest", "MySQL
 * SSL request",
 * or NULL when neither direction's bytes are recognised. Either lead may be
 * empty (that direction has sent no cleartext). */
const char *tnt_starttls_protocol(const uint8_t *client, size_t client_len, const uint8_t *server,
                                  size_t server_len);

/* True when the bytes are text as a line protocol sends it (printable ASCII,
 * CR, LF, TAB): cleartext, not the middle of TLS records. */
bool tnt_starttls_is_text(const uint8_t *p, size_t len);

#endif
