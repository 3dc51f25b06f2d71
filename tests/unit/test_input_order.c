/* Run-wide state shared by connections fed from several threads
 * (tnt/order.h): the keys' session secrets and the session store change as
 * if the inputs came in their numbered order, whatever order the threads
 * make their writes in. One thread plays all the threads here: `pos` is the
 * input being fed, `turn` whether every earlier input has been fed. */
#include "check.h"

#include "tnt/keys.h"
#include "tnt/negotiation.h"

static uint64_t pos;
static bool turn;
static int waits;

static uint64_t position(void *u)
{
    (void)u;
    return pos;
}

static void wait_turn(void *u)
{
    (void)u;
    /* A real front end blocks here until the earlier inputs are fed; in
     * this test they all have been by the time anything reads. */
    waits++;
}

static bool is_turn(void *u)
{
    (void)u;
    return turn;
}

static const tnt_input_order order = {NULL, position, wait_turn, is_turn};

static void secret(uint8_t ms[48], uint8_t v)
{
    memset(ms, v, 48);
}

/* Writes made out of order are kept until a read (or their turn) and then
 * applied in input order: the later input's secret wins. */
static void test_keys_in_input_order(void)
{
    tnt_keys *k = tnt_keys_new();
    tnt_keys_set_order(k, &order);
    uint8_t sid[32], ms[48], got[48];
    memset(sid, 7, sizeof sid);
    turn = false;
    pos = 20; /* a later input, made first by a faster thread */
    secret(ms, 0x20);
    tnt_keys_remember_session(k, sid, sizeof sid, ms);
    pos = 10;
    secret(ms, 0x10);
    tnt_keys_remember_session(k, sid, sizeof sid, ms);
    /* A read at input 15 sees input 10's secret, not 20's. */
    pos = 15;
    waits = 0;
    CHECK(tnt_keys_session(k, sid, sizeof sid, got));
    CHECK_EQ(waits, 1);
    CHECK_EQ(got[0], 0x10);
    /* At 25 both are in: 20 came after 10. */
    pos = 25;
    CHECK(tnt_keys_session(k, sid, sizeof sid, got));
    CHECK_EQ(got[0], 0x20);
    /* Without an order again: everything applied. */
    tnt_keys_set_order(k, NULL);
    CHECK(tnt_keys_session(k, sid, sizeof sid, got));
    CHECK_EQ(got[0], 0x20);
    tnt_keys_free(k);
}

/* A full table keeps its first max_cached sessions in input order, not in
 * the order threads happened to write them. */
static void test_keys_limit_in_input_order(void)
{
    tnt_keys *k = tnt_keys_new();
    k->max_cached = 1;
    tnt_keys_set_order(k, &order);
    uint8_t a[32], b[32], ms[48], got[48];
    memset(a, 1, sizeof a);
    memset(b, 2, sizeof b);
    secret(ms, 0xBB);
    turn = false;
    pos = 9;
    tnt_keys_remember_session(k, b, sizeof b, ms);
    secret(ms, 0xAA);
    pos = 4;
    tnt_keys_remember_session(k, a, sizeof a, ms);
    tnt_keys_flush(k);
    CHECK(tnt_keys_session(k, a, sizeof a, got));
    CHECK(!tnt_keys_session(k, b, sizeof b, got));
    tnt_keys_free(k);
}

/* Kept writes are bounded: past TNT_ORDERED_MAX_KEPT (65,536) a write
 * waits for its turn and applies everything kept. */
static void test_kept_bound(void)
{
    tnt_keys *k = tnt_keys_new();
    tnt_keys_set_order(k, &order);
    uint8_t sid[32], ms[48], got[48];
    memset(sid, 0, sizeof sid);
    turn = false;
    waits = 0;
    for (uint32_t i = 0; i < 65536; i++) {
        memcpy(sid, &i, sizeof i);
        secret(ms, (uint8_t)i);
        pos = 100000 - i; /* every one out of order */
        tnt_keys_remember_session(k, sid, sizeof sid, ms);
    }
    CHECK_EQ(waits, 0);
    pos = 200000;
    tnt_keys_remember_session(k, sid, sizeof sid, ms);
    CHECK_EQ(waits, 1);
    /* Nothing was lost on the way. */
    tnt_keys_set_order(k, NULL);
    uint32_t first = 0;
    memset(sid, 0, sizeof sid);
    memcpy(sid, &first, sizeof first);
    CHECK(tnt_keys_session(k, sid, sizeof sid, got));
    tnt_keys_free(k);
}

int main(void)
{
    test_keys_in_input_order();
    test_keys_limit_in_input_order();
    test_kept_bound();
    return check_done("test_input_order");
}
