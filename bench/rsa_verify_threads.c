/* rsa_verify_threads.c - how RSA-2048 proof verification through GnuTLS
 * (nettle, GMP) scales with threads on this machine: the floor of
 * tntdump's analysis with keys (two verifications per TNT connection).
 *
 *   gcc -O2 bench/rsa_verify_threads.c -o /tmp/rsa_verify_threads \
 *       $(pkg-config --cflags --libs gnutls) -lpthread
 *   /tmp/rsa_verify_threads 1; /tmp/rsa_verify_threads 2
 *
 * Each thread verifies one RSA-PSS-SHA256 signature of a digest ITERS
 * times through gnutls_pubkey_verify_hash2, the call tntdump's proof check
 * makes, with a public key of its own (as each analysis thread has its own
 * certificate cache). Compare with `openssl speed -multi N rsa2048`. */
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 2000

static gnutls_datum_t spki, sig, digest;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    (void)arg;
    gnutls_pubkey_t key;
    if (gnutls_pubkey_init(&key) < 0 || gnutls_pubkey_import(key, &spki, GNUTLS_X509_FMT_DER) < 0) {
        fprintf(stderr, "pubkey import failed\n");
        exit(1);
    }
    for (int i = 0; i < ITERS; i++)
        if (gnutls_pubkey_verify_hash2(key, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, 0, &digest, &sig) <
            0) {
            fprintf(stderr, "verification failed\n");
            exit(1);
        }
    gnutls_pubkey_deinit(key);
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1;
    if (n < 1 || n > 64) {
        fprintf(stderr, "usage: %s THREADS (1-64)\n", argv[0]);
        return 2;
    }
    gnutls_global_init();
    gnutls_privkey_t priv;
    gnutls_pubkey_t pub;
    static unsigned char d[32] = {1, 2, 3};
    digest.data = d;
    digest.size = sizeof d;
    if (gnutls_privkey_init(&priv) < 0 ||
        gnutls_privkey_generate(priv, GNUTLS_PK_RSA, 2048, 0) < 0 || gnutls_pubkey_init(&pub) < 0 ||
        gnutls_pubkey_import_privkey(pub, priv, 0, 0) < 0 ||
        gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki) < 0 ||
        gnutls_privkey_sign_hash2(priv, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, 0, &digest, &sig) < 0) {
        fprintf(stderr, "key or signature could not be made\n");
        return 1;
    }
    pthread_t t[64];
    double start = now();
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    double s = now() - start;
    printf("%d thread(s): %.1f us per verification in each thread, %.0f verifications/s in all\n",
           n, s / ITERS * 1e6, n * ITERS / s);
    return 0;
}
