/* A small JSON document model for tntdump's own NDJSON: --summary and
 * --merge read connection objects back. Numbers keep their text and members
 * their order, and strings are written back with json_out.c's escaping, so
 * that an object read and written again is byte-identical. */
#ifndef TNTDUMP_JDOM_H
#define TNTDUMP_JDOM_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv {
    jv_type type;
    bool b;
    char *s;          /* JV_STR: decoded bytes (NUL-terminated); JV_NUM: the text */
    size_t len;       /* JV_STR */
    GPtrArray *items; /* JV_ARR: jv*; JV_OBJ: jmember* */
} jv;

typedef struct jmember {
    char *key;
    jv *val;
} jmember;

/* NULL with a reason in err when the text is not one JSON value. */
jv *jv_parse(const char *text, size_t len, char *err, size_t errcap);
void jv_free(jv *v);
void jv_write(GString *out, const jv *v);
/* n bytes as a JSON string, escaped as json_out.c escapes. */
void jv_write_string(GString *out, const char *s, size_t n);

jv *jv_get(const jv *obj, const char *key); /* NULL if absent or obj not an object */
const char *jv_str(const jv *v);            /* NULL unless a string */
int64_t jv_int(const jv *v, int64_t dflt);  /* dflt unless a number */
bool jv_true(const jv *v);
size_t jv_n(const jv *v); /* items of an array, 0 otherwise */
jv *jv_at(const jv *v, size_t i);

jv *jv_new_null(void);
jv *jv_new_bool(bool b);
jv *jv_new_num(int64_t n);
jv *jv_new_str(const char *s);
jv *jv_new_obj(void);
void jv_set(jv *obj, const char *key, jv *val); /* replaces or appends */
void jv_remove_at(jv *arr, size_t i);

#endif
