/* Acceptance 3, the GUI's way of revisiting packets: a small libwireshark
 * program that reads a capture once in order (Wireshark's first pass) and
 * then dissects every frame again, first in order and then in reverse
 * order, printing the TNT protocol tree of each frame. The two revisits
 * must print the same trees (tests/scripts/test_plugin_reverse.sh).
 *
 * usage: reverse_passes CAPTURE [pref:value ...]
 * Prints "order forward|reverse frame N" and the tree lines of TNT and
 * what it handed on, sorted by frame within each order. */
#include <wireshark.h>

#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#include <stdio.h>
#include <string.h>

struct packet_provider_data {
    frame_data *frames;
    guint32 n;
};

static const nstime_t *get_frame_ts(struct packet_provider_data *prov, guint32 num)
{
    return num && num <= prov->n ? &prov->frames[num - 1].abs_ts : NULL;
}

static const char *no_name(struct packet_provider_data *prov, guint32 id)
{
    (void)prov;
    (void)id;
    return "unknown";
}

static wtap_block_t no_block(struct packet_provider_data *prov, const frame_data *fd)
{
    (void)prov;
    (void)fd;
    return NULL;
}

typedef struct {
    GString *out;
    int depth;
    bool inside; /* below the TNT protocol item */
    int proto_tnt;
} walk;

/* The TNT protocol's tree (top-level items only start or end it). */
static void print_node(proto_node *node, gpointer data)
{
    walk *w = data;
    field_info *fi = PNODE_FINFO(node);
    if (fi && w->depth == 0)
        w->inside = fi->hfinfo->id == w->proto_tnt;
    if (fi && w->inside && !FI_GET_FLAG(fi, FI_HIDDEN)) {
        gchar label[ITEM_LABEL_LENGTH];
        if (fi->rep)
            g_strlcpy(label, fi->rep->representation, sizeof label);
        else
            proto_item_fill_label(fi, label);
        g_string_append_printf(w->out, "%*s%s [%d+%d]\n", w->depth * 2, "", label, fi->start,
                               fi->length);
    }
    w->depth++;
    proto_tree_children_foreach(node, print_node, w);
    w->depth--;
    if (w->depth == 0)
        w->inside = false;
}

static char *dissect_one(epan_t *session, wtap *wth, frame_data *fd, int proto_tnt,
                         const frame_data **ref, frame_data **prev_dis)
{
    wtap_rec rec;
    Buffer buf;
    int err = 0;
    gchar *err_info = NULL;
    wtap_rec_init(&rec);
    ws_buffer_init(&buf, 1514);
    if (!wtap_seek_read(wth, fd->file_off, &rec, &buf, &err, &err_info)) {
        g_free(err_info);
        wtap_rec_cleanup(&rec);
        ws_buffer_free(&buf);
        return g_strdup("unreadable\n");
    }
    epan_dissect_t *edt = epan_dissect_new(session, TRUE, TRUE);
    nstime_t elapsed;
    nstime_set_zero(&elapsed);
    frame_data_set_before_dissect(fd, &elapsed, ref, *prev_dis);
    tvbuff_t *tvb = tvb_new_real_data(ws_buffer_start_ptr(&buf), fd->cap_len, fd->pkt_len);
    epan_dissect_run(edt, wtap_file_type_subtype(wth), &rec, tvb, fd, NULL);
    walk w = {g_string_new(NULL), 0, false, proto_tnt};
    proto_tree_children_foreach(edt->tree, print_node, &w);
    epan_dissect_free(edt);
    *prev_dis = fd;
    wtap_rec_cleanup(&rec);
    ws_buffer_free(&buf);
    return g_string_free(w.out, FALSE);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: reverse_passes CAPTURE [pref:value ...]\n");
        return 2;
    }
    ws_log_init("reverse_passes", NULL);
    init_process_policies();
    relinquish_special_privs_perm();
    /* Where the personal plugin folder is (as Wireshark's programs do). */
    char *cerr = configuration_init(argv[0], NULL);
    if (cerr) {
        fprintf(stderr, "configuration_init: %s\n", cerr);
        g_free(cerr);
    }
    wtap_init(TRUE);
    if (!epan_init(NULL, NULL, TRUE))
        return 1;
    epan_load_settings();
    for (int i = 2; i < argc; i++) {
        char *errmsg = NULL;
        if (prefs_set_pref(argv[i], &errmsg) != PREFS_SET_OK) {
            fprintf(stderr, "bad preference %s: %s\n", argv[i], errmsg ? errmsg : "");
            return 2;
        }
    }
    prefs_apply_all();
    int proto_tnt = proto_get_id_by_filter_name("tnt");
    if (proto_tnt < 0) {
        fprintf(stderr, "the tnt plugin is not loaded\n");
        return 3;
    }

    int err = 0;
    gchar *err_info = NULL;
    wtap *wth = wtap_open_offline(argv[1], WTAP_TYPE_AUTO, &err, &err_info, TRUE);
    if (!wth) {
        fprintf(stderr, "%s: cannot open (%d)\n", argv[1], err);
        return 1;
    }
    struct packet_provider_data prov = {g_new0(frame_data, 100000), 0};
    static const struct packet_provider_funcs funcs = {get_frame_ts, no_name, no_name, no_block};
    epan_t *session = epan_new(&prov, &funcs);

    /* The first pass, in order, as Wireshark reads a file. */
    wtap_rec rec;
    Buffer buf;
    gint64 off;
    guint32 cum = 0;
    const frame_data *ref = NULL;
    frame_data *prev_dis = NULL;
    wtap_rec_init(&rec);
    ws_buffer_init(&buf, 1514);
    while (prov.n < 100000 && wtap_read(wth, &rec, &buf, &err, &err_info, &off)) {
        frame_data *fd = &prov.frames[prov.n];
        frame_data_init(fd, prov.n + 1, &rec, off, cum);
        prov.n++;
        epan_dissect_t *edt = epan_dissect_new(session, TRUE, FALSE);
        nstime_t elapsed;
        nstime_set_zero(&elapsed);
        frame_data_set_before_dissect(fd, &elapsed, &ref, prev_dis);
        tvbuff_t *tvb = tvb_new_real_data(ws_buffer_start_ptr(&buf), fd->cap_len, fd->pkt_len);
        epan_dissect_run(edt, wtap_file_type_subtype(wth), &rec, tvb, fd, NULL);
        frame_data_set_after_dissect(fd, &cum);
        prev_dis = fd;
        epan_dissect_free(edt);
        wtap_rec_reset(&rec);
    }
    wtap_rec_cleanup(&rec);
    ws_buffer_free(&buf);

    /* Revisits: in order, then in reverse. */
    char **fwd = g_new0(char *, prov.n), **rev = g_new0(char *, prov.n);
    for (guint32 i = 0; i < prov.n; i++)
        fwd[i] = dissect_one(session, wth, &prov.frames[i], proto_tnt, &ref, &prev_dis);
    for (guint32 i = prov.n; i-- > 0;)
        rev[i] = dissect_one(session, wth, &prov.frames[i], proto_tnt, &ref, &prev_dis);
    for (int pass = 0; pass < 2; pass++)
        for (guint32 i = 0; i < prov.n; i++)
            printf("order %s frame %u\n%s", pass ? "reverse" : "forward", i + 1,
                   pass ? rev[i] : fwd[i]);
    for (guint32 i = 0; i < prov.n; i++) {
        g_free(fwd[i]);
        g_free(rev[i]);
        frame_data_destroy(&prov.frames[i]);
    }
    g_free(fwd);
    g_free(rev);
    epan_free(session);
    wtap_close(wth);
    g_free(prov.frames);
    epan_cleanup();
    wtap_cleanup();
    return 0;
}
