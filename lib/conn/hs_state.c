#include "hs_state.h"
#include "prf.h"
#include "prf_key.h"

#include <stdlib.h>
#include <string.h>

tnt_hs_state *tnt_hs_state_new(uint32_t index, bool protected_)
{
    tnt_hs_state *hs = calloc(1, sizeof(*hs));
    if (!hs)
        return NULL;
    hs->index = index;
    hs->protected_ = protected_;
    return hs;
}

void tnt_hs_state_trim(tnt_hs_state *hs)
{
    free(hs->transcript);
    hs->transcript = NULL;
    hs->transcript_len = hs->transcript_cap = 0;
    tnt_transcript_free(hs->fin_hash);
    hs->fin_hash = NULL;
    hs->fin_hashed = 0;
    /* Both its uses, the key block and the Finished checks, are over once
     * a later handshake has begun. */
    tnt_prf_key_free(hs->ms_key);
    hs->ms_key = NULL;
    free(hs->epms);
    hs->epms = NULL;
    hs->epms_len = 0;
    free(hs->server_cert);
    hs->server_cert = NULL;
    hs->server_cert_len = 0;
    free(hs->client_ticket);
    hs->client_ticket = NULL;
    hs->client_ticket_len = 0;
}

void tnt_hs_state_free(tnt_hs_state *hs)
{
    if (!hs)
        return;
    tnt_hs_state_trim(hs);
    free(hs->new_ticket);
    tnt_rp_free(hs->write[0]);
    tnt_rp_free(hs->write[1]);
    memset(hs->ms, 0, sizeof hs->ms);
    free(hs);
}

void tnt_hs_state_transcript_add(tnt_hs_state *hs, const uint8_t *msg, size_t len)
{
    if (hs->transcript_overflow)
        return;
    if (hs->transcript_len + len > TNT_TRANSCRIPT_MAX) {
        hs->transcript_overflow = true;
        return;
    }
    if (hs->transcript_len + len > hs->transcript_cap) {
        size_t cap = hs->transcript_cap ? hs->transcript_cap : 4096;
        while (cap < hs->transcript_len + len)
            cap *= 2;
        uint8_t *nt = realloc(hs->transcript, cap);
        if (!nt) {
            hs->transcript_overflow = true;
            return;
        }
        hs->transcript = nt;
        hs->transcript_cap = cap;
    }
    memcpy(hs->transcript + hs->transcript_len, msg, len);
    hs->transcript_len += len;
}
