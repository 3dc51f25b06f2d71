/* The TNT decoding library: everything a front end (tntdump, the Wireshark
 * plugin) needs, in one include.
 *
 *   conn.h         one TLS connection: feed bytes, receive events
 *   negotiation.h  the trust negotiation facts a front end shows,
 *   verdict.h      and the judgements on them, worded once
 *   handshake.h    decoded handshake messages (hellos, certificates, ...),
 *   extensions.h   with their extensions and
 *   tnt_messages.h TNT messages (TNTNegotiation, TNTProof, the extension)
 *   record.h, hs_reasm.h, alert.h   records, handshake reassembly, alerts
 *   keys.h, keylog.h, rsa_key.h     key material (key logs, RSA keys)
 *   order.h                         connections fed from several threads
 *   chain_verify.h, x509.h          trust anchors, certificate names
 *   dn_expression.h, policy_eval.h, proof_verify.h   the TNT model's parts
 *   names.h, codepoints.h           names of numbers; TNT codepoints
 *   cursor.h, arena.h, error.h      bounds-checked reading, memory, errors
 *   types.h                         tnt_dir
 *   record_protection.h             decryption status
 *
 * A TLS speaker (tntpeer) adds include/tnt/engine/: encoders and the message
 * builder, key exchange, the PRF and transcripts. Everything under lib/ is
 * private. */
#ifndef TNT_TNT_H
#define TNT_TNT_H

#include "tnt/alert.h"
#include "tnt/arena.h"
#include "tnt/chain_verify.h"
#include "tnt/codepoints.h"
#include "tnt/conn.h"
#include "tnt/cursor.h"
#include "tnt/dn_expression.h"
#include "tnt/error.h"
#include "tnt/extensions.h"
#include "tnt/handshake.h"
#include "tnt/hs_reasm.h"
#include "tnt/keylog.h"
#include "tnt/keys.h"
#include "tnt/names.h"
#include "tnt/negotiation.h"
#include "tnt/order.h"
#include "tnt/policy_eval.h"
#include "tnt/proof_verify.h"
#include "tnt/record.h"
#include "tnt/record_protection.h"
#include "tnt/rsa_key.h"
#include "tnt/tnt_messages.h"
#include "tnt/types.h"
#include "tnt/verdict.h"
#include "tnt/x509.h"

#endif
