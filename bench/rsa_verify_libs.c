/* rsa_verify_libs.c - the RSA-2048 public operation of a TNT ownership proof
 * through each library the project may use, on one thread: which one sets
 * the floor of tntdump's analysis with keys (two verifications per TNT
 * connection).
 *
 *   gcc -O2 bench/rsa_verify_libs.c -o /tmp/rsa_verify_libs \
 *       $(pkg-config --cflags --libs gnutls libgcrypt) -lgmp
 *   /tmp/rsa_verify_libs
 *
 * It verifies one RSA-PSS-SHA256 signature of a digest ITERS times through
 * gnutls_pubkey_verify_hash2 (what tntdump's proof check calls) and through
 * libgcrypt's gcry_pk_verify, and times the bare modular exponentiation
 * s^e mod n through GMP's mpz_powm (what nettle calls underneath GnuTLS)
 * and libgcrypt's gcry_mpi_powm. Compare with `openssl speed rsa2048`. */
#include <gcrypt.h>
#include <gmp.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 4000

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report(const char *what, double start)
{
    printf("%-44s %6.2f us per verification\n", what, (now() - start) / ITERS * 1e6);
}

static void fail(const char *what)
{
    fprintf(stderr, "rsa_verify_libs: %s\n", what);
    exit(1);
}

int main(void)
{
    if (gnutls_global_init() < 0 || !gcry_check_version(NULL))
        fail("library initialisation failed");
    gnutls_privkey_t priv;
    gnutls_pubkey_t pub;
    static unsigned char d[32] = {1, 2, 3};
    gnutls_datum_t digest = {d, sizeof d}, sig;
    if (gnutls_privkey_init(&priv) < 0 ||
        gnutls_privkey_generate(priv, GNUTLS_PK_RSA, 2048, 0) < 0 || gnutls_pubkey_init(&pub) < 0 ||
        gnutls_pubkey_import_privkey(pub, priv, 0, 0) < 0 ||
        gnutls_privkey_sign_hash2(priv, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, 0, &digest, &sig) < 0)
        fail("key or signature could not be made");

    double t0 = now();
    for (int i = 0; i < ITERS; i++)
        if (gnutls_pubkey_verify_hash2(pub, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, 0, &digest, &sig) < 0)
            fail("GnuTLS: verification failed");
    report("GnuTLS gnutls_pubkey_verify_hash2 (PSS)", t0);

    gnutls_datum_t m, e;
    if (gnutls_pubkey_export_rsa_raw(pub, &m, &e) < 0)
        fail("no RSA parameters");
    gcry_sexp_t key;
    if (gcry_sexp_build(&key, NULL, "(public-key(rsa(n %b)(e %b)))", (int)m.size, m.data,
                        (int)e.size, e.data))
        fail("libgcrypt: key not built");
    t0 = now();
    for (int i = 0; i < ITERS; i++) {
        gcry_sexp_t s_sig, s_data;
        if (gcry_sexp_build(&s_sig, NULL, "(sig-val(rsa(s %b)))", (int)sig.size, sig.data) ||
            gcry_sexp_build(&s_data, NULL, "(data(flags pss)(hash sha256 %b)(salt-length %d))",
                            (int)sizeof d, d, (int)sizeof d))
            fail("libgcrypt: S-expression not built");
        if (gcry_pk_verify(s_sig, s_data, key))
            fail("libgcrypt: verification failed");
        gcry_sexp_release(s_sig);
        gcry_sexp_release(s_data);
    }
    report("libgcrypt gcry_pk_verify (PSS)", t0);

    mpz_t N, E, S, R;
    mpz_inits(N, E, S, R, NULL);
    mpz_import(N, m.size, 1, 1, 0, 0, m.data);
    mpz_import(E, e.size, 1, 1, 0, 0, e.data);
    mpz_import(S, sig.size, 1, 1, 0, 0, sig.data);
    t0 = now();
    for (int i = 0; i < ITERS; i++)
        mpz_powm(R, S, E, N);
    report("GMP mpz_powm alone (s^e mod n)", t0);

    gcry_mpi_t gn, ge, gs, gr = gcry_mpi_new(0);
    if (gcry_mpi_scan(&gn, GCRYMPI_FMT_USG, m.data, m.size, NULL) ||
        gcry_mpi_scan(&ge, GCRYMPI_FMT_USG, e.data, e.size, NULL) ||
        gcry_mpi_scan(&gs, GCRYMPI_FMT_USG, sig.data, sig.size, NULL))
        fail("libgcrypt: MPI not read");
    t0 = now();
    for (int i = 0; i < ITERS; i++)
        gcry_mpi_powm(gr, gs, ge, gn);
    report("libgcrypt gcry_mpi_powm alone (s^e mod n)", t0);
    return 0;
}
