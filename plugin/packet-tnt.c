/* The TNT dissector: registration, ownership of TNT connections, record
 * framing and the per-frame store. Decoding itself is lib/'s, reached only
 * through tnt_glue.c.
 *
 * Ownership. A TCP connection is TNT when its first ClientHello (or a
 * ServerHello) carries the `tnt` extension, on any port. The stock TLS
 * dissector reaches TCP two ways, and the plugin sits in front of both
 * without changing what TLS sees for any other connection:
 *  - every "tcp.port" entry that names TLS (443, its range preference and
 *    the ports other protocols register through ssl_dissector_add) is
 *    pointed at a shim handle. The shim belongs to a protocol-in-name-only
 *    child of TLS, so it adds no layer (frame.protocols is unchanged) and is
 *    enabled exactly when TLS is. It hands everything that is not TNT to
 *    TLS with pinfo->can_desegment restored, as if TCP had called TLS.
 *  - the "tls_tcp" heuristic (other ports): its entry keeps its place,
 *    protocol and enable switch; only its function is wrapped. Plugin
 *    heuristics cannot simply be added in front: a heuristic that matches is
 *    moved to the head of TCP's list, so TLS would soon be asked first.
 * A connection found to be TNT gets the TNT handle as its conversation
 * dissector, which TCP asks before ports and heuristics. Decode As "TNT"
 * forces the plugin; disabling TNT makes the shim and the wrapper pass
 * everything to TLS.
 *
 * Wireshark's model of packets: everything is computed on the first pass
 * and stored per frame (p_add_proto_data, one entry per call of the
 * dissector in that frame). Later passes, in any order, read it. */
#include <wireshark.h>

#include <epan/addr_resolv.h>
#include <epan/conversation.h>
#include <epan/to_str.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/prefs-int.h>
#include <epan/proto_data.h>
#include <epan/follow.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>
#include <epan/uat-int.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/dissectors/packet-tls.h>

#include "packet-tnt.h"
#include "tnt_glue.h"

#include <string.h>

/* Where later releases renamed what 4.0 calls otherwise (only 4.0 is built
 * and tested here): 4.4 moved the tvb getters to C99 names (tvb_get_uint8;
 * the g-type names became deprecated aliases), 4.2 gave
 * register_follow_stream a stream counter and a sub-stream lookup. */
#if TNT_WS_AT_LEAST(4, 4)
#define tnt_tvb_u8 tvb_get_uint8
#else
#define tnt_tvb_u8 tvb_get_guint8
#endif

tnt_ids tnt_id;

static int proto_tnt_shim = -1, proto_tls = -1;
static dissector_handle_t tnt_handle, tnt_shim_handle, tls_handle, data_handle;
static heur_dtbl_entry_t *tls_heur_entry;
static heur_dissector_t tls_heur_orig;
static dissector_table_t tls_port_table;
static heur_dissector_list_t tls_heur_list;
static int tnt_tap = -1, tnt_follow_tap = -1;

/* preferences */
static guint pref_ext_type = 0xFF54, pref_hs_negotiation = 224, pref_hs_proof = 225;
static const char *pref_keylog_file = "";
static const char *pref_rsa_key_file = "";
static const char *pref_anchor_files = "";

/* One TNT connection. */
typedef struct tnt_conv {
    address client_addr;
    guint32 client_port;
    uint64_t next_off[2]; /* first pass: stream offset of the next byte */
    guint32 next_seq[2];  /* first pass: TCP seq of the next byte */
    bool have_seq[2];
    tnt_glue_conn *glue; /* first pass only */
    guint32 first_frame;
} tnt_conv;

static GSList *live_convs; /* glue states to free at the file's end */

/* ---- keys ----------------------------------------------------------------- */

/* StringInfo as packet-tls-utils.h defines it; that header drags in
 * libgcrypt's, which the plugin does not otherwise need. */
typedef struct {
    guchar *data;
    guint data_len;
} tnt_string_info;

static bool ws_master_secret(const uint8_t cr[32], uint8_t ms[48])
{
    if (!ssl_crandom_hash)
        return false;
    tnt_string_info key = {(guchar *)cr, 32};
    const tnt_string_info *v = g_hash_table_lookup(ssl_crandom_hash, &key);
    if (!v || v->data_len != 48)
        return false;
    memcpy(ms, v->data, 48);
    return true;
}

static const char *tls_keylog_file(void)
{
    /* The TLS dissector reads its key log lazily, only for connections it
     * decrypts itself, so the plugin reads the preference and the file. */
    module_t *m = prefs_find_module("tls");
    pref_t *p = m ? prefs_find_preference(m, "keylog_file") : NULL;
    const char *v = p ? prefs_get_string_value(p, pref_current) : NULL;
    return v && *v ? v : NULL;
}

/* Key files of Wireshark's RSA key tables: the global "RSA Private Keys"
 * (field uri) and TLS's own "TLS Decrypt" list (field keyfile). PKCS#11
 * token URIs and PKCS#12 files are not for lib/'s PEM loader. */
static void collect_rsa_key_files(GPtrArray *out)
{
    static const char *const tables[][2] = {{"RSA Private Keys", "uri"},
                                            {"TLS Decrypt", "keyfile"}};
    for (size_t t = 0; t < G_N_ELEMENTS(tables); t++) {
        uat_t *u = uat_get_table_by_name(tables[t][0]);
        if (!u || !u->user_data)
            continue;
        const uat_field_t *fld = NULL;
        for (guint i = 0; i < u->ncols; i++)
            if (!strcmp(u->fields[i].name, tables[t][1]))
                fld = &u->fields[i];
        if (!fld || !fld->cb.tostr)
            continue;
        for (guint r = 0; r < u->user_data->len; r++) {
            void *rec = u->user_data->data + u->record_size * r;
            char *v = NULL;
            unsigned vlen = 0;
            fld->cb.tostr(rec, &v, &vlen, fld->cbdata.tostr, fld->fld_data);
            if (v && vlen && strncmp(v, "pkcs11:", 7))
                g_ptr_array_add(out, g_strndup(v, vlen));
            g_free(v);
        }
    }
}

static tnt_conv *conv_new(packet_info *pinfo, conversation_t *conv, bool src_is_client)
{
    tnt_conv *c = wmem_new0(wmem_file_scope(), tnt_conv);
    if (src_is_client) {
        copy_address_wmem(wmem_file_scope(), &c->client_addr, &pinfo->src);
        c->client_port = pinfo->srcport;
    } else {
        copy_address_wmem(wmem_file_scope(), &c->client_addr, &pinfo->dst);
        c->client_port = pinfo->destport;
    }
    c->first_frame = pinfo->num;
    GPtrArray *rsa = g_ptr_array_new_with_free_func(g_free);
    if (*pref_rsa_key_file)
        g_ptr_array_add(rsa, g_strdup(pref_rsa_key_file));
    collect_rsa_key_files(rsa);
    g_ptr_array_add(rsa, NULL);
    tnt_glue_keysrc keys = {{tls_keylog_file(), *pref_keylog_file ? pref_keylog_file : NULL},
                            (const char *const *)rsa->pdata,
                            *pref_anchor_files ? pref_anchor_files : NULL,
                            ws_master_secret};
    c->glue = tnt_glue_conn_new(&keys, pinfo->num);
    g_ptr_array_free(rsa, TRUE);
    live_convs = g_slist_prepend(live_convs, c);
    conversation_add_proto_data(conv, tnt_id.proto, c);
    conversation_set_dissector(conv, tnt_handle);
    return c;
}

static void tnt_cleanup(void)
{
    for (GSList *l = live_convs; l; l = l->next) {
        tnt_conv *c = l->data;
        tnt_glue_conn_free(c->glue);
        c->glue = NULL;
    }
    g_slist_free(live_convs);
    live_convs = NULL;
    tnt_glue_run_reset();
}

/* ---- ownership ------------------------------------------------------------ */

/* The first bytes of a direction hold a hello with the `tnt` extension. */
static bool looks_tnt(tvbuff_t *tvb)
{
    guint len = tvb_captured_length(tvb);
    if (len < 9 || tnt_tvb_u8(tvb, 0) != 22 || tnt_tvb_u8(tvb, 1) != 3)
        return false;
    guint8 hs = tnt_tvb_u8(tvb, 5);
    if (hs != 1 && hs != 2)
        return false;
    return tnt_glue_hello_has_tnt(tvb_get_ptr(tvb, 0, len), len);
}

static bool tnt_enabled(void)
{
    return proto_is_protocol_enabled(find_protocol_by_id(tnt_id.proto));
}

static int dissect_tnt(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);

/* In front of TLS on its ports. */
static int dissect_tnt_shim(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (tnt_enabled()) {
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        if ((conv && conversation_get_proto_data(conv, tnt_id.proto)) ||
            (!PINFO_FD_VISITED(pinfo) && looks_tnt(tvb)))
            return call_dissector_only(tnt_handle, tvb, pinfo, tree, data);
    }
    /* As if TCP had called TLS itself: call_dissector took one level of
     * desegmentation away for this shim. */
    pinfo->can_desegment = pinfo->saved_can_desegment;
    return call_dissector_only(tls_handle, tvb, pinfo, tree, data);
}

/* In place of TLS's own heuristic on TCP. */
static gboolean heur_tnt_tls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    conversation_t *conv = tnt_enabled() ? find_conversation_pinfo(pinfo, 0) : NULL;
    /* A TNT connection's later segments come here too when TCP tries
     * heuristics before conversations (tcp.try_heuristic_first). */
    if (tnt_enabled() && ((conv && conversation_get_proto_data(conv, tnt_id.proto)) ||
                          (!PINFO_FD_VISITED(pinfo) && looks_tnt(tvb)))) {
        /* dissector_try_heuristic added a TLS layer for the entry; this
         * connection is TNT's. (Heuristics are called directly, not through
         * call_dissector, so desegmentation needs no restoring here.) */
        wmem_list_frame_t *last = wmem_list_tail(pinfo->layers);
        if (last) {
            wmem_list_remove_frame(pinfo->layers, last);
            pinfo->curr_layer_num--;
        }
        call_dissector_with_data(tnt_handle, tvb, pinfo, tree, data);
        return TRUE;
    }
    return tls_heur_orig(tvb, pinfo, tree, data);
}

/* ---- dissection ----------------------------------------------------------- */

static int conv_dir(const tnt_conv *c, packet_info *pinfo)
{
    return (pinfo->srcport == c->client_port && addresses_equal(&pinfo->src, &c->client_addr)) ? 0
                                                                                               : 1;
}

/* Ends of the complete records at the start of tvb; asks TCP for more when
 * the last one is cut. Bytes that are not records are fed as they are
 * (lib/ hunts for the next record itself). */
static guint frame_records(tvbuff_t *tvb, packet_info *pinfo)
{
    guint len = tvb_captured_length(tvb), off = 0;
    if (tvb_reported_length(tvb) != len)
        return len;
    while (off < len) {
        if (len - off < 5) {
            if (pinfo->can_desegment) {
                pinfo->desegment_offset = off;
                pinfo->desegment_len = DESEGMENT_ONE_MORE_SEGMENT;
                return off;
            }
            return len;
        }
        guint8 ct = tnt_tvb_u8(tvb, off);
        guint8 major = tnt_tvb_u8(tvb, off + 1);
        guint16 rlen = tvb_get_ntohs(tvb, off + 3);
        if (ct < 20 || ct > 24 || major != 3 || rlen > 16384 + 2048)
            return len;
        if ((guint)rlen + 5 > len - off) {
            if (pinfo->can_desegment) {
                pinfo->desegment_offset = off;
                pinfo->desegment_len = rlen + 5 - (len - off);
                return off;
            }
            return len;
        }
        off += 5u + rlen;
    }
    return off;
}

expert_field *tnt_glue_note_expert(const tntp_note *n)
{
    expert_field *ei;
    if (n->kind >= 0 && n->kind < 16)
        ei = &tnt_id.ei_violation[n->kind];
    else if (n->kind == -2)
        ei = &tnt_id.ei_no_keys;
    else if (n->kind == -3)
        ei = &tnt_id.ei_decrypt_failed;
    else if (n->kind == -4)
        ei = &tnt_id.ei_malformed;
    else if (n->kind == -5)
        ei = &tnt_id.ei_gap;
    else
        ei = &tnt_id.ei_note;
    return ei;
}

static void add_note(const tntp_note *n, packet_info *pinfo, proto_item *at)
{
    expert_add_info_format(pinfo, at, tnt_glue_note_expert(n), "%s", n->text);
}

static void hand_on_app_data(tvbuff_t *ptvb, packet_info *pinfo, proto_tree *tree, guint32 port)
{
    /* As TLS does: the port table its users registered in, then its
     * heuristics, then raw data. */
    heur_dtbl_entry_t *hdtbl;
    if (tls_port_table && dissector_try_uint(tls_port_table, port, ptvb, pinfo, tree))
        return;
    if (tls_heur_list && dissector_try_heuristic(tls_heur_list, ptvb, pinfo, tree, &hdtbl, NULL))
        return;
    call_dissector(data_handle, ptvb, pinfo, tree);
}

static void tnt_dissect_record(tvbuff_t *tvb, guint toff, const tntp_rec_info *r,
                               const tntp_chunk *ch, packet_info *pinfo, proto_tree *tree,
                               proto_tree *top, bool *last_round)
{
    const char *ctn = tnt_glue_content_type_name(r->type);
    proto_item *ri = proto_tree_add_none_format(tree, tnt_id.record, tvb, toff, 5 + r->length,
                                                "TNT Record Layer: %s", ctn);
    proto_tree *rt = proto_item_add_subtree(ri, tnt_id.ett_record);
    proto_tree_add_item(rt, tnt_id.rec_content_type, tvb, toff, 1, ENC_NA);
    if (tnt_id.tls_ct > 0)
        proto_item_set_hidden(proto_tree_add_item(rt, tnt_id.tls_ct, tvb, toff, 1, ENC_NA));
    proto_tree_add_item(rt, tnt_id.rec_version, tvb, toff + 1, 2, ENC_BIG_ENDIAN);
    if (tnt_id.tls_version > 0)
        proto_item_set_hidden(
            proto_tree_add_item(rt, tnt_id.tls_version, tvb, toff + 1, 2, ENC_BIG_ENDIAN));
    proto_tree_add_item(rt, tnt_id.rec_length, tvb, toff + 3, 2, ENC_BIG_ENDIAN);

    tvbuff_t *ptvb = NULL;
    if (r->state == TNTP_REC_CLEAR) {
        ptvb = tvb_new_subset_length(tvb, toff + 5, r->length);
    } else if ((r->state == TNTP_REC_DECRYPTED || r->state == TNTP_REC_NULL) && r->plain) {
        proto_item *di =
            proto_tree_add_boolean(rt, tnt_id.decrypted, tvb, toff + 5, r->length, TRUE);
        proto_item_set_generated(di);
        ptvb = tvb_new_child_real_data(tvb, r->plain, r->plain_len, r->plain_len);
        add_new_data_source(pinfo, ptvb, "Decrypted TNT record");
    } else {
        proto_tree_add_item(rt, tnt_id.rec_body, tvb, toff + 5, r->length, ENC_NA);
        if (r->state == TNTP_REC_FAILED) {
            proto_item_append_text(ri, " (failed authentication)");
            expert_add_info(pinfo, ri, &tnt_id.ei_decrypt_failed);
        }
        /* TLS's words */
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ",
                           r->type == 22   ? "Encrypted Handshake Message"
                           : r->type == 23 ? "Application Data"
                           : r->type == 21 ? "Encrypted Alert"
                                           : "Encrypted Record");
    }
    if (ptvb) {
        switch (r->type) {
        case 20:
            proto_tree_add_item(rt, tnt_id.ccs, ptvb, 0, tvb_captured_length(ptvb), ENC_NA);
            col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", "Change Cipher Spec");
            break;
        case 21:
            if (r->has_alert) {
                proto_tree_add_item(rt, tnt_id.alert_level, ptvb, 0, 1, ENC_NA);
                proto_tree_add_item(rt, tnt_id.alert_desc, ptvb, 1, 1, ENC_NA);
                col_append_sep_fstr(
                    pinfo->cinfo, COL_INFO, ", ", "Alert (Level: %s, Description: %s)",
                    tnt_glue_alert_level_name(r->alert_level), tnt_glue_alert_name(r->alert_desc));
            }
            if (r->verdict)
                tnt_glue_dissect_verdict(r->verdict, ptvb, rt);
            break;
        case 22: {
            guint n = r->frags ? wmem_array_get_count(r->frags) : 0;
            bool partial = false;
            for (guint i = 0; i < n; i++) {
                const tntp_fragment *f = wmem_array_index(r->frags, i);
                const tntp_msg_info *m = f->msg;
                bool whole = f->msg_off == 0 && f->len == m->expected_len;
                bool ends = m->expected_len && f->msg_off + f->len == m->expected_len;
                if (whole && m->raw) {
                    tnt_glue_dissect_message(m, tvb_new_subset_length(ptvb, f->off, f->len), pinfo,
                                             rt, ch->notes);
                } else {
                    proto_tree_add_bytes_format(
                        rt, tnt_id.fragment, ptvb, f->off, f->len, NULL,
                        "Handshake message fragment (%u of %u bytes, at %u)", f->len,
                        m->expected_len, f->msg_off);
                    if (ends && m->raw) {
                        tvbuff_t *mt =
                            tvb_new_child_real_data(ptvb, m->raw, m->raw_len, m->raw_len);
                        add_new_data_source(pinfo, mt, "Reassembled TNT handshake message");
                        proto_item *fi = proto_tree_add_uint(rt, tnt_id.fragment_of, ptvb, f->off,
                                                             f->len, m->n_records);
                        proto_item_set_generated(fi);
                        tnt_glue_dissect_message(m, mt, pinfo, rt, ch->notes);
                    } else if (!ends) {
                        partial = true;
                    }
                }
                if (ends && m->raw && m->summary) {
                    /* "TNT round 3 (server): Accreditation + proof" */
                    if (m->type == pref_hs_proof && *last_round)
                        col_append_str(pinfo->cinfo, COL_INFO, " + proof");
                    else
                        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", m->summary);
                    *last_round = m->type == pref_hs_negotiation;
                }
            }
            if (n == 0 || partial)
                col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", "Handshake fragment");
            break;
        }
        case 23: {
            proto_tree_add_item(rt, tnt_id.app_data, ptvb, 0, tvb_captured_length(ptvb), ENC_NA);
            col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", "Application Data");
            if (r->state != TNTP_REC_CLEAR && tvb_captured_length(ptvb) > 0) {
                if (have_tap_listener(tnt_follow_tap))
                    tap_queue_packet(tnt_follow_tap, pinfo, ptvb);
                guint32 server_port = ch->dir == 0 ? pinfo->destport : pinfo->srcport;
                hand_on_app_data(ptvb, pinfo, top, server_port);
            }
            break;
        }
        default:
            break;
        }
    }
    for (const tntp_note *n = ch->notes; n; n = n->next)
        if (n->stream_off == r->stream_off)
            add_note(n, pinfo, ri);
}

/* The frame's TNT facts for the stats tree. */
static void tap_frame(packet_info *pinfo, const tntp_chunk *ch)
{
    if (!have_tap_listener(tnt_tap))
        return;
    tntp_tap_info *ti = wmem_new0(pinfo->pool, tntp_tap_info);
    ti->msgs = wmem_array_new(pinfo->pool, sizeof(const tntp_msg_info *));
    ti->verdicts = wmem_array_new(pinfo->pool, sizeof(const tntp_verdict *));
    ti->notes = wmem_array_new(pinfo->pool, sizeof(const tntp_note *));
    for (const tntp_rec_info *r = ch->recs; r; r = r->next) {
        if (r->verdict && r->verdict->first_final)
            wmem_array_append_one(ti->verdicts, r->verdict);
        guint n = r->frags ? wmem_array_get_count(r->frags) : 0;
        for (guint i = 0; i < n; i++) {
            const tntp_fragment *f = wmem_array_index(r->frags, i);
            const tntp_msg_info *m = f->msg;
            if (!m->raw || f->msg_off + f->len != m->expected_len)
                continue;
            if (m->type == pref_hs_negotiation)
                wmem_array_append_one(ti->msgs, m);
            if (m->verdict && m->verdict->first_final)
                wmem_array_append_one(ti->verdicts, m->verdict);
        }
    }
    for (const tntp_note *n = ch->notes; n; n = n->next)
        if (n->kind >= 0)
            wmem_array_append_one(ti->notes, n);
    tap_queue_packet(tnt_tap, pinfo, ti);
}

static int dissect_tnt(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    conversation_t *conv = find_or_create_conversation(pinfo);
    tnt_conv *c = conversation_get_proto_data(conv, tnt_id.proto);
    if (!c) {
        if (PINFO_FD_VISITED(pinfo))
            return 0;
        /* Decode As, or the shim's first sight of a hello: the sender of the
         * first bytes is the client unless they are a ServerHello. */
        bool server_hello = tvb_captured_length(tvb) > 5 && tnt_tvb_u8(tvb, 5) == 2;
        c = conv_new(pinfo, conv, !server_hello);
    }
    int dir = conv_dir(c, pinfo);

    /* Which call of this dissector in the frame (TCP may hand over a
     * reassembled PDU and then the rest of the segment). */
    struct frame_state {
        guint calls;
        bool last_round; /* the Info column ends with a TNT round */
    } *fs = p_get_proto_data(pinfo->pool, pinfo, tnt_id.proto, 0);
    if (!fs) {
        fs = wmem_new0(pinfo->pool, struct frame_state);
        p_add_proto_data(pinfo->pool, pinfo, tnt_id.proto, 0, fs);
    }
    guint call = ++fs->calls;
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "TNT");
    if (call == 1) /* a later PDU of the frame adds to what the first wrote */
        col_clear(pinfo->cinfo, COL_INFO);

    tntp_chunk *ch;
    if (!PINFO_FD_VISITED(pinfo)) {
        ch = wmem_new0(wmem_file_scope(), tntp_chunk);
        ch->dir = dir;
        ch->recs_tail = &ch->recs;
        ch->notes_tail = &ch->notes;
        /* Bytes fed already (a retransmission) are shown, not fed again;
         * bytes missing before these (a gap) are reported to lib/. Only
         * for plain segments: TCP's seq numbers are those of the segment,
         * also when the tvb is the rest of it after a reassembled PDU. */
        const struct tcpinfo *ti = data;
        guint len = tvb_captured_length(tvb), skip = 0;
        if (ti && !ti->is_reassembled && c->have_seq[dir]) {
            gint32 fresh = (gint32)(ti->nxtseq - c->next_seq[dir]);
            gint32 gap = (gint32)(ti->nxtseq - len - c->next_seq[dir]);
            if (fresh <= 0)
                skip = len;
            else if ((guint)fresh < len)
                skip = len - (guint)fresh;
            else if (gap > 0 && c->glue) {
                tnt_glue_gap(c->glue, dir, pinfo->num, (uint64_t)gap, ch);
                c->next_off[dir] += (guint)gap;
                c->next_seq[dir] += (guint32)gap;
            }
        }
        if (ti && !c->have_seq[dir]) {
            c->have_seq[dir] = true;
            c->next_seq[dir] = ti->nxtseq - len;
        }
        guint end = skip;
        if (skip < len) {
            tvbuff_t *rest = skip ? tvb_new_subset_remaining(tvb, skip) : tvb;
            end = skip + frame_records(rest, pinfo);
            if (skip && pinfo->desegment_len)
                pinfo->desegment_offset += skip;
        }
        ch->skip = skip;
        ch->stream_off = c->next_off[dir] - skip;
        ch->len = end;
        if (end > skip && c->glue)
            tnt_glue_feed(c->glue, dir, pinfo->num, tvb_get_ptr(tvb, skip, end - skip), end - skip,
                          ch);
        c->next_off[dir] += end - skip;
        c->next_seq[dir] += end - skip;
        p_add_proto_data(wmem_file_scope(), pinfo, tnt_id.proto, call, ch);
    } else {
        ch = p_get_proto_data(wmem_file_scope(), pinfo, tnt_id.proto, call);
        if (!ch)
            return tvb_captured_length(tvb);
        /* TCP repeats the first pass's reassembly decisions. */
        if (ch->len < tvb_captured_length(tvb) && pinfo->can_desegment) {
            pinfo->desegment_offset = ch->len;
            pinfo->desegment_len = DESEGMENT_ONE_MORE_SEGMENT;
        }
    }
    if (ch->len == ch->skip) {
        if (ch->skip) {
            proto_item *ti = proto_tree_add_item(tree, tnt_id.proto, tvb, 0, ch->skip, ENC_NA);
            proto_item_append_text(ti, " (retransmitted bytes, shown where they were first seen)");
            col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", "Retransmission");
        }
        return tvb_captured_length(tvb);
    }

    proto_item *ti = proto_tree_add_item(tree, tnt_id.proto, tvb, 0, ch->len, ENC_NA);
    /* The display filter "tls" matches TNT connections too (a hidden
     * item: the TLS dissector itself does not run, so frame.protocols
     * still says tnt). */
    if (proto_tls > 0)
        proto_item_set_hidden(proto_tree_add_item(tree, proto_tls, tvb, 0, ch->len, ENC_NA));
    proto_tree *tt = proto_item_add_subtree(ti, tnt_id.ett_tnt);
    for (const tntp_rec_info *r = ch->recs; r; r = r->next) {
        if (r->stream_off < ch->stream_off ||
            r->stream_off - ch->stream_off + 5 + r->length > ch->len)
            continue; /* began in bytes the plugin saw before (no desegmentation) */
        if (r->type != 22)
            fs->last_round = false;
        tnt_dissect_record(tvb, (guint)(r->stream_off - ch->stream_off), r, ch, pinfo, tt, tree,
                           &fs->last_round);
    }
    tap_frame(pinfo, ch);
    if (ch->verdict)
        tnt_glue_dissect_verdict(ch->verdict, tvb, tt);
    for (const tntp_note *n = ch->notes; n; n = n->next) {
        bool at_record = false;
        for (const tntp_rec_info *r = ch->recs; r; r = r->next)
            if (r->stream_off == n->stream_off && r->stream_off >= ch->stream_off &&
                r->stream_off - ch->stream_off + 5 + r->length <= ch->len)
                at_record = true;
        if (!at_record && !n->msg)
            add_note(n, pinfo, ti);
    }
    return tvb_captured_length(tvb);
}

/* ---- statistics and follow ------------------------------------------------- */

static int st_outcome, st_rounds, st_creds, st_viol;

static void tnt_stats_init(stats_tree *st)
{
    st_outcome = stats_tree_create_node(st, "Negotiations by outcome", 0, STAT_DT_INT, TRUE);
    st_rounds = stats_tree_create_node(st, "Rounds", 0, STAT_DT_INT, TRUE);
    st_creds = stats_tree_create_node(st, "Credentials disclosed by type", 0, STAT_DT_INT, TRUE);
    st_viol = stats_tree_create_node(st, "Violations (spec section 8)", 0, STAT_DT_INT, TRUE);
}

static tap_packet_status tnt_stats_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt,
                                          const void *p, tap_flags_t flags)
{
    const tntp_tap_info *ti = p;
    for (guint i = 0; i < wmem_array_get_count(ti->verdicts); i++) {
        const tntp_verdict *v = *(const tntp_verdict **)wmem_array_index(ti->verdicts, i);
        tick_stat_node(st, "Negotiations by outcome", 0, FALSE);
        tick_stat_node(st, v->outcome, st_outcome, FALSE);
    }
    for (guint i = 0; i < wmem_array_get_count(ti->msgs); i++) {
        const tntp_msg_info *m = *(const tntp_msg_info **)wmem_array_index(ti->msgs, i);
        char name[64];
        g_snprintf(name, sizeof name, "round %u (%s)", m->round,
                   m->from_server ? "server" : "client");
        tick_stat_node(st, "Rounds", 0, FALSE);
        tick_stat_node(st, name, st_rounds, FALSE);
        for (uint32_t c = 0; c < m->n_creds; c++) {
            tick_stat_node(st, "Credentials disclosed by type", 0, FALSE);
            tick_stat_node(st, m->cred_types[c], st_creds, FALSE);
        }
    }
    for (guint i = 0; i < wmem_array_get_count(ti->notes); i++) {
        const tntp_note *n = *(const tntp_note **)wmem_array_index(ti->notes, i);
        tick_stat_node(st, "Violations (spec section 8)", 0, FALSE);
        tick_stat_node(st, tnt_glue_violation_name(n->kind), st_viol, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

/* What TCP's follow functions do (4.0 does not export them): a TNT
 * connection is its TCP stream. */
static gchar *tnt_follow_conv_filter(epan_dissect_t *edt, packet_info *pinfo, guint *stream,
                                     guint *sub_stream)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    if (!conv || !conversation_get_proto_data(conv, tnt_id.proto))
        return NULL;
    struct tcp_analysis *tcpd = get_tcp_conversation_data(conv, pinfo);
    if (!tcpd)
        return NULL;
    *stream = tcpd->stream;
    *sub_stream = 0;
    return g_strdup_printf("tcp.stream eq %u", tcpd->stream);
}

static gchar *tnt_follow_index_filter(guint stream, guint sub_stream)
{
    return g_strdup_printf("tcp.stream eq %u", stream);
}

static gchar *tnt_follow_address_filter(address *src, address *dst, int src_port, int dst_port)
{
    const gchar *ip = src->type == AT_IPv6 ? "ipv6" : "ip";
    gchar *s = address_to_str(NULL, src), *d = address_to_str(NULL, dst);
    gchar *f = g_strdup_printf("((%s.src eq %s and tcp.srcport eq %d) and "
                               "(%s.dst eq %s and tcp.dstport eq %d))"
                               " or "
                               "((%s.src eq %s and tcp.srcport eq %d) and "
                               "(%s.dst eq %s and tcp.dstport eq %d))",
                               ip, s, src_port, ip, d, dst_port, ip, d, dst_port, ip, s, src_port);
    wmem_free(NULL, s);
    wmem_free(NULL, d);
    return f;
}

/* ---- registration --------------------------------------------------------- */

static void apply_prefs(void)
{
    if (!tnt_glue_set_codepoints((uint16_t)pref_ext_type, (uint8_t)pref_hs_negotiation,
                                 (uint8_t)pref_hs_proof))
        ws_warning("tnt: codepoints %#x/%u/%u refused (collision); keeping the previous ones",
                   pref_ext_type, pref_hs_negotiation, pref_hs_proof);
}

#define HF(id, name, abbrev, type, disp, strings, blurb)                                           \
    {                                                                                              \
        &tnt_id.id,                                                                                \
        {                                                                                          \
            name, abbrev, type, disp, strings, 0x0, blurb, HFILL                                   \
        }                                                                                          \
    }

void proto_register_tnt(void)
{
    memset(&tnt_id, -1, offsetof(tnt_ids, ei_violation));
    static hf_register_info hf[] = {
        HF(record, "Record", "tnt.record", FT_NONE, BASE_NONE, NULL, NULL),
        HF(rec_content_type, "Content Type", "tnt.record.content_type", FT_UINT8, BASE_DEC, NULL,
           NULL),
        HF(rec_version, "Version", "tnt.record.version", FT_UINT16, BASE_HEX, NULL, NULL),
        HF(rec_length, "Length", "tnt.record.length", FT_UINT16, BASE_DEC, NULL, NULL),
        HF(rec_body, "Encrypted record body", "tnt.record.encrypted", FT_BYTES, BASE_NONE, NULL,
           NULL),
        HF(decrypted, "Decrypted", "tnt.decrypted", FT_BOOLEAN, BASE_NONE, NULL,
           "The record was decrypted and authenticated"),
        HF(fragment, "Handshake fragment", "tnt.fragment", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(fragment_of, "Reassembled from records", "tnt.fragment.count", FT_UINT32, BASE_DEC, NULL,
           NULL),
        HF(app_data, "Application Data", "tnt.app_data", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(ccs, "Change Cipher Spec", "tnt.change_cipher_spec", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(alert_level, "Alert level", "tnt.alert.level", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(alert_desc, "Alert description", "tnt.alert.description", FT_UINT8, BASE_DEC, NULL,
           NULL),
        HF(hs, "Handshake message", "tnt.handshake", FT_NONE, BASE_NONE, NULL, NULL),
        HF(hs_type, "Handshake Type", "tnt.handshake.type", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(hs_length, "Length", "tnt.handshake.length", FT_UINT24, BASE_DEC, NULL, NULL),
        HF(hs_body, "Body", "tnt.handshake.body", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(version, "Version", "tnt.handshake.version", FT_UINT16, BASE_HEX, NULL, NULL),
        HF(random, "Random", "tnt.handshake.random", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(session_id, "Session ID", "tnt.handshake.session_id", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(session_id_len, "Session ID Length", "tnt.handshake.session_id_length", FT_UINT8,
           BASE_DEC, NULL, NULL),
        HF(suites_len, "Cipher Suites Length", "tnt.handshake.cipher_suites_length", FT_UINT16,
           BASE_DEC, NULL, NULL),
        HF(suites_list, "Cipher Suites", "tnt.handshake.ciphersuites", FT_NONE, BASE_NONE, NULL,
           NULL),
        HF(suite, "Cipher Suite", "tnt.handshake.ciphersuite", FT_UINT16, BASE_HEX, NULL, NULL),
        HF(comp_len, "Compression Methods Length", "tnt.handshake.comp_methods_length", FT_UINT8,
           BASE_DEC, NULL, NULL),
        HF(comp, "Compression Method", "tnt.handshake.comp_method", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(ext_len, "Extensions Length", "tnt.handshake.extensions_length", FT_UINT16, BASE_DEC,
           NULL, NULL),
        HF(ext, "Extension", "tnt.handshake.extension", FT_NONE, BASE_NONE, NULL, NULL),
        HF(ext_type, "Type", "tnt.handshake.extension.type", FT_UINT16, BASE_DEC, NULL, NULL),
        HF(ext_length, "Length", "tnt.handshake.extension.len", FT_UINT16, BASE_DEC, NULL, NULL),
        HF(ext_data, "Data", "tnt.handshake.extension.data", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(ext_version, "TNT version", "tnt.ext.version", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(ext_mode, "Mode", "tnt.ext.mode", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(ext_strategy, "Strategy", "tnt.ext.strategy", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(ext_language, "Policy language", "tnt.ext.language", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(sni, "Server Name", "tnt.handshake.server_name", FT_STRING, BASE_NONE, NULL, NULL),
        HF(alpn, "ALPN Protocol", "tnt.handshake.alpn", FT_STRING, BASE_NONE, NULL, NULL),
        HF(group, "Supported Group", "tnt.handshake.group", FT_UINT16, BASE_HEX, NULL, NULL),
        HF(sigalg, "Signature Algorithm", "tnt.handshake.sig_alg", FT_UINT16, BASE_HEX, NULL, NULL),
        HF(supported_version, "Supported Version", "tnt.handshake.supported_version", FT_UINT16,
           BASE_HEX, NULL, NULL),
        HF(reneg_info, "Renegotiated connection", "tnt.handshake.renegotiation_info", FT_BYTES,
           BASE_NONE, NULL, NULL),
        HF(certs_len, "Certificates Length", "tnt.handshake.certificates_length", FT_UINT24,
           BASE_DEC, NULL, NULL),
        HF(cert_len, "Certificate Length", "tnt.handshake.certificate_length", FT_UINT24, BASE_DEC,
           NULL, NULL),
        HF(cert, "Certificate", "tnt.handshake.certificate", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(ske_params, "Key exchange parameters", "tnt.handshake.kx_params", FT_BYTES, BASE_NONE,
           NULL, NULL),
        HF(signature, "Signature", "tnt.handshake.signature", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(sig_scheme, "Signature Algorithm", "tnt.handshake.sig_scheme", FT_UINT16, BASE_HEX, NULL,
           NULL),
        HF(cke_data, "Client key exchange", "tnt.handshake.client_kx", FT_BYTES, BASE_NONE, NULL,
           NULL),
        HF(verify_data, "Verify Data", "tnt.handshake.verify_data", FT_BYTES, BASE_NONE, NULL,
           NULL),
        HF(ticket_lifetime, "Ticket lifetime hint", "tnt.handshake.ticket_lifetime", FT_UINT32,
           BASE_DEC, NULL, NULL),
        HF(ticket, "Session ticket", "tnt.handshake.ticket", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(cert_types, "Certificate type", "tnt.handshake.cert_type", FT_UINT8, BASE_DEC, NULL,
           NULL),
        HF(ca_dn, "Distinguished Name", "tnt.handshake.ca_dn", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(status_response, "OCSP response", "tnt.handshake.ocsp_response", FT_BYTES, BASE_NONE,
           NULL, NULL),
        HF(unknown_body, "Undecoded body", "tnt.handshake.undecoded", FT_BYTES, BASE_NONE, NULL,
           NULL),
        HF(neg_round, "Round", "tnt.negotiation.round", FT_UINT16, BASE_DEC, NULL, NULL),
        HF(neg_status, "Status", "tnt.negotiation.status", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(policies_len, "Policies Length", "tnt.negotiation.policies_length", FT_UINT24, BASE_DEC,
           NULL, NULL),
        HF(policy, "Policy", "tnt.policy", FT_NONE, BASE_NONE, NULL, NULL),
        HF(policy_target_kind, "Target kind", "tnt.policy.target_kind", FT_UINT8, BASE_DEC, NULL,
           NULL),
        HF(policy_target, "Target", "tnt.policy.target", FT_STRING, BASE_NONE, NULL, NULL),
        HF(policy_language, "Language", "tnt.policy.language", FT_UINT8, BASE_DEC, NULL, NULL),
        HF(policy_expression, "Expression", "tnt.policy.expression", FT_STRING, BASE_NONE, NULL,
           NULL),
        HF(policy_verdict, "Verdict", "tnt.policy.verdict", FT_STRING, BASE_NONE, NULL, NULL),
        HF(policy_satisfied_in, "Satisfied in round", "tnt.policy.satisfied_in", FT_UINT32,
           BASE_DEC, NULL, NULL),
        HF(creds_len, "Credentials Length", "tnt.negotiation.credentials_length", FT_UINT24,
           BASE_DEC, NULL, NULL),
        HF(credential, "Credential", "tnt.credential", FT_NONE, BASE_NONE, NULL, NULL),
        HF(cred_type, "Type", "tnt.credential.type", FT_STRING, BASE_NONE, NULL, NULL),
        HF(cred_chain_len, "Chain Length", "tnt.credential.chain_length", FT_UINT24, BASE_DEC, NULL,
           NULL),
        HF(cred_subject, "Subject", "tnt.credential.subject", FT_STRING, BASE_NONE, NULL, NULL),
        HF(cred_issuer, "Issuer", "tnt.credential.issuer", FT_STRING, BASE_NONE, NULL, NULL),
        HF(cred_chain_status, "Chain status", "tnt.credential.chain_status", FT_STRING, BASE_NONE,
           NULL, NULL),
        HF(cred_proof_status, "Proof status", "tnt.credential.proof_status", FT_STRING, BASE_NONE,
           NULL, NULL),
        HF(proofs_len, "Proofs Length", "tnt.proof.length", FT_UINT16, BASE_DEC, NULL, NULL),
        HF(proof, "Ownership proof", "tnt.proof", FT_NONE, BASE_NONE, NULL, NULL),
        HF(proof_cred_index, "Credential index", "tnt.proof.credential_index", FT_UINT16, BASE_DEC,
           NULL, NULL),
        HF(proof_algorithm, "Algorithm", "tnt.proof.algorithm", FT_UINT16, BASE_HEX, NULL, NULL),
        HF(proof_signature, "Signature", "tnt.proof.signature", FT_BYTES, BASE_NONE, NULL, NULL),
        HF(proof_status, "Status", "tnt.proof.status", FT_STRING, BASE_NONE, NULL, NULL),
        HF(verdict_hs, "Handshake", "tnt.negotiation.handshake", FT_UINT32, BASE_DEC, NULL,
           "The connection's handshake (1-based) the verdicts are about"),
        HF(outcome, "Outcome", "tnt.outcome", FT_STRING, BASE_NONE, NULL, NULL),
        HF(trust, "Trust established", "tnt.trust_established", FT_BOOLEAN, BASE_NONE, NULL, NULL),
        HF(insecure, "Insecure", "tnt.insecure", FT_BOOLEAN, BASE_NONE, NULL, NULL),
        HF(reason, "Reason", "tnt.reason", FT_STRING, BASE_NONE, NULL, NULL),
        HF(resumes, "Resumes the trust of", "tnt.resumes", FT_FRAMENUM, BASE_NONE, NULL,
           "The frame that established the resumed session"),
        HF(resumes_conn, "Resumed session from connection", "tnt.resumes.connection", FT_UINT64,
           BASE_DEC, NULL, NULL),
        HF(summary, "Summary", "tnt.summary", FT_STRING, BASE_NONE, NULL, NULL),
    };
    static gint *ett[] = {&tnt_id.ett_tnt,    &tnt_id.ett_record,  &tnt_id.ett_hs,
                          &tnt_id.ett_ext,    &tnt_id.ett_exts,    &tnt_id.ett_suites,
                          &tnt_id.ett_policy, &tnt_id.ett_cred,    &tnt_id.ett_certs,
                          &tnt_id.ett_proof,  &tnt_id.ett_verdict, &tnt_id.ett_list};
    /* One per spec section 8 code, in its order (lib/'s tnt_viol_code). */
    static ei_register_info ei[] = {
        {&tnt_id.ei_violation[0],
         {"tnt.violation.tnt_in_clear", PI_SECURITY, PI_WARN, "tnt-in-clear", EXPFILL}},
        {&tnt_id.ei_violation[1],
         {"tnt.violation.sensitive_credential_in_clear", PI_SECURITY, PI_ERROR,
          "sensitive-credential-in-clear", EXPFILL}},
        {&tnt_id.ei_violation[2],
         {"tnt.violation.proof_missing", PI_SECURITY, PI_ERROR, "proof-missing", EXPFILL}},
        {&tnt_id.ei_violation[3],
         {"tnt.violation.proof_unexpected", PI_PROTOCOL, PI_ERROR, "proof-unexpected", EXPFILL}},
        {&tnt_id.ei_violation[4],
         {"tnt.violation.proof_invalid", PI_SECURITY, PI_ERROR, "proof-invalid", EXPFILL}},
        {&tnt_id.ei_violation[5],
         {"tnt.violation.round_out_of_order", PI_PROTOCOL, PI_ERROR, "round-out-of-order",
          EXPFILL}},
        {&tnt_id.ei_violation[6],
         {"tnt.violation.wrong_sender", PI_PROTOCOL, PI_ERROR, "wrong-sender", EXPFILL}},
        {&tnt_id.ei_violation[7],
         {"tnt.violation.client_success", PI_PROTOCOL, PI_ERROR, "client-success", EXPFILL}},
        {&tnt_id.ei_violation[8],
         {"tnt.violation.tnt_not_negotiated", PI_PROTOCOL, PI_ERROR, "tnt-not-negotiated",
          EXPFILL}},
        {&tnt_id.ei_violation[9],
         {"tnt.violation.policy_language_not_negotiated", PI_PROTOCOL, PI_ERROR,
          "policy-language-not-negotiated", EXPFILL}},
        {&tnt_id.ei_violation[10],
         {"tnt.violation.empty_round", PI_PROTOCOL, PI_WARN, "empty-round", EXPFILL}},
        {&tnt_id.ei_violation[11],
         {"tnt.violation.renegotiation_info_missing", PI_SECURITY, PI_WARN,
          "renegotiation-info-missing", EXPFILL}},
        {&tnt_id.ei_violation[12],
         {"tnt.violation.renegotiation_info_mismatch", PI_SECURITY, PI_ERROR,
          "renegotiation-info-mismatch", EXPFILL}},
        {&tnt_id.ei_violation[13],
         {"tnt.violation.resume_unknown_session", PI_PROTOCOL, PI_ERROR, "resume-unknown-session",
          EXPFILL}},
        {&tnt_id.ei_violation[14],
         {"tnt.violation.tcp_gap", PI_UNDECODED, PI_WARN, "tcp-gap", EXPFILL}},
        {&tnt_id.ei_violation[15],
         {"tnt.violation.decrypt_failed", PI_SECURITY, PI_ERROR, "decrypt-failed", EXPFILL}},
        {&tnt_id.ei_no_keys,
         {"tnt.no_keys", PI_UNDECODED, PI_WARN,
          "No keys: the records of this epoch cannot be decrypted", EXPFILL}},
        {&tnt_id.ei_decrypt_failed,
         {"tnt.record.auth_failed", PI_SECURITY, PI_ERROR, "Record failed authentication",
          EXPFILL}},
        {&tnt_id.ei_malformed, {"tnt.malformed", PI_MALFORMED, PI_ERROR, "Malformed", EXPFILL}},
        {&tnt_id.ei_undecoded, {"tnt.undecoded", PI_UNDECODED, PI_NOTE, "Not decoded", EXPFILL}},
        {&tnt_id.ei_note, {"tnt.note", PI_PROTOCOL, PI_NOTE, "Not checked", EXPFILL}},
        {&tnt_id.ei_gap,
         {"tnt.gap", PI_UNDECODED, PI_WARN, "Bytes missing from the capture", EXPFILL}},
    };

    tnt_id.proto = proto_register_protocol("Trust Negotiation in TLS", "TNT", "tnt");
    proto_register_field_array(tnt_id.proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(tnt_id.proto), ei, array_length(ei));

    module_t *m = prefs_register_protocol(tnt_id.proto, apply_prefs);
    prefs_register_uint_preference(m, "ext_type", "tnt extension type",
                                   "Hello extension type of `tnt` (spec section 1)", 16,
                                   &pref_ext_type);
    prefs_register_uint_preference(m, "hs_negotiation", "TNTNegotiation handshake type",
                                   "Handshake type of TNTNegotiation", 10, &pref_hs_negotiation);
    prefs_register_uint_preference(m, "hs_proof", "TNTProof handshake type",
                                   "Handshake type of TNTProof", 10, &pref_hs_proof);
    prefs_register_filename_preference(m, "keylog_file", "Key log file",
                                       "NSS key log used in addition to the TLS key log "
                                       "preference and the capture's Decryption Secrets",
                                       &pref_keylog_file, FALSE);
    prefs_register_filename_preference(m, "rsa_key_file", "RSA private key",
                                       "PEM RSA private key of a server (RSA key transport)",
                                       &pref_rsa_key_file, FALSE);
    prefs_register_string_preference(m, "trust_anchors", "Trust anchors",
                                     "PEM or DER certificates, ';'-separated, against which "
                                     "credential chains are validated",
                                     &pref_anchor_files);

    tnt_handle = register_dissector("tnt", dissect_tnt, tnt_id.proto);
    register_cleanup_routine(tnt_cleanup);
    tnt_tap = register_tap("tnt");
    tnt_follow_tap = register_tap("tnt_follow");
#if TNT_WS_AT_LEAST(4, 2)
    register_follow_stream(tnt_id.proto, "tnt_follow", tnt_follow_conv_filter,
                           tnt_follow_index_filter, tnt_follow_address_filter, tcp_port_to_display,
                           follow_tvb_tap_listener, get_tcp_stream_count, NULL);
#else
    register_follow_stream(tnt_id.proto, "tnt_follow", tnt_follow_conv_filter,
                           tnt_follow_index_filter, tnt_follow_address_filter, tcp_port_to_display,
                           follow_tvb_tap_listener);
#endif
}

static void collect_tls_port(const gchar *table, ftenum_t selector_type, gpointer key,
                             gpointer value, gpointer user)
{
    GArray *ports = user;
    if (dtbl_entry_get_handle((dtbl_entry_t *)value) == tls_handle) {
        guint32 port = GPOINTER_TO_UINT(key);
        g_array_append_val(ports, port);
    }
}

void proto_reg_handoff_tnt(void)
{
    tls_handle = find_dissector("tls");
    data_handle = find_dissector("data");
    tls_port_table = find_dissector_table("tls.port");
    tls_heur_list = find_heur_dissector_list("tls");
    proto_tls = proto_get_id_by_filter_name("tls");

    /* The shim is TLS's own child: enabled exactly when TLS is. */
    proto_tnt_shim = proto_register_protocol_in_name_only(
        "TNT detection in front of TLS", "TNT/TLS", "tnt.tls_shim", proto_tls, FT_PROTOCOL);
    tnt_shim_handle = create_dissector_handle(dissect_tnt_shim, proto_tnt_shim);

    /* Every TCP port TLS holds now (plugins' handoffs run after the
     * built-in ones, so its range preference and ssl_dissector_add users
     * are all in). Collected first: the table must not change while it is
     * walked. */
    GArray *ports = g_array_new(FALSE, FALSE, sizeof(guint32));
    dissector_table_foreach("tcp.port", collect_tls_port, ports);
    for (guint i = 0; i < ports->len; i++)
        dissector_add_uint("tcp.port", g_array_index(ports, guint32, i), tnt_shim_handle);
    g_array_free(ports, TRUE);

    tls_heur_entry = find_heur_dissector_by_unique_short_name("tls_tcp");
    if (!tls_heur_entry)
        tls_heur_entry = find_heur_dissector_by_unique_short_name("ssl_tcp");
    if (tls_heur_entry && tls_heur_entry->dissector != heur_tnt_tls) {
        tls_heur_orig = tls_heur_entry->dissector;
        tls_heur_entry->dissector = heur_tnt_tls;
    }

    dissector_add_for_decode_as("tcp.port", tnt_handle);
    stats_tree_register_plugin("tnt", "tnt", "TNT/Negotiations", 0, tnt_stats_packet,
                               tnt_stats_init, NULL);

    /* The stock TLS fields the plugin fills as well (hidden: the TNT tree
     * shows the same values), so that TLS filters and columns keep working. */
    tnt_id.tls_ct = proto_registrar_get_id_byname("tls.record.content_type");
    tnt_id.tls_version = proto_registrar_get_id_byname("tls.record.version");
    tnt_id.tls_hs_type = proto_registrar_get_id_byname("tls.handshake.type");
    tnt_id.tls_suite = proto_registrar_get_id_byname("tls.handshake.ciphersuite");
    tnt_id.tls_ext_type = proto_registrar_get_id_byname("tls.handshake.extension.type");
    tnt_id.tls_random = proto_registrar_get_id_byname("tls.handshake.random");
    tnt_id.tls_session_id = proto_registrar_get_id_byname("tls.handshake.session_id");
    apply_prefs();
}
