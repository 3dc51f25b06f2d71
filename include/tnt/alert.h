/* The Alert protocol (content type 21): two bytes, level and description. */
#ifndef TNT_ALERT_H
#define TNT_ALERT_H

#include "tnt/cursor.h"
#include "tnt/error.h"

#include <stdbool.h>

typedef struct tnt_alert {
    tnt_uint level;       /* 1 warning, 2 fatal */
    tnt_uint description; /* tnt_alert_description_name() */
} tnt_alert;

/* Decodes a plaintext alert record body; exactly 2 bytes. */
bool tnt_alert_decode(const uint8_t *body, uint32_t len, tnt_alert *out, tnt_error *err);

#endif
