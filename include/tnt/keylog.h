/* NSS key log files (SSLKEYLOGFILE): the secrets that let us decrypt.
 *
 * A key log is a text file of "<LABEL> <hex key> <hex secret>" lines written
 * by browsers, OpenSSL, GnuTLS and friends; pcapng Decryption Secrets Blocks
 * carry the same text. Entries are kept in one hash table per label, keyed by
 * client random (or by the first 8 bytes of the encrypted pre-master secret
 * for "RSA" lines), because decryption looks them up once per connection and
 * a busy log can hold millions of lines.
 *
 * A bad line never stops a load: it is reported (with its line number) and
 * skipped, because one truncated line at the end of a log still being written
 * must not cost all the others. A later entry for the same key replaces the
 * earlier one, as in Wireshark. */
#ifndef TNT_KEYLOG_H
#define TNT_KEYLOG_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TNT_KEYLOG_RANDOM_LEN 32     /* client random */
#define TNT_KEYLOG_RSA_PREFIX_LEN 8  /* leading bytes of EncryptedPreMasterSecret */
#define TNT_KEYLOG_SECRET_LEN 48     /* TLS <= 1.2 master secret / pre-master secret */
#define TNT_KEYLOG_MAX_SECRET_LEN 48 /* TLS 1.3 secrets are 32 or 48 bytes */

typedef enum tnt_keylog_label {
    TNT_KL_CLIENT_RANDOM,     /* client random -> master secret */
    TNT_KL_RSA,               /* encrypted PMS prefix -> pre-master secret */
    TNT_KL_PMS_CLIENT_RANDOM, /* client random -> pre-master secret */
    TNT_KL_CLIENT_EARLY_TRAFFIC_SECRET,
    TNT_KL_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
    TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET,
    TNT_KL_CLIENT_TRAFFIC_SECRET_0,
    TNT_KL_SERVER_TRAFFIC_SECRET_0,
    TNT_KL_EARLY_EXPORTER_SECRET,
    TNT_KL_EXPORTER_SECRET,
    TNT_KL_COUNT
} tnt_keylog_label;

/* The label as written in key log files ("CLIENT_RANDOM", ...); NULL if out of range. */
const char *tnt_keylog_label_name(tnt_keylog_label label);
/* The label for a name (exact, case-sensitive match); false if unknown. */
bool tnt_keylog_label_from_name(const char *name, tnt_keylog_label *out);

typedef struct tnt_keylog tnt_keylog;

/* Called once per line that was not loaded. source is the path or buffer name
 * given to the loader, line is 1-based, what is a static string. */
typedef void (*tnt_keylog_warn_fn)(void *user, const char *source, unsigned line, const char *what);

/* What one load call saw (zeroed at the start of each call). */
typedef struct tnt_keylog_stats {
    unsigned lines;     /* lines in the input, including blank ones */
    unsigned loaded;    /* entries stored (a duplicate replacing an older one counts too) */
    unsigned skipped;   /* blank and '#' comment lines */
    unsigned malformed; /* lines with a known label but bad fields, or garbage; warned */
    unsigned unknown;   /* well-formed lines with an unknown label; warned and ignored */
} tnt_keylog_stats;

tnt_keylog *tnt_keylog_new(void);
void tnt_keylog_free(tnt_keylog *kl);

/* Loads key log text in memory (a file's contents, the body of a pcapng
 * Decryption Secrets Block) into kl, adding to what is there. name is used
 * in warnings; warn and stats may be NULL. Cannot fail: bad lines are
 * warned about and skipped, NUL bytes are just bad text. (Reading a file:
 * tnt/load.h.) */
void tnt_keylog_load_buffer(tnt_keylog *kl, const char *name, const uint8_t *data, size_t len,
                            tnt_keylog_warn_fn warn, void *user, tnt_keylog_stats *stats);
/* Continues a load for a reader that streams its input in pieces of whole
 * lines (tnt/load.h): data starts at a line of an input whose first
 * stats->lines lines were loaded before. Counts are added to *stats (not
 * zeroed; stats must not be NULL), warnings carry the line numbers of the
 * whole input, and a byte order mark is not dropped (it is one only at the
 * start of the input). */
void tnt_keylog_load_more(tnt_keylog *kl, const char *name, const uint8_t *data, size_t len,
                          tnt_keylog_warn_fn warn, void *user, tnt_keylog_stats *stats);

/* Adds one entry. key_len must be 8 for TNT_KL_RSA and 32 otherwise;
 * secret_len must be 48 for the TLS <= 1.2 labels and 32 or 48 for the TLS
 * 1.3 ones. Returns false (storing nothing) if a length is wrong. */
bool tnt_keylog_add(tnt_keylog *kl, tnt_keylog_label label, const uint8_t *key, size_t key_len,
                    const uint8_t *secret, size_t secret_len);

/* Lookups: true and the secret copied out if present. */
bool tnt_keylog_master_secret(const tnt_keylog *kl, const uint8_t client_random[32],
                              uint8_t out[48]);
bool tnt_keylog_pms_by_cr(const tnt_keylog *kl, const uint8_t client_random[32], uint8_t out[48]);
bool tnt_keylog_pms_by_rsa_prefix(const tnt_keylog *kl, const uint8_t epms_prefix[8],
                                  uint8_t out[48]);
/* For a TLS 1.3 label: *len is the capacity of out on entry and the secret's
 * length (32 or 48) on success. False if absent, if label is not a TLS 1.3
 * label, or if out is too small. */
bool tnt_keylog_tls13_secret(const tnt_keylog *kl, tnt_keylog_label label,
                             const uint8_t client_random[32], uint8_t *out, size_t *len);

/* Number of distinct keys held for a label. */
size_t tnt_keylog_count(const tnt_keylog *kl, tnt_keylog_label label);

#endif
