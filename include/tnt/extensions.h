/* Hello extensions, each decoded into its fields.
 *
 * Extensions are decoded eagerly with their hello so that the connection layer
 * (versions, renegotiation_info, EMS, EtM, tnt) and front ends read the same
 * values. An extension whose body does not parse keeps its type and bytes and
 * carries its own error; the hello around it is still valid. */
#ifndef TNT_EXTENSIONS_H
#define TNT_EXTENSIONS_H

#include "tnt/arena.h"
#include "tnt/codepoints.h"
#include "tnt/cursor.h"
#include "tnt/error.h"

#include <stdbool.h>
#include <stdint.h>

enum {
    TNT_EXT_SERVER_NAME = 0,
    TNT_EXT_STATUS_REQUEST = 5,
    TNT_EXT_SUPPORTED_GROUPS = 10,
    TNT_EXT_EC_POINT_FORMATS = 11,
    TNT_EXT_SIGNATURE_ALGORITHMS = 13,
    TNT_EXT_ALPN = 16,
    TNT_EXT_PADDING = 21,
    TNT_EXT_ENCRYPT_THEN_MAC = 22,
    TNT_EXT_EXTENDED_MASTER_SECRET = 23,
    TNT_EXT_RECORD_SIZE_LIMIT = 28,
    TNT_EXT_SESSION_TICKET = 35,
    TNT_EXT_SUPPORTED_VERSIONS = 43,
    TNT_EXT_KEY_SHARE = 51,
    TNT_EXT_RENEGOTIATION_INFO = 0xFF01,
};

/* Which decoded form an extension has. */
typedef enum tnt_ext_kind {
    TNT_EXTK_UNKNOWN = 0, /* type and bytes only */
    TNT_EXTK_SERVER_NAME,
    TNT_EXTK_STATUS_REQUEST,
    TNT_EXTK_SUPPORTED_GROUPS,
    TNT_EXTK_EC_POINT_FORMATS,
    TNT_EXTK_SIGNATURE_ALGORITHMS,
    TNT_EXTK_ALPN,
    TNT_EXTK_PADDING,
    TNT_EXTK_ENCRYPT_THEN_MAC,
    TNT_EXTK_EXTENDED_MASTER_SECRET,
    TNT_EXTK_RECORD_SIZE_LIMIT,
    TNT_EXTK_SESSION_TICKET,
    TNT_EXTK_SUPPORTED_VERSIONS,
    TNT_EXTK_RENEGOTIATION_INFO,
    TNT_EXTK_TNT,
} tnt_ext_kind;

typedef struct tnt_sni_name {
    tnt_uint type; /* 0 = host_name */
    tnt_bytes name;
} tnt_sni_name;

/* A list of fixed-width integers (groups, schemes, formats, versions). */
typedef struct tnt_uint_list {
    tnt_span at;    /* vector body */
    tnt_span whole; /* with its length prefix */
    uint32_t n;
    tnt_uint *v;
} tnt_uint_list;

typedef struct tnt_tnt_ext {
    tnt_uint version;
    tnt_uint mode;            /* TNT_MODE_* */
    tnt_uint_list strategies; /* u8 values */
    tnt_uint_list languages;  /* u8 values */
    bool known_version;       /* version == 1; otherwise only version is decoded */
} tnt_tnt_ext;

typedef struct tnt_extension {
    tnt_uint type;
    tnt_uint length;
    tnt_bytes data; /* the extension_data body */
    tnt_ext_kind kind;
    bool decoded; /* false: unknown type or error (err says) */
    tnt_error err;
    union {
        struct {
            uint32_t n;
            tnt_sni_name *names;
        } sni;
        struct {
            tnt_uint type; /* 1 = ocsp */
            tnt_bytes responder_ids;
            tnt_bytes extensions;
            bool empty; /* ServerHello form: no body */
        } status_request;
        tnt_uint_list groups;   /* supported_groups (u16) */
        tnt_uint_list formats;  /* ec_point_formats (u8) */
        tnt_uint_list sig_algs; /* signature_algorithms (u16) */
        struct {
            uint32_t n;
            tnt_bytes *protocols;
        } alpn;
        tnt_bytes padding; /* must be zeros; nonzero is still decoded */
        tnt_uint record_size_limit;
        tnt_bytes session_ticket; /* may be empty */
        struct {
            bool is_list; /* ClientHello: list; ServerHello: one value */
            tnt_uint_list list;
            tnt_uint selected;
        } supported_versions;
        tnt_bytes renegotiation_info; /* renegotiated_connection */
        tnt_tnt_ext tnt;
    } u;
} tnt_extension;

typedef struct tnt_extensions {
    tnt_uint length;     /* the extensions vector length field */
    tnt_span list_at;    /* the vector body */
    tnt_span list_whole; /* with its length prefix */
    uint32_t n;
    tnt_extension *v;
} tnt_extensions;

/* Decodes an extensions block (2-byte length, then the list); cp says which
 * type is TNT's (NULL: the default). from_server
 * selects the ServerHello forms (supported_versions, status_request). Returns
 * false only when the block itself is malformed (a length that overruns);
 * per-extension errors are reported in each tnt_extension. */
bool tnt_extensions_decode(tnt_cursor *c, bool from_server, const tnt_codepoints *cp, tnt_arena *a,
                           tnt_extensions *out, tnt_error *err);

/* The first extension of this type, or NULL. */
const tnt_extension *tnt_extensions_find(const tnt_extensions *e, uint16_t type);

#endif
