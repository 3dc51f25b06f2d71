/* Plugin registration glue, kept apart from the dissector (as in libvirt's
 * Wireshark plugin): everything here changes with Wireshark's plugin ABI,
 * nothing here knows about TNT.
 *
 * 4.0 and 4.2/4.4 find a plugin by its exported plugin_version,
 * plugin_want_major/minor and plugin_register (4.2 added plugin_describe).
 * 4.6 replaced all of these with one wireshark_load_module entry point that
 * WIRESHARK_PLUGIN_REGISTER_EPAN defines around a struct ws_module. */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/proto.h>

#include "packet-tnt.h"

#if TNT_WS_AT_LEAST(4, 2)
/* WS_PLUGIN_DESC_DISSECTOR, struct ws_module (4.0 does not install it) */
#include <wsutil/plugins.h>
#endif

static void tnt_plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_tnt;
    plug.register_handoff = proto_reg_handoff_tnt;
    proto_register_plugin(&plug);
}

#if TNT_WS_AT_LEAST(4, 6)

static struct ws_module tnt_module = {
    .flags = WS_PLUGIN_DESC_DISSECTOR,
    .version = TNT_PLUGIN_VERSION,
    .spdx_id = "GPL-2.0-or-later",
    .home_url = "",
    .blurb = "TNT (Trust Negotiation in TLS) dissector",
    .register_cb = &tnt_plugin_register,
};

WIRESHARK_PLUGIN_REGISTER_EPAN(&tnt_module, 0)

#else

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = TNT_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
void plugin_register(void)
{
    tnt_plugin_register();
}

#if TNT_WS_AT_LEAST(4, 2)
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

#endif
