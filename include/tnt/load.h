/* Reading key material from files, for the command-line front ends.
 *
 * The decoding core takes buffers only (tnt_keylog_load_buffer,
 * tnt_rsa_keyset_load_buffer, tnt_anchors_add_buffer). These read files
 * and pass their contents on; they live in their own library, tntload,
 * which the front ends link (the plugin for its own key log preference). */
#ifndef TNT_LOAD_H
#define TNT_LOAD_H

#include "tnt/chain_verify.h"
#include "tnt/keylog.h"
#include "tnt/rsa_key.h"

#include <glib.h>

/* A key log file into kl (adding to what is there); see
 * tnt_keylog_load_buffer. The file is streamed TNT_KEYLOG_CHUNK bytes at a
 * time, so memory is what the entries take, not the file's size; a line
 * longer than TNT_KEYLOG_MAX_LINE is malformed ("line longer than 64 KiB")
 * and skipped without being kept. Returns false, with *error set (if error
 * is non-NULL), only when the file cannot be opened or read. */
#define TNT_KEYLOG_CHUNK (1u << 20)
#define TNT_KEYLOG_MAX_LINE (64u << 10)
bool tnt_keylog_load_file(tnt_keylog *kl, const char *path, tnt_keylog_warn_fn warn, void *user,
                          tnt_keylog_stats *stats, GError **error);
/* Every RSA private key of a file; see tnt_rsa_keyset_load_buffer. -1 with
 * *error set when the file cannot be read. */
int tnt_rsa_keyset_load_file(tnt_rsa_keyset *ks, const char *path, GError **error);
/* Every certificate of a trust anchor file; see tnt_anchors_add_buffer. */
bool tnt_anchors_add_file(tnt_anchor_set *s, const char *path, const tnt_anchor_key *keys,
                          uint32_t n_keys, tnt_error *err);

#endif
