/* The client side of a handshake (tls_client.c). */
#ifndef TNT_PEER_TLS_CLIENT_H
#define TNT_PEER_TLS_CLIENT_H

#include "tls_int.h"

bool tls_client_handshake(tls_conn *c, bool renegotiation);

#endif
