/* Small types shared across the API. */
#ifndef TNT_TYPES_H
#define TNT_TYPES_H

/* The direction of a connection's bytes: client to server or back. */
typedef enum tnt_dir { TNT_C2S = 0, TNT_S2C = 1 } tnt_dir;

#endif
