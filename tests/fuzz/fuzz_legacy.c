/* Fuzz target: the legacy record ciphers (NULL, RC4, RC2, IDEA, DES,
 * 3DES, SEED, Camellia CBC; SSL 3.0, TLS 1.0, TLS 1.1, with and without
 * encrypt-then-MAC), lib/crypto/record_protection.c.
 *
 * Input: selector byte (bits 0-3 suite, bits 4-5 version, bit 6
 * encrypt-then-MAC), 96 bytes of key material (MAC key, key, IV taken in
 * order), then records as u16 header + bytes: header bit 15 set = a
 * plaintext encrypted by one state and decrypted by its twin (must give the
 * plaintext back), else hostile bytes
 * decrypted and skipped by a third state (any status, never a crash, never
 * more output than input). */
#include "fuzz_common.h"

#include "names.h"
#include "record_protection.h"

static const uint16_t suites[] = {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008,
                                  0x0009, 0x000A, 0x0096, 0x0041, 0x0084, 0x002F, 0x0035, 0x0004};

static uint8_t iv_source;
static void rng(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(iv_source + 31 * i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 97 || size > (1u << 17))
        return 0;
    uint8_t sel = data[0];
    const tnt_suite_info *s = tnt_suite_lookup(suites[sel & 15]);
    if (!s)
        return 0;
    const tnt_cipher_info *ci = tnt_cipher_lookup(s->cipher);
    uint16_t version = (uint16_t)(0x0300 + (sel >> 4) % 3);
    const uint8_t *km = data + 1;
    size_t mac_len = tnt_mac_len(s->mac), key_len = tnt_rp_key_len(s->cipher);
    size_t iv_len = ci ? ci->iv_len : 0;
    if (mac_len + key_len + iv_len > 96)
        return 0;
    tnt_rp_params p = {
        version,          s, km, mac_len, km + mac_len, key_len, km + mac_len + key_len, iv_len,
        (sel & 0x40) != 0};
    tnt_rp_state *enc = NULL, *dec = NULL, *raw = NULL, *skip = NULL;
    if (tnt_rp_new(&p, &enc) != TNT_RP_OK) {
        FUZZ_ASSERT(enc == NULL);
        return 0;
    }
    FUZZ_ASSERT(tnt_rp_new(&p, &dec) == TNT_RP_OK);
    FUZZ_ASSERT(tnt_rp_new(&p, &raw) == TNT_RP_OK);
    FUZZ_ASSERT(tnt_rp_new(&p, &skip) == TNT_RP_OK);
    tnt_rp_set_rng(enc, rng, NULL);
    static uint8_t out[16384 + 4096], back[16384 + 4096];
    size_t off = 97;
    while (off + 2 <= size) {
        uint16_t h = (uint16_t)(data[off] << 8 | data[off + 1]);
        off += 2;
        size_t n = h & 0x3fff;
        if (n > size - off)
            n = size - off;
        const uint8_t *rec = data + off;
        off += n;
        iv_source = (uint8_t)h;
        if (h & 0x8000) {
            size_t elen = 0, blen = 0;
            tnt_rp_status st = tnt_rp_encrypt(enc, 23, version, rec, n, out, sizeof out, &elen);
            FUZZ_ASSERT(st == TNT_RP_OK);
            FUZZ_ASSERT(elen == tnt_rp_encrypted_len(enc, n));
            st = tnt_rp_decrypt(dec, 23, version, out, elen, back, sizeof back, &blen);
            FUZZ_ASSERT(st == TNT_RP_OK);
            FUZZ_ASSERT(blen == n && (n == 0 || memcmp(back, rec, n) == 0));
            continue;
        }
        size_t olen = 99999;
        tnt_rp_status st = tnt_rp_decrypt(raw, 23, version, rec, n, out, sizeof out, &olen);
        FUZZ_ASSERT(tnt_rp_status_name(st) != NULL);
        FUZZ_ASSERT(olen <= n);
        if (st != TNT_RP_OK)
            FUZZ_ASSERT(olen == 0);
        fuzz_touch(out, olen);
        (void)tnt_rp_skip(skip, rec, n);
    }
    tnt_rp_free(enc);
    tnt_rp_free(dec);
    tnt_rp_free(raw);
    tnt_rp_free(skip);
    return 0;
}
