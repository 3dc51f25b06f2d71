#include "inputs.h"

#include <dirent.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

gboolean inputs_is_capture(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return FALSE;
    unsigned char m[4];
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    if (n != 4)
        return FALSE;
    uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    uint32_t le = (uint32_t)m[3] << 24 | (uint32_t)m[2] << 16 | (uint32_t)m[1] << 8 | m[0];
    static const uint32_t magics[] = {
        0xa1b2c3d4u, /* pcap, microseconds */
        0xa1b23c4du, /* pcap, nanoseconds */
        0xa1b2cd34u, /* Kuznetzov's modified pcap */
        0x0a0d0d0au, /* pcapng section header (same in both byte orders) */
    };
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (be == magics[i] || le == magics[i])
            return TRUE;
    return FALSE;
}

static gint cmp_bytes(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, GPtrArray *out)
{
    DIR *d = opendir(dir);
    if (!d) {
        g_ptr_array_add(out, g_strdup(dir)); /* opening it reports why */
        return;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            g_ptr_array_add(names, g_strdup(e->d_name));
    closedir(d);
    g_ptr_array_sort(names, cmp_bytes);
    for (guint i = 0; i < names->len; i++) {
        char *p = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
        struct stat st;
        /* stat, not lstat: a symlinked capture counts; a loop of directory
         * links is cut by the depth of the path. */
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && strlen(p) < 4000)
            walk(p, out);
        else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && inputs_is_capture(p))
            g_ptr_array_add(out, g_strdup(p));
        g_free(p);
    }
    g_ptr_array_free(names, TRUE);
}

static void expand_one(const char *arg, GPtrArray *out)
{
    struct stat st;
    if (strcmp(arg, "-") == 0 || stat(arg, &st) == 0) {
        if (strcmp(arg, "-") != 0 && S_ISDIR(st.st_mode))
            walk(arg, out);
        else
            g_ptr_array_add(out, g_strdup(arg));
        return;
    }
    glob_t g;
    /* A pattern's matches are filtered as a directory's are: "caps/x*" is
     * meant to pick captures, not the key logs beside them. */
    if (strpbrk(arg, "*?[") && glob(arg, GLOB_NOSORT, NULL, &g) == 0) {
        GPtrArray *m = g_ptr_array_new();
        for (size_t i = 0; i < g.gl_pathc; i++)
            g_ptr_array_add(m, g.gl_pathv[i]);
        g_ptr_array_sort(m, cmp_bytes);
        for (guint i = 0; i < m->len; i++) {
            const char *p = g_ptr_array_index(m, i);
            if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
                walk(p, out);
            else if (inputs_is_capture(p))
                g_ptr_array_add(out, g_strdup(p));
        }
        g_ptr_array_free(m, TRUE);
        globfree(&g);
        return;
    }
    g_ptr_array_add(out, g_strdup(arg));
}

void inputs_expand(const char *const *args, int n_args, GPtrArray *out)
{
    for (int i = 0; i < n_args; i++)
        expand_one(args[i], out);
}
