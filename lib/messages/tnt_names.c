/* Names of the TNT enumerations (spec sections 2 and 4). Unknown values give
 * NULL, as every name table of the core does, so that a front end can print
 * the number of a value that a newer or broken peer sent. */
#include "tnt_messages.h"

#include <stddef.h>

const char *tnt_mode_name(uint32_t m)
{
    switch (m) {
    case TNT_MODE_OFFER:
        return "offer";
    case TNT_MODE_NEGOTIATE:
        return "negotiate";
    case TNT_MODE_RESUME:
        return "resume";
    }
    return NULL;
}

const char *tnt_strategy_name(uint32_t s)
{
    switch (s) {
    case TNT_STRATEGY_EAGER:
        return "eager";
    case TNT_STRATEGY_PARSIMONIOUS:
        return "parsimonious";
    }
    return NULL;
}

const char *tnt_language_name(uint32_t l)
{
    switch (l) {
    case TNT_LANG_DN_EXPRESSION:
        return "dn_expression";
    case TNT_LANG_XML_POLICY:
        return "xml_policy";
    }
    return NULL;
}

const char *tnt_status_name(uint32_t s)
{
    switch (s) {
    case TNT_STATUS_CONTINUE:
        return "continue";
    case TNT_STATUS_SUCCESS:
        return "success";
    case TNT_STATUS_FAILURE:
        return "failure";
    }
    return NULL;
}

const char *tnt_target_kind_name(uint32_t k)
{
    switch (k) {
    case TNT_TARGET_RESOURCE:
        return "resource";
    case TNT_TARGET_CREDENTIAL:
        return "credential";
    }
    return NULL;
}
