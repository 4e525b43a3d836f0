/*
 * chain_verify.c - manual server-certificate validation the way curl's
 * schannel_verify.c and libgit2's Schannel stream do it, and a client
 * certificate picked from the MY system store by SHA-1 thumbprint (curl's
 * "CurrentUser\MY\<thumbprint>").
 *
 * Usage:
 *   chain_verify verify HOST PORT NAME [--exclusive CA.pem [--ca-flag]]
 *                [--revocation] --chain HEX --elements N --ssl HEX --base HEX
 *                [--ssl-element I]
 *     Handshake with SCH_CRED_MANUAL_CRED_VALIDATION, take the server's
 *     certificate (SECPKG_ATTR_REMOTE_CERT_CONTEXT), build its chain with
 *     CertGetCertificateChain (the default engine, or an engine whose
 *     hExclusiveRoot holds the CA from CA.pem) with the peer's store as
 *     hAdditionalStore and serverAuth as the requested usage, and check it
 *     with CERT_CHAIN_POLICY_SSL (NAME as pwszServerName) and _BASE.
 *     Exits non-zero unless the chain's dwErrorStatus, element count and both
 *     policies' dwError are the expected ones. Prints every element.
 *   chain_verify client HOST PORT THUMBPRINT
 *     Opens CurrentUser\MY, finds the certificate by CERT_FIND_HASH, uses it as
 *     paCred against a server that requires a client certificate, and sends
 *     "hello from chain_verify".
 *   chain_verify sdk HOST PORT
 *     The SDK web-client sample's selection: the issuers the server accepts
 *     (SEC_I_INCOMPLETE_CREDENTIALS, SECPKG_ATTR_ISSUER_LIST_EX) given to
 *     CertFindChainInStore over MY, the certificate found used on a second
 *     connection.
 * Prints "CHAIN OK" on success.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "conn.h"

static unsigned long hex(const char *s) { return strtoul(s, NULL, 16); }

static void widen(const char *s, WCHAR *w, size_t n) {
    size_t i;
    for (i = 0; s[i] && i + 1 < n; i++) w[i] = (WCHAR)(unsigned char)s[i];
    w[i] = 0;
}

static void acquire_flags(Conn *c, PCCERT_CONTEXT client_cert, DWORD flags) {
    SCHANNEL_CRED cred;
    SECURITY_STATUS s;
    memset(&cred, 0, sizeof cred);
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    /* A SCHANNEL_CRED negotiates at most TLS 1.2, as on Windows; these tests want whatever
     * s_server offers, so they opt into TLS 1.3 (the openschannel extension). */
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | OPENSCHANNEL_SCH_CRED_ENABLE_TLS13 | flags;
    if (client_cert) {
        cred.cCreds = 1;
        cred.paCred = &client_cert;
    }
    s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                  &c->cred, NULL);
    if (s != SEC_E_OK) die("AcquireCredentialsHandle: %s", st(s));
}

static void acquire(Conn *c, PCCERT_CONTEXT client_cert) {
    acquire_flags(c, client_cert, SCH_CRED_NO_DEFAULT_CREDS);
}

static void connect_and_handshake(Conn *c, const char *host, const char *port) {
    SECURITY_STATUS s;
    c->host = host;
    c->fd = tcp_connect(host, port);
    if (c->fd < 0) die("connect %s:%s", host, port);
    c->req = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
             ISC_REQ_STREAM | ISC_REQ_USE_SUPPLIED_CREDS | ISC_REQ_MANUAL_CRED_VALIDATION;
    conn_client_hello(c);
    s = conn_handshake(c, 1);
    if (s != SEC_E_OK) die("handshake: %s", st(s));
    conn_established(c, c->req);
}

static int verify(int argc, char **argv) {
    static Conn c;
    const char *host = argv[2], *port = argv[3], *name = argv[4], *exclusive = NULL;
    int ca_flag = 0, revocation = 0, i, ssl_element = -2;
    unsigned long want_chain = 0, want_ssl = 0, want_base = 0, want_elements = 0;
    PCCERT_CONTEXT server = NULL, ca = NULL;
    HCERTSTORE roots = NULL;
    HCERTCHAINENGINE engine = NULL;
    CERT_CHAIN_ENGINE_CONFIG config;
    CERT_CHAIN_PARA para;
    LPSTR usage[1];
    PCCERT_CHAIN_CONTEXT chain = NULL, dup;
    CERT_CHAIN_POLICY_PARA policy;
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
    CERT_CHAIN_POLICY_STATUS status;
    WCHAR wname[256];
    SECURITY_STATUS s;
    DWORD e;

    for (i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--exclusive") && i + 1 < argc) exclusive = argv[++i];
        else if (!strcmp(argv[i], "--ca-flag")) ca_flag = 1;
        else if (!strcmp(argv[i], "--revocation")) revocation = 1;
        else if (!strcmp(argv[i], "--chain") && i + 1 < argc) want_chain = hex(argv[++i]);
        else if (!strcmp(argv[i], "--elements") && i + 1 < argc) want_elements = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--ssl") && i + 1 < argc) want_ssl = hex(argv[++i]);
        else if (!strcmp(argv[i], "--base") && i + 1 < argc) want_base = hex(argv[++i]);
        else if (!strcmp(argv[i], "--ssl-element") && i + 1 < argc) ssl_element = atoi(argv[++i]);
        else die("unknown argument %s", argv[i]);
    }

    acquire(&c, NULL);
    connect_and_handshake(&c, host, port);
    s = QueryContextAttributesA(&c.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &server);
    if (s != SEC_E_OK || !server) die("SECPKG_ATTR_REMOTE_CERT_CONTEXT: %s", st(s));

    if (exclusive) {
        /* curl's --cacert: the PEM text through CryptQueryObject (a blob, any format), the
         * certificate it returns added to the engine's exclusive root store. */
        size_t len = 0;
        char *pem = read_file(exclusive, &len);
        CERT_BLOB blob;
        DWORD content = 0;
        if (!pem) die("cannot read %s", exclusive);
        blob.cbData = (DWORD)len;
        blob.pbData = (BYTE *)pem;
        if (!CryptQueryObject(CERT_QUERY_OBJECT_BLOB, &blob, CERT_QUERY_CONTENT_FLAG_CERT, CERT_QUERY_FORMAT_FLAG_ALL, 0,
                              NULL, &content, NULL, NULL, NULL, (const void **)&ca) ||
            !ca)
            die("CryptQueryObject(%s) failed: 0x%08x", exclusive, (unsigned)GetLastError());
        free(pem);
        if (content != CERT_QUERY_CONTENT_CERT) die("CryptQueryObject: content type %u", (unsigned)content);
        roots = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
        if (!roots || !CertAddCertificateContextToStore(roots, ca, CERT_STORE_ADD_ALWAYS, NULL))
            die("building the exclusive root store: 0x%08x", (unsigned)GetLastError());
        memset(&config, 0, sizeof config);
        config.cbSize = sizeof config;
        config.hExclusiveRoot = roots;
        if (ca_flag) config.dwExclusiveFlags = CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG;
        if (!CertCreateCertificateChainEngine(&config, &engine))
            die("CertCreateCertificateChainEngine: 0x%08x", (unsigned)GetLastError());
    }

    memset(&para, 0, sizeof para);
    para.cbSize = sizeof para;
    usage[0] = (LPSTR)szOID_PKIX_KP_SERVER_AUTH;
    para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
    para.RequestedUsage.Usage.cUsageIdentifier = 1;
    para.RequestedUsage.Usage.rgpszUsageIdentifier = usage;
    if (!CertGetCertificateChain(engine, server, NULL, server->hCertStore, &para,
                                 revocation ? CERT_CHAIN_REVOCATION_CHECK_CHAIN : 0, NULL, &chain))
        die("CertGetCertificateChain: 0x%08x", (unsigned)GetLastError());

    printf("chain: error=0x%08x info=0x%08x chains=%u\n", (unsigned)chain->TrustStatus.dwErrorStatus,
           (unsigned)chain->TrustStatus.dwInfoStatus, (unsigned)chain->cChain);
    if (chain->cChain != 1) die("cChain %u", (unsigned)chain->cChain);
    if (chain->rgpChain[0]->TrustStatus.dwErrorStatus != chain->TrustStatus.dwErrorStatus)
        die("simple chain status differs from the context's");
    for (e = 0; e < chain->rgpChain[0]->cElement; e++) {
        PCERT_CHAIN_ELEMENT el = chain->rgpChain[0]->rgpElement[e];
        char subject[256];
        if (el->cbSize != sizeof *el) die("element cbSize %u", (unsigned)el->cbSize);
        CertGetNameStringA(el->pCertContext, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, sizeof subject);
        printf("element %u: error=0x%08x info=0x%08x subject=%s\n", (unsigned)e,
               (unsigned)el->TrustStatus.dwErrorStatus, (unsigned)el->TrustStatus.dwInfoStatus, subject);
    }
    if (e == 0 || chain->rgpChain[0]->rgpElement[0]->pCertContext->cbCertEncoded != server->cbCertEncoded ||
        memcmp(chain->rgpChain[0]->rgpElement[0]->pCertContext->pbCertEncoded, server->pbCertEncoded,
               server->cbCertEncoded) != 0)
        die("element 0 is not the server's certificate");
    if (chain->TrustStatus.dwErrorStatus != want_chain)
        die("chain dwErrorStatus 0x%08x, expected 0x%08lx", (unsigned)chain->TrustStatus.dwErrorStatus, want_chain);
    if (e != want_elements) die("%u elements, expected %lu", (unsigned)e, want_elements);

    /* curl frees the peer's certificate before looking at the chain: the chain holds its own
     * references. */
    CertFreeCertificateContext(server);
    server = NULL;
    dup = CertDuplicateCertificateChain(chain);
    if (dup != chain) die("CertDuplicateCertificateChain");
    CertFreeCertificateChain(dup);

    memset(&ssl, 0, sizeof ssl);
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    widen(name, wname, sizeof wname / sizeof wname[0]);
    ssl.pwszServerName = wname;
    memset(&policy, 0, sizeof policy);
    policy.cbSize = sizeof policy;
    policy.pvExtraPolicyPara = &ssl;
    memset(&status, 0, sizeof status);
    status.cbSize = sizeof status;
    if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain, &policy, &status))
        die("CertVerifyCertificateChainPolicy(SSL): 0x%08x", (unsigned)GetLastError());
    printf("ssl policy: error=0x%08x chain=%d element=%d\n", (unsigned)status.dwError, (int)status.lChainIndex,
           (int)status.lElementIndex);
    if (status.dwError != want_ssl) die("SSL policy 0x%08x, expected 0x%08lx", (unsigned)status.dwError, want_ssl);
    if (ssl_element != -2 && status.lElementIndex != ssl_element)
        die("SSL policy element %d, expected %d", (int)status.lElementIndex, ssl_element);
    if (want_ssl == 0 && (status.lChainIndex != -1 || status.lElementIndex != -1))
        die("success with indexes %d/%d", (int)status.lChainIndex, (int)status.lElementIndex);

    memset(&status, 0, sizeof status);
    status.cbSize = sizeof status;
    if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_BASE, chain, NULL, &status))
        die("CertVerifyCertificateChainPolicy(BASE): 0x%08x", (unsigned)GetLastError());
    printf("base policy: error=0x%08x chain=%d element=%d\n", (unsigned)status.dwError, (int)status.lChainIndex,
           (int)status.lElementIndex);
    if (status.dwError != want_base) die("BASE policy 0x%08x, expected 0x%08lx", (unsigned)status.dwError, want_base);

    /* An unknown policy and a forged chain pointer are refused with Windows' codes. */
    SetLastError(0);
    if (CertVerifyCertificateChainPolicy((LPCSTR)(ULONG_PTR)99, chain, NULL, &status) ||
        GetLastError() != ERROR_FILE_NOT_FOUND)
        die("unknown policy accepted");
    SetLastError(0);
    if (CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, (PCCERT_CHAIN_CONTEXT)&status, NULL, &status) ||
        GetLastError() != (DWORD)E_INVALIDARG)
        die("forged chain context accepted");

    CertFreeCertificateChain(chain);
    if (engine) CertFreeCertificateChainEngine(engine);
    if (roots) CertCloseStore(roots, 0);
    if (ca) CertFreeCertificateContext(ca);
    conn_close(&c);
    printf("CHAIN OK\n");
    return 0;
}

static int client(char **argv) {
    static Conn c;
    const char *host = argv[2], *port = argv[3], *thumb = argv[4];
    unsigned char hash[20];
    CRYPT_HASH_BLOB blob;
    HCERTSTORE my;
    PCCERT_CONTEXT cert;
    char subject[256];
    size_t i;

    if (strlen(thumb) != 40) die("thumbprint must be 40 hex digits");
    for (i = 0; i < 20; i++) {
        char byte[3] = {thumb[2 * i], thumb[2 * i + 1], 0};
        hash[i] = (unsigned char)strtoul(byte, NULL, 16);
    }
    /* curl: CertOpenStore(CERT_STORE_PROV_SYSTEM_A, ..., CERT_STORE_OPEN_EXISTING_FLAG | location). */
    my = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_STORE_OPEN_EXISTING_FLAG | CERT_SYSTEM_STORE_CURRENT_USER,
                       "MY");
    if (!my) die("CertOpenStore(MY): 0x%08x", (unsigned)GetLastError());
    blob.cbData = sizeof hash;
    blob.pbData = hash;
    cert = CertFindCertificateInStore(my, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, CERT_FIND_HASH, &blob, NULL);
    if (!cert) die("CertFindCertificateInStore(CERT_FIND_HASH): 0x%08x", (unsigned)GetLastError());
    /* A wrong thumbprint is CRYPT_E_NOT_FOUND. */
    hash[0] ^= 0xff;
    SetLastError(0);
    if (CertFindCertificateInStore(my, X509_ASN_ENCODING, 0, CERT_FIND_HASH, &blob, NULL) ||
        GetLastError() != (DWORD)CRYPT_E_NOT_FOUND)
        die("a wrong thumbprint was found");
    CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, sizeof subject);
    printf("client certificate from MY: %s\n", subject);

    acquire(&c, cert);
    CertFreeCertificateContext(cert);
    CertCloseStore(my, 0);
    connect_and_handshake(&c, host, port);
    {
        PCCERT_CONTEXT local = NULL;
        if (QueryContextAttributesA(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &local) != SEC_E_OK || !local)
            die("no client certificate was sent");
        CertGetNameStringA(local, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, sizeof subject);
        printf("client certificate sent: %s\n", subject);
        CertFreeCertificateContext(local);
    }
    conn_send(&c, "hello from chain_verify\n", 24);
    conn_close(&c);
    printf("CHAIN OK\n");
    return 0;
}

/* curl's client certificate from a PFX file (Windows 8+ path): PFXImportCertStore, then the
 * certificate that has a private key (CERT_FIND_HAS_PRIVATE_KEY), used in a handshake with a
 * server that requires one. */
static int pfx_client(char **argv) {
    static Conn c;
    const char *host = argv[2], *port = argv[3], *path = argv[4], *password = argv[5];
    size_t len = 0;
    char *bytes = read_file(path, &len);
    CRYPT_DATA_BLOB blob;
    WCHAR wpassword[64];
    HCERTSTORE store;
    PCCERT_CONTEXT cert;
    char subject[256];

    if (!bytes) die("cannot read %s", path);
    blob.cbData = (DWORD)len;
    blob.pbData = (BYTE *)bytes;
    widen(password, wpassword, sizeof wpassword / sizeof wpassword[0]);
    store = PFXImportCertStore(&blob, wpassword, 0);
    free(bytes);
    if (!store) die("PFXImportCertStore: 0x%08x", (unsigned)GetLastError());
    cert = CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, CERT_FIND_HAS_PRIVATE_KEY,
                                      NULL, NULL);
    if (!cert) die("CertFindCertificateInStore(CERT_FIND_HAS_PRIVATE_KEY): 0x%08x", (unsigned)GetLastError());
    CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, sizeof subject);
    printf("client certificate from the PFX: %s\n", subject);
    acquire(&c, cert);
    CertFreeCertificateContext(cert);
    CertCloseStore(store, 0);
    connect_and_handshake(&c, host, port);
    {
        PCCERT_CONTEXT local = NULL;
        if (QueryContextAttributesA(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &local) != SEC_E_OK || !local)
            die("no client certificate was sent");
        CertFreeCertificateContext(local);
    }
    conn_send(&c, "hello from chain_verify\n", 24);
    conn_close(&c);
    printf("CHAIN OK\n");
    return 0;
}

/* The Windows SDK web-client sample's path: the server's SEC_I_INCOMPLETE_CREDENTIALS,
 * its acceptable issuers (SECPKG_ATTR_ISSUER_LIST_EX), CertFindChainInStore over MY by
 * issuer, and a new connection with the certificate found. */
static int sdk(char **argv) {
    static Conn first, second;
    const char *host = argv[2], *port = argv[3];
    SecPkgContext_IssuerListInfoEx il;
    CERT_CHAIN_FIND_BY_ISSUER_PARA para;
    PCCERT_CHAIN_CONTEXT chain;
    PCCERT_CONTEXT cert;
    HCERTSTORE my;
    SECURITY_STATUS s;
    char subject[256];

    /* Without SCH_CRED_NO_DEFAULT_CREDS, so that a certificate request is reported as
     * SEC_I_INCOMPLETE_CREDENTIALS (as the sample's credentials are). */
    acquire_flags(&first, NULL, 0);
    first.host = host;
    first.fd = tcp_connect(host, port);
    if (first.fd < 0) die("connect %s:%s", host, port);
    first.req = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
                ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION;
    conn_client_hello(&first);
    s = conn_handshake(&first, 1);
    printf("first handshake: %s\n", st(s));
    if (!first.incomplete_credentials) die("the server did not ask for a certificate");
    s = QueryContextAttributesA(&first.ctx, SECPKG_ATTR_ISSUER_LIST_EX, &il);
    if (s != SEC_E_OK) die("SECPKG_ATTR_ISSUER_LIST_EX: %s", st(s));
    printf("acceptable issuers: %u\n", (unsigned)il.cIssuers);

    my = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, "MY");
    if (!my) die("CertOpenStore(MY): 0x%08x", (unsigned)GetLastError());
    memset(&para, 0, sizeof para);
    para.cbSize = sizeof para;
    para.pszUsageIdentifier = szOID_PKIX_KP_CLIENT_AUTH;
    para.cIssuer = il.cIssuers;
    para.rgIssuer = il.aIssuers;
    chain = CertFindChainInStore(my, X509_ASN_ENCODING, 0, CERT_CHAIN_FIND_BY_ISSUER, &para, NULL);
    if (!chain) die("CertFindChainInStore: 0x%08x", (unsigned)GetLastError());
    cert = CertDuplicateCertificateContext(chain->rgpChain[0]->rgpElement[0]->pCertContext);
    CertFreeCertificateChain(chain);
    FreeContextBuffer(il.aIssuers);
    CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, sizeof subject);
    printf("certificate chosen by issuer: %s\n", subject);
    DeleteSecurityContext(&first.ctx);
    FreeCredentialsHandle(&first.cred);
    close(first.fd);

    acquire(&second, cert);
    CertFreeCertificateContext(cert);
    CertCloseStore(my, 0);
    connect_and_handshake(&second, host, port);
    conn_send(&second, "hello from chain_verify\n", 24);
    conn_close(&second);
    printf("CHAIN OK\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "sdk")) return sdk(argv);
    if (argc >= 5 && !strcmp(argv[1], "verify")) return verify(argc, argv);
    if (argc == 5 && !strcmp(argv[1], "client")) return client(argv);
    if (argc == 6 && !strcmp(argv[1], "pfx-client")) return pfx_client(argv);
    die("usage: chain_verify verify|client HOST PORT ...");
    return 2;
}
