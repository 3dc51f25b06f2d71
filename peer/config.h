/* The configuration file of one TNT party (client or server of tntpeer).
 *
 * Line-oriented, one statement per line, for example the clinic's server of
 * spec section 9:
 *
 *     # Riverside Clinic
 *     strategy = parsimonious
 *     rounds   = 64
 *     language = dn_expression
 *     anchor O="State Medical Board" = smb-ca-rsa.pem
 *     resource "GET /records/4711" = cred("MedicalLicense", issuer.O="State Medical Board")
 *
 *     [credential "Accreditation"]
 *     chain  = clinic-rsa.pem
 *     key    = clinic-rsa.key
 *     policy = true
 *
 * Statements:
 * - `strategy = eager | parsimonious` (default parsimonious: disclose only
 *   what is asked for).
 * - `rounds = N`, 1..65535 (default 64): the round limit (spec section 3).
 * - `language = dn_expression` (the default and the only language a peer can
 *   evaluate; `xml_policy` is refused).
 * - `anchor [ATTR="value" ...] = FILE`: trust anchors (PEM with one or more
 *   certificates, or one DER certificate) configured for the issuer identity
 *   given by the keys (ATTR one of CN O OU C ST L). Without keys the anchor
 *   vouches for its own subject DN (chain_verify.h).
 * - `resource "NAME" = POLICY`: the policy protecting a resource, named
 *   `METHOD path`. Several lines for one name add up (all must hold).
 * - `[credential "TYPE"]` opens a credential block: `chain = FILE` (PEM, the
 *   owner's certificate first, or one DER certificate), `key = FILE` (its
 *   private key, PEM or DER, unencrypted; it must match the first
 *   certificate), `policy = POLICY` (what the other side must disclose
 *   before this credential is released; `true` = free, `false` = never).
 *   All three are required. Credential types are unique. A block ends at the
 *   next [credential] header; the other statements are global wherever they
 *   stand.
 * Policies are dn_expression (spec section 6), parsed at load time. Strings
 * are in double quotes with only \" and \\ as escapes, as in policies. Lines
 * whose first non-blank character is `#` or `;` are comments (there are no
 * trailing comments: `#` is legal inside policies and file names). Relative
 * file names are taken from the directory of the configuration file.
 *
 * Every error is reported as "FILE:LINE: what" (with the column inside a
 * malformed policy). */
#ifndef TNT_PEER_CONFIG_H
#define TNT_PEER_CONFIG_H

#include "tnt/arena.h"
#include "tnt/chain_verify.h"
#include "tnt/cursor.h"
#include "tnt/dn_expression.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TNT_PEER_DEFAULT_ROUNDS 64

typedef struct tnt_peer_credential {
    const char *type; /* the label sent as TNTCredential.type */
    uint32_t n_certs;
    tnt_bytes *certs; /* DER, owner's certificate first (spans are zero) */
    const uint8_t *key;
    size_t key_len;         /* the key file's bytes, as tnt_proof_sign() takes them */
    const char *chain_file; /* as resolved */
    const char *key_file;
    const tnt_dn_node *policy; /* protecting policy */
    const char *policy_text;   /* its canonical text (tnt_dn_format): what is sent */
    unsigned line;             /* of the [credential] header */
} tnt_peer_credential;

typedef struct tnt_peer_resource {
    const char *name; /* "GET /records/4711" */
    const tnt_dn_node *policy;
    const char *policy_text; /* canonical */
    unsigned line;
} tnt_peer_resource;

typedef struct tnt_peer_config {
    uint8_t strategy;     /* TNT_STRATEGY_EAGER or TNT_STRATEGY_PARSIMONIOUS */
    uint8_t language;     /* TNT_LANG_DN_EXPRESSION */
    uint16_t round_limit; /* 1..65535 */
    uint32_t n_creds;
    tnt_peer_credential *creds; /* in file order */
    uint32_t n_resources;
    tnt_peer_resource *resources; /* in file order */
    tnt_anchor_set anchors;
} tnt_peer_config;

/* Reads and checks a configuration file. Everything (certificates, keys,
 * policy trees, anchors) lives in a. On failure returns false with
 * "path:line: what" in err (truncated to err_cap). */
bool tnt_peer_config_load(const char *path, tnt_arena *a, tnt_peer_config *out, char *err,
                          size_t err_cap);

/* The same from text already in memory: name is used in error messages and
 * dir (NULL = current directory) resolves relative file names. */
bool tnt_peer_config_parse(const char *text, size_t len, const char *name, const char *dir,
                           tnt_arena *a, tnt_peer_config *out, char *err, size_t err_cap);

/* The credential of that type, or NULL. */
const tnt_peer_credential *tnt_peer_config_credential(const tnt_peer_config *c, const char *type);

/* True when the configuration has at least one policy for that resource. */
bool tnt_peer_config_has_resource(const tnt_peer_config *c, const char *name);

#endif
