/*
 * crypt32.c - the crypt32 subset of libopenschannel: certificate contexts,
 * memory stores, lookups, names, the SHA-1 property and PFXImportCertStore
 * (whose private key must travel with the context into SCHANNEL_CRED).
 *
 * Usage: crypt32 SERVER.p12 PASSWORD LEAF.pem CHAIN.pem KEY.pem
 * Prints one line per check and "N passed, M failed".
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

static SECURITY_STATUS server_cred(PCCERT_CONTEXT cert) {
    SCHANNEL_CRED c;
    CredHandle h;
    SECURITY_STATUS s;
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.cCreds = 1;
    c.paCred = &cert;
    s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &c, NULL, NULL, &h, NULL);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    return s;
}

int main(int argc, char **argv) {
    size_t p12_len = 0, chain_len = 0, key_len = 0;
    char *p12, *chain_pem, *key_pem;
    CRYPT_DATA_BLOB blob;
    WCHAR pw[64], wbuf[64];
    HCERTSTORE store, mem;
    PCCERT_CONTEXT c, it = NULL, found, leaf, dup, added = NULL, pem_ctx = NULL;
    unsigned char *der, hash[20];
    DWORD der_len = 0, cb = 0, n;
    char name[128];
    int count = 0;
    CRYPT_HASH_BLOB hb;

    if (argc < 6) die("usage: crypt32 SERVER.p12 PASSWORD LEAF.pem CHAIN.pem KEY.pem");
    p12 = read_file(argv[1], &p12_len);
    chain_pem = read_file(argv[4], &chain_len);
    key_pem = read_file(argv[5], &key_len);
    if (!p12 || !chain_pem || !key_pem) die("cannot read inputs");
    blob.cbData = (DWORD)p12_len;
    blob.pbData = (BYTE *)p12;

    check("pfx.wrong_password_fails", PFXImportCertStore(&blob, widen("nope", pw), 0) == NULL);
    store = PFXImportCertStore(&blob, widen(argv[2], pw), 0);
    check("pfx.import", store != NULL);
    if (!store) goto done;
    while ((it = CertEnumCertificatesInStore(store, it)) != NULL) count++;
    check("store.enumerate_two_certificates", count == 2);
    c = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_ANY, NULL, NULL);
    check("find.any_first_has_key", c != NULL && server_cred(c) == SEC_E_OK);
    if (c) CertFreeCertificateContext(c);
    found = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_A, "LOCALHOST", NULL);
    check("find.subject_str_a", found != NULL);
    check("find.subject_str_w", (c = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_W, widen("test CA", wbuf), NULL)) != NULL);
    if (c) CertFreeCertificateContext(c);
    check("find.no_match", CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_A, "example.org", NULL) == NULL);
    if (!found) goto done;
    check("property.sha1_size", CertGetCertificateContextProperty(found, CERT_SHA1_HASH_PROP_ID, NULL, &cb) && cb == 20);
    check("property.sha1", CertGetCertificateContextProperty(found, CERT_SHA1_HASH_PROP_ID, hash, &cb));
    hb.cbData = 20;
    hb.pbData = hash;
    c = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &hb, NULL);
    check("find.sha1_hash", c == found);
    if (c) CertFreeCertificateContext(c);
    n = CertGetNameStringA(found, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, NULL, 0);
    check("name.size_query", n == 10);
    CertGetNameStringA(found, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
    check("name.simple_display", strcmp(name, "localhost") == 0);
    CertGetNameStringA(found, CERT_NAME_DNS_TYPE, 0, NULL, name, sizeof name);
    check("name.dns", strcmp(name, "localhost") == 0);
    CertGetNameStringA(found, CERT_NAME_SIMPLE_DISPLAY_TYPE, CERT_NAME_ISSUER_FLAG, NULL, name, sizeof name);
    check("name.issuer", strstr(name, "test CA") != NULL);
    n = CertGetNameStringW(found, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, wbuf, 64);
    check("name.wide", n == 10 && wbuf[0] == 'l' && wbuf[9] == 0);
    n = CertGetNameStringA(found, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, 4);
    check("name.truncated", n == 4 && strcmp(name, "loc") == 0);
    check("info.fields", found->pCertInfo && found->pCertInfo->Subject.cbData > 0 && found->pCertInfo->SerialNumber.cbData > 0 &&
                             found->pCertInfo->NotAfter.dwHighDateTime != 0 && found->dwCertEncodingType == (X509_ASN_ENCODING | PKCS_7_ASN_ENCODING) &&
                             found->hCertStore == store);
    /* The key travels into another store. */
    mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    check("store.add_context", CertAddCertificateContextToStore(mem, found, CERT_STORE_ADD_ALWAYS, &added) && added != NULL);
    check("store.added_context_keeps_key", added && server_cred(added) == SEC_E_OK);
    CertFreeCertificateContext(added);
    check("store.close_memory", CertCloseStore(mem, 0));
    CertFreeCertificateContext(found);
    check("store.close_pfx", CertCloseStore(store, 0));
    check("store.close_twice_fails", !CertCloseStore(store, 0));

    /* Standalone contexts. */
    der = pem_first_der(argv[3], &der_len);
    leaf = der ? CertCreateCertificateContext(X509_ASN_ENCODING, der, der_len) : NULL;
    check("create.context", leaf != NULL && leaf->cbCertEncoded == der_len && memcmp(leaf->pbCertEncoded, der, der_len) == 0);
    check("create.garbage_is_null", CertCreateCertificateContext(X509_ASN_ENCODING, (const BYTE *)"junk", 4) == NULL);
    check("create.no_key_no_credentials", leaf && server_cred(leaf) == SEC_E_NO_CREDENTIALS);
    dup = CertDuplicateCertificateContext(leaf);
    check("refcount.duplicate_same_pointer", dup == leaf);
    check("refcount.free_one", CertFreeCertificateContext(dup));
    check("refcount.free_last", CertFreeCertificateContext(leaf));
    check("refcount.free_stale_fails", !CertFreeCertificateContext(leaf));
    check("refcount.free_unknown_fails", !CertFreeCertificateContext((PCCERT_CONTEXT)&blob));
    check("refcount.free_null_ok", CertFreeCertificateContext(NULL));
    free(der);

    /* PEM extension from memory; a mismatched key is refused. */
    check("pem.from_memory", OpenSchannelCertContextFromPem((const BYTE *)chain_pem, (DWORD)chain_len, (const BYTE *)key_pem, (DWORD)key_len, &pem_ctx) == SEC_E_OK &&
                                 pem_ctx && server_cred(pem_ctx) == SEC_E_OK);
    CertFreeCertificateContext(pem_ctx);
    check("pem.no_key_block", OpenSchannelCertContextFromPem((const BYTE *)chain_pem, (DWORD)chain_len, (const BYTE *)chain_pem, (DWORD)chain_len, &pem_ctx) == SEC_E_NO_CREDENTIALS);
    check("pem.missing_file", OpenSchannelCertContextFromPemFiles("/nonexistent.pem", argv[5], &pem_ctx) == SEC_E_UNKNOWN_CREDENTIALS);
    check("pem.null_arguments", OpenSchannelCertContextFromPemFiles(NULL, NULL, NULL) == SEC_E_INVALID_PARAMETER);
    check("store.unsupported_provider", CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, 0, "MY") == NULL);
done:
    free(p12);
    free(chain_pem);
    free(key_pem);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
