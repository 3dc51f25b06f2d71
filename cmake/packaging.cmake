# Installation and the Debian package.
#
#   cmake --install build [--prefix /usr/local]   tntdump, tntpeer, man pages, docs
#   (cd build && cpack -G DEB)                     tnt-toolkit_<version>_<arch>.deb
#
# Runtime dependencies are found by dpkg-shlibdeps from the installed
# binaries (libpcap, GLib, libgcrypt, GnuTLS, zlib as linked), so they follow
# whatever the build linked against.
#
# The Wireshark plugin (plugin/, when built) goes into the package through
# its component tnt_plugin_package: Wireshark's system plugin folder, and
# TNT_DEB_EXTRA_DEPENDS pins the libwireshark release series it was built
# for. Its personal-folder install (component tnt_plugin) stays out of the
# package.

include(GNUInstallDirs)

install(TARGETS tntpeer DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/peer/tntpeer.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES
          ${PROJECT_SOURCE_DIR}/README.md
          ${PROJECT_SOURCE_DIR}/docs/architecture.md
          ${PROJECT_SOURCE_DIR}/docs/protocol.md
          ${PROJECT_SOURCE_DIR}/docs/tntdump.md
          ${PROJECT_SOURCE_DIR}/docs/tntdump.schema.json
          ${PROJECT_SOURCE_DIR}/docs/tntpeer.md
          ${PROJECT_SOURCE_DIR}/docs/clinic-tls12-ecdhe-gcm.svg
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/scale-out.md DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/tntdump-dask.py
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples OPTIONAL)

set(CPACK_PACKAGE_NAME "tnt-toolkit")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "TNT toolkit")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Trust Negotiation in TLS: capture analyser (tntdump) and reference peer (tntpeer)")
set(CPACK_PACKAGE_DESCRIPTION
    "tntdump reads pcap/pcapng captures or live interfaces, decrypts TLS 1.0-1.2 with key logs, RSA keys or pcapng secrets, and reports every TNT trust negotiation: rounds, policies, proofs, violations. tntpeer is the reference TNT client and server.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "TNT toolkit developers <tnt@invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# One package of the components named here (everything installed
# without a component is "Unspecified").
set(CPACK_COMPONENTS_ALL Unspecified)
if(TARGET tnt_plugin)
  list(APPEND CPACK_COMPONENTS_ALL tnt_plugin_package)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
if(TNT_DEB_EXTRA_DEPENDS)
  string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS ${TNT_DEB_EXTRA_DEPENDS})
endif()
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://tnt.invalid/")
include(CPack)
