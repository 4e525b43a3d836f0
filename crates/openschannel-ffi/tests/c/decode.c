/*
 * decode.c - the certificate-decoding half of the Windows TLS API as curl,
 * libgit2 and the SDK samples call it: PEM through CryptStringToBinary, CA
 * files and PFX blobs through CryptQueryObject, the SAN through
 * CryptDecodeObjectEx(X509_ALT_NAME) and the double-NUL name list, the
 * --pinnedpubkey SHA-256 through CryptCreateHash, names and properties, and a
 * server credential whose key was imported with CryptImportKey and linked
 * with CERT_KEY_PROV_INFO_PROP_ID, completing a handshake in process.
 *
 * Usage: decode LEAF.pem CA_BUNDLE.pem SERVER.p12 PASSWORD RSA_CERT.pem RSA_KEY.pem
 * Prints "spki-sha256 HEX" and one line per check, then "N passed, M failed".
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "common.h"

static int passed, failed;

static void check(const char *name, int ok) {
    if (ok) passed++;
    else failed++;
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
}

static WCHAR *widen(const char *s, WCHAR *out) {
    size_t i;
    for (i = 0; s[i]; i++) out[i] = (WCHAR)(unsigned char)s[i];
    out[i] = 0;
    return out;
}

static int wide_eq(const WCHAR *w, const char *s) {
    size_t i;
    for (i = 0; s[i]; i++)
        if (w[i] != (WCHAR)(unsigned char)s[i]) return 0;
    return w[i] == 0;
}

/* PEM text -> DER, as callers do: size query, then the decode. */
static BYTE *pem_to_der(const char *pem, DWORD *len) {
    BYTE *der;
    DWORD skip = 99, fmt = 99;
    *len = 0;
    if (!CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, NULL, len, NULL, NULL)) return NULL;
    der = (BYTE *)malloc(*len);
    if (!der) return NULL;
    if (!CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, der, len, &skip, &fmt) || skip != 0 ||
        fmt != CRYPT_STRING_BASE64HEADER) {
        free(der);
        return NULL;
    }
    return der;
}

/* One DER element: returns the total length and sets *hdr to the header length. */
static size_t der_elem(const BYTE *p, size_t avail, size_t *hdr) {
    size_t len, n, i;
    if (avail < 2) return 0;
    if (p[1] < 0x80) {
        *hdr = 2;
        len = p[1];
    } else {
        n = p[1] & 0x7f;
        if (n == 0 || n > 3 || avail < 2 + n) return 0;
        for (len = 0, i = 0; i < n; i++) len = (len << 8) | p[2 + i];
        *hdr = 2 + n;
    }
    return *hdr + len <= avail ? *hdr + len : 0;
}

/* The SubjectPublicKeyInfo element of a certificate (what curl pins). */
static const BYTE *spki_of(const BYTE *cert, size_t len, size_t *spki_len) {
    size_t hdr, total, i, elen;
    const BYTE *p;
    if (!der_elem(cert, len, &hdr)) return NULL;
    p = cert + hdr; /* tbsCertificate */
    total = der_elem(p, len - hdr, &hdr);
    if (!total) return NULL;
    len = total - hdr;
    p += hdr;
    if (*p == 0xa0) { /* [0] version */
        elen = der_elem(p, len, &hdr);
        p += elen;
        len -= elen;
    }
    for (i = 0; i < 5; i++) { /* serial, signature, issuer, validity, subject */
        elen = der_elem(p, len, &hdr);
        if (!elen) return NULL;
        p += elen;
        len -= elen;
    }
    *spki_len = der_elem(p, len, &hdr);
    return *spki_len ? p : NULL;
}

static void alt_names(PCCERT_CONTEXT leaf) {
    PCERT_EXTENSION ext = CertFindExtension(szOID_SUBJECT_ALT_NAME2, leaf->pCertInfo->cExtension,
                                            leaf->pCertInfo->rgExtension);
    CERT_ALT_NAME_INFO *alt = NULL;
    DWORD size = 0, i, need;
    int dns1 = 0, dns2 = 0, ip4 = 0, ip6 = 0;
    BYTE *buf;
    static const BYTE v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    check("CertFindExtension(szOID_SUBJECT_ALT_NAME2)", ext != NULL);
    if (!ext) return;
    check("CryptDecodeObjectEx(X509_ALT_NAME, ALLOC)",
          CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALT_NAME, ext->Value.pbData, ext->Value.cbData,
                              CRYPT_DECODE_ALLOC_FLAG, NULL, &alt, &size) &&
              alt != NULL && size > sizeof *alt);
    if (!alt) return;
    for (i = 0; i < alt->cAltEntry; i++) {
        CERT_ALT_NAME_ENTRY *e = &alt->rgAltEntry[i];
        if (e->dwAltNameChoice == CERT_ALT_NAME_DNS_NAME && wide_eq(e->pwszDNSName, "localhost")) dns1 = 1;
        if (e->dwAltNameChoice == CERT_ALT_NAME_DNS_NAME && wide_eq(e->pwszDNSName, "second.example")) dns2 = 1;
        if (e->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS && e->IPAddress.cbData == 4 &&
            memcmp(e->IPAddress.pbData, "\x7f\x00\x00\x01", 4) == 0)
            ip4 = 1;
        if (e->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS && e->IPAddress.cbData == 16 &&
            memcmp(e->IPAddress.pbData, v6, 16) == 0)
            ip6 = 1;
    }
    check("SAN: 4 entries", alt->cAltEntry == 4);
    check("SAN: DNS localhost and second.example", dns1 && dns2);
    check("SAN: IP 127.0.0.1 and ::1", ip4 && ip6);
    check("LocalFree(decoded)", LocalFree(alt) == NULL);
    check("LocalFree(twice) fails", LocalFree(alt) == (HLOCAL)alt && GetLastError() == ERROR_INVALID_HANDLE);

    /* Caller buffer: size query, short buffer, then the real call (szOID form). */
    need = 0;
    check("CryptDecodeObject size query",
          CryptDecodeObject(X509_ASN_ENCODING, szOID_SUBJECT_ALT_NAME2, ext->Value.pbData, ext->Value.cbData, 0,
                            NULL, &need) &&
              need == size);
    buf = (BYTE *)malloc(need);
    size = need - 1;
    check("CryptDecodeObject short buffer -> ERROR_MORE_DATA",
          !CryptDecodeObject(X509_ASN_ENCODING, szOID_SUBJECT_ALT_NAME2, ext->Value.pbData, ext->Value.cbData, 0,
                             buf, &size) &&
              GetLastError() == ERROR_MORE_DATA && size == need);
    check("CryptDecodeObject into the buffer",
          CryptDecodeObject(X509_ASN_ENCODING, szOID_SUBJECT_ALT_NAME2, ext->Value.pbData, ext->Value.cbData, 0,
                            buf, &size) &&
              ((CERT_ALT_NAME_INFO *)buf)->cAltEntry == 4);
    size = 0;
    check("truncated SAN -> CRYPT_E_ASN1_EOD",
          !CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALT_NAME, ext->Value.pbData, ext->Value.cbData - 1, 0, NULL,
                               NULL, &size) &&
              GetLastError() == (DWORD)CRYPT_E_ASN1_EOD);
    free(buf);
}

static void names(PCCERT_CONTEXT leaf) {
    char list[256], str[256];
    DWORD n, need;
    WCHAR wide[256], friendly[32];
    CRYPT_DATA_BLOB fb;

    /* curl's host check: every DNS name, double-NUL terminated. */
    n = CertGetNameStringA(leaf, CERT_NAME_DNS_TYPE, CERT_NAME_SEARCH_ALL_NAMES_FLAG | CERT_NAME_DISABLE_IE4_UTF8_FLAG,
                           NULL, list, sizeof list);
    check("CertGetNameString(DNS, SEARCH_ALL) is the double-NUL list",
          n == sizeof "localhost\0second.example\0" && strcmp(list, "localhost") == 0 &&
              strcmp(list + 10, "second.example") == 0 && list[n - 1] == 0 && list[n - 2] == 0);
    need = CertGetNameStringW(leaf, CERT_NAME_DNS_TYPE, CERT_NAME_SEARCH_ALL_NAMES_FLAG, NULL, NULL, 0);
    check("CertGetNameStringW size query matches", need == n);
    n = CertGetNameStringA(leaf, CERT_NAME_DNS_TYPE, 0, NULL, str, sizeof str);
    check("CertGetNameString(DNS) = first DNS SAN", n == 10 && strcmp(str, "localhost") == 0);
    n = CertGetNameStringA(leaf, CERT_NAME_ATTR_TYPE, 0, (void *)szOID_ORGANIZATION_NAME, str, sizeof str);
    check("CertGetNameString(ATTR, O)", strcmp(str, "openschannel tests") == 0 && n == 19);
    n = CertGetNameStringA(leaf, CERT_NAME_SIMPLE_DISPLAY_TYPE, CERT_NAME_ISSUER_FLAG, NULL, str, sizeof str);
    check("CertGetNameString(SIMPLE_DISPLAY, ISSUER) = CA CN", strcmp(str, "openschannel C test CA") == 0);
    n = CertNameToStrA(X509_ASN_ENCODING, &leaf->pCertInfo->Subject, CERT_X500_NAME_STR, str, sizeof str);
    check("CertNameToStr(X500)", strcmp(str, "CN=localhost, O=openschannel tests") == 0 && n == strlen(str) + 1);
    n = CertNameToStrA(X509_ASN_ENCODING, &leaf->pCertInfo->Subject,
                       CERT_OID_NAME_STR | CERT_NAME_STR_SEMICOLON_FLAG | CERT_NAME_STR_REVERSE_FLAG, str, sizeof str);
    check("CertNameToStr(OID, SEMICOLON|REVERSE)", strcmp(str, "2.5.4.10=openschannel tests; 2.5.4.3=localhost") == 0);
    n = CertNameToStrW(X509_ASN_ENCODING, &leaf->pCertInfo->Subject, CERT_SIMPLE_NAME_STR, wide, 256);
    check("CertNameToStrW(SIMPLE)", wide_eq(wide, "localhost, openschannel tests"));

    fb.pbData = (BYTE *)widen("My server", friendly);
    fb.cbData = 10 * sizeof(WCHAR);
    check("CertSetCertificateContextProperty(FRIENDLY_NAME)",
          CertSetCertificateContextProperty(leaf, CERT_FRIENDLY_NAME_PROP_ID, 0, &fb));
    CertGetNameStringA(leaf, CERT_NAME_FRIENDLY_DISPLAY_TYPE, 0, NULL, str, sizeof str);
    check("CertGetNameString(FRIENDLY_DISPLAY) = the property", strcmp(str, "My server") == 0);
}

static void hashes(PCCERT_CONTEXT leaf) {
    HCRYPTPROV prov = 0;
    HCRYPTHASH hash = 0;
    BYTE value[32], prop[32], direct[32];
    DWORD len = sizeof value, size = 0, algid = 0, i;
    size_t spki_len = 0;
    const BYTE *spki = spki_of(leaf->pbCertEncoded, leaf->cbCertEncoded, &spki_len);

    /* curl's schannel_sha256sum for --pinnedpubkey */
    check("CryptAcquireContext(PROV_RSA_AES, VERIFYCONTEXT|SILENT)",
          CryptAcquireContextA(&prov, NULL, NULL, PROV_RSA_AES, CRYPT_VERIFYCONTEXT | CRYPT_SILENT));
    check("CryptCreateHash(CALG_SHA_256)", CryptCreateHash(prov, CALG_SHA_256, 0, 0, &hash));
    check("CryptHashData(SPKI)", spki && CryptHashData(hash, spki, (DWORD)spki_len, 0));
    len = sizeof size;
    check("HP_HASHSIZE = 32", CryptGetHashParam(hash, HP_HASHSIZE, (BYTE *)&size, &len, 0) && size == 32);
    len = sizeof algid;
    check("HP_ALGID", CryptGetHashParam(hash, HP_ALGID, (BYTE *)&algid, &len, 0) && algid == CALG_SHA_256);
    len = sizeof value;
    check("HP_HASHVAL", CryptGetHashParam(hash, HP_HASHVAL, value, &len, 0) && len == 32);
    printf("spki-sha256 ");
    for (i = 0; i < 32; i++) printf("%02x", value[i]);
    printf("\n");
    check("CryptHashData after HP_HASHVAL fails", !CryptHashData(hash, value, 1, 0) &&
                                                      GetLastError() == (DWORD)NTE_BAD_HASH_STATE);
    check("CryptDestroyHash", CryptDestroyHash(hash));
    check("CryptDestroyHash(stale) -> NTE_BAD_HASH", !CryptDestroyHash(hash) && GetLastError() == (DWORD)NTE_BAD_HASH);
    check("CryptReleaseContext", CryptReleaseContext(prov, 0));

    len = sizeof prop;
    check("CERT_SHA256_HASH_PROP_ID",
          CertGetCertificateContextProperty(leaf, CERT_SHA256_HASH_PROP_ID, prop, &len) && len == 32);
    len = sizeof direct;
    check("CryptHashCertificate(SHA-256) = the property",
          CryptHashCertificate(0, CALG_SHA_256, 0, leaf->pbCertEncoded, leaf->cbCertEncoded, direct, &len) &&
              memcmp(prop, direct, 32) == 0);
    len = 0;
    check("unset property -> CRYPT_E_NOT_FOUND",
          !CertGetCertificateContextProperty(leaf, CERT_DESCRIPTION_PROP_ID, NULL, &len) &&
              GetLastError() == (DWORD)CRYPT_E_NOT_FOUND);
    len = 0;
    check("CERT_KEY_IDENTIFIER_PROP_ID size",
          CertGetCertificateContextProperty(leaf, CERT_KEY_IDENTIFIER_PROP_ID, NULL, &len) && len == 20);
}

/* curl's --cacert loader: each PEM block through CryptQueryObject into a store. */
static void ca_file(const char *path) {
    size_t len = 0;
    char *text = read_file(path, &len);
    char *p, *end;
    HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    int blocks = 0, added = 0;
    PCCERT_CONTEXT it = NULL;
    DWORD content = 0, format = 0, encoding = 0;
    HCERTSTORE qstore = NULL;
    HCRYPTMSG msg = (HCRYPTMSG)1;
    WCHAR wpath[512];
    const void *ctx = NULL;

    for (p = text; p && (p = strstr(p, "-----BEGIN CERTIFICATE-----")) != NULL; p = end) {
        CERT_BLOB blob;
        PCCERT_CONTEXT cert = NULL;
        end = strstr(p, "-----END CERTIFICATE-----");
        if (!end) break;
        end += strlen("-----END CERTIFICATE-----");
        blob.pbData = (BYTE *)p;
        blob.cbData = (DWORD)(end - p);
        blocks++;
        if (CryptQueryObject(CERT_QUERY_OBJECT_BLOB, &blob, CERT_QUERY_CONTENT_FLAG_CERT,
                             CERT_QUERY_FORMAT_FLAG_BASE64_ENCODED, 0, NULL, NULL, NULL, NULL, NULL,
                             (const void **)&cert)) {
            if (CertAddCertificateContextToStore(store, cert, CERT_STORE_ADD_ALWAYS, NULL)) added++;
            CertFreeCertificateContext(cert);
        }
    }
    check("CA bundle: every PEM block through CryptQueryObject", blocks == 2 && added == 2);
    while ((it = CertEnumCertificatesInStore(store, it)) != NULL) added--;
    check("CA bundle: both in the store", added == 0);
    CertCloseStore(store, 0);

    check("CryptQueryObject(FILE) of the CA file",
          CryptQueryObject(CERT_QUERY_OBJECT_FILE, widen(path, wpath), CERT_QUERY_CONTENT_FLAG_ALL,
                           CERT_QUERY_FORMAT_FLAG_ALL, 0, &encoding, &content, &format, &qstore, &msg, &ctx) &&
              content == CERT_QUERY_CONTENT_CERT && format == CERT_QUERY_FORMAT_BASE64_ENCODED &&
              encoding == (X509_ASN_ENCODING | PKCS_7_ASN_ENCODING) && qstore != NULL && msg == NULL && ctx != NULL);
    if (ctx) {
        char cn[128];
        CertGetNameStringA((PCCERT_CONTEXT)ctx, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, cn, sizeof cn);
        check("CryptQueryObject(FILE): first certificate", strcmp(cn, "openschannel C test CA") == 0);
        check("its context belongs to the returned store", ((PCCERT_CONTEXT)ctx)->hCertStore == qstore);
        CertFreeCertificateContext((PCCERT_CONTEXT)ctx);
    }
    CertCloseStore(qstore, 0);
    check("CryptQueryObject(FILE, missing) -> ERROR_FILE_NOT_FOUND",
          !CryptQueryObject(CERT_QUERY_OBJECT_FILE, widen("/nonexistent/ca.pem", wpath), CERT_QUERY_CONTENT_FLAG_ALL,
                            CERT_QUERY_FORMAT_FLAG_ALL, 0, NULL, NULL, NULL, NULL, NULL, NULL) &&
              GetLastError() == ERROR_FILE_NOT_FOUND);
    free(text);
}

static void pfx(const char *path, const char *password) {
    size_t len = 0;
    char *bytes = read_file(path, &len);
    CRYPT_DATA_BLOB blob;
    DWORD content = 0;
    HCERTSTORE store = (HCERTSTORE)1, imported;
    WCHAR pw[64];
    PCCERT_CONTEXT c;
    blob.pbData = (BYTE *)bytes;
    blob.cbData = (DWORD)len;
    check("CryptQueryObject(BLOB) recognises the PFX",
          CryptQueryObject(CERT_QUERY_OBJECT_BLOB, &blob, CERT_QUERY_CONTENT_FLAG_ALL, CERT_QUERY_FORMAT_FLAG_ALL, 0,
                           NULL, &content, NULL, &store, NULL, NULL) &&
              content == CERT_QUERY_CONTENT_PFX && store == NULL);
    check("PFXIsPFXBlob", PFXIsPFXBlob(&blob));
    imported = PFXImportCertStore(&blob, widen(password, pw), 0);
    c = imported ? CertEnumCertificatesInStore(imported, NULL) : NULL;
    check("... and PFXImportCertStore imports it", c != NULL);
    if (c) {
        DWORD size = 0;
        check("the imported certificate reports CERT_KEY_PROV_INFO_PROP_ID",
              CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) &&
                  size > sizeof(CRYPT_KEY_PROV_INFO));
    }
    if (c) CertFreeCertificateContext(c);
    if (imported) CertCloseStore(imported, 0);
    blob.cbData = 5;
    check("CryptQueryObject(garbage) -> CRYPT_E_NO_MATCH",
          !CryptQueryObject(CERT_QUERY_OBJECT_BLOB, &blob, CERT_QUERY_CONTENT_FLAG_ALL, CERT_QUERY_FORMAT_FLAG_ALL, 0,
                            NULL, NULL, NULL, NULL, NULL, NULL) &&
              GetLastError() == (DWORD)CRYPT_E_NO_MATCH);
    free(bytes);
}

/* ---- an in-process handshake -------------------------------------------- */

typedef struct {
    CredHandle cred;
    CtxtHandle ctx;
    int has_ctx, server, done, mutual;
    unsigned char in[65536];
    size_t in_len;
} End;

static SECURITY_STATUS step(End *e, End *peer) {
    SecBuffer inb[2], outb[1];
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, inb}, outd = {SECBUFFER_VERSION, 1, outb};
    ULONG attrs = 0;
    SECURITY_STATUS s;
    int first = !e->has_ctx;
    inb[0].BufferType = SECBUFFER_TOKEN;
    inb[0].cbBuffer = (ULONG)e->in_len;
    inb[0].pvBuffer = e->in;
    inb[1].BufferType = SECBUFFER_EMPTY;
    inb[1].cbBuffer = 0;
    inb[1].pvBuffer = NULL;
    outb[0].BufferType = SECBUFFER_TOKEN;
    outb[0].cbBuffer = 0;
    outb[0].pvBuffer = NULL;
    if (e->server)
        s = AcceptSecurityContext(&e->cred, first ? NULL : &e->ctx, &ind,
                                  ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM |
                                      (e->mutual ? ASC_REQ_MUTUAL_AUTH : 0),
                                  0, &e->ctx,
                                  &outd, &attrs, NULL);
    else
        s = InitializeSecurityContextA(&e->cred, first ? NULL : &e->ctx, (SEC_CHAR *)"localhost",
                                       ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM |
                                           ISC_REQ_USE_SUPPLIED_CREDS,
                                       0, 0,
                                       first ? NULL : &ind, 0, &e->ctx, &outd, &attrs, NULL);
    if (s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED) {
        e->has_ctx = 1;
        if (outb[0].cbBuffer) {
            memcpy(peer->in + peer->in_len, outb[0].pvBuffer, outb[0].cbBuffer);
            peer->in_len += outb[0].cbBuffer;
        }
        if (!first || e->server) {
            if (inb[1].BufferType == SECBUFFER_EXTRA) {
                memmove(e->in, e->in + e->in_len - inb[1].cbBuffer, inb[1].cbBuffer);
                e->in_len = inb[1].cbBuffer;
            } else {
                e->in_len = 0;
            }
        }
        if (s == SEC_E_OK) e->done = 1;
    }
    if (outb[0].pvBuffer) FreeContextBuffer(outb[0].pvBuffer);
    return s;
}

/* Returns 1 when both ends complete; with `mutual`, *peer_cn receives the client
 * certificate's CN as the server sees it. */
static int handshake(CredHandle client, CredHandle server, int mutual, char *peer_cn, size_t cn_len) {
    End *c = (End *)calloc(1, sizeof(End)), *s = (End *)calloc(1, sizeof(End));
    int i, ok = 0;
    c->cred = client;
    s->cred = server;
    s->server = 1;
    s->mutual = mutual;
    if (step(c, s) == SEC_I_CONTINUE_NEEDED) {
        for (i = 0; i < 20 && !(c->done && s->done); i++) {
            if (!s->done && s->in_len && FAILED(step(s, c))) break;
            if (!c->done && c->in_len && FAILED(step(c, s))) break;
        }
        ok = c->done && s->done;
    }
    if (ok && mutual) {
        PCCERT_CONTEXT peer = NULL;
        ok = QueryContextAttributesA(&s->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &peer) == SEC_E_OK && peer;
        if (ok) {
            CertGetNameStringA(peer, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, peer_cn, (DWORD)cn_len);
            CertFreeCertificateContext(peer);
        }
    }
    if (c->has_ctx) DeleteSecurityContext(&c->ctx);
    if (s->has_ctx) DeleteSecurityContext(&s->ctx);
    free(c);
    free(s);
    return ok;
}

static SECURITY_STATUS ach_roots(ULONG use, PCCERT_CONTEXT cert, DWORD flags, HCERTSTORE roots, CredHandle *h) {
    SCHANNEL_CRED sc;
    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.dwFlags = flags;
    sc.hRootStore = roots;
    if (cert) {
        sc.cCreds = 1;
        sc.paCred = &cert;
    }
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use, NULL, &sc, NULL, NULL, h, NULL);
}

static SECURITY_STATUS ach(ULONG use, PCCERT_CONTEXT cert, DWORD flags, CredHandle *h) {
    return ach_roots(use, cert, flags, NULL, h);
}

/* A server whose key comes from CryptImportKey, linked by CERT_KEY_PROV_INFO_PROP_ID. */
static void imported_key_server(const char *cert_path, const char *key_path) {
    size_t len = 0;
    char *cert_pem = read_file(cert_path, &len), *key_pem = read_file(key_path, &len);
    DWORD cert_len = 0, pkcs8_len = 0, size = 0;
    BYTE *cert_der = pem_to_der(cert_pem, &cert_len), *pkcs8 = pem_to_der(key_pem, &pkcs8_len), *blob = NULL;
    CRYPT_PRIVATE_KEY_INFO *info = NULL;
    HCRYPTPROV prov = 0;
    HCRYPTKEY key = 0, user = 0;
    PCCERT_CONTEXT cert = cert_der ? CertCreateCertificateContext(X509_ASN_ENCODING, cert_der, cert_len) : NULL;
    CRYPT_KEY_PROV_INFO kpi, *back;
    WCHAR container[64];
    BYTE prop[256];
    CredHandle server, client;
    DWORD bits = 0, blen = sizeof bits;

    check("RSA certificate and PKCS#8 key decoded", cert != NULL && pkcs8 != NULL);
    if (!cert || !pkcs8) return;
    /* PEM key -> PKCS#8 -> PKCS#1 -> PRIVATEKEYBLOB, the CryptoAPI recipe. */
    check("CryptDecodeObjectEx(PKCS_PRIVATE_KEY_INFO)",
          CryptDecodeObjectEx(X509_ASN_ENCODING, PKCS_PRIVATE_KEY_INFO, pkcs8, pkcs8_len, CRYPT_DECODE_ALLOC_FLAG,
                              NULL, &info, &size) &&
              strcmp(info->Algorithm.pszObjId, szOID_RSA_RSA) == 0);
    if (!info) return;
    check("CryptDecodeObjectEx(PKCS_RSA_PRIVATE_KEY) -> PRIVATEKEYBLOB",
          CryptDecodeObjectEx(X509_ASN_ENCODING, PKCS_RSA_PRIVATE_KEY, info->PrivateKey.pbData,
                              info->PrivateKey.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &blob, &size) &&
              blob[0] == PRIVATEKEYBLOB && blob[1] == CUR_BLOB_VERSION);
    if (!blob) return;

    widen("openschannel-decode-test", container);
    /* As Wine's Schannel test records Windows: no key at all, then a KEY_PROV_INFO that names
     * a container not holding it yet. */
    check("no key linked: SEC_E_NO_CREDENTIALS", ach(SECPKG_CRED_INBOUND, cert, 0, &server) == SEC_E_NO_CREDENTIALS);
    memset(&kpi, 0, sizeof kpi);
    kpi.pwszContainerName = container;
    kpi.dwProvType = PROV_RSA_FULL;
    kpi.dwKeySpec = AT_KEYEXCHANGE;
    check("CertSetCertificateContextProperty(KEY_PROV_INFO) before the key exists",
          CertSetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, 0, &kpi));
    check("KEY_PROV_INFO without its key: SEC_E_UNKNOWN_CREDENTIALS",
          ach(SECPKG_CRED_INBOUND, cert, 0, &server) == SEC_E_UNKNOWN_CREDENTIALS &&
              ach(SECPKG_CRED_OUTBOUND, cert, 0, &client) == SEC_E_UNKNOWN_CREDENTIALS);

    CryptAcquireContextW(&prov, container, NULL, PROV_RSA_FULL, CRYPT_DELETEKEYSET);
    check("CryptAcquireContextW(missing container) -> NTE_BAD_KEYSET",
          !CryptAcquireContextW(&prov, container, NULL, PROV_RSA_FULL, 0) && GetLastError() == (DWORD)NTE_BAD_KEYSET);
    check("CryptAcquireContextW(NEWKEYSET)", CryptAcquireContextW(&prov, container, NULL, PROV_RSA_FULL, CRYPT_NEWKEYSET));
    check("CryptImportKey(PRIVATEKEYBLOB)", CryptImportKey(prov, blob, size, 0, 0, &key));
    check("CryptGetKeyParam(KP_KEYLEN) = 2048", CryptGetKeyParam(key, KP_KEYLEN, (BYTE *)&bits, &blen, 0) && bits == 2048);
    check("CryptGetUserKey(AT_KEYEXCHANGE)", CryptGetUserKey(prov, AT_KEYEXCHANGE, &user));
    CryptDestroyKey(user);
    check("CryptDestroyKey", CryptDestroyKey(key));
    check("CryptDestroyKey(stale) -> NTE_BAD_KEY", !CryptDestroyKey(key) && GetLastError() == (DWORD)NTE_BAD_KEY);

    size = sizeof prop;
    back = (CRYPT_KEY_PROV_INFO *)(void *)prop;
    check("CertGetCertificateContextProperty(KEY_PROV_INFO) reads it back",
          CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, prop, &size) &&
              wide_eq(back->pwszContainerName, "openschannel-decode-test") && back->dwKeySpec == AT_KEYEXCHANGE &&
              back->pwszProvName == NULL);

    check("server credential from the container", ach(SECPKG_CRED_INBOUND, cert, 0, &server) == SEC_E_OK);
    check("client credential (manual validation)",
          ach(SECPKG_CRED_OUTBOUND, NULL, SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS, &client) ==
              SEC_E_OK);
    check("handshake with the imported key completes", handshake(client, server, 0, NULL, 0));
    FreeCredentialsHandle(&client);
    FreeCredentialsHandle(&server);

    /* Both roles at once: the client authenticates with the same certificate and key, the
     * server trusting it through hRootStore. */
    {
        HCERTSTORE roots = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
        char cn[64] = "";
        CertAddCertificateContextToStore(roots, cert, CERT_STORE_ADD_ALWAYS, NULL);
        check("server credential trusting the client's certificate",
              ach_roots(SECPKG_CRED_INBOUND, cert, 0, roots, &server) == SEC_E_OK);
        check("client credential with the imported key",
              ach(SECPKG_CRED_OUTBOUND, cert, SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS, &client) ==
                  SEC_E_OK);
        check("mutually authenticated handshake, both keys imported",
              handshake(client, server, 1, cn, sizeof cn) && strcmp(cn, "localhost") == 0);
        FreeCredentialsHandle(&client);
        FreeCredentialsHandle(&server);
        CertCloseStore(roots, 0);
    }

    check("CryptReleaseContext", CryptReleaseContext(prov, 0));
    check("CryptAcquireContextW(DELETEKEYSET)", CryptAcquireContextW(&prov, container, NULL, PROV_RSA_FULL, CRYPT_DELETEKEYSET));
    check("container deleted: SEC_E_UNKNOWN_CREDENTIALS",
          ach(SECPKG_CRED_INBOUND, cert, 0, &server) == SEC_E_UNKNOWN_CREDENTIALS);

    LocalFree(blob);
    LocalFree(info);
    CertFreeCertificateContext(cert);
    free(cert_der);
    free(pkcs8);
    free(cert_pem);
    free(key_pem);
}

static void strings(void) {
    static const BYTE data[] = {1, 2, 3};
    static const char thumb[] = "0123456789abcdefABCDEF0123456789abcdef01";
    BYTE sha1[20];
    CRYPT_HASH_BLOB hb;
    char text[64];
    DWORD n = 0;
    BYTE out[8];
    check("CryptBinaryToStringA(BASE64) size", CryptBinaryToStringA(data, 3, CRYPT_STRING_BASE64, NULL, &n) && n == 7);
    check("CryptBinaryToStringA(BASE64)", CryptBinaryToStringA(data, 3, CRYPT_STRING_BASE64, text, &n) && n == 6 &&
                                              strcmp(text, "AQID\r\n") == 0);
    n = sizeof text;
    check("CryptBinaryToStringA(HEXRAW|NOCRLF)",
          CryptBinaryToStringA(data, 3, CRYPT_STRING_HEXRAW | CRYPT_STRING_NOCRLF, text, &n) &&
              strcmp(text, "010203") == 0 && n == 6);
    /* curl's "CurrentUser\\MY\\<thumbprint>": 40 hex characters into a CRYPT_HASH_BLOB. */
    hb.cbData = sizeof sha1;
    hb.pbData = sha1;
    check("CryptStringToBinary(thumbprint, 40, HEX)",
          CryptStringToBinaryA(thumb, 40, CRYPT_STRING_HEX, hb.pbData, &hb.cbData, NULL, NULL) && hb.cbData == 20 &&
              sha1[0] == 0x01 && sha1[7] == 0xef && sha1[8] == 0xab && sha1[19] == 0x01);
    n = sizeof out;
    check("CryptStringToBinaryA(garbage) -> ERROR_INVALID_DATA",
          !CryptStringToBinaryA("not base64!", 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL) &&
              GetLastError() == ERROR_INVALID_DATA);
    check("CryptStringToBinaryA(NULL) -> ERROR_INVALID_PARAMETER",
          !CryptStringToBinaryA(NULL, 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL) &&
              GetLastError() == ERROR_INVALID_PARAMETER);
}

int main(int argc, char **argv) {
    size_t len = 0;
    char *leaf_pem;
    BYTE *der;
    DWORD der_len = 0;
    PCCERT_CONTEXT leaf;

    if (argc < 7) die("usage: decode LEAF.pem CA_BUNDLE.pem SERVER.p12 PASSWORD RSA_CERT.pem RSA_KEY.pem");
    leaf_pem = read_file(argv[1], &len);
    if (!leaf_pem) die("cannot read %s", argv[1]);
    der = pem_to_der(leaf_pem, &der_len);
    check("CryptStringToBinaryA(PEM certificate)", der != NULL);
    if (!der) die("no DER");
    leaf = CertCreateCertificateContext(X509_ASN_ENCODING, der, der_len);
    check("CertCreateCertificateContext", leaf != NULL);
    if (!leaf) die("no context");

    alt_names(leaf);
    names(leaf);
    hashes(leaf);
    ca_file(argv[2]);
    pfx(argv[3], argv[4]);
    imported_key_server(argv[5], argv[6]);
    strings();

    CertFreeCertificateContext(leaf);
    free(der);
    free(leaf_pem);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
