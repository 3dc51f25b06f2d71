/* The server side of a handshake (tls_server.c). */
#ifndef TNT_PEER_TLS_SERVER_H
#define TNT_PEER_TLS_SERVER_H

#include "tls_int.h"

/* first: a ClientHello already read (renegotiation), or NULL. */
bool tls_server_handshake(tls_conn *c, GBytes *first);

#endif
