/* RFC 8448 section 3 ("Simple 1-RTT Handshake", TLS_AES_128_GCM_SHA256):
 * traffic secrets, derived keys and the protected records, as printed in the
 * RFC ("complete record" blocks, header included). Any transcription error
 * in a record shows up as an AEAD tag failure in test_tls13.c. */
#ifndef TNT_TEST_TLS13_VECTORS_H
#define TNT_TEST_TLS13_VECTORS_H

/* {server} derive secret "tls13 s hs traffic" / "tls13 c hs traffic" */
#define R8448_S_HS_SECRET "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"
#define R8448_C_HS_SECRET "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"
/* {server} derive secret "tls13 s ap traffic" / "tls13 c ap traffic" */
#define R8448_S_AP_SECRET "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"
#define R8448_C_AP_SECRET "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"
/* {server} derive write traffic keys for handshake data, ... */
#define R8448_S_HS_KEY "3fce516009c21727d0f2e4e86ee403bc"
#define R8448_S_HS_IV "5d313eb2671276ee13000b30"
#define R8448_C_HS_KEY "dbfaa693d1762c5b666af5d950258d01"
#define R8448_C_HS_IV "5bd3c71b836e0b76bb73265f"
#define R8448_S_AP_KEY "9f02283b6c9c07efc26bb9f2ac92e356"
#define R8448_S_AP_IV "cf782b88dd83549aadf1e984"
#define R8448_C_AP_KEY "17422dda596ed5d9acd890e3c63f5051"
#define R8448_C_AP_IV "5b78923dee08579033e523d9"
/* {server} calculate finished "tls13 finished": HKDF-Expand-Label(s_hs,
 * "finished", "", 32) */
#define R8448_S_FINISHED_KEY "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8"
/* {server} extract secret "early" and derive secret for handshake "tls13
 * derived": HKDF-Expand-Label(early, "derived", SHA-256(""), 32) */
#define R8448_EARLY_SECRET "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"
#define R8448_EMPTY_HASH "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define R8448_DERIVED "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba"

/* {server} construct an EncryptedExtensions handshake message (the start of
 * the flight's plaintext) and a Finished handshake message (its end). */
#define R8448_S_EE                                                                                 \
    "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000"
#define R8448_S_FINISHED "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718"
/* {client} construct a Finished handshake message */
#define R8448_C_FINISHED "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61"

/* {server} send handshake record: EE, Certificate, CertificateVerify,
 * Finished under the server handshake keys, seq 0 (679 octets). */
#define R8448_S_FLIGHT_REC                                                                         \
    "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73"     \
    "f848a7ca07612ef9f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b72"     \
    "9df828b5ecf7b13bd9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609"     \
    "aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb3"     \
    "60987255cc744110c453baa4fcd610928d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09"     \
    "ead686945ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b3684596c960bd596eea"     \
    "520a56a8d650f563aad27409960dca63d3e688611ea5e22f4415cf9538d51a200c27034272968a264ed6540c"     \
    "84838d89f72c24461aad6d26f59ecaba9acbbb317b66d902f4f292a36ac1b639c637ce343117b65962224531"     \
    "7b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e1b7a6c7178af36879018e3f2"     \
    "52107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7c"     \
    "ca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe5a376689"     \
    "36b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb"     \
    "5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b"     \
    "66763038ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee"     \
    "340bbc4fddd502784016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c17"     \
    "19bfdabf0253fe5175be898e750edc53370d2b"
/* {client} send handshake record: Finished under the client handshake keys,
 * seq 0 (58 octets). */
#define R8448_C_FIN_REC                                                                            \
    "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46de"     \
    "b384bd1caeacab6867d726c40546"
/* {server} send handshake record: NewSessionTicket under the server
 * application keys, seq 0 (227 octets). */
#define R8448_S_NST_REC                                                                            \
    "17030300de3a6b8f90414a97d6959c3487680de5134a2b240e6cffac116e95d41d6af8f6b580dcf3d11d63c7"     \
    "58db289a015940252f55713e061dc13e078891a38efbcf5753ad8ef170ad3c7353d16d9da773b9ca7f2b9fa1"     \
    "b6c0d4a3d03f75e09c30ba1e62972ac46f75f7b981be63439b2999ce13064615139891d5e4c5b406f16e3fc1"     \
    "81a77ca475840025db2f0a77f81b5ab05b94c01346755f69232c86519d86cbeeac87aac347d143f9605d64f6"     \
    "50db4d023e70e952ca49fe5137121c74bc2697687e248746d6df353005f3bce18696129c8153556b3b6c6779"     \
    "b37bf15985684f"
/* {client} send application_data record: 50 octets 00 01 ... 31 under the
 * client application keys, seq 0; the server's carries the same 50 octets
 * at its seq 1. */
#define R8448_C_APP_REC                                                                            \
    "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a"     \
    "20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4"
#define R8448_S_APP_REC                                                                            \
    "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb"     \
    "501a59a8fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d"
/* {client} / {server} send alert record: close_notify (01 00) at client seq
 * 1 and server seq 2. */
#define R8448_C_ALERT_REC "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3"
#define R8448_S_ALERT_REC "1703030013b58fd67166ebf599d24720cfbe7efa7a8864a9"

#endif
