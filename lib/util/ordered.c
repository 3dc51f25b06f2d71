#include "ordered.h"

typedef struct kept_write {
    uint64_t pos;     /* the input that made it */
    uint64_t arrival; /* among writes of one input: the order they were made in */
    void *write;
} kept_write;

void tnt_ordered_init(tnt_ordered *o, void *target, void (*apply)(void *, void *),
                      void (*drop)(void *))
{
    o->order = NULL;
    pthread_mutex_init(&o->mu, NULL);
    o->kept = g_array_new(FALSE, FALSE, sizeof(kept_write));
    o->arrivals = 0;
    o->target = target;
    o->apply = apply;
    o->drop = drop;
}

void tnt_ordered_clear(tnt_ordered *o)
{
    for (guint i = 0; o->kept && i < o->kept->len; i++)
        o->drop(g_array_index(o->kept, kept_write, i).write);
    if (o->kept)
        g_array_free(o->kept, TRUE);
    o->kept = NULL;
    pthread_mutex_destroy(&o->mu);
}

static gint by_position(gconstpointer a, gconstpointer b)
{
    const kept_write *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->arrival < y->arrival ? -1 : x->arrival > y->arrival;
}

/* Applies the kept writes made at or before limit, in order. Called with
 * mu held by the one thread whose turn it is. */
static void apply_upto(tnt_ordered *o, uint64_t limit)
{
    if (o->kept->len == 0)
        return;
    g_array_sort(o->kept, by_position);
    guint n = 0;
    while (n < o->kept->len && g_array_index(o->kept, kept_write, n).pos <= limit) {
        o->apply(o->target, g_array_index(o->kept, kept_write, n).write);
        n++;
    }
    g_array_remove_range(o->kept, 0, n);
}

void tnt_ordered_set(tnt_ordered *o, const tnt_input_order *order)
{
    tnt_ordered_flush(o);
    o->order = order;
}

void tnt_ordered_write(tnt_ordered *o, void *write)
{
    const tnt_input_order *ord = o->order;
    if (!ord) {
        o->apply(o->target, write);
        return;
    }
    uint64_t pos = ord->position(ord->user);
    pthread_mutex_lock(&o->mu);
    bool full = o->kept->len >= TNT_ORDERED_MAX_KEPT;
    pthread_mutex_unlock(&o->mu);
    /* Waiting is only for a pile-up; normally the thread whose turn it is
     * applies what the others kept on its way. */
    if (full)
        ord->wait_turn(ord->user);
    bool turn = full || ord->is_turn(ord->user);
    pthread_mutex_lock(&o->mu);
    kept_write k = {pos, o->arrivals++, write};
    g_array_append_val(o->kept, k);
    if (turn)
        apply_upto(o, pos);
    pthread_mutex_unlock(&o->mu);
}

void tnt_ordered_before_read(tnt_ordered *o)
{
    const tnt_input_order *ord = o->order;
    if (!ord)
        return;
    ord->wait_turn(ord->user);
    pthread_mutex_lock(&o->mu);
    apply_upto(o, ord->position(ord->user));
    pthread_mutex_unlock(&o->mu);
}

void tnt_ordered_flush(tnt_ordered *o)
{
    pthread_mutex_lock(&o->mu);
    apply_upto(o, UINT64_MAX);
    pthread_mutex_unlock(&o->mu);
}
