/*
 * stores.c - the system and file stores, the find types, CertFindChainInStore and
 * the chain engine's argument checks, as Windows programs call them.
 *
 * Usage: stores ROOT.pem INTERMEDIATE.pem LEAF_BY_INTERMEDIATE.pem CLIENT_SHA256_HEX BUNDLE.p7b
 *        (BUNDLE.p7b: ROOT and INTERMEDIATE as DER PKCS#7, from openssl crl2pkcs7)
 * Env:   OPENSCHANNEL_CERTSTORE (MY holds the client certificate and its key; CA
 *        starts empty), SSL_CERT_FILE=ROOT.pem (the platform roots)
 * Prints "STORES OK" on success.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "common.h"

static int failures;

#define CHECK(cond, ...)                        \
    do {                                        \
        if (!(cond)) {                          \
            printf("FAIL %s:%d: ", __FILE__, __LINE__); \
            printf(__VA_ARGS__);                \
            printf("\n");                       \
            failures++;                         \
        }                                       \
    } while (0)

static PCCERT_CONTEXT load(const char *path) {
    DWORD len = 0;
    unsigned char *der = pem_first_der(path, &len);
    PCCERT_CONTEXT c;
    if (!der) die("cannot read %s", path);
    c = CertCreateCertificateContext(X509_ASN_ENCODING, der, len);
    free(der);
    if (!c) die("CertCreateCertificateContext(%s)", path);
    return c;
}

static int count(HCERTSTORE store) {
    PCCERT_CONTEXT it = NULL;
    int n = 0;
    while ((it = CertEnumCertificatesInStore(store, it)) != NULL) n++;
    return n;
}

static const WCHAR MY_W[] = {'M', 'Y', 0};

int main(int argc, char **argv) {
    PCCERT_CONTEXT root, mid, leaf, found, client;
    HCERTSTORE store, my, file;
    unsigned char sha256[32];
    CRYPT_HASH_BLOB blob;
    CERT_CHAIN_ENGINE_CONFIG config;
    HCERTCHAINENGINE engine = NULL;
    CERT_CHAIN_PARA para;
    PCCERT_CHAIN_CONTEXT chain = NULL;
    CERT_CHAIN_FIND_BY_ISSUER_PARA by_issuer;
    int i;

    if (argc != 6 || strlen(argv[4]) != 64) die("usage: stores ROOT INTERMEDIATE LEAF SHA256 P7B");
    for (i = 0; i < 32; i++) {
        char byte[3] = {argv[4][2 * i], argv[4][2 * i + 1], 0};
        sha256[i] = (unsigned char)strtoul(byte, NULL, 16);
    }
    root = load(argv[1]);
    mid = load(argv[2]);
    leaf = load(argv[3]);

    /* ROOT is the platform trust store, read-only. */
    store = CertOpenSystemStoreA(0, "ROOT");
    CHECK(store != NULL, "CertOpenSystemStoreA(ROOT): 0x%08x", (unsigned)GetLastError());
    CHECK(count(store) == 1, "ROOT holds %d certificates", count(store));
    SetLastError(0);
    CHECK(!CertAddCertificateContextToStore(store, mid, CERT_STORE_ADD_NEW, NULL) &&
              GetLastError() == (DWORD)E_ACCESSDENIED,
          "adding to ROOT: 0x%08x", (unsigned)GetLastError());
    CHECK(count(store) == 1, "ROOT changed");
    CHECK(CertCloseStore(store, 0), "close ROOT");

    /* Bad locations and names. */
    SetLastError(0);
    CHECK(!CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, 0, MY_W) && GetLastError() == ERROR_FILE_NOT_FOUND,
          "location 0: 0x%08x", (unsigned)GetLastError());
    SetLastError(0);
    CHECK(!CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0,
                         CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_SYSTEM_STORE_CURRENT_USER, "MY") &&
              GetLastError() == ERROR_FILE_NOT_FOUND,
          "two locations: 0x%08x", (unsigned)GetLastError());
    SetLastError(0);
    CHECK(!CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_CREATE_NEW_FLAG,
                         MY_W) &&
              GetLastError() == 80 /* ERROR_FILE_EXISTS */,
          "CREATE_NEW on MY: 0x%08x", (unsigned)GetLastError());
    /* A store that does not exist yet is created (empty) and can be deleted. */
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, "Scratch");
    CHECK(store != NULL && count(store) == 0, "new store");
    if (store) {
        CHECK(CertAddCertificateContextToStore(store, leaf, CERT_STORE_ADD_NEW, NULL), "add to Scratch");
        CertCloseStore(store, 0);
    }
    SetLastError(0xdead);
    CHECK(!CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_DELETE_FLAG,
                         "Scratch") &&
              GetLastError() == 0,
          "delete Scratch: 0x%08x", (unsigned)GetLastError());
    SetLastError(0);
    CHECK(!CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_OPEN_EXISTING_FLAG,
                         "Scratch") &&
              GetLastError() == ERROR_FILE_NOT_FOUND,
          "Scratch after deletion");
    SetLastError(0);
    CHECK(!CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_OPEN_EXISTING_FLAG,
                         "NoSuchStore") &&
              GetLastError() == ERROR_FILE_NOT_FOUND,
          "missing store: 0x%08x", (unsigned)GetLastError());
    SetLastError(0);
    CHECK(!CertOpenStore((LPCSTR)(ULONG_PTR)77, 0, 0, 0, NULL) && GetLastError() == ERROR_FILE_NOT_FOUND,
          "unknown provider: 0x%08x", (unsigned)GetLastError());

    /* MY: the certificate with a key is found by CERT_FIND_HAS_PRIVATE_KEY and SHA-256. */
    my = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, MY_W);
    CHECK(my != NULL, "open MY: 0x%08x", (unsigned)GetLastError());
    client = CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_HAS_PRIVATE_KEY, NULL, NULL);
    CHECK(client != NULL, "CERT_FIND_HAS_PRIVATE_KEY: 0x%08x", (unsigned)GetLastError());
    /* The PKCS#12 file in MY contributes a second certificate with a key (and its CA). */
    {
        PCCERT_CONTEXT it = NULL;
        int keyed = 0;
        while ((it = CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_HAS_PRIVATE_KEY, NULL, it)) != NULL)
            keyed++;
        CHECK(keyed == 2, "%d certificates with a key in MY", keyed);
        CHECK(count(my) == 3, "MY holds %d certificates", count(my));
    }
    blob.cbData = 32;
    blob.pbData = sha256;
    found = CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_SHA256_HASH, &blob, NULL);
    CHECK(found != NULL && found == client, "CERT_FIND_SHA256_HASH");
    if (found) CertFreeCertificateContext(found);
    found = CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, client, NULL);
    CHECK(found == client, "CERT_FIND_EXISTING");
    /* The search continues after the previous result (which it frees): nothing more. */
    SetLastError(0);
    found = CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, client, found);
    CHECK(found == NULL && GetLastError() == (DWORD)CRYPT_E_NOT_FOUND, "second CERT_FIND_EXISTING");
    found = CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_ISSUER_NAME,
                                       &root->pCertInfo->Subject, NULL);
    CHECK(found == client, "CERT_FIND_ISSUER_NAME");
    if (found) CertFreeCertificateContext(found);
    SetLastError(0);
    CHECK(!CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, 0x7fff0000, NULL, NULL) &&
              GetLastError() == (DWORD)E_INVALIDARG,
          "unknown find type: 0x%08x", (unsigned)GetLastError());

    /* CertFindChainInStore by issuer (the SDK sample's client-certificate selection). */
    memset(&by_issuer, 0, sizeof by_issuer);
    by_issuer.cbSize = sizeof by_issuer;
    by_issuer.pszUsageIdentifier = szOID_PKIX_KP_CLIENT_AUTH;
    by_issuer.cIssuer = 1;
    by_issuer.rgIssuer = &root->pCertInfo->Subject;
    chain = CertFindChainInStore(my, X509_ASN_ENCODING, 0, CERT_CHAIN_FIND_BY_ISSUER, &by_issuer, NULL);
    CHECK(chain != NULL, "CertFindChainInStore: 0x%08x", (unsigned)GetLastError());
    if (chain) {
        CHECK(chain->rgpChain[0]->rgpElement[0]->pCertContext->cbCertEncoded == client->cbCertEncoded,
              "found chain's end certificate");
        CHECK(chain->rgpChain[0]->cElement == 2 && chain->TrustStatus.dwErrorStatus == 0,
              "client chain: %u elements, error 0x%08x", (unsigned)chain->rgpChain[0]->cElement,
              (unsigned)chain->TrustStatus.dwErrorStatus);
        SetLastError(0);
        chain = CertFindChainInStore(my, X509_ASN_ENCODING, 0, CERT_CHAIN_FIND_BY_ISSUER, &by_issuer, chain);
        CHECK(chain == NULL && GetLastError() == (DWORD)CRYPT_E_NOT_FOUND, "second CertFindChainInStore");
    }
    by_issuer.rgIssuer = &leaf->pCertInfo->Subject;
    SetLastError(0);
    CHECK(!CertFindChainInStore(my, X509_ASN_ENCODING, 0, CERT_CHAIN_FIND_BY_ISSUER, &by_issuer, NULL) &&
              GetLastError() == (DWORD)CRYPT_E_NOT_FOUND,
          "unrelated issuer matched");
    CertFreeCertificateContext(client);
    CHECK(CertCloseStore(my, 0), "close MY");

    /* CA: additions persist (a new handle sees them); a read-only handle refuses them. */
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE, "CA");
    CHECK(store != NULL && count(store) == 0, "open CA");
    CHECK(CertAddCertificateContextToStore(store, mid, CERT_STORE_ADD_NEW, NULL), "add to CA: 0x%08x",
          (unsigned)GetLastError());
    CertCloseStore(store, 0);
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0,
                          CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_READONLY_FLAG, "ca");
    CHECK(store != NULL && count(store) == 1, "CA after adding: %d", store ? count(store) : -1);
    SetLastError(0);
    CHECK(!CertAddCertificateContextToStore(store, leaf, CERT_STORE_ADD_NEW, NULL) &&
              GetLastError() == (DWORD)E_ACCESSDENIED,
          "read-only CA accepted an addition");
    CertCloseStore(store, 0);

    /* The default engine takes intermediates from the CA store. */
    memset(&para, 0, sizeof para);
    para.cbSize = sizeof para;
    CHECK(CertGetCertificateChain(NULL, leaf, NULL, NULL, &para, 0, NULL, &chain), "chain via CA store");
    CHECK(chain && chain->rgpChain[0]->cElement == 3 && chain->TrustStatus.dwErrorStatus == 0,
          "chain via CA store: %u elements, 0x%08x", chain ? (unsigned)chain->rgpChain[0]->cElement : 0,
          chain ? (unsigned)chain->TrustStatus.dwErrorStatus : 0);
    CertFreeCertificateChain(chain);
    chain = NULL;

    /* RequestedUsage: the client certificate (clientAuth only) is not valid for serverAuth
     * (AND), but is for serverAuth OR clientAuth. */
    my = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, "MY");
    client = my ? CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_HAS_PRIVATE_KEY, NULL, NULL) : NULL;
    CHECK(client != NULL, "client certificate again");
    if (client) {
        LPSTR usages[2] = {(LPSTR)szOID_PKIX_KP_SERVER_AUTH, (LPSTR)szOID_PKIX_KP_CLIENT_AUTH};
        para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
        para.RequestedUsage.Usage.cUsageIdentifier = 1;
        para.RequestedUsage.Usage.rgpszUsageIdentifier = usages;
        CHECK(CertGetCertificateChain(NULL, client, NULL, NULL, &para, 0, NULL, &chain), "usage chain");
        CHECK(chain && chain->TrustStatus.dwErrorStatus == CERT_TRUST_IS_NOT_VALID_FOR_USAGE &&
                  chain->rgpChain[0]->rgpElement[0]->TrustStatus.dwErrorStatus == CERT_TRUST_IS_NOT_VALID_FOR_USAGE,
              "serverAuth AND: 0x%08x", chain ? (unsigned)chain->TrustStatus.dwErrorStatus : 0);
        CertFreeCertificateChain(chain);
        para.RequestedUsage.dwType = USAGE_MATCH_TYPE_OR;
        para.RequestedUsage.Usage.cUsageIdentifier = 2;
        CHECK(CertGetCertificateChain(NULL, client, NULL, NULL, &para, 0, NULL, &chain), "usage chain");
        CHECK(chain && chain->TrustStatus.dwErrorStatus == 0, "serverAuth OR clientAuth: 0x%08x",
              chain ? (unsigned)chain->TrustStatus.dwErrorStatus : 0);
        CertFreeCertificateChain(chain);
        chain = NULL;
        memset(&para, 0, sizeof para);
        para.cbSize = sizeof para;
        CertFreeCertificateContext(client);
    }
    if (my) CertCloseStore(my, 0);

    /* FILENAME: a PEM file as a store. */
    file = CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, 0, argv[1]);
    CHECK(file != NULL && count(file) == 1, "FILENAME store");
    if (file) {
        found = CertFindCertificateInStore(file, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_NAME,
                                           &root->pCertInfo->Subject, NULL);
        CHECK(found != NULL, "CERT_FIND_SUBJECT_NAME");
        if (found) CertFreeCertificateContext(found);
        found = CertFindCertificateInStore(file, X509_ASN_ENCODING, 0, CERT_FIND_ISSUER_OF, mid, NULL);
        CHECK(found != NULL, "CERT_FIND_ISSUER_OF");
        if (found) CertFreeCertificateContext(found);
        CertCloseStore(file, 0);
    }
    SetLastError(0);
    CHECK(!CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, CERT_STORE_OPEN_EXISTING_FLAG, "/nonexistent/x.pem") &&
              GetLastError() == ERROR_FILE_NOT_FOUND,
          "missing file");

    /* PKCS#7: as a file and as a blob. */
    file = CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, CERT_STORE_READONLY_FLAG, argv[5]);
    CHECK(file != NULL && count(file) == 2, "p7b FILENAME store: 0x%08x", (unsigned)GetLastError());
    if (file) CertCloseStore(file, 0);
    {
        size_t len = 0;
        char *p7 = read_file(argv[5], &len);
        CRYPT_DATA_BLOB data;
        unsigned char junk[4] = {0x30, 0x02, 0x05, 0x00};
        data.cbData = (DWORD)len;
        data.pbData = (BYTE *)p7;
        file = CertOpenStore(CERT_STORE_PROV_PKCS7, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0, &data);
        CHECK(file != NULL && count(file) == 2, "PKCS7 blob store: 0x%08x", (unsigned)GetLastError());
        if (file) CertCloseStore(file, 0);
        data.cbData = sizeof junk;
        data.pbData = junk;
        SetLastError(0);
        CHECK(!CertOpenStore(CERT_STORE_PROV_PKCS7, 0, 0, 0, &data) && GetLastError() == 0x8009310Bu,
              "junk PKCS7: 0x%08x", (unsigned)GetLastError());
        free(p7);
    }

    /* Engine and chain argument checks (Windows' codes). */
    memset(&config, 0, sizeof config);
    SetLastError(0);
    CHECK(!CertCreateCertificateChainEngine(&config, &engine) && GetLastError() == (DWORD)E_INVALIDARG,
          "cbSize 0 accepted");
    config.cbSize = sizeof config + 8;
    SetLastError(0);
    CHECK(!CertCreateCertificateChainEngine(&config, &engine) && GetLastError() == (DWORD)E_INVALIDARG,
          "an unknown cbSize accepted");
    /* The Windows 7 size (without dwExclusiveFlags), as curl passes it on Windows 7. */
    config.cbSize = (DWORD)offsetof(CERT_CHAIN_ENGINE_CONFIG, dwExclusiveFlags);
    CHECK(CertCreateCertificateChainEngine(&config, &engine), "Windows 7 cbSize: 0x%08x", (unsigned)GetLastError());
    CertFreeCertificateChainEngine(engine);
    engine = NULL;
    config.cbSize = sizeof config;
    store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    config.hRestrictedRoot = store;
    CHECK(CertCreateCertificateChainEngine(&config, &engine), "empty restricted root");
    CertFreeCertificateChainEngine(engine);
    engine = NULL;
    CertAddCertificateContextToStore(store, mid, CERT_STORE_ADD_ALWAYS, NULL);
    SetLastError(0);
    CHECK(!CertCreateCertificateChainEngine(&config, &engine) && GetLastError() == (DWORD)CRYPT_E_NOT_FOUND,
          "restricted root outside the platform roots: 0x%08x", (unsigned)GetLastError());
    CertCloseStore(store, 0);
    SetLastError(0);
    CHECK(!CertGetCertificateChain(NULL, NULL, NULL, NULL, &para, 0, NULL, &chain) &&
              GetLastError() == (DWORD)E_INVALIDARG,
          "NULL certificate");
    SetLastError(0);
    CHECK(!CertGetCertificateChain((HCERTCHAINENGINE)&para, leaf, NULL, NULL, &para, 0, NULL, &chain) &&
              GetLastError() == (DWORD)E_INVALIDARG,
          "forged engine");
    CHECK(CertDuplicateCertificateChain((PCCERT_CHAIN_CONTEXT)&para) == NULL, "forged chain duplicated");
    CertFreeCertificateChain((PCCERT_CHAIN_CONTEXT)&para);
    CertFreeCertificateChainEngine((HCERTCHAINENGINE)&para);

    CertFreeCertificateContext(root);
    CertFreeCertificateContext(mid);
    CertFreeCertificateContext(leaf);
    printf("%d failed\n", failures);
    if (failures) return 1;
    printf("STORES OK\n");
    return 0;
}
