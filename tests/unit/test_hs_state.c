/* The running transcript hash of a handshake (lib/conn/key_schedule.c) as
 * the ownership proofs use it: tnt_hs_state_transcript_digest gives the
 * digest of a prefix only with the hash the PRF runs, only while the
 * running hash has not passed the prefix, and the Finished checks that
 * continue the same hash still see every byte. Expected digests come from
 * a separate libgcrypt pass over the same bytes. */
#include "check.h"

#include "hs_state.h"
#include "prf.h"

#include <string.h>

static uint8_t bytes[3000];

static bool direct(tnt_hash h, size_t len, uint8_t *out, size_t *out_len)
{
    tnt_transcript *t = tnt_transcript_new();
    if (!t)
        return false;
    tnt_transcript_update(t, bytes, len);
    bool ok = tnt_transcript_digest(t, h, out, TNT_MAX_HASH_LEN, out_len);
    tnt_transcript_free(t);
    return ok;
}

static tnt_hs_state *handshake(uint16_t version, uint16_t suite)
{
    tnt_hs_state *hs = tnt_hs_state_new(1, false);
    hs->version = version;
    hs->suite = suite;
    /* Three "messages", as the connection adds them. */
    tnt_hs_state_transcript_add(hs, bytes, 1000);
    tnt_hs_state_transcript_add(hs, bytes + 1000, 1500);
    tnt_hs_state_transcript_add(hs, bytes + 2500, 500);
    return hs;
}

static void test_sha256_prf(void)
{
    tnt_hs_state *hs = handshake(0x0303, 0xC02F); /* ECDHE-RSA AES-128-GCM SHA-256 */
    uint8_t got[TNT_MAX_HASH_LEN], want[TNT_MAX_HASH_LEN];
    size_t gl = 0, wl = 0;

    /* Not the PRF's hash: no digest (the caller hashes the bytes itself). */
    CHECK(!tnt_hs_state_transcript_digest(hs, 1000, TNT_HASH_SHA384, got, sizeof got, &gl));
    CHECK(!tnt_hs_state_transcript_digest(hs, 1000, TNT_HASH_SHA1, got, sizeof got, &gl));

    CHECK(tnt_hs_state_transcript_digest(hs, 1000, TNT_HASH_SHA256, got, sizeof got, &gl));
    CHECK(direct(TNT_HASH_SHA256, 1000, want, &wl));
    CHECK_EQ(gl, 32);
    CHECK_EQ(wl, 32);
    CHECK_MEM(got, want, 32);
    /* The same prefix again, then a longer one (a later round's proof). */
    CHECK(tnt_hs_state_transcript_digest(hs, 1000, TNT_HASH_SHA256, got, sizeof got, &gl));
    CHECK_MEM(got, want, 32);
    CHECK(tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA256, got, sizeof got, &gl));
    CHECK(direct(TNT_HASH_SHA256, 2500, want, &wl));
    CHECK_MEM(got, want, 32);
    CHECK_EQ(hs->fin_hashed, 2500);
    /* Passed: no digest, rather than a wrong one. Beyond the transcript: none. */
    CHECK(!tnt_hs_state_transcript_digest(hs, 1000, TNT_HASH_SHA256, got, sizeof got, &gl));
    CHECK(!tnt_hs_state_transcript_digest(hs, 3001, TNT_HASH_SHA256, got, sizeof got, &gl));

    /* The Finished check continues the same running hash: its verify_data
     * equals the one over a fresh hash of all bytes. */
    memset(hs->ms, 0x5a, sizeof hs->ms);
    hs->have_ms = true;
    uint8_t vd[36], vd_want[36];
    size_t vl = 0, vwl = 0;
    CHECK(tnt_hs_state_expected_finished(hs, false, 3000, vd, sizeof vd, &vl));
    tnt_transcript *t = tnt_transcript_new_for(TNT_PRF_SHA256);
    tnt_transcript_update(t, bytes, 3000);
    CHECK(
        tnt_finished_verify_data(TNT_PRF_SHA256, hs->ms, false, t, vd_want, sizeof vd_want, &vwl));
    tnt_transcript_free(t);
    CHECK_EQ(vl, 12);
    CHECK_EQ(vwl, 12);
    CHECK_MEM(vd, vd_want, 12);
    /* An earlier prefix after that still gets the right verify_data. */
    CHECK(tnt_hs_state_expected_finished(hs, true, 2500, vd, sizeof vd, &vl));
    t = tnt_transcript_new_for(TNT_PRF_SHA256);
    tnt_transcript_update(t, bytes, 2500);
    CHECK(tnt_finished_verify_data(TNT_PRF_SHA256, hs->ms, true, t, vd_want, sizeof vd_want, &vwl));
    tnt_transcript_free(t);
    CHECK_MEM(vd, vd_want, 12);
    tnt_hs_state_free(hs);
}

static void test_other_prfs(void)
{
    uint8_t got[TNT_MAX_HASH_LEN], want[TNT_MAX_HASH_LEN];
    size_t gl = 0, wl = 0;

    tnt_hs_state *hs = handshake(0x0303, 0xC030); /* ECDHE-RSA AES-256-GCM SHA-384 */
    CHECK(!tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA256, got, sizeof got, &gl));
    CHECK(tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA384, got, sizeof got, &gl));
    CHECK(direct(TNT_HASH_SHA384, 2500, want, &wl));
    CHECK_EQ(gl, 48);
    CHECK_MEM(got, want, 48);
    tnt_hs_state_free(hs);

    /* TLS 1.0's PRF runs MD5 and SHA-1: its proofs hash the bytes. */
    hs = handshake(0x0301, 0xC02F);
    CHECK(!tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA256, got, sizeof got, &gl));
    CHECK(!tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA1, got, sizeof got, &gl));
    tnt_hs_state_free(hs);

    /* ServerHello not seen, or a suite we do not know: nothing. */
    hs = handshake(0, 0);
    CHECK(!tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA256, got, sizeof got, &gl));
    tnt_hs_state_free(hs);
    hs = handshake(0x0303, 0x1234);
    CHECK(!tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA256, got, sizeof got, &gl));
    tnt_hs_state_free(hs);

    /* A transcript that overflowed is not the whole handshake. */
    hs = handshake(0x0303, 0xC02F);
    hs->transcript_overflow = true;
    CHECK(!tnt_hs_state_transcript_digest(hs, 2500, TNT_HASH_SHA256, got, sizeof got, &gl));
    tnt_hs_state_free(hs);
}

int main(void)
{
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 131 + 7);
    test_sha256_prf();
    test_other_prfs();
    return check_done("test_hs_state");
}
