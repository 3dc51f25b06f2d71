/* The master secrets a run remembers for resumption (lib/keys/keys.c): by
 * session ID and by session ticket, 1,000,000 of each (docs/robustness.md,
 * "Limits"). A million entries per table take about 8 s and 200 MB on the
 * CI machine, so the limit (tnt_keys.max_cached) is lowered to LIMIT: the
 * LIMIT-th entry is remembered, the next one is not, in each table on its
 * own. */
#include "check.h"

#include "tnt/keys.h"

#define LIMIT 1000u

/* A distinct 32-byte key (session ID or ticket) and 48-byte secret per i. */
static void key_of(uint32_t i, uint8_t key[32])
{
    memset(key, 0xA5, 32);
    key[0] = (uint8_t)(i >> 24);
    key[1] = (uint8_t)(i >> 16);
    key[2] = (uint8_t)(i >> 8);
    key[3] = (uint8_t)i;
}

static void ms_of(uint32_t i, uint8_t ms[48])
{
    memset(ms, 0x3C, 48);
    ms[44] = (uint8_t)(i >> 24);
    ms[45] = (uint8_t)(i >> 16);
    ms[46] = (uint8_t)(i >> 8);
    ms[47] = (uint8_t)i;
}

typedef void (*remember_fn)(tnt_keys *, const uint8_t *, size_t, const uint8_t[48]);
typedef bool (*lookup_fn)(const tnt_keys *, const uint8_t *, size_t, uint8_t[48]);

static void remember_session(tnt_keys *k, const uint8_t *key, size_t len, const uint8_t ms[48])
{
    tnt_keys_remember_session(k, key, len, ms);
}

static void remember_ticket(tnt_keys *k, const uint8_t *key, size_t len, const uint8_t ms[48])
{
    tnt_keys_remember_ticket(k, key, len, ms);
}

/* Fills one table to the limit (the other must stay empty), then one past. */
static void test_cache_limit(const char *what, remember_fn put, lookup_fn get, lookup_fn other)
{
    tnt_keys *k = tnt_keys_new();
    /* The limit as documented, lowered for the test. */
    CHECK_EQ(k->max_cached, 1000000);
    k->max_cached = LIMIT;
    uint8_t key[32], ms[48], got[48];
    for (uint32_t i = 1; i <= LIMIT; i++) {
        key_of(i, key);
        ms_of(i, ms);
        put(k, key, sizeof key, ms);
    }
    /* At the limit: the first and the 1,000,000-th are there, with their own secrets. */
    key_of(1, key);
    ms_of(1, ms);
    CHECK(get(k, key, sizeof key, got));
    CHECK_MEM(got, ms, 48);
    key_of(LIMIT, key);
    ms_of(LIMIT, ms);
    memset(got, 0, sizeof got);
    CHECK(get(k, key, sizeof key, got));
    CHECK_MEM(got, ms, 48);
    /* The two tables are separate: session IDs are not tickets. */
    CHECK(!other(k, key, sizeof key, got));

    /* One past: not remembered, so a resumption of it will not be decrypted;
     * the entries already there stay. */
    key_of(LIMIT + 1, key);
    ms_of(LIMIT + 1, ms);
    put(k, key, sizeof key, ms);
    CHECK(!get(k, key, sizeof key, got));
    key_of(1, key);
    ms_of(1, ms);
    CHECK(get(k, key, sizeof key, got));
    CHECK_MEM(got, ms, 48);
    /* A session already remembered is still updated when the table is full:
     * the limit bounds how many sessions are kept, not their freshness. */
    ms_of(4242, ms);
    put(k, key, sizeof key, ms);
    CHECK(get(k, key, sizeof key, got));
    CHECK_MEM(got, ms, 48);
    if (check_failures)
        fprintf(stderr, "  (in the %s table)\n", what);
    tnt_keys_free(k);
}

int main(void)
{
    test_cache_limit("session ID", remember_session, tnt_keys_session, tnt_keys_ticket);
    test_cache_limit("ticket", remember_ticket, tnt_keys_ticket, tnt_keys_session);
    return check_done("test_keys");
}
