/* A minimal pcapng packet reader, for the files libpcap refuses.
 *
 * libpcap 1.10 gives a pcap_t one link type, so it stops at the second
 * Interface Description Block of a pcapng file whose interfaces differ in
 * link type (what mergecap writes when it merges an Ethernet capture with a
 * Linux "any" one). pcap_input.c walks the block headers first
 * (pcapng_scan_linktypes) and only for such files reads the packets here;
 * everything else still goes through libpcap.
 *
 * Read: SHB (byte order; a new section forgets the interfaces), IDB (link
 * type, snap length, if_tsresol, if_tsoffset), EPB, SPB and the obsolete PB.
 * Every other block is skipped. Works on a buffer (the caller maps the file)
 * so that tests can feed crafted bytes. */
#ifndef TNTDUMP_PCAPNG_READER_H
#define TNTDUMP_PCAPNG_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tnt/cursor.h"

#define PCAPNG_ERR_SIZE 160

typedef struct pcapng_iface {
    uint32_t linktype; /* LINKTYPE_ value as stored in the file */
    uint32_t snaplen;  /* 0 = no limit */
    bool res_binary;   /* resolution is 2^-res_exp s, else 10^-res_exp s */
    uint8_t res_exp;
    int64_t tsoffset; /* seconds added to every timestamp */
} pcapng_iface;

typedef struct pcapng_reader {
    const uint8_t *base;
    size_t size;
    tnt_cursor file;
    bool swap;    /* the current section is in the other byte order */
    bool started; /* a section header was read */
    pcapng_iface *ifaces;
    size_t n_ifaces, cap_ifaces;
    size_t released; /* bytes handed back with madvise (mapped files) */
    bool mapped;
    char err[PCAPNG_ERR_SIZE];
} pcapng_reader;

typedef struct pcapng_packet {
    uint32_t iface;
    uint32_t linktype;
    int64_t sec;
    uint32_t usec;
    uint32_t caplen;
    uint32_t wirelen;
    const uint8_t *data; /* caplen bytes inside the reader's buffer */
} pcapng_packet;

typedef enum pcapng_next_result {
    PCAPNG_PACKET, /* *pkt filled */
    PCAPNG_END,    /* clean end of the buffer */
    PCAPNG_ERROR,  /* damaged block or not pcapng: reader->err says why */
} pcapng_next_result;

/* Block by block, for passes that want other blocks than packets (the
 * secrets pre-pass of pcapng_dsb.c): the next block's type and body (between
 * its length fields), both length fields checked; at = its file offset.
 * Section headers are taken into account (byte order) and returned too.
 * PCAPNG_PACKET means "a block". */
pcapng_next_result pcapng_reader_block(pcapng_reader *r, uint32_t *type, tnt_cursor *body,
                                       size_t *at);
/* A 4-byte field of a block body in the current section's byte order. */
bool pcapng_reader_get32(const pcapng_reader *r, tnt_cursor *c, uint32_t *v);

/* mapped: data is an mmap of a file, so pages walked past may be released. */
void pcapng_reader_init(pcapng_reader *r, const uint8_t *data, size_t len, bool mapped);
pcapng_next_result pcapng_reader_next(pcapng_reader *r, pcapng_packet *pkt);
void pcapng_reader_free(pcapng_reader *r);

typedef enum pcapng_scan_result {
    PCAPNG_SCAN_OK,         /* read to the end */
    PCAPNG_SCAN_NOT_PCAPNG, /* first block is not a section header */
    PCAPNG_SCAN_DAMAGED,    /* stopped at a damaged block; types before it kept */
} pcapng_scan_result;

/* The distinct link types of the buffer's IDBs, in order of first
 * appearance, up to a damaged block. At most cap are stored; past that *n
 * keeps counting IDBs whose type is not among the stored ones, so *n > 1
 * still tells that the types differ. Walks block headers only. */
pcapng_scan_result pcapng_scan_linktypes(const uint8_t *data, size_t len, bool mapped,
                                         uint32_t *types, size_t cap, size_t *n);

/* Whether the buffer starts with a pcapng section header block type. */
bool pcapng_is_pcapng(const uint8_t *data, size_t len);

#endif
