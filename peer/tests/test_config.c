/* The party configuration file: a full example read back field by field,
 * then every kind of bad input with its exact "file:line: what" message. */
#include "check.h"
#include "config.h"
#include "tnt/tnt_messages.h"
#include "tnt/x509.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char pki[512];

static const char GOOD[] =
    "# Riverside Clinic, server side of spec section 9\r\n"
    "strategy = eager\r\n"
    "\n"
    "  ; another comment\n"
    "rounds   = 12\n"
    "language = dn_expression\n"
    "anchor O=\"State Medical Board\" = smb-ca-rsa.pem\n"
    "anchor O=\"Better Business Bureau\" C=\"CH\" = bbb-ca-ec.pem\n"
    "anchor = webca-rsa.pem\n"
    "resource \"GET /records/4711\" =   cred( \"MedicalLicense\",issuer.O = \"State Medical "
    "Board\" )  \n"
    "resource \"GET /records/4711\" = cred(\"Employment\", subject.O=\"Riverside Clinic\")\n"
    "[credential \"Accreditation\"]\n"
    "chain  = clinic-rsa.pem\n"
    "key    = clinic-rsa.key\n"
    "policy = true\n"
    "resource \"GET /\" = true\n"
    "[ credential \"Zoë \\\"Dr\\\" Müller\" ]\n"
    "policy = cred(\"Accreditation\", issuer.O=\"Better Business Bureau\") or cred(\"X\")\n"
    "key = physician-ec.key\n"
    "chain = physician-ec.der\n";

static void test_good(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_peer_config c;
    char err[512];
    bool ok = tnt_peer_config_parse(GOOD, strlen(GOOD), "good.conf", pki, &a, &c, err, sizeof(err));
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "%s\n", err);
        tnt_arena_free(&a);
        return;
    }
    CHECK_STR(err, "");
    CHECK_EQ(c.strategy, TNT_STRATEGY_EAGER);
    CHECK_EQ(c.round_limit, 12);
    CHECK_EQ(c.language, TNT_LANG_DN_EXPRESSION);

    CHECK_EQ(c.anchors.n, 3);
    CHECK_EQ(c.anchors.v[0].n_keys, 1);
    CHECK_EQ(c.anchors.v[0].keys[0].attr, TNT_DN_ATTR_O);
    CHECK_STR(c.anchors.v[0].keys[0].value, "State Medical Board");
    CHECK_STR(c.anchors.v[0].subject,
              "CN=State Medical Board Licensing CA,O=State Medical Board,ST=Vaud,C=CH");
    CHECK_EQ(c.anchors.v[1].n_keys, 2);
    CHECK_EQ(c.anchors.v[1].keys[1].attr, TNT_DN_ATTR_C);
    CHECK_STR(c.anchors.v[1].keys[1].value, "CH");
    CHECK_EQ(c.anchors.v[2].n_keys, 0);

    CHECK_EQ(c.n_resources, 3);
    CHECK_STR(c.resources[0].name, "GET /records/4711");
    /* Canonical text: what goes on the wire, whatever the spacing. */
    CHECK_STR(c.resources[0].policy_text,
              "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")");
    CHECK_EQ(c.resources[0].line, 10);
    CHECK_EQ(c.resources[0].policy->kind, TNT_DN_CRED);
    CHECK_STR(c.resources[1].policy_text, "cred(\"Employment\", subject.O=\"Riverside Clinic\")");
    CHECK_STR(c.resources[2].name, "GET /");
    CHECK_EQ(c.resources[2].policy->kind, TNT_DN_TRUE);
    CHECK_EQ(c.resources[2].line, 16);
    CHECK(tnt_peer_config_has_resource(&c, "GET /records/4711"));
    CHECK(!tnt_peer_config_has_resource(&c, "GET /records"));

    CHECK_EQ(c.n_creds, 2);
    const tnt_peer_credential *acc = tnt_peer_config_credential(&c, "Accreditation");
    CHECK(acc == &c.creds[0]);
    CHECK_EQ(acc->line, 12);
    CHECK_EQ(acc->n_certs, 1);
    CHECK_STR(acc->policy_text, "true");
    char dn[256];
    CHECK(tnt_x509_dn(acc->certs[0].p, acc->certs[0].len, false, dn, sizeof(dn)));
    CHECK_STR(dn, "CN=Riverside Clinic,OU=Accredited Clinics,O=Riverside Clinic,L=Lausanne,C=CH");
    /* The PEM chain became the same DER as the .der file. */
    FILE *f = fopen(acc->chain_file, "rb");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    char path[600];
    snprintf(path, sizeof(path), "%s/clinic-rsa.der", pki);
    f = fopen(path, "rb");
    uint8_t der[4096];
    size_t n = f ? fread(der, 1, sizeof(der), f) : 0;
    if (f)
        fclose(f);
    CHECK_EQ(acc->certs[0].len, n);
    CHECK(n && memcmp(acc->certs[0].p, der, n) == 0);
    CHECK(acc->key_len > 100 && memcmp(acc->key, "-----BEGIN", 10) == 0);
    snprintf(path, sizeof(path), "%s/clinic-rsa.key", pki);
    CHECK_STR(acc->key_file, path);

    const tnt_peer_credential *zoe = tnt_peer_config_credential(&c, "Zoë \"Dr\" Müller");
    CHECK(zoe == &c.creds[1]);
    CHECK_EQ(zoe->line, 17);
    CHECK_STR(zoe->policy_text,
              "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\") or cred(\"X\")");
    CHECK_EQ(zoe->n_certs, 1);
    CHECK(tnt_peer_config_credential(&c, "Zoë") == NULL);
    tnt_arena_free(&a);

    /* Defaults. */
    tnt_arena_init(&a);
    CHECK(tnt_peer_config_parse("", 0, "empty.conf", NULL, &a, &c, err, sizeof(err)));
    CHECK_EQ(c.strategy, TNT_STRATEGY_PARSIMONIOUS);
    CHECK_EQ(c.round_limit, 64);
    CHECK_EQ(c.language, TNT_LANG_DN_EXPRESSION);
    CHECK_EQ(c.n_creds, 0);
    CHECK_EQ(c.n_resources, 0);
    CHECK_EQ(c.anchors.n, 0);
    tnt_arena_free(&a);
}

/* Each bad configuration with its exact message. "%P" in the text stands
 * for nothing: files are relative to the PKI directory. */
static const struct {
    const char *text;
    const char *err;
} BAD[] = {
    {"strategy = lazy\n", "t.conf:1: strategy must be eager or parsimonious"},
    {"strategy = eager\nstrategy = eager\n", "t.conf:2: strategy already set at line 1"},
    {"strategy eager\n", "t.conf:1: expected '=' after the setting name"},
    {"rounds = 0\n", "t.conf:1: rounds must be a number from 1 to 65535"},
    {"rounds = 65536\n", "t.conf:1: rounds must be a number from 1 to 65535"},
    {"rounds = 100000\n", "t.conf:1: rounds must be a number from 1 to 65535"},
    {"rounds = -1\n", "t.conf:1: rounds must be a number from 1 to 65535"},
    {"rounds = 6 4\n", "t.conf:1: rounds must be a number from 1 to 65535"},
    {"rounds =\n", "t.conf:1: rounds must be a number from 1 to 65535"},
    {"language = xml_policy\n",
     "t.conf:1: xml_policy policies cannot be evaluated; only dn_expression is supported"},
    {"language = DN_EXPRESSION\n", "t.conf:1: unknown policy language (only dn_expression)"},
    {"colour = blue\n", "t.conf:1: unknown setting \"colour\""},
    {"= x\n", "t.conf:1: expected a setting name"},
    {"\n\n  policy = true\n", "t.conf:3: policy outside a [credential \"TYPE\"] section"},
    {"chain = clinic-rsa.pem\n", "t.conf:1: chain outside a [credential \"TYPE\"] section"},
    {"resource \"GET /x\" = cred(\"a\"\n",
     "t.conf:1: malformed policy at column 29: expected \",\" or \")\""},
    {"resource \"GET /x\" =   cred(\"a\") nor cred(\"b\")\n",
     "t.conf:1: malformed policy at column 33: expected \"and\", \"or\" or the end of the policy"},
    {"resource \"GET /x\" = \n", "t.conf:1: empty policy (write true for a free one)"},
    {"resource \"GET /x\" = TRUE\n",
     "t.conf:1: malformed policy at column 21: expected \"(\" or \"cred\""},
    {"resource \"\" = true\n", "t.conf:1: a resource name has 1 to 255 bytes"},
    {"resource GET = true\n", "t.conf:1: expected a double-quoted resource name"},
    {"resource \"GET /x = true\n", "t.conf:1: unterminated string in resource name"},
    {"resource \"GET /\\x\" = true\n",
     "t.conf:1: bad escape in resource name: only \\\" and \\\\ are escapes"},
    {"resource \"GET /\x01\" = true\n", "t.conf:1: control character in resource name"},
    {"resource \"GET /\xc3\" = true\n", "t.conf:1: resource name is not valid UTF-8 (byte 5)"},
    {"resource \"GET /x\" true\n", "t.conf:1: expected '=' after the resource name"},
    {"[cred \"x\"]\n", "t.conf:1: unknown section (only [credential \"TYPE\"] exists)"},
    {"[credential \"\"]\n", "t.conf:1: a credential type has 1 to 255 bytes"},
    {"[credential x]\n", "t.conf:1: expected a double-quoted credential type"},
    {"[credential \"x\"\n", "t.conf:1: expected ']' after the credential type"},
    {"[credential \"x\"] y\n", "t.conf:1: unexpected text after ']'"},
    {"[credential \"A\"]\nchain = clinic-rsa.pem\nkey = clinic-rsa.key\npolicy = true\n"
     "[credential \"A\"]\n",
     "t.conf:5: credential \"A\" already defined at line 1"},
    {"# c\n[credential \"A\"]\nchain = clinic-rsa.pem\npolicy = true\n",
     "t.conf:2: credential \"A\" has no key"},
    {"[credential \"A\"]\nkey = clinic-rsa.key\npolicy = true\n",
     "t.conf:1: credential \"A\" has no chain"},
    {"[credential \"A\"]\nchain = clinic-rsa.pem\nkey = clinic-rsa.key\n",
     "t.conf:1: credential \"A\" has no policy"},
    {"[credential \"A\"]\npolicy = true\npolicy = false\n",
     "t.conf:3: policy of credential \"A\" already set"},
    {"[credential \"A\"]\nchain = clinic-rsa.pem\nchain = clinic-rsa.pem\n",
     "t.conf:3: chain of credential \"A\" already set"},
    {"[credential \"A\"]\nkey = clinic-rsa.key\nkey = clinic-rsa.key\n",
     "t.conf:3: key of credential \"A\" already set"},
    {"[credential \"A\"]\npolicy = cred(A)\n",
     "t.conf:2: malformed policy at column 15: expected a string"},
    {"[credential \"A\"]\nchain =\n", "t.conf:2: chain: file name missing"},
    {"[credential \"A\"]\nchain = nosuch.pem\n",
     "t.conf:2: chain file %P/nosuch.pem: No such file or directory"},
    {"[credential \"A\"]\nchain = clinic-rsa.key\n",
     "t.conf:2: chain file %P/clinic-rsa.key: no certificate: "},
    {"[credential \"A\"]\nkey = clinic-rsa.pem\n",
     "t.conf:2: key file %P/clinic-rsa.pem: not a usable private key: "},
    {"[credential \"A\"]\nchain = physician-rsa.pem\nkey = clinic-rsa.key\npolicy = true\n",
     "t.conf:1: credential \"A\": key %P/clinic-rsa.key does not match the first certificate of "
     "%P/physician-rsa.pem"},
    {"[credential \"A\"]\nchain = physician-ec.pem\nkey = physician-rsa.key\npolicy = true\n",
     "t.conf:1: credential \"A\": key %P/physician-rsa.key does not match the first certificate "
     "of %P/physician-ec.pem"},
    {"anchor O=\"x\"\n", "t.conf:1: anchor: expected ATTR=\"value\" (ATTR one of CN O OU C ST L) "
                         "or '='"},
    {"anchor X=\"y\" = smb-ca-rsa.pem\n",
     "t.conf:1: anchor: expected ATTR=\"value\" (ATTR one of CN O OU C ST L) or '='"},
    {"anchor o=\"y\" = smb-ca-rsa.pem\n",
     "t.conf:1: anchor: expected ATTR=\"value\" (ATTR one of CN O OU C ST L) or '='"},
    {"anchor O=y = smb-ca-rsa.pem\n", "t.conf:1: expected a double-quoted anchor attribute value"},
    {"anchor O=\"y\" =\n", "t.conf:1: anchor: file name missing"},
    {"anchor O=\"y\" = nosuch.pem\n", "t.conf:1: anchor file %P/nosuch.pem: "},
    {"strategy = eager\nrounds = 3\x00\n", "t.conf:2: NUL byte in the configuration"},
};

static void test_bad(void)
{
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        /* Expand %P to the PKI directory. */
        char want[1024];
        size_t k = 0;
        for (const char *s = BAD[i].err; *s && k < sizeof(want) - 600; s++) {
            if (s[0] == '%' && s[1] == 'P') {
                k += (size_t)snprintf(want + k, sizeof(want) - k, "%s", pki);
                s++;
            } else {
                want[k++] = *s;
            }
        }
        want[k] = '\0';
        size_t len = strlen(BAD[i].text);
        if (strstr(BAD[i].text, "rounds = 3"))
            len += 2; /* the NUL case: the text goes on after it */
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_peer_config c;
        char err[1024];
        bool ok = tnt_peer_config_parse(BAD[i].text, len, "t.conf", pki, &a, &c, err, sizeof(err));
        CHECK(!ok);
        /* Messages that end in ": " go on with GnuTLS's or the system's
         * words; only the part before is ours. */
        size_t wl = strlen(want);
        bool prefix = wl >= 2 && want[wl - 2] == ':' && want[wl - 1] == ' ';
        if (prefix ? strncmp(err, want, wl) != 0 || strlen(err) == wl : strcmp(err, want) != 0) {
            CHECK_STR(err, want);
            fprintf(stderr, "  (bad config #%zu)\n", i);
        } else {
            CHECK(true);
        }
        tnt_arena_free(&a);
    }

    /* A short error buffer truncates, never overflows. */
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_peer_config c;
    char err[12];
    CHECK(!tnt_peer_config_parse("strategy = x", 12, "t.conf", pki, &a, &c, err, sizeof(err)));
    CHECK_STR(err, "t.conf:1: s");
    CHECK(!tnt_peer_config_parse("strategy = x", 12, "t.conf", pki, &a, &c, NULL, 0));
    tnt_arena_free(&a);
}

static void test_load(void)
{
    char dir[] = "/tmp/tnt-peer-config-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[700];
    snprintf(path, sizeof(path), "%s/clinic.conf", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    /* Absolute file names, and a relative one that must be looked up next
     * to the configuration file. */
    fprintf(f,
            "anchor O=\"State Medical Board\" = %s/smb-ca-rsa.pem\n"
            "[credential \"Accreditation\"]\nchain = %s/clinic-rsa.pem\nkey = %s/clinic-rsa.key\n"
            "policy = true\n"
            "anchor = relative.pem\n",
            pki, pki, pki);
    fclose(f);
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_peer_config c;
    char err[1024], want[1024];
    CHECK(!tnt_peer_config_load(path, &a, &c, err, sizeof(err)));
    snprintf(want, sizeof(want), "%s:6: anchor file %s/relative.pem: ", path, dir);
    CHECK(strncmp(err, want, strlen(want)) == 0);
    tnt_arena_free(&a);

    /* Once the file is there, it loads. */
    char src[700], dst[700];
    snprintf(src, sizeof(src), "%s/webca-ec.pem", pki);
    snprintf(dst, sizeof(dst), "%s/relative.pem", dir);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    char buf[8192];
    size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;
    if (out)
        fwrite(buf, 1, n, out);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    tnt_arena_init(&a);
    bool ok = tnt_peer_config_load(path, &a, &c, err, sizeof(err));
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "%s\n", err);
    CHECK_EQ(c.anchors.n, 2);
    CHECK_EQ(c.n_creds, 1);
    tnt_arena_free(&a);
    unlink(dst);
    unlink(path);
    rmdir(dir);

    tnt_arena_init(&a);
    CHECK(!tnt_peer_config_load("/nonexistent/tnt.conf", &a, &c, err, sizeof(err)));
    CHECK_STR(err, "/nonexistent/tnt.conf: No such file or directory");
    tnt_arena_free(&a);
}

int main(void)
{
    const char *data = getenv("TNT_TEST_DATA");
    char rel[512];
    snprintf(rel, sizeof(rel), "%s/pki", data ? data : "tests/data");
    /* Absolute, so that file names in generated configurations work from
     * any directory. */
    char abs[PATH_MAX];
    if (!realpath(rel, abs) || strlen(abs) >= sizeof(pki)) {
        fprintf(stderr, "no test PKI at %s\n", rel);
        return 1;
    }
    memcpy(pki, abs, strlen(abs) + 1);
    test_good();
    test_bad();
    test_load();
    return check_done("test_config");
}
