/*
 * conformance.c - the Windows-observed expectations of the Schannel contract
 * (docs/schannel-behaviour.md §12.1), each one named check, run against
 * libopenschannel with a client and a server context in one process over
 * in-memory buffers.
 *
 * Usage: conformance SERVER_CHAIN.pem SERVER_KEY.pem CA.pem [SELF_SIGNED.pem SELF_SIGNED_KEY.pem
 *        [V1.pem V1_KEY.pem]]
 * (a self-signed localhost certificate with CA:TRUE, as openssl req -x509 makes it; a
 * self-signed X.509 v1 certificate)
 * Prints one line per check and a final "N passed, M failed" line; exits
 * non-zero on any failure.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "common.h"

#include <stddef.h>

static int passed, failed;

static void check(const char *name, int ok, const char *fmt, ...) {
    if (ok) {
        passed++;
        printf("PASS %s\n", name);
    } else {
        va_list ap;
        failed++;
        printf("FAIL %s: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
}

#define CHECK_STATUS(name, got, want)                                                             \
    do {                                                                                          \
        SECURITY_STATUS got_ = (got);                                                             \
        check(name, got_ == (want), "got %s (0x%08x), want %s", st(got_), (unsigned)got_, st(want)); \
    } while (0)
#define CHECK_EQ(name, got, want) \
    check(name, (unsigned long long)(got) == (unsigned long long)(want), "got %llu (0x%llx), want %llu", \
          (unsigned long long)(got), (unsigned long long)(got), (unsigned long long)(want))

static const char *g_chain, *g_key, *g_ca, *g_ss_cert, *g_ss_key, *g_v1_cert, *g_v1_key;
static PCCERT_CONTEXT g_cert;

/* ---- credentials ---------------------------------------------------------- */

static SECURITY_STATUS ach_v4(ULONG use, DWORD protocols, DWORD flags, PCCERT_CONTEXT cert, HCERTSTORE roots, CredHandle *h) {
    SCHANNEL_CRED c;
    TimeStamp ts;
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.grbitEnabledProtocols = protocols;
    c.dwFlags = flags;
    /* A SCHANNEL_CRED stops at TLS 1.2 (as on Windows) unless it opts into TLS 1.3. */
    if (protocols & (SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER)) c.dwFlags |= OPENSCHANNEL_SCH_CRED_ENABLE_TLS13;
    c.hRootStore = roots;
    if (cert) {
        c.cCreds = 1;
        c.paCred = &cert;
    }
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use, NULL, &c, NULL, NULL, h, &ts);
}

static SECURITY_STATUS ach_v5(ULONG use, DWORD disabled, DWORD flags, PCCERT_CONTEXT cert, CredHandle *h) {
    SCH_CREDENTIALS c;
    TLS_PARAMETERS tp;
    memset(&c, 0, sizeof c);
    memset(&tp, 0, sizeof tp);
    c.dwVersion = SCH_CREDENTIALS_VERSION;
    c.dwFlags = flags;
    tp.grbitDisabledProtocols = disabled;
    c.cTlsParameters = 1;
    c.pTlsParameters = &tp;
    if (cert) {
        c.cCreds = 1;
        c.paCred = &cert;
    }
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, use, NULL, &c, NULL, NULL, h, NULL);
}

/* ---- in-memory endpoints -------------------------------------------------- */

typedef struct {
    CredHandle cred;
    CtxtHandle ctx;
    int has_ctx, server, done;
    unsigned char in[65536];
    size_t in_len;
    SECURITY_STATUS last;
    ULONG attrs;
    ULONG req;
    const char *target;
    SecBuffer *alpn;
} End;

static void push(End *to, const void *data, size_t len) {
    memcpy(to->in + to->in_len, data, len);
    to->in_len += len;
}

/* One ISC/ASC call: input = [TOKEN(pending bytes), EMPTY] (+ALPN on the first
 * call), output = [TOKEN, ALERT, EMPTY] allocated by the package; the token is
 * appended to the peer's input and EXTRA bytes are kept. */
static SECURITY_STATUS hs_step(End *e, End *peer) {
    SecBuffer inb[3], outb[3];
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, inb}, outd = {SECBUFFER_VERSION, 3, outb};
    SECURITY_STATUS s;
    int first = !e->has_ctx;
    inb[0].BufferType = SECBUFFER_TOKEN;
    inb[0].cbBuffer = (ULONG)e->in_len;
    inb[0].pvBuffer = e->in;
    inb[1].BufferType = SECBUFFER_EMPTY;
    inb[1].cbBuffer = 0;
    inb[1].pvBuffer = NULL;
    if (first && e->alpn) {
        inb[2] = *e->alpn;
        ind.cBuffers = 3;
    }
    outb[0].BufferType = SECBUFFER_TOKEN;
    outb[0].cbBuffer = 0;
    outb[0].pvBuffer = NULL;
    outb[1].BufferType = SECBUFFER_ALERT;
    outb[1].cbBuffer = 0;
    outb[1].pvBuffer = NULL;
    outb[2].BufferType = SECBUFFER_EMPTY;
    outb[2].cbBuffer = 0;
    outb[2].pvBuffer = NULL;
    if (e->server)
        s = AcceptSecurityContext(&e->cred, first ? NULL : &e->ctx, &ind, e->req, 0, &e->ctx, &outd, &e->attrs, NULL);
    else
        s = InitializeSecurityContextA(&e->cred, first ? NULL : &e->ctx, (SEC_CHAR *)e->target, e->req, 0, 0,
                                       (first && !e->alpn) ? NULL : &ind, 0, &e->ctx, &outd, &e->attrs, NULL);
    e->last = s;
    if (s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED) {
        e->has_ctx = 1;
        if (outb[0].cbBuffer) push(peer, outb[0].pvBuffer, outb[0].cbBuffer);
        if (inb[1].BufferType == SECBUFFER_EXTRA && !(first && !e->server)) {
            memmove(e->in, e->in + e->in_len - inb[1].cbBuffer, inb[1].cbBuffer);
            e->in_len = inb[1].cbBuffer;
        } else if (!(first && !e->server)) {
            e->in_len = 0;
        }
        if (s == SEC_E_OK) e->done = 1;
    } else if (FAILED(s) && s != SEC_E_INCOMPLETE_MESSAGE) {
        if (outb[1].cbBuffer) push(peer, outb[1].pvBuffer, outb[1].cbBuffer);
    }
    FreeContextBuffer(outb[0].pvBuffer);
    FreeContextBuffer(outb[1].pvBuffer);
    return s;
}

static void end_init(End *e, int server, CredHandle cred) {
    memset(e, 0, sizeof *e);
    e->server = server;
    e->cred = cred;
    e->req = server ? (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY |
                       ASC_REQ_STREAM | ASC_REQ_EXTENDED_ERROR)
                    : (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
                       ISC_REQ_STREAM | ISC_REQ_USE_SUPPLIED_CREDS);
    e->target = "localhost";
}

/* Runs the token loop to completion; returns 1 when both sides reached SEC_E_OK. */
static int handshake(End *c, End *s) {
    int i;
    if (hs_step(c, s) != SEC_I_CONTINUE_NEEDED) return 0;
    for (i = 0; i < 20 && !(c->done && s->done); i++) {
        if (!s->done && s->in_len) {
            SECURITY_STATUS r = hs_step(s, c);
            if (FAILED(r) && r != SEC_E_INCOMPLETE_MESSAGE) return 0;
        }
        if (!c->done && c->in_len) {
            SECURITY_STATUS r = hs_step(c, s);
            if (FAILED(r) && r != SEC_E_INCOMPLETE_MESSAGE) return 0;
        }
    }
    return c->done && s->done;
}

static void end_free(End *e) {
    if (e->has_ctx) DeleteSecurityContext(&e->ctx);
}

/* EncryptMessage of msg into out (header|data|trailer contiguous); returns the record length. */
static size_t seal(End *e, const char *msg, unsigned char *out, SECURITY_STATUS *status) {
    SecPkgContext_StreamSizes sz;
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    size_t n = strlen(msg);
    *status = QueryContextAttributesA(&e->ctx, SECPKG_ATTR_STREAM_SIZES, &sz);
    if (*status != SEC_E_OK) return 0;
    memcpy(out + sz.cbHeader, msg, n);
    b[0].BufferType = SECBUFFER_STREAM_HEADER;
    b[0].cbBuffer = sz.cbHeader;
    b[0].pvBuffer = out;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = (ULONG)n;
    b[1].pvBuffer = out + sz.cbHeader;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER;
    b[2].cbBuffer = sz.cbTrailer;
    b[2].pvBuffer = out + sz.cbHeader + n;
    b[3].BufferType = SECBUFFER_EMPTY;
    b[3].cbBuffer = 0;
    b[3].pvBuffer = NULL;
    *status = EncryptMessage(&e->ctx, 0, &d, 0);
    if (*status != SEC_E_OK) return 0;
    return b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
}

static void set4(SecBuffer *b, void *data, ULONG len) {
    b[0].BufferType = SECBUFFER_DATA;
    b[0].cbBuffer = len;
    b[0].pvBuffer = data;
    b[1].BufferType = b[2].BufferType = b[3].BufferType = SECBUFFER_EMPTY;
    b[1].cbBuffer = b[2].cbBuffer = b[3].cbBuffer = 0;
    b[1].pvBuffer = b[2].pvBuffer = b[3].pvBuffer = NULL;
}

/* Decrypts records from e->in until application data arrives, servicing
 * SEC_I_RENEGOTIATE; copies the plaintext to out. Returns the last status. */
static SECURITY_STATUS open_one(End *e, char *out, size_t *out_len, int *renegotiations) {
    for (;;) {
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS s;
        set4(b, e->in, (ULONG)e->in_len);
        s = DecryptMessage(&e->ctx, &d, 0, NULL);
        if (s == SEC_E_OK || s == SEC_I_RENEGOTIATE || s == SEC_I_CONTEXT_EXPIRED) {
            size_t extra = b[3].BufferType == SECBUFFER_EXTRA ? b[3].cbBuffer : 0;
            if (s == SEC_E_OK && b[1].cbBuffer) {
                memcpy(out, b[1].pvBuffer, b[1].cbBuffer);
                *out_len = b[1].cbBuffer;
            }
            memmove(e->in, e->in + e->in_len - extra, extra);
            e->in_len = extra;
            if (s == SEC_I_RENEGOTIATE) {
                End dummy;
                memset(&dummy, 0, sizeof dummy);
                if (renegotiations) (*renegotiations)++;
                e->done = 0;
                s = hs_step(e, &dummy);
                if (s != SEC_E_OK) return s;
                continue;
            }
            if (s == SEC_E_OK && b[1].cbBuffer == 0 && e->in_len) continue;
            return s;
        }
        return s;
    }
}

static void load_server_cert(void) {
    SECURITY_STATUS s = OpenSchannelCertContextFromPemFiles(g_chain, g_key, &g_cert);
    if (s != SEC_E_OK) die("OpenSchannelCertContextFromPemFiles: %s", st(s));
}

/* A connected pair; protocols: SP_PROT_* enabled on both sides (0 = defaults). */
static int pair(End *c, End *s, DWORD protocols) {
    CredHandle cc, sc;
    DWORD cp = protocols & (SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT);
    DWORD sp = protocols & (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER);
    if (ach_v4(SECPKG_CRED_OUTBOUND, cp, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) != SEC_E_OK) return 0;
    if (ach_v4(SECPKG_CRED_INBOUND, sp, 0, g_cert, NULL, &sc) != SEC_E_OK) return 0;
    end_init(c, 0, cc);
    end_init(s, 1, sc);
    /* The credentials may be freed at once: contexts keep what they need. */
    if (!handshake(c, s)) return 0;
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return 1;
}

/* ---- checks ----------------------------------------------------------------- */

static void sizes(void) {
    printf("sizeof(SecHandle) = %zu\n", sizeof(SecHandle));
    printf("sizeof(SecBuffer) = %zu\n", sizeof(SecBuffer));
    printf("sizeof(SecBufferDesc) = %zu\n", sizeof(SecBufferDesc));
    printf("sizeof(SCHANNEL_CRED) = %zu\n", sizeof(SCHANNEL_CRED));
    printf("sizeof(SCH_CREDENTIALS) = %zu\n", sizeof(SCH_CREDENTIALS));
    printf("sizeof(TLS_PARAMETERS) = %zu\n", sizeof(TLS_PARAMETERS));
    printf("sizeof(CERT_CONTEXT) = %zu\n", sizeof(CERT_CONTEXT));
    printf("sizeof(CERT_INFO) = %zu\n", sizeof(CERT_INFO));
    printf("sizeof(SecPkgInfoA) = %zu\n", sizeof(SecPkgInfoA));
    printf("sizeof(SecPkgContext_StreamSizes) = %zu\n", sizeof(SecPkgContext_StreamSizes));
    printf("sizeof(SecPkgContext_ConnectionInfo) = %zu\n", sizeof(SecPkgContext_ConnectionInfo));
    printf("sizeof(SecPkgContext_CipherInfo) = %zu\n", sizeof(SecPkgContext_CipherInfo));
    printf("sizeof(SecPkgContext_ApplicationProtocol) = %zu\n", sizeof(SecPkgContext_ApplicationProtocol));
    printf("sizeof(SecPkgContext_SessionInfo) = %zu\n", sizeof(SecPkgContext_SessionInfo));
    printf("sizeof(SecPkgContext_KeyInfoA) = %zu\n", sizeof(SecPkgContext_KeyInfoA));
    printf("sizeof(SecurityFunctionTableW) = %zu\n", sizeof(SecurityFunctionTableW));
    printf("sizeof(SEC_CHANNEL_BINDINGS) = %zu\n", sizeof(SEC_CHANNEL_BINDINGS));
    printf("sizeof(SecPkgContext_KeyingMaterialInfo) = %zu\n", sizeof(SecPkgContext_KeyingMaterialInfo));
    check("sizes.SecHandle", sizeof(SecHandle) == 16, "");
    check("sizes.SecBuffer", sizeof(SecBuffer) == 16, "");
    check("sizes.SecBufferDesc", sizeof(SecBufferDesc) == 16, "");
    check("sizes.SCHANNEL_CRED", sizeof(SCHANNEL_CRED) == 80, "");
    check("sizes.SCH_CREDENTIALS", sizeof(SCH_CREDENTIALS) == 72, "");
    check("sizes.TLS_PARAMETERS", sizeof(TLS_PARAMETERS) == 40, "");
    check("sizes.CERT_CONTEXT", sizeof(CERT_CONTEXT) == 40, "");
    check("sizes.CERT_INFO", sizeof(CERT_INFO) == 208, "");
    check("sizes.SecPkgInfoA", sizeof(SecPkgInfoA) == 32, "");
    check("sizes.SEC_CHANNEL_BINDINGS", sizeof(SEC_CHANNEL_BINDINGS) == 32, "");
    check("sizes.SecPkgContext_Bindings", sizeof(SecPkgContext_Bindings) == 16, "");
    check("sizes.SecPkgContext_KeyingMaterialInfo", sizeof(SecPkgContext_KeyingMaterialInfo) == 40, "");
    check("sizes.SecPkgContext_KeyingMaterial", sizeof(SecPkgContext_KeyingMaterial) == 16, "");
    check("sizes.SecPkgContext_IssuerListInfoEx", sizeof(SecPkgContext_IssuerListInfoEx) == 16, "");
    check("sizes.StreamSizes", sizeof(SecPkgContext_StreamSizes) == 20, "");
    check("sizes.ConnectionInfo", sizeof(SecPkgContext_ConnectionInfo) == 28, "");
    check("sizes.CipherInfo", sizeof(SecPkgContext_CipherInfo) == 680, "");
    check("sizes.ApplicationProtocol", sizeof(SecPkgContext_ApplicationProtocol) == 264, "");
    check("sizes.SessionInfo", sizeof(SecPkgContext_SessionInfo) == 40, "");
    check("sizes.KeyInfo", sizeof(SecPkgContext_KeyInfoA) == 32, "");
    check("sizes.FunctionTable", sizeof(SecurityFunctionTableW) == 256, "");
}

static void packages(void) {
    PSecPkgInfoA info = NULL;
    PSecPkgInfoW infow = NULL;
    ULONG n = 0;
    SECURITY_STATUS s;
    const char *names[] = {UNISP_NAME_A, SCHANNEL_NAME_A, DEFAULT_TLS_SSP_NAME_A};
    int i;
    for (i = 0; i < 3; i++) {
        s = QuerySecurityPackageInfoA((SEC_CHAR *)names[i], &info);
        check("packages.query_by_name", s == SEC_E_OK && info && strcmp(info->Name, names[i]) == 0, "%s: %s", names[i], st(s));
        if (s == SEC_E_OK) {
            CHECK_EQ("packages.cbMaxToken", info->cbMaxToken, 0x6000);
            CHECK_EQ("packages.wRPCID", info->wRPCID, UNISP_RPC_ID);
            CHECK_STATUS("packages.free_info", FreeContextBuffer(info), SEC_E_OK);
        }
    }
    s = QuerySecurityPackageInfoW((SEC_WCHAR *)UNISP_NAME_W, &infow);
    CHECK_STATUS("packages.query_w", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeContextBuffer(infow);
    CHECK_STATUS("packages.unknown_name", QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info), SEC_E_SECPKG_NOT_FOUND);
    info = (PSecPkgInfoA)0xdeadbeef;
    QuerySecurityPackageInfoA((SEC_CHAR *)"Winetest", &info);
    check("packages.unknown_name_pointer_untouched", info == (PSecPkgInfoA)0xdeadbeef, "");
    if (QuerySecurityPackageInfoA((SEC_CHAR *)UNISP_NAME_A, &info) == SEC_E_OK) {
        CHECK_EQ("packages.wVersion_1", info->wVersion, 1);
        FreeContextBuffer(info);
    }
    s = EnumerateSecurityPackagesA(&n, &info);
    check("packages.enumerate", s == SEC_E_OK && n >= 1 && strcmp(info[0].Name, UNISP_NAME_A) == 0, "%s n=%u", st(s), n);
    if (s == SEC_E_OK) {
        CHECK_STATUS("FreeContextBuffer.package_pointer", FreeContextBuffer(info), SEC_E_OK);
        CHECK_STATUS("FreeContextBuffer.double_free", FreeContextBuffer(info), SEC_E_INVALID_HANDLE);
    }
    CHECK_STATUS("FreeContextBuffer.null", FreeContextBuffer(NULL), SEC_E_OK);
    CHECK_STATUS("FreeContextBuffer.unknown_pointer", FreeContextBuffer(&n), SEC_E_INVALID_HANDLE);
}

static void tables(void) {
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    check("tables.w_slots", w && w->AcquireCredentialsHandleW == AcquireCredentialsHandleW &&
                                w->InitializeSecurityContextW == InitializeSecurityContextW &&
                                w->EncryptMessage == EncryptMessage && w->DecryptMessage == DecryptMessage &&
                                w->FreeContextBuffer == FreeContextBuffer && w->Reserved2 == NULL &&
                                w->QueryContextAttributesW == QueryContextAttributesW,
          "");
    check("tables.a_slots", a && a->AcquireCredentialsHandleA == AcquireCredentialsHandleA &&
                                a->QuerySecurityPackageInfoA == QuerySecurityPackageInfoA &&
                                a->ApplyControlToken == ApplyControlToken && a->Reserved8 == NULL,
          "");
    CHECK_STATUS("tables.unimplemented_slot", w->MakeSignature(NULL, 0, NULL, 0), SEC_E_UNSUPPORTED_FUNCTION);
    /* As Wine's test_InitSecurityInterface records Windows' tables. */
    CHECK_EQ("tables.w_version", w->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    CHECK_EQ("tables.a_version", a->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    check("tables.reserved3_is_encrypt", w->Reserved3 == (void *)w->EncryptMessage && a->Reserved3 == (void *)a->EncryptMessage, "");
    check("tables.reserved4_is_decrypt", w->Reserved4 == (void *)w->DecryptMessage && a->Reserved4 == (void *)a->DecryptMessage, "");
}

/* Issue 12 item 1: Windows judges the credential data before phCredential (Wine's
 * testAcquireSecurityContext), so a NULL output handle gets the credential's own status. */
static void ach_order(PCCERT_CONTEXT nokey) {
    SCHANNEL_CRED c;
    CredHandle h;
    SECURITY_STATUS s;
    PCCERT_CONTEXT certs[1];
    DWORD v;
#define ACH(use, auth, out) AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use, NULL, auth, NULL, NULL, out, NULL)
    CHECK_STATUS("ach_order.use0_null_handle", ACH(0, NULL, NULL), SEC_E_NO_CREDENTIALS);
    CHECK_STATUS("ach_order.both_null_handle", ACH(SECPKG_CRED_BOTH, NULL, NULL), SEC_E_NO_CREDENTIALS);
    CHECK_STATUS("ach_order.inbound_null_handle", ACH(SECPKG_CRED_INBOUND, NULL, NULL), SEC_E_NO_CREDENTIALS);
    memset(&c, 0, sizeof c);
    CHECK_STATUS("ach_order.version0_outbound_null_handle", ACH(SECPKG_CRED_OUTBOUND, &c, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    CHECK_STATUS("ach_order.version0_inbound_null_handle", ACH(SECPKG_CRED_INBOUND, &c, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.cCreds = 1;
    c.paCred = certs;
    certs[0] = (PCCERT_CONTEXT)&v; /* not a certificate context */
    CHECK_STATUS("ach_order.bogus_certificate_outbound_null_handle", ACH(SECPKG_CRED_OUTBOUND, &c, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    CHECK_STATUS("ach_order.bogus_certificate_inbound_null_handle", ACH(SECPKG_CRED_INBOUND, &c, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    certs[0] = nokey;
    CHECK_STATUS("ach_order.no_key_outbound", ACH(SECPKG_CRED_OUTBOUND, &c, &h), SEC_E_NO_CREDENTIALS);
    CHECK_STATUS("ach_order.no_key_inbound_null_handle", ACH(SECPKG_CRED_INBOUND, &c, NULL), SEC_E_NO_CREDENTIALS);
    certs[0] = g_cert;
    for (v = SCH_CRED_V1; v <= SCH_CRED_V2; v++) {
        c.dwVersion = v;
        CHECK_STATUS("ach_order.v1_v2_with_certificate_outbound", ACH(SECPKG_CRED_OUTBOUND, &c, &h), SEC_E_UNKNOWN_CREDENTIALS);
        CHECK_STATUS("ach_order.v1_v2_with_certificate_inbound", ACH(SECPKG_CRED_INBOUND, &c, &h), SEC_E_UNKNOWN_CREDENTIALS);
    }
    c.dwVersion = SCH_CRED_V3;
    CHECK_STATUS("ach_order.v3_with_certificate_outbound", ACH(SECPKG_CRED_OUTBOUND, &c, &h), SEC_E_INSUFFICIENT_MEMORY);
    CHECK_STATUS("ach_order.v3_with_certificate_inbound", ACH(SECPKG_CRED_INBOUND, &c, &h), SEC_E_INSUFFICIENT_MEMORY);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    /* Windows crashes here; we answer the parameter error. */
    CHECK_STATUS("ach_order.valid_credential_null_handle", ACH(SECPKG_CRED_INBOUND, &c, NULL), SEC_E_INVALID_PARAMETER);
    s = ACH(SECPKG_CRED_INBOUND, &c, &h);
    CHECK_STATUS("ach_order.valid_credential", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    /* Protocols of the other direction only. */
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.grbitEnabledProtocols = SP_PROT_TLS1_X_SERVER;
    CHECK_STATUS("ach_order.server_protocols_outbound", ACH(SECPKG_CRED_OUTBOUND, &c, &h), SEC_E_ALGORITHM_MISMATCH);
    s = ACH(SECPKG_CRED_INBOUND, &c, &h);
    CHECK_STATUS("ach_order.server_protocols_inbound_no_certificate", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    c.grbitEnabledProtocols = SP_PROT_TLS1_X_CLIENT;
    s = ACH(SECPKG_CRED_OUTBOUND, &c, &h);
    CHECK_STATUS("ach_order.client_protocols_outbound", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    CHECK_STATUS("ach_order.client_protocols_inbound", ACH(SECPKG_CRED_INBOUND, &c, &h), SEC_E_ALGORITHM_MISMATCH);
    /* Protocols this package lacks fail where Windows fails when they are unavailable or
     * disabled by policy: ACH, SEC_E_ALGORITHM_MISMATCH (Wine's test_dtls skips on exactly
     * that; dotnet/runtime#1166 reports it for a disabled SSL 3). Windows with TLS 1.0
     * enabled would accept SP_PROT_TLS1_CLIENT (test_cread_attrs): README "Deviations". */
    c.grbitEnabledProtocols = SP_PROT_DTLS1_2_CLIENT;
    CHECK_STATUS("ach_order.dtls_only", ACH(SECPKG_CRED_OUTBOUND, &c, &h), SEC_E_ALGORITHM_MISMATCH);
    c.grbitEnabledProtocols = SP_PROT_TLS1_CLIENT;
    CHECK_STATUS("ach_order.tls10_only_as_if_disabled", ACH(SECPKG_CRED_OUTBOUND, &c, &h), SEC_E_ALGORITHM_MISMATCH);
#undef ACH
}

/* Issue 12 item 7: a SCHANNEL_CRED stops at TLS 1.2 as on Windows; SCH_CREDENTIALS and
 * SCHANNEL_CRED with OPENSCHANNEL_SCH_CRED_ENABLE_TLS13 negotiate TLS 1.3. */
static SECURITY_STATUS ach_raw_v4(ULONG use, DWORD protocols, DWORD flags, PCCERT_CONTEXT cert, CredHandle *h) {
    SCHANNEL_CRED c;
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.grbitEnabledProtocols = protocols;
    c.dwFlags = flags;
    if (cert) {
        c.cCreds = 1;
        c.paCred = &cert;
    }
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use, NULL, &c, NULL, NULL, h, NULL);
}

/* The protocol a client and server credential negotiate (0 when the handshake fails). */
static DWORD negotiated(CredHandle cc, CredHandle sc) {
    End c, s;
    SecPkgContext_ConnectionInfo ci;
    DWORD p = 0;
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    if (handshake(&c, &s) && QueryContextAttributesA(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci) == SEC_E_OK) p = ci.dwProtocol;
    end_free(&c);
    end_free(&s);
    return p;
}

static void legacy_tls13(void) {
    CredHandle c4, c4all, c4opt, c5, s4, s5;
    SecPkgCred_SupportedProtocols sp;
    const DWORD mv = SCH_CRED_MANUAL_CRED_VALIDATION;
    CHECK_STATUS("legacy.v4_tls13_only_client", ach_raw_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_3_CLIENT, mv, NULL, &c4), SEC_E_ALGORITHM_MISMATCH);
    CHECK_STATUS("legacy.v4_tls13_only_server", ach_raw_v4(SECPKG_CRED_INBOUND, SP_PROT_TLS1_3_SERVER, 0, g_cert, &s4), SEC_E_ALGORITHM_MISMATCH);
    if (ach_raw_v4(SECPKG_CRED_OUTBOUND, 0, mv, NULL, &c4) != SEC_E_OK ||
        ach_raw_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT, mv, NULL, &c4all) != SEC_E_OK ||
        ach_raw_v4(SECPKG_CRED_OUTBOUND, 0, mv | OPENSCHANNEL_SCH_CRED_ENABLE_TLS13, NULL, &c4opt) != SEC_E_OK ||
        ach_v5(SECPKG_CRED_OUTBOUND, 0, mv, NULL, &c5) != SEC_E_OK || ach_raw_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, &s4) != SEC_E_OK ||
        ach_v5(SECPKG_CRED_INBOUND, 0, 0, g_cert, &s5) != SEC_E_OK) {
        check("legacy.credentials", 0, "");
        return;
    }
    QueryCredentialsAttributesA(&c4all, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp);
    CHECK_EQ("legacy.v4_tls13_bit_ignored", sp.grbitProtocol, SP_PROT_TLS1_2_CLIENT);
    QueryCredentialsAttributesA(&s4, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp);
    CHECK_EQ("legacy.v4_server_default_tls12", sp.grbitProtocol, SP_PROT_TLS1_2_SERVER);
    QueryCredentialsAttributesA(&c4opt, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp);
    CHECK_EQ("legacy.v4_opt_in_both", sp.grbitProtocol, SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT);
    CHECK_EQ("legacy.v4_default_client_negotiates_tls12", negotiated(c4, s5), SP_PROT_TLS1_2_CLIENT);
    CHECK_EQ("legacy.v4_tls13_bits_client_negotiates_tls12", negotiated(c4all, s5), SP_PROT_TLS1_2_CLIENT);
    CHECK_EQ("legacy.v4_server_negotiates_tls12", negotiated(c5, s4), SP_PROT_TLS1_2_CLIENT);
    CHECK_EQ("legacy.v4_opt_in_negotiates_tls13", negotiated(c4opt, s5), SP_PROT_TLS1_3_CLIENT);
    CHECK_EQ("legacy.v5_negotiates_tls13", negotiated(c5, s5), SP_PROT_TLS1_3_CLIENT);
    FreeCredentialsHandle(&c4);
    FreeCredentialsHandle(&c4all);
    FreeCredentialsHandle(&c4opt);
    FreeCredentialsHandle(&c5);
    FreeCredentialsHandle(&s4);
    FreeCredentialsHandle(&s5);
}

/* Issue 12 item 4: SECPKG_ATTR_SUPPORTED_ALGS / CIPHER_STRENGTHS as Windows fills them (Wine's
 * test_cread_attrs and test_strength): the ALG_IDs of what the credential can negotiate, in one
 * allocation freed with FreeContextBuffer; the weakest and strongest bulk-cipher keys. */
static int has_alg(const SecPkgCred_SupportedAlgs *a, ALG_ID id) {
    DWORD i;
    for (i = 0; i < a->cSupportedAlgs; i++)
        if (a->palgSupportedAlgs[i] == id) return 1;
    return 0;
}

static void cred_algorithms(void) {
    CredHandle h;
    SCHANNEL_CRED c;
    SecPkgCred_SupportedAlgs algs;
    SecPkgCred_CipherStrengths cs;
    ALG_ID only256[] = {CALG_AES_256};
    SECURITY_STATUS s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, NULL);
    if (s != SEC_E_OK) return;
    memset(&algs, 0, sizeof algs);
    CHECK_STATUS("qcred.supported_algs", QueryCredentialsAttributesA(&h, SECPKG_ATTR_SUPPORTED_ALGS, &algs), SEC_E_OK);
    check("qcred.supported_algs_values",
          algs.cSupportedAlgs >= 5 && has_alg(&algs, CALG_AES_128) && has_alg(&algs, CALG_AES_256) && has_alg(&algs, CALG_SHA_256) &&
              has_alg(&algs, CALG_SHA_384) && has_alg(&algs, CALG_ECDH_EPHEM) && has_alg(&algs, CALG_RSA_SIGN) && has_alg(&algs, CALG_ECDSA),
          "%u algs", algs.cSupportedAlgs);
    CHECK_STATUS("qcred.supported_algs_freed", FreeContextBuffer(algs.palgSupportedAlgs), SEC_E_OK);
    CHECK_STATUS("qcred.supported_algs_null", QueryCredentialsAttributesA(&h, SECPKG_ATTR_SUPPORTED_ALGS, NULL), SEC_E_INTERNAL_ERROR);
    cs.dwMinimumCipherStrength = cs.dwMaximumCipherStrength = 0xFFFFFFFF;
    CHECK_STATUS("qcred.cipher_strengths", QueryCredentialsAttributesW(&h, SECPKG_ATTR_CIPHER_STRENGTHS, &cs), SEC_E_OK);
    check("qcred.cipher_strengths_128_256", cs.dwMinimumCipherStrength == 128 && cs.dwMaximumCipherStrength == 256, "%u-%u",
          cs.dwMinimumCipherStrength, cs.dwMaximumCipherStrength);
    CHECK_STATUS("qcred.cipher_strengths_null", QueryCredentialsAttributesA(&h, SECPKG_ATTR_CIPHER_STRENGTHS, NULL), SEC_E_INTERNAL_ERROR);
    FreeCredentialsHandle(&h);
    /* An inbound credential (Wine's test_strength), and one narrowed by palgSupportedAlgs. */
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &h) == SEC_E_OK) {
        CHECK_STATUS("qcred.inbound_cipher_strengths", QueryCredentialsAttributesA(&h, SECPKG_ATTR_CIPHER_STRENGTHS, &cs), SEC_E_OK);
        check("qcred.inbound_cipher_strengths_nonzero", cs.dwMinimumCipherStrength && cs.dwMaximumCipherStrength, "");
        FreeCredentialsHandle(&h);
    }
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.cSupportedAlgs = 1;
    c.palgSupportedAlgs = only256;
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &c, NULL, NULL, &h, NULL) == SEC_E_OK) {
        memset(&algs, 0, sizeof algs);
        QueryCredentialsAttributesA(&h, SECPKG_ATTR_SUPPORTED_ALGS, &algs);
        check("qcred.narrowed_algs", has_alg(&algs, CALG_AES_256) && !has_alg(&algs, CALG_AES_128), "%u algs", algs.cSupportedAlgs);
        FreeContextBuffer(algs.palgSupportedAlgs);
        QueryCredentialsAttributesA(&h, SECPKG_ATTR_CIPHER_STRENGTHS, &cs);
        check("qcred.narrowed_strengths_256", cs.dwMinimumCipherStrength == 256 && cs.dwMaximumCipherStrength == 256, "%u-%u",
              cs.dwMinimumCipherStrength, cs.dwMaximumCipherStrength);
        FreeCredentialsHandle(&h);
    }
}

static void ach_table(void) {
    CredHandle h;
    SCHANNEL_CRED c;
    SECURITY_STATUS s;
    PCCERT_CONTEXT nokey, two[2];
    DWORD derlen = 0;
    unsigned char *der;
    DWORD v;
    SecPkgCred_SupportedProtocols sp;

    CHECK_STATUS("ach.null_package", AcquireCredentialsHandleA(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, NULL), SEC_E_SECPKG_NOT_FOUND);
    CHECK_STATUS("ach.unknown_package", AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, NULL), SEC_E_SECPKG_NOT_FOUND);
    CHECK_STATUS("ach.use0_null_auth", AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, 0, NULL, NULL, NULL, NULL, &h, NULL), SEC_E_NO_CREDENTIALS);
    CHECK_STATUS("ach.inbound_null_auth", AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &h, NULL), SEC_E_NO_CREDENTIALS);
    CHECK_STATUS("ach.both_null_auth", AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_BOTH, NULL, NULL, NULL, NULL, &h, NULL), SEC_E_NO_CREDENTIALS);
    s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, NULL);
    CHECK_STATUS("ach.outbound_null_auth", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    for (v = 0; v <= 3; v++) {
        memset(&c, 0, sizeof c);
        c.dwVersion = v;
        CHECK_STATUS("ach.bad_version", AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &c, NULL, NULL, &h, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    }
    s = ach_v4(SECPKG_CRED_OUTBOUND, 0, 0, NULL, NULL, &h);
    CHECK_STATUS("ach.v4_no_cert_outbound", s, SEC_E_OK);
    if (s == SEC_E_OK) {
        CHECK_STATUS("qcred.supported_protocols", QueryCredentialsAttributesA(&h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp), SEC_E_OK);
        CHECK_EQ("qcred.supported_protocols_value", sp.grbitProtocol, SP_PROT_TLS1_2_CLIENT);
        CHECK_STATUS("qcred.null_buffer", QueryCredentialsAttributesA(&h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, NULL), SEC_E_INTERNAL_ERROR);
        CHECK_STATUS("qcred.names", QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &sp), SEC_E_NO_CREDENTIALS);
        FreeCredentialsHandle(&h);
    }
    s = ach_v4(SECPKG_CRED_INBOUND, 0, 0, NULL, NULL, &h);
    CHECK_STATUS("ach.v4_no_cert_inbound", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    CHECK_STATUS("ach.bogus_certificate", ach_v4(SECPKG_CRED_INBOUND, 0, 0, (PCCERT_CONTEXT)&c, NULL, &h), SEC_E_UNKNOWN_CREDENTIALS);
    der = pem_first_der(g_ca, &derlen);
    nokey = der ? CertCreateCertificateContext(X509_ASN_ENCODING, der, derlen) : NULL;
    check("crypt32.create_context", nokey != NULL, "");
    CHECK_STATUS("ach.certificate_without_key", ach_v4(SECPKG_CRED_INBOUND, 0, 0, nokey, NULL, &h), SEC_E_NO_CREDENTIALS);
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    two[0] = g_cert;
    two[1] = g_cert;
    c.cCreds = 2;
    c.paCred = two;
    CHECK_STATUS("ach.two_certificates", AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &c, NULL, NULL, &h, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    CHECK_STATUS("ach.server_protocols_outbound", ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_SERVER, 0, NULL, NULL, &h), SEC_E_ALGORITHM_MISMATCH);
    CHECK_STATUS("ach.client_protocols_inbound", ach_v4(SECPKG_CRED_INBOUND, SP_PROT_TLS1_2_CLIENT, 0, g_cert, NULL, &h), SEC_E_ALGORITHM_MISMATCH);
    CHECK_STATUS("ach.tls_mixed_with_dtls", ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT | SP_PROT_DTLS1_2_CLIENT, 0, NULL, NULL, &h), SEC_E_ALGORITHM_MISMATCH);
    CHECK_STATUS("ach.only_tls10", ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_0_CLIENT, 0, NULL, NULL, &h), SEC_E_ALGORITHM_MISMATCH);
    s = ach_v4(SECPKG_CRED_INBOUND, SP_PROT_TLS1_2_SERVER, 0, g_cert, NULL, &h);
    CHECK_STATUS("ach.v4_server_certificate", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    s = ach_v5(SECPKG_CRED_OUTBOUND, 0, 0, NULL, &h);
    CHECK_STATUS("ach.v5_outbound_w", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&h);
    s = ach_v5(SECPKG_CRED_INBOUND, SP_PROT_TLS1_2_SERVER, 0, g_cert, &h);
    CHECK_STATUS("ach.v5_inbound_tls13_only", s, SEC_E_OK);
    if (s == SEC_E_OK) {
        QueryCredentialsAttributesW(&h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp);
        CHECK_EQ("qcred.v5_disabled_mask", sp.grbitProtocol, SP_PROT_TLS1_3_SERVER);
        FreeCredentialsHandle(&h);
    }
    CHECK_STATUS("ach.v5_everything_disabled", ach_v5(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT, 0, NULL, &h), SEC_E_ALGORITHM_MISMATCH);
    ach_order(nokey);
    CertFreeCertificateContext(nokey);
    free(der);
}

static void isc_edges(void) {
    CredHandle cred;
    CtxtHandle ctx, newctx;
    SecBuffer out[3], in[2];
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, out}, ind = {SECBUFFER_VERSION, 2, in};
    unsigned char buf[256], token[4096];
    ULONG attrs = 0;
    SECURITY_STATUS s;
    ULONG req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM | ISC_REQ_USE_SUPPLIED_CREDS;

    if (ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cred) != SEC_E_OK) {
        check("isc.credential", 0, "");
        return;
    }
    /* pOutput NULL */
    s = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, NULL, &attrs, NULL);
    CHECK_STATUS("isc.output_null", s, SEC_E_INVALID_TOKEN);
    /* invalid request flags */
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    s = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_DELEGATE, 0, 0, NULL, 0, &ctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.req_delegate", s, SEC_E_UNSUPPORTED_FUNCTION);
    s = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_PROMPT_FOR_CREDS, 0, 0, NULL, 0, &ctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.req_prompt_for_creds", s, SEC_E_UNSUPPORTED_FUNCTION);
    /* zero-size output without ALLOCATE_MEMORY */
    s = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req, 0, 0, NULL, 0, &ctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.zero_token_without_allocate", s, SEC_E_INSUFFICIENT_MEMORY);
    out[0].cbBuffer = sizeof token;
    out[0].pvBuffer = token;
    out[1].BufferType = SECBUFFER_ALERT;
    out[1].cbBuffer = 0;
    out[1].pvBuffer = NULL;
    outd.cBuffers = 2;
    s = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req, 0, 0, NULL, 0, &ctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.zero_alert_without_allocate", s, SEC_E_INSUFFICIENT_MEMORY);
    /* first call with caller buffers */
    out[1].cbBuffer = sizeof buf;
    out[1].pvBuffer = buf;
    s = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req, 0, 0, NULL, 0, &ctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.first_call_continue", s, SEC_I_CONTINUE_NEEDED);
    check("isc.first_call_client_hello", out[0].cbBuffer > 5 && token[0] == 0x16, "cb=%u", out[0].cbBuffer);
    CHECK_EQ("isc.alert_cb0_on_success", out[1].cbBuffer, 0);
    CHECK_EQ("isc.returned_flags_809c", attrs, 0x809C);
    if (s != SEC_I_CONTINUE_NEEDED) return;

    /* The ALERT buffer came back with cb 0: give it room again (no ALLOCATE_MEMORY). */
    outd.cBuffers = 1;
    /* pInput NULL on an established-in-progress context */
    newctx.dwLower = newctx.dwUpper = 0x5555;
    out[0].cbBuffer = sizeof token;
    out[0].BufferType = SECBUFFER_TOKEN;
    s = InitializeSecurityContextA(&cred, &ctx, (SEC_CHAR *)"localhost", req, 0, 0, NULL, 0, &newctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.null_input_incomplete", s, SEC_E_INCOMPLETE_MESSAGE);
    /* MISSING counts */
    {
        static const struct { size_t len; const char *name; } cases[] = {{0, "isc.missing_5_for_empty_token"}, {4, "isc.missing_1_for_4_bytes"}};
        size_t k;
        memcpy(buf, "\x16\x03\x03\x00\x40", 5);
        for (k = 0; k < 2; k++) {
            in[0].BufferType = SECBUFFER_TOKEN;
            in[0].cbBuffer = (ULONG)cases[k].len;
            in[0].pvBuffer = buf;
            in[1].BufferType = SECBUFFER_EMPTY;
            in[1].cbBuffer = 0;
            in[1].pvBuffer = NULL;
            out[0].BufferType = SECBUFFER_TOKEN;
            out[0].cbBuffer = 1234;
            s = InitializeSecurityContextA(&cred, &ctx, (SEC_CHAR *)"localhost", req, 0, 0, &ind, 0, &newctx, &outd, &attrs, NULL);
            check(cases[k].name, s == SEC_E_INCOMPLETE_MESSAGE && in[1].BufferType == SECBUFFER_MISSING && in[1].cbBuffer == (k == 0 ? 5u : 1u),
                  "%s type %u cb %u", st(s), in[1].BufferType, in[1].cbBuffer);
        }
        in[0].cbBuffer = 5;
        in[1].BufferType = SECBUFFER_EMPTY;
        in[1].cbBuffer = 0;
        s = InitializeSecurityContextA(&cred, &ctx, (SEC_CHAR *)"localhost", req, 0, 0, &ind, 0, &newctx, &outd, &attrs, NULL);
        check("isc.missing_gt5_for_header_only", s == SEC_E_INCOMPLETE_MESSAGE && in[1].BufferType == SECBUFFER_MISSING && in[1].cbBuffer > 5,
              "%s cb %u", st(s), in[1].cbBuffer);
        check("isc.output_untouched_on_incomplete", out[0].BufferType == SECBUFFER_TOKEN && out[0].cbBuffer == 1234, "type %u cb %u", out[0].BufferType, out[0].cbBuffer);
        check("isc.phNewContext_untouched_on_incomplete", newctx.dwLower == 0x5555 && newctx.dwUpper == 0x5555, "");
    }
    /* EMPTY input buffer with cb != 0 */
    in[0].cbBuffer = 5;
    in[1].BufferType = SECBUFFER_EMPTY;
    in[1].cbBuffer = 3;
    in[1].pvBuffer = buf;
    s = InitializeSecurityContextA(&cred, &ctx, (SEC_CHAR *)"localhost", req, 0, 0, &ind, 0, &newctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.input_empty_with_size", s, SEC_E_INVALID_TOKEN);
    /* garbage */
    memset(buf, 0xAB, 64);
    in[0].cbBuffer = 64;
    in[1].cbBuffer = 0;
    in[1].pvBuffer = NULL;
    out[0].cbBuffer = sizeof token;
    s = InitializeSecurityContextA(&cred, &ctx, (SEC_CHAR *)"localhost", req, 0, 0, &ind, 0, &newctx, &outd, &attrs, NULL);
    CHECK_STATUS("isc.garbage_invalid_token", s, SEC_E_INVALID_TOKEN);
    CHECK_EQ("isc.garbage_output_cb0", out[0].cbBuffer, 0);
    CHECK_STATUS("delete.context", DeleteSecurityContext(&ctx), SEC_E_OK);
    CHECK_STATUS("delete.twice", DeleteSecurityContext(&ctx), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("qca.after_delete", QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, buf), SEC_E_INVALID_HANDLE);
    FreeCredentialsHandle(&cred);
}

static void asc_first_incomplete(void) {
    CredHandle sc;
    CtxtHandle ctx;
    SecBuffer in[2], out[1];
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, in}, outd = {SECBUFFER_VERSION, 1, out};
    unsigned char hdr[5] = {0x16, 0x03, 0x01, 0x00, 0x80};
    ULONG attrs;
    SECURITY_STATUS s;
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &sc) != SEC_E_OK) return;
    ctx.dwLower = ctx.dwUpper = 0x7777;
    in[0].BufferType = SECBUFFER_TOKEN;
    in[0].cbBuffer = 5;
    in[0].pvBuffer = hdr;
    in[1].BufferType = SECBUFFER_EMPTY;
    in[1].cbBuffer = 0;
    in[1].pvBuffer = NULL;
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    s = AcceptSecurityContext(&sc, NULL, &ind, ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM, 0, &ctx, &outd, &attrs, NULL);
    CHECK_STATUS("asc.first_call_incomplete", s, SEC_E_INCOMPLETE_MESSAGE);
    check("asc.first_incomplete_creates_no_context", ctx.dwLower == 0x7777 && ctx.dwUpper == 0x7777, "");
    CHECK_EQ("asc.first_incomplete_missing", in[1].BufferType, SECBUFFER_MISSING);
    FreeCredentialsHandle(&sc);
}

static void session_queries(End *c, End *s, int tls13) {
    SecPkgContext_StreamSizes sz;
    SecPkgContext_ConnectionInfo ci;
    SecPkgContext_CipherInfo cinfo;
    SecPkgContext_SessionInfo si;
    SecPkgContext_KeyInfoA ki;
    SecPkgContext_Sizes sizes;
    SecPkgContext_PackageInfoA pi;
    SecPkgContext_NegotiationInfoA ni;
    PCCERT_CONTEXT remote = NULL, it = NULL;
    char name[256];
    int count = 0;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[128];

#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)
    CHECK_STATUS(L("qca.stream_sizes"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_OK);
    check(L("stream_sizes.values"), sz.cbHeader == (tls13 ? 5u : 13u) && sz.cbTrailer == (tls13 ? 17u : 16u) && sz.cbMaximumMessage == 16384 && sz.cBuffers == 4,
          "%u/%u/%u/%u", sz.cbHeader, sz.cbTrailer, sz.cbMaximumMessage, sz.cBuffers);
    CHECK_STATUS(L("qca.connection_info"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), SEC_E_OK);
    CHECK_EQ(L("connection_info.client_protocol"), ci.dwProtocol, tls13 ? SP_PROT_TLS1_3_CLIENT : SP_PROT_TLS1_2_CLIENT);
    CHECK_EQ(L("connection_info.hash_strength_0_for_aead"), ci.dwHashStrength, 0);
    QueryContextAttributesA(&s->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci);
    CHECK_EQ(L("connection_info.server_protocol"), ci.dwProtocol, tls13 ? SP_PROT_TLS1_3_SERVER : SP_PROT_TLS1_2_SERVER);
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    CHECK_STATUS(L("qca.cipher_info"), QueryContextAttributesW(&c->ctx, SECPKG_ATTR_CIPHER_INFO, &cinfo), SEC_E_OK);
    CHECK_EQ(L("cipher_info.wire_version"), cinfo.dwProtocol, tls13 ? 0x304 : 0x303);
    check(L("cipher_info.suite_name"), cinfo.szCipherSuite[0] == 'T' && cinfo.szCipherSuite[3] == '_', "");
    CHECK_STATUS(L("qca.session_info"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_SESSION_INFO, &si), SEC_E_OK);
    CHECK_STATUS(L("qca.key_info"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    check(L("key_info.names"), ki.sSignatureAlgorithmName && ki.sEncryptAlgorithmName && ki.KeySize >= 128, "");
    CHECK_STATUS(L("key_info.free_names"), FreeContextBuffer(ki.sSignatureAlgorithmName), SEC_E_OK);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    CHECK_STATUS(L("qca.sizes"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    CHECK_STATUS(L("qca.package_info"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    check(L("package_info.name"), pi.PackageInfo && strcmp(pi.PackageInfo->Name, UNISP_NAME_A) == 0, "");
    FreeContextBuffer(pi.PackageInfo);
    CHECK_STATUS(L("qca.negotiation_info_unsupported"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_UNSUPPORTED_FUNCTION);
    CHECK_STATUS(L("qca.unknown_attribute"), QueryContextAttributesA(&c->ctx, 0x9999, &ni), SEC_E_UNSUPPORTED_FUNCTION);
    CHECK_STATUS(L("qca.remote_cert_context"), QueryContextAttributesA(&c->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote), SEC_E_OK);
    if (remote) {
        CertGetNameStringA(remote, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
        check(L("remote_cert.subject_cn"), strcmp(name, "localhost") == 0, "got '%s'", name);
        while ((it = CertEnumCertificatesInStore(remote->hCertStore, it)) != NULL) count++;
        CHECK_EQ(L("remote_cert.store_holds_chain"), count, 2);
        check(L("remote_cert.free"), CertFreeCertificateContext(remote), "");
    }
    CHECK_STATUS(L("qca.server_remote_cert_none"), QueryContextAttributesA(&s->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote), SEC_E_NO_CREDENTIALS);
#undef L
}

static void messages(int tls13) {
    End c, s;
    unsigned char rec[2048], two[4096];
    char text[2048];
    size_t n, n2, tlen = 0;
    SECURITY_STATUS st1;
    SecBuffer b[5];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    int reneg = 0;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[128];
#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)

    if (!pair(&c, &s, tls13 ? (SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER) : (SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_2_SERVER))) {
        check(L("handshake"), 0, "client %s server %s", st(c.last), st(s.last));
        return;
    }
    check(L("handshake"), 1, "");
    CHECK_EQ(L("asc.returned_flags"), s.attrs, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY | ASC_RET_ALLOCATED_MEMORY | ASC_RET_STREAM | ASC_RET_EXTENDED_ERROR);
    CHECK_EQ(L("isc.returned_flags"), c.attrs, ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT | ISC_RET_CONFIDENTIALITY | ISC_RET_ALLOCATED_MEMORY | ISC_RET_STREAM | ISC_RET_USED_SUPPLIED_CREDS);
    session_queries(&c, &s, tls13);

    /* The server's tickets (TLS 1.3) come first: SEC_I_RENEGOTIATE, then a
     * message from the server. */
    n = seal(&s, "hello client", rec, &st1);
    CHECK_STATUS(L("encrypt.ok"), st1, SEC_E_OK);
    push(&c, rec, n);
    st1 = open_one(&c, text, &tlen, &reneg);
    check(L("decrypt.data"), st1 == SEC_E_OK && tlen == 12 && memcmp(text, "hello client", 12) == 0, "%s len %zu", st(st1), tlen);
    if (tls13) check(L("decrypt.tickets_renegotiate"), reneg >= 1, "renegotiations %d", reneg);

    /* Output layout: [HEADER, DATA, TRAILER, EXTRA] pointing into the buffer. */
    n = seal(&c, "one", rec, &st1);
    n2 = seal(&c, "two", rec + n, &st1);
    memcpy(two, rec, n + n2);
    set4(b, two, (ULONG)(n + n2));
    st1 = DecryptMessage(&s.ctx, &d, 0, NULL);
    CHECK_STATUS(L("decrypt.first_of_two"), st1, SEC_E_OK);
    check(L("decrypt.layout_positions"),
          b[0].BufferType == SECBUFFER_STREAM_HEADER && b[0].pvBuffer == two && b[0].cbBuffer == (tls13 ? 5u : 13u) &&
              b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer == 3 && b[1].pvBuffer == two + b[0].cbBuffer &&
              memcmp(b[1].pvBuffer, "one", 3) == 0 && b[2].BufferType == SECBUFFER_STREAM_TRAILER &&
              b[2].pvBuffer == two + b[0].cbBuffer + 3 && b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer == n,
          "types %u %u %u", b[0].BufferType, b[1].BufferType, b[2].BufferType);
    check(L("decrypt.extra_points_at_next_record"), b[3].BufferType == SECBUFFER_EXTRA && b[3].cbBuffer == n2 && b[3].pvBuffer == two + n, "type %u cb %u", b[3].BufferType, b[3].cbBuffer);
    /* MISSING: the second record one header short. */
    memmove(two, two + n, n2);
    set4(b, two, (ULONG)(n2 - 5));
    st1 = DecryptMessage(&s.ctx, &d, 0, NULL);
    CHECK_STATUS(L("decrypt.incomplete"), st1, SEC_E_INCOMPLETE_MESSAGE);
    check(L("decrypt.missing_conversion"), b[0].BufferType == SECBUFFER_MISSING && b[0].cbBuffer == 5 && b[1].BufferType == SECBUFFER_MISSING && b[1].cbBuffer == 5,
          "[0] %u/%u [1] %u/%u", b[0].BufferType, b[0].cbBuffer, b[1].BufferType, b[1].cbBuffer);
    set4(b, two, (ULONG)n2);
    st1 = DecryptMessage(&s.ctx, &d, 0, NULL);
    check(L("decrypt.no_extra_stays_empty"), st1 == SEC_E_OK && b[3].BufferType == SECBUFFER_EMPTY && memcmp(b[1].pvBuffer, "two", 3) == 0, "%s [3] %u", st(st1), b[3].BufferType);

    /* Layout rejections (contract §7.1). */
    n = seal(&c, "x", rec, &st1);
    set4(b, rec, (ULONG)n);
    d.cBuffers = 3;
    CHECK_STATUS(L("decrypt.fewer_than_4_buffers"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    d.cBuffers = 4;
    b[0].BufferType = SECBUFFER_EMPTY;
    b[0].cbBuffer = 0;
    CHECK_STATUS(L("decrypt.no_data_buffer"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    set4(b, rec, (ULONG)n);
    b[1].BufferType = SECBUFFER_DATA;
    CHECK_STATUS(L("decrypt.two_data_buffers"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    set4(b, rec, (ULONG)n);
    b[3].BufferType = SECBUFFER_EXTRA;
    CHECK_STATUS(L("decrypt.fewer_than_3_empty"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    /* READONLY attribute bit: such a buffer is not one of the EMPTY slots and is never written. */
    set4(b, rec, (ULONG)n);
    b[4].BufferType = SECBUFFER_EMPTY | SECBUFFER_READONLY;
    b[4].cbBuffer = 0;
    b[4].pvBuffer = NULL;
    b[3] = b[4];
    b[3].BufferType = SECBUFFER_EMPTY | SECBUFFER_READONLY;
    CHECK_STATUS(L("decrypt.readonly_empty_not_counted"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    check(L("decrypt.readonly_untouched"), b[3].BufferType == (SECBUFFER_EMPTY | SECBUFFER_READONLY) && b[3].cbBuffer == 0, "");
    /* Attribute bits are masked when classifying: DATA | READONLY_WITH_CHECKSUM works. */
    set4(b, rec, (ULONG)n);
    b[0].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM;
    st1 = DecryptMessage(&s.ctx, &d, 0, NULL);
    check(L("decrypt.attribute_bits_masked"), st1 == SEC_E_OK && (b[0].BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_STREAM_HEADER &&
                                                  (b[0].BufferType & SECBUFFER_ATTRMASK) == SECBUFFER_READONLY_WITH_CHECKSUM,
          "%s type 0x%x", st(st1), b[0].BufferType);
    /* EncryptMessage validation. */
    {
        SecPkgContext_StreamSizes sz;
        SecBuffer e[4];
        SecBufferDesc ed = {SECBUFFER_VERSION, 4, e};
        QueryContextAttributesA(&c.ctx, SECPKG_ATTR_STREAM_SIZES, &sz);
        e[0].BufferType = SECBUFFER_STREAM_HEADER;
        e[0].cbBuffer = sz.cbHeader;
        e[0].pvBuffer = rec;
        e[1].BufferType = SECBUFFER_EMPTY;
        e[1].cbBuffer = 0;
        e[1].pvBuffer = NULL;
        e[2].BufferType = SECBUFFER_STREAM_TRAILER;
        e[2].cbBuffer = sz.cbTrailer;
        e[2].pvBuffer = rec + 100;
        e[3] = e[1];
        CHECK_STATUS(L("encrypt.no_data_buffer"), EncryptMessage(&c.ctx, 0, &ed, 0), SEC_E_INVALID_TOKEN);
        e[1].BufferType = SECBUFFER_DATA;
        e[1].cbBuffer = 4;
        e[1].pvBuffer = rec + sz.cbHeader;
        e[0].cbBuffer = sz.cbHeader - 1;
        CHECK_STATUS(L("encrypt.header_too_small"), EncryptMessage(&c.ctx, 0, &ed, 0), SEC_E_BUFFER_TOO_SMALL);
        e[0].cbBuffer = sz.cbHeader;
        e[1].pvBuffer = rec + 2;
        CHECK_STATUS(L("encrypt.overlapping_buffers"), EncryptMessage(&c.ctx, 0, &ed, 0), SEC_E_INVALID_TOKEN);
    }

    /* Shutdown (contract §8.3): client closes, server sees SEC_I_CONTEXT_EXPIRED. */
    {
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer t[1];
        SecBufferDesc td = {SECBUFFER_VERSION, 1, t};
        SecBuffer o[1];
        SecBufferDesc od = {SECBUFFER_VERSION, 1, o};
        unsigned char first[64];
        ULONG first_len = 0, attrs;
        t[0].BufferType = SECBUFFER_TOKEN;
        t[0].cbBuffer = sizeof type;
        t[0].pvBuffer = &type;
        CHECK_STATUS(L("shutdown.apply"), ApplyControlToken(&c.ctx, &td), SEC_E_OK);
        o[0].BufferType = SECBUFFER_EMPTY;
        o[0].cbBuffer = 0;
        o[0].pvBuffer = NULL;
        st1 = InitializeSecurityContextA(&c.cred, &c.ctx, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &c.ctx, &od, &attrs, NULL);
        CHECK_STATUS(L("shutdown.isc_ok"), st1, SEC_E_OK);
        CHECK_EQ(L("shutdown.empty_becomes_token"), o[0].BufferType, SECBUFFER_TOKEN);
        CHECK_EQ(L("shutdown.close_notify_length"), o[0].cbBuffer, tls13 ? 24 : 31);
        if (o[0].cbBuffer <= sizeof first) {
            memcpy(first, o[0].pvBuffer, o[0].cbBuffer);
            first_len = o[0].cbBuffer;
        }
        CHECK_EQ(L("shutdown.outer_type"), first[0], tls13 ? 23 : 21);
        FreeContextBuffer(o[0].pvBuffer);
        o[0].BufferType = SECBUFFER_TOKEN;
        o[0].cbBuffer = 0;
        o[0].pvBuffer = NULL;
        st1 = InitializeSecurityContextA(&c.cred, &c.ctx, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &c.ctx, &od, &attrs, NULL);
        CHECK_STATUS(L("shutdown.consumed_then_incomplete"), st1, SEC_E_INCOMPLETE_MESSAGE);
        CHECK_STATUS(L("shutdown.apply_again"), ApplyControlToken(&c.ctx, &td), SEC_E_OK);
        st1 = InitializeSecurityContextA(&c.cred, &c.ctx, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &c.ctx, &od, &attrs, NULL);
        check(L("shutdown.reemits_identical_record"), st1 == SEC_E_OK && o[0].cbBuffer == first_len && memcmp(o[0].pvBuffer, first, first_len) == 0, "%s", st(st1));
        FreeContextBuffer(o[0].pvBuffer);
        n = seal(&c, "late", rec, &st1);
        CHECK_STATUS(L("shutdown.encrypt_after_close_notify"), st1, SEC_E_CONTEXT_EXPIRED);
        memcpy(rec, first, first_len);
        set4(b, rec, first_len);
        st1 = DecryptMessage(&s.ctx, &d, 0, NULL);
        CHECK_STATUS(L("shutdown.peer_sees_context_expired"), st1, SEC_I_CONTEXT_EXPIRED);
        CHECK_EQ(L("shutdown.context_expired_data_cb0"), b[1].cbBuffer, 0);
        /* The server answers with its own close_notify through ASC. */
        CHECK_STATUS(L("shutdown.server_apply"), ApplyControlToken(&s.ctx, &td), SEC_E_OK);
        o[0].BufferType = SECBUFFER_TOKEN;
        o[0].cbBuffer = 0;
        o[0].pvBuffer = NULL;
        st1 = AcceptSecurityContext(&s.cred, &s.ctx, NULL, ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM, 0, &s.ctx, &od, &attrs, NULL);
        CHECK_STATUS(L("shutdown.asc_ok"), st1, SEC_E_OK);
        if (st1 == SEC_E_OK) {
            c.in_len = 0;
            push(&c, o[0].pvBuffer, o[0].cbBuffer);
            FreeContextBuffer(o[0].pvBuffer);
            st1 = open_one(&c, text, &tlen, NULL);
            CHECK_STATUS(L("shutdown.client_sees_context_expired"), st1, SEC_I_CONTEXT_EXPIRED);
        }
    }
    end_free(&c);
    end_free(&s);
#undef L
}

/* EncryptMessage with the three regions laid out in different ways: header|data|trailer back
 * to back in one buffer (the usual layout), with gaps, in separate allocations, with a larger
 * header or trailer buffer, in another descriptor order, at cbMaximumMessage, and empty. Every
 * cbBuffer comes back exact (cbHeader, the data length, cbTrailer) and the peer decrypts every
 * record, in sequence, whichever layout sealed it. */
static void buffer_layouts(int tls13) {
    static const char *names[] = {"adjacent", "separate", "gaps", "large_header", "large_trailer", "descriptor_order", "max_message", "adjacent_empty"};
    enum { LAYOUTS = sizeof names / sizeof names[0] };
    End c, s;
    SecPkgContext_StreamSizes sz;
    unsigned char *area, *hb, *db, *tb, *wire, *plain;
    size_t cap;
    int round, layout;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[160];
#define LL(x) (snprintf(label, sizeof label, "%s.layouts.%s.%s", tag, names[layout], x), label)

    if (!pair(&c, &s, tls13 ? (SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER) : (SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_2_SERVER))) {
        snprintf(label, sizeof label, "%s.layouts.handshake", tag);
        check(label, 0, "client %s server %s", st(c.last), st(s.last));
        return;
    }
    CHECK_STATUS(tls13 ? "tls13.layouts.sizes" : "tls12.layouts.sizes", QueryContextAttributesA(&c.ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_OK);
    cap = sz.cbHeader + sz.cbMaximumMessage + sz.cbTrailer + 64;
    area = malloc(cap);
    hb = malloc(sz.cbHeader);
    db = malloc(sz.cbMaximumMessage);
    tb = malloc(sz.cbTrailer);
    wire = malloc(cap);
    plain = malloc(sz.cbMaximumMessage);
    if (!area || !hb || !db || !tb || !wire || !plain) die("out of memory");
    for (round = 0; round < 2; round++) {
        for (layout = 0; layout < LAYOUTS; layout++) {
            SecBuffer e[4], b[4];
            SecBufferDesc ed = {SECBUFFER_VERSION, 4, e}, d = {SECBUFFER_VERSION, 4, b};
            SecBuffer *hdr = &e[0], *dat = &e[1], *trl = &e[2], *emp = &e[3];
            unsigned char *h = area, *dp, *t;
            ULONG hcb = sz.cbHeader, tcb = sz.cbTrailer;
            size_t n = round ? 1000 : 37, i, total;
            SECURITY_STATUS r;
            if (layout == 6) n = sz.cbMaximumMessage;
            if (layout == 7) n = 0;
            if (layout == 3) hcb += 8;
            if (layout == 4) tcb += 10;
            dp = h + hcb;
            t = dp + n;
            if (layout == 1) {
                h = hb;
                dp = db;
                t = tb;
            } else if (layout == 2) {
                dp = h + hcb + 7;
                t = dp + n + 3;
            }
            if (layout == 5) {
                /* [TRAILER, EMPTY, DATA, HEADER]: matched by type, not position. */
                trl = &e[0];
                emp = &e[1];
                dat = &e[2];
                hdr = &e[3];
            }
            for (i = 0; i < n; i++) plain[i] = (unsigned char)(i * 31 + layout * 7 + round);
            memcpy(dp, plain, n);
            hdr->BufferType = SECBUFFER_STREAM_HEADER;
            hdr->cbBuffer = hcb;
            hdr->pvBuffer = h;
            dat->BufferType = SECBUFFER_DATA;
            dat->cbBuffer = (ULONG)n;
            dat->pvBuffer = n ? dp : h + hcb;
            trl->BufferType = SECBUFFER_STREAM_TRAILER;
            trl->cbBuffer = tcb;
            trl->pvBuffer = t;
            emp->BufferType = SECBUFFER_EMPTY;
            emp->cbBuffer = 0;
            emp->pvBuffer = NULL;
            r = EncryptMessage(&c.ctx, 0, &ed, 0);
            CHECK_STATUS(LL(round ? "encrypt_again" : "encrypt"), r, SEC_E_OK);
            if (layout == 7) {
                check(LL("no_record"), hdr->cbBuffer == 0 && dat->cbBuffer == 0 && trl->cbBuffer == 0, "cb %u %u %u",
                      hdr->cbBuffer, dat->cbBuffer, trl->cbBuffer);
                continue;
            }
            check(LL(round ? "sizes_exact_again" : "sizes_exact"),
                  hdr->cbBuffer == sz.cbHeader && dat->cbBuffer == n && trl->cbBuffer == sz.cbTrailer &&
                      hdr->pvBuffer == h && dat->pvBuffer == dp && trl->pvBuffer == t &&
                      hdr->BufferType == SECBUFFER_STREAM_HEADER && dat->BufferType == SECBUFFER_DATA &&
                      trl->BufferType == SECBUFFER_STREAM_TRAILER && emp->BufferType == SECBUFFER_EMPTY,
                  "cb %u %u %u (want %u %zu %u)", hdr->cbBuffer, dat->cbBuffer, trl->cbBuffer, sz.cbHeader, n, sz.cbTrailer);
            if (r != SEC_E_OK) continue;
            check(LL("data_encrypted"), memcmp(dp, plain, n) != 0, "");
            /* The record as sent: the returned parts back to back. */
            total = hdr->cbBuffer + dat->cbBuffer + trl->cbBuffer;
            memcpy(wire, h, hdr->cbBuffer);
            memcpy(wire + hdr->cbBuffer, dp, dat->cbBuffer);
            memcpy(wire + hdr->cbBuffer + dat->cbBuffer, t, trl->cbBuffer);
            if (layout == 0 || layout == 4 || layout == 5 || layout == 6)
                check(LL("contiguous_record"), memcmp(area, wire, total) == 0, "");
            set4(b, wire, (ULONG)total);
            r = DecryptMessage(&s.ctx, &d, 0, NULL);
            check(LL(round ? "peer_decrypts_again" : "peer_decrypts"),
                  r == SEC_E_OK && b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer == n && memcmp(b[1].pvBuffer, plain, n) == 0 &&
                      b[3].BufferType == SECBUFFER_EMPTY,
                  "%s data %u/%u", st(r), b[1].BufferType, b[1].cbBuffer);
        }
    }
    free(area);
    free(hb);
    free(db);
    free(tb);
    free(wire);
    free(plain);
    end_free(&c);
    end_free(&s);
#undef LL
}

static void control_tokens(void) {
    End c, s;
    CredHandle cc, sc;
    DWORD shut[2] = {SCHANNEL_SHUTDOWN, 0}, reneg = SCHANNEL_RENEGOTIATE;
    SCHANNEL_ALERT_TOKEN alert = {SCHANNEL_ALERT, TLS1_ALERT_FATAL, TLS1_ALERT_BAD_CERTIFICATE};
    SCHANNEL_SESSION_TOKEN session = {SCHANNEL_SESSION, SSL_SESSION_DISABLE_RECONNECTS};
    SecBuffer t[2], o[1];
    SecBufferDesc td = {SECBUFFER_VERSION, 1, t}, od = {SECBUFFER_VERSION, 1, o};
    ULONG attrs;
    SECURITY_STATUS st1;

    if (ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) != SEC_E_OK) return;
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &sc) != SEC_E_OK) return;
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    hs_step(&c, &s); /* ClientHello produced: a handshaking context */

    CHECK_STATUS("act.null_context", ApplyControlToken(NULL, &td), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("act.null_descriptor", ApplyControlToken(&c.ctx, NULL), SEC_E_INTERNAL_ERROR);
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = 4;
    t[0].pvBuffer = shut;
    t[1] = t[0];
    td.cBuffers = 2;
    CHECK_STATUS("act.two_buffers", ApplyControlToken(&c.ctx, &td), SEC_E_INVALID_TOKEN);
    t[1].BufferType = SECBUFFER_EMPTY;
    t[1].cbBuffer = 0;
    CHECK_STATUS("act.token_plus_empty", ApplyControlToken(&c.ctx, &td), SEC_E_INVALID_TOKEN);
    td.cBuffers = 1;
    t[0].BufferType = SECBUFFER_ALERT;
    CHECK_STATUS("act.alert_type", ApplyControlToken(&c.ctx, &td), SEC_E_INVALID_TOKEN);
    t[0].BufferType = SECBUFFER_DATA;
    CHECK_STATUS("act.data_type", ApplyControlToken(&c.ctx, &td), SEC_E_INVALID_TOKEN);
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = 2;
    CHECK_STATUS("act.short_token", ApplyControlToken(&c.ctx, &td), SEC_E_UNSUPPORTED_FUNCTION);
    t[0].cbBuffer = 5;
    CHECK_STATUS("act.shutdown_5_bytes", ApplyControlToken(&c.ctx, &td), SEC_E_OK);
    CHECK_STATUS("act.shutdown_again", ApplyControlToken(&c.ctx, &td), SEC_E_OK);
    o[0].BufferType = SECBUFFER_TOKEN;
    o[0].cbBuffer = 0;
    o[0].pvBuffer = NULL;
    st1 = InitializeSecurityContextA(&c.cred, &c.ctx, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &c.ctx, &od, &attrs, NULL);
    check("shutdown.pre_handshake_plaintext_alert",
          st1 == SEC_E_OK && o[0].cbBuffer == 7 && memcmp(o[0].pvBuffer, "\x15\x03\x01\x00\x02\x01\x00", 7) == 0, "%s cb %u", st(st1), o[0].cbBuffer);
    FreeContextBuffer(o[0].pvBuffer);
    t[0].cbBuffer = 4;
    t[0].pvBuffer = &reneg;
    CHECK_STATUS("act.renegotiate_unsupported", ApplyControlToken(&c.ctx, &td), SEC_E_UNSUPPORTED_FUNCTION);
    t[0].cbBuffer = sizeof session;
    t[0].pvBuffer = &session;
    CHECK_STATUS("act.session_token", ApplyControlToken(&c.ctx, &td), SEC_E_OK);
    t[0].cbBuffer = sizeof alert;
    t[0].pvBuffer = &alert;
    CHECK_STATUS("act.alert_token_12_bytes", ApplyControlToken(&c.ctx, &td), SEC_E_OK);
    o[0].BufferType = SECBUFFER_TOKEN;
    o[0].cbBuffer = 0;
    o[0].pvBuffer = NULL;
    st1 = InitializeSecurityContextA(&c.cred, &c.ctx, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &c.ctx, &od, &attrs, NULL);
    check("alert.fatal_bad_certificate_record", st1 == SEC_E_OK && o[0].cbBuffer == 7 && memcmp(o[0].pvBuffer, "\x15\x03\x01\x00\x02\x02\x2a", 7) == 0,
          "%s cb %u", st(st1), o[0].cbBuffer);
    FreeContextBuffer(o[0].pvBuffer);
    end_free(&c);
    end_free(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

static void invalid_handles(void) {
    CredHandle cred, forged = {0x1234, 0x5678}, invalid;
    End c, s;
    SecPkgContext_StreamSizes sz;
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SecInvalidateHandle(&invalid);
    set4(b, NULL, 0);
    CHECK_STATUS("handles.forged_context_qca", QueryContextAttributesA(&forged, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.forged_context_decrypt", DecryptMessage(&forged, &d, 0, NULL), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.forged_context_encrypt", EncryptMessage(&forged, 0, &d, 0), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.forged_credential_free", FreeCredentialsHandle(&forged), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.invalidated_handle", DeleteSecurityContext(&invalid), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.null_handle", DeleteSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.null_credential", FreeCredentialsHandle(NULL), SEC_E_INVALID_HANDLE);
    if (!pair(&c, &s, 0)) {
        check("handles.pair", 0, "");
        return;
    }
    if (ach_v4(SECPKG_CRED_OUTBOUND, 0, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cred) == SEC_E_OK) {
        CHECK_STATUS("handles.credential_as_context", QueryContextAttributesA(&cred, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_INVALID_HANDLE);
        CHECK_STATUS("handles.credential_as_context_delete", DeleteSecurityContext(&cred), SEC_E_INVALID_HANDLE);
        CHECK_STATUS("handles.context_as_credential", FreeCredentialsHandle(&c.ctx), SEC_E_INVALID_HANDLE);
        CHECK_STATUS("handles.free_credential", FreeCredentialsHandle(&cred), SEC_E_OK);
        CHECK_STATUS("handles.credential_double_free", FreeCredentialsHandle(&cred), SEC_E_INVALID_HANDLE);
    }
    check("handles.issued_not_invalid", SecIsValidHandle(&c.ctx), "");
    CHECK_STATUS("handles.context_usable_after_credential_freed", QueryContextAttributesA(&c.ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_OK);
    CHECK_STATUS("handles.delete", DeleteSecurityContext(&c.ctx), SEC_E_OK);
    CHECK_STATUS("handles.stale_after_delete", QueryContextAttributesA(&c.ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_INVALID_HANDLE);
    CHECK_STATUS("handles.stale_decrypt", DecryptMessage(&c.ctx, &d, 0, NULL), SEC_E_INVALID_HANDLE);
    end_free(&s);
}

static void alpn(void) {
    End c, s;
    CredHandle cc, sc;
    unsigned char cbuf[64], sbuf[64];
    SecBuffer cb, sb;
    SecPkgContext_ApplicationProtocol ap;
    /* ULONG size | ext ALPN | USHORT list size | 08 http/1.1 02 h2 */
    static const unsigned char list[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1', 2, 'h', '2'};
    unsigned int n = 4 + 2 + sizeof list;
    memset(cbuf, 0, sizeof cbuf);
    memcpy(cbuf, &n, 4);
    cbuf[4] = 2;
    cbuf[8] = sizeof list;
    memcpy(cbuf + 10, list, sizeof list);
    memcpy(sbuf, cbuf, sizeof cbuf);
    cb.BufferType = sb.BufferType = SECBUFFER_APPLICATION_PROTOCOLS;
    cb.cbBuffer = sb.cbBuffer = 10 + sizeof list;
    cb.pvBuffer = cbuf;
    sb.pvBuffer = sbuf;
    if (ach_v4(SECPKG_CRED_OUTBOUND, 0, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) != SEC_E_OK) return;
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &sc) != SEC_E_OK) return;
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    c.alpn = &cb;
    s.alpn = &sb;
    check("alpn.handshake", handshake(&c, &s), "client %s server %s", st(c.last), st(s.last));
    CHECK_STATUS("alpn.qca", QueryContextAttributesA(&c.ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &ap), SEC_E_OK);
    check("alpn.selected_http11", ap.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success && ap.ProtoNegoExt == SecApplicationProtocolNegotiationExt_ALPN &&
                                      ap.ProtocolIdSize == 8 && memcmp(ap.ProtocolId, "http/1.1", 8) == 0,
          "status %d size %d", ap.ProtoNegoStatus, ap.ProtocolIdSize);
    end_free(&c);
    end_free(&s);
    /* malformed buffer on the first call */
    end_init(&c, 0, cc);
    cbuf[0] = 200;
    c.alpn = &cb;
    CHECK_STATUS("alpn.malformed_invalid_token", hs_step(&c, &s), SEC_E_INVALID_TOKEN);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

static void validation(void) {
    HCERTSTORE roots = load_ca_store(g_ca);
    HCERTSTORE empty = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CredHandle cc, sc;
    End c, s;
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &sc) != SEC_E_OK) return;
    if (ach_v4(SECPKG_CRED_OUTBOUND, 0, 0, NULL, roots, &cc) == SEC_E_OK) {
        end_init(&c, 0, cc);
        end_init(&s, 1, sc);
        check("validation.root_store_trusted", handshake(&c, &s), "client %s server %s", st(c.last), st(s.last));
        end_free(&c);
        end_free(&s);
        end_init(&c, 0, cc);
        end_init(&s, 1, sc);
        c.target = "wrong.example";
        handshake(&c, &s);
        CHECK_STATUS("validation.wrong_principal", c.last, SEC_E_WRONG_PRINCIPAL);
        end_free(&c);
        end_free(&s);
        FreeCredentialsHandle(&cc);
    }
    if (ach_v4(SECPKG_CRED_OUTBOUND, 0, 0, NULL, empty, &cc) == SEC_E_OK) {
        end_init(&c, 0, cc);
        end_init(&s, 1, sc);
        handshake(&c, &s);
        CHECK_STATUS("validation.untrusted_root", c.last, SEC_E_UNTRUSTED_ROOT);
        /* The alert is waiting in the server's input; reading it fails the server. */
        check("validation.alert_sent_to_peer", s.in_len > 0, "server %s", st(s.last));
        CHECK_STATUS("validation.server_reads_unknown_ca", hs_step(&s, &c), SEC_E_UNTRUSTED_ROOT);
        end_free(&c);
        end_free(&s);
        FreeCredentialsHandle(&cc);
    }
    FreeCredentialsHandle(&sc);
    CertCloseStore(roots, 0);
    CertCloseStore(empty, 0);
}


/* ---- issue 5: bindings, keying material, sealed alerts, client certificates, ALPN,
 *      resumption ------------------------------------------------------------------ */

static DWORD protos(int tls13, int server) {
    if (server) return tls13 ? SP_PROT_TLS1_3_SERVER : SP_PROT_TLS1_2_SERVER;
    return tls13 ? SP_PROT_TLS1_3_CLIENT : SP_PROT_TLS1_2_CLIENT;
}

/* Runs the token loop after the first client call has been made. */
static int finish_handshake(End *c, End *s) {
    int i;
    for (i = 0; i < 20 && !(c->done && s->done); i++) {
        if (!s->done && s->in_len) {
            SECURITY_STATUS r = hs_step(s, c);
            if (FAILED(r) && r != SEC_E_INCOMPLETE_MESSAGE) return 0;
        }
        if (!c->done && c->in_len) {
            SECURITY_STATUS r = hs_step(c, s);
            if (FAILED(r) && r != SEC_E_INCOMPLETE_MESSAGE) return 0;
        }
    }
    return c->done && s->done;
}

static void bindings_and_keying_material(int tls13) {
    End c, s;
    SecPkgContext_Bindings cb, sb;
    SecPkgContext_KeyingMaterial ck, sk, ck2;
    SecPkgContext_KeyingMaterialInfo info;
    const char *tag = tls13 ? "tls13" : "tls12";
    const char *prefix = "tls-server-end-point:";
    char label[128];
    unsigned char ctxval[3] = {'c', 't', 'x'};
    SECURITY_STATUS r;
#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)
    if (!pair(&c, &s, protos(tls13, 0) | protos(tls13, 1))) {
        check(L("bindings.handshake"), 0, "client %s server %s", st(c.last), st(s.last));
        return;
    }
    CHECK_STATUS(L("bindings.endpoint_client"), QueryContextAttributesA(&c.ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &cb), SEC_E_OK);
    CHECK_STATUS(L("bindings.endpoint_server"), QueryContextAttributesW(&s.ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &sb), SEC_E_OK);
    if (cb.Bindings && sb.Bindings) {
        SEC_CHANNEL_BINDINGS *h = cb.Bindings;
        const unsigned char *data = (const unsigned char *)h + h->dwApplicationDataOffset;
        size_t i;
        CHECK_EQ(L("bindings.length"), cb.BindingsLength, sizeof(SEC_CHANNEL_BINDINGS) + 21 + 32);
        check(L("bindings.header_zero_but_application_data"),
              h->dwInitiatorAddrType == 0 && h->cbInitiatorLength == 0 && h->dwInitiatorOffset == 0 && h->dwAcceptorAddrType == 0 &&
                  h->cbAcceptorLength == 0 && h->dwAcceptorOffset == 0,
              "");
        CHECK_EQ(L("bindings.application_data_offset"), h->dwApplicationDataOffset, 32);
        CHECK_EQ(L("bindings.application_data_length"), h->cbApplicationDataLength, 21 + 32);
        check(L("bindings.prefix"), memcmp(data, prefix, strlen(prefix)) == 0, "");
        check(L("bindings.both_ends_agree"), cb.BindingsLength == sb.BindingsLength && memcmp(cb.Bindings, sb.Bindings, cb.BindingsLength) == 0, "");
        printf("endpoint binding %s: ", tag);
        for (i = strlen(prefix); i < h->cbApplicationDataLength; i++) printf("%02X", data[i]);
        printf("\n");
        CHECK_STATUS(L("bindings.free"), FreeContextBuffer(cb.Bindings), SEC_E_OK);
        CHECK_STATUS(L("bindings.double_free"), FreeContextBuffer(cb.Bindings), SEC_E_INVALID_HANDLE);
        FreeContextBuffer(sb.Bindings);
    }
    CHECK_STATUS(L("bindings.unique_unsupported"), QueryContextAttributesA(&c.ctx, SECPKG_ATTR_UNIQUE_BINDINGS, &cb), SEC_E_UNSUPPORTED_FUNCTION);

    /* Keying material: the INFO first, then the query (contract §9). */
    CHECK_STATUS(L("keying.query_without_info"), QueryContextAttributesA(&c.ctx, SECPKG_ATTR_KEYING_MATERIAL, &ck), SEC_E_INVALID_PARAMETER);
    memset(&info, 0, sizeof info);
    info.cbLabel = (WORD)sizeof "EXPERIMENTAL openschannel";
    info.pszLabel = (LPSTR) "EXPERIMENTAL openschannel";
    info.cbKeyingMaterial = 48;
    CHECK_STATUS(L("keying.set_short_buffer"), SetContextAttributesA(&c.ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, 8), SEC_E_INVALID_PARAMETER);
    CHECK_STATUS(L("keying.set_unknown_attribute"), SetContextAttributesA(&c.ctx, 0x9999, &info, sizeof info), SEC_E_UNSUPPORTED_FUNCTION);
    CHECK_STATUS(L("keying.set_client"), SetContextAttributesA(&c.ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof info), SEC_E_OK);
    CHECK_STATUS(L("keying.set_server"), SetContextAttributesW(&s.ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof info), SEC_E_OK);
    r = QueryContextAttributesA(&c.ctx, SECPKG_ATTR_KEYING_MATERIAL, &ck);
    CHECK_STATUS(L("keying.query_client"), r, SEC_E_OK);
    CHECK_STATUS(L("keying.query_server"), QueryContextAttributesA(&s.ctx, SECPKG_ATTR_KEYING_MATERIAL, &sk), SEC_E_OK);
    if (r == SEC_E_OK) {
        CHECK_EQ(L("keying.length"), ck.cbKeyingMaterial, 48);
        check(L("keying.both_ends_agree"), ck.cbKeyingMaterial == sk.cbKeyingMaterial && memcmp(ck.pbKeyingMaterial, sk.pbKeyingMaterial, 48) == 0, "");
        info.cbContextValue = sizeof ctxval;
        info.pbContextValue = ctxval;
        SetContextAttributesA(&c.ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof info);
        CHECK_STATUS(L("keying.query_with_context"), QueryContextAttributesA(&c.ctx, SECPKG_ATTR_KEYING_MATERIAL, &ck2), SEC_E_OK);
        check(L("keying.context_changes_output"), memcmp(ck.pbKeyingMaterial, ck2.pbKeyingMaterial, 48) != 0, "");
        CHECK_STATUS(L("keying.free"), FreeContextBuffer(ck.pbKeyingMaterial), SEC_E_OK);
        FreeContextBuffer(sk.pbKeyingMaterial);
        FreeContextBuffer(ck2.pbKeyingMaterial);
    }
    end_free(&c);
    end_free(&s);
#undef L
}

static void sealed_alert(int tls13) {
    End c, s;
    SCHANNEL_ALERT_TOKEN alert = {SCHANNEL_ALERT, TLS1_ALERT_FATAL, TLS1_ALERT_BAD_CERTIFICATE};
    SecBuffer t[1], o[1], b[4];
    SecBufferDesc td = {SECBUFFER_VERSION, 1, t}, od = {SECBUFFER_VERSION, 1, o}, d = {SECBUFFER_VERSION, 4, b};
    unsigned char rec[256];
    ULONG attrs;
    SECURITY_STATUS r;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[128];
#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)
    if (!pair(&c, &s, protos(tls13, 0) | protos(tls13, 1))) {
        check(L("alert.handshake"), 0, "");
        return;
    }
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = sizeof alert;
    t[0].pvBuffer = &alert;
    CHECK_STATUS(L("alert.after_handshake_apply"), ApplyControlToken(&c.ctx, &td), SEC_E_OK);
    o[0].BufferType = SECBUFFER_TOKEN;
    o[0].cbBuffer = 0;
    o[0].pvBuffer = NULL;
    r = InitializeSecurityContextA(&c.cred, &c.ctx, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &c.ctx, &od, &attrs, NULL);
    CHECK_STATUS(L("alert.after_handshake_isc_ok"), r, SEC_E_OK);
    /* One encrypted record: TLS 1.3 5 + 2 + 1 + 16, TLS 1.2 AES-GCM 5 + 8 + 2 + 16. */
    CHECK_EQ(L("alert.sealed_length"), o[0].cbBuffer, tls13 ? 24 : 31);
    if (r == SEC_E_OK && o[0].cbBuffer <= sizeof rec) {
        size_t n = o[0].cbBuffer;
        CHECK_EQ(L("alert.outer_type"), ((unsigned char *)o[0].pvBuffer)[0], tls13 ? 23 : 21);
        memcpy(rec, o[0].pvBuffer, n);
        set4(b, rec, (ULONG)n);
        CHECK_STATUS(L("alert.peer_maps_bad_certificate"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_CERT_UNKNOWN);
    }
    FreeContextBuffer(o[0].pvBuffer);
    {
        SECURITY_STATUS st1;
        seal(&c, "late", rec, &st1);
        CHECK_STATUS(L("alert.sender_is_done"), st1, SEC_E_CONTEXT_EXPIRED);
    }
    end_free(&c);
    end_free(&s);
#undef L
}

/* A record that fails in DecryptMessage: the context owes the peer an alert (no output
 * buffer exists in DecryptMessage), which the next ASC hands out in SECBUFFER_ALERT with the
 * latched status, and the shutdown procedure as its SEC_E_OK token; the peer's
 * DecryptMessage sees bad_record_mac. */
static void decrypt_failure_alert(int tls13) {
    End c, s;
    unsigned char rec[256], owed[64];
    size_t n, owed_len = 0;
    char text[64];
    size_t tlen = 0;
    SECURITY_STATUS r;
    SecBuffer b[4], t[1], o[1];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b}, td = {SECBUFFER_VERSION, 1, t}, od = {SECBUFFER_VERSION, 1, o};
    DWORD shutdown = SCHANNEL_SHUTDOWN;
    ULONG attrs;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[128];
#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)
    if (!pair(&c, &s, protos(tls13, 0) | protos(tls13, 1))) {
        check(L("decrypt_alert.handshake"), 0, "");
        return;
    }
    /* The client reads the server's tickets and one message first. */
    n = seal(&s, "ping", rec, &r);
    push(&c, rec, n);
    CHECK_STATUS(L("decrypt_alert.ping"), open_one(&c, text, &tlen, NULL), SEC_E_OK);
    n = seal(&c, "tampered in flight", rec, &r);
    rec[n - 1] ^= 1;
    set4(b, rec, (ULONG)n);
    CHECK_STATUS(L("decrypt_alert.altered"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_MESSAGE_ALTERED);
    /* ASC with no input: the alert comes out in SECBUFFER_ALERT, the status stays. */
    c.in_len = 0;
    CHECK_STATUS(L("decrypt_alert.asc_status"), hs_step(&s, &c), SEC_E_MESSAGE_ALTERED);
    CHECK_EQ(L("decrypt_alert.sealed_length"), c.in_len, tls13 ? 24 : 31);
    if (c.in_len <= sizeof owed) {
        owed_len = c.in_len;
        memcpy(owed, c.in, owed_len);
    }
    /* The shutdown procedure hands out the same record as its token. */
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = sizeof shutdown;
    t[0].pvBuffer = &shutdown;
    CHECK_STATUS(L("decrypt_alert.shutdown_apply"), ApplyControlToken(&s.ctx, &td), SEC_E_OK);
    o[0].BufferType = SECBUFFER_TOKEN;
    o[0].cbBuffer = 0;
    o[0].pvBuffer = NULL;
    r = AcceptSecurityContext(&s.cred, &s.ctx, NULL, ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM, 0, &s.ctx, &od, &attrs, NULL);
    CHECK_STATUS(L("decrypt_alert.shutdown_asc_ok"), r, SEC_E_OK);
    check(L("decrypt_alert.shutdown_token_is_the_alert"),
          r == SEC_E_OK && o[0].cbBuffer == owed_len && memcmp(o[0].pvBuffer, owed, owed_len) == 0, "%lu bytes",
          (unsigned long)o[0].cbBuffer);
    FreeContextBuffer(o[0].pvBuffer);
    /* The peer decrypts the alert: bad_record_mac. */
    set4(b, c.in, (ULONG)c.in_len);
    CHECK_STATUS(L("decrypt_alert.peer_sees_bad_record_mac"), DecryptMessage(&c.ctx, &d, 0, NULL),
                 SEC_E_MESSAGE_ALTERED);
    /* Oversized: a header announcing more than TLS allows gets record_overflow. */
    end_free(&c);
    end_free(&s);
    if (!pair(&c, &s, protos(tls13, 0) | protos(tls13, 1))) return;
    n = seal(&s, "ping", rec, &r);
    push(&c, rec, n);
    open_one(&c, text, &tlen, NULL);
    {
        static unsigned char big[5 + 16384 + 2049];
        memset(big, 0, sizeof big);
        big[0] = 23;
        big[1] = big[2] = 3;
        big[3] = 0x48;
        big[4] = 0x01;
        set4(b, big, sizeof big);
        CHECK_STATUS(L("decrypt_alert.oversized"), DecryptMessage(&s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    }
    c.in_len = 0;
    CHECK_STATUS(L("decrypt_alert.oversized_asc"), hs_step(&s, &c), SEC_E_INVALID_TOKEN);
    set4(b, c.in, (ULONG)c.in_len);
    /* record_overflow (22) maps to SEC_E_ILLEGAL_MESSAGE on the receiving side. */
    CHECK_STATUS(L("decrypt_alert.peer_sees_record_overflow"), DecryptMessage(&c.ctx, &d, 0, NULL),
                 SEC_E_ILLEGAL_MESSAGE);
    end_free(&c);
    end_free(&s);
#undef L
}

/* ---- issue 12: the mid-handshake shutdown sequence of Wine's test_connection_shutdown ----
 *
 * The calls Windows answers in that test, in its order, for a client after its first ISC and
 * a server after its first ASC, TLS 1.2 and TLS 1.3: the first call's leniency (a sized EMPTY
 * input buffer ignored, a NULL TOKEN with a size allocated by the package), ApplyControlToken's
 * descriptor checks, the plaintext close_notify (record version as our hello's record layer
 * used: 3.1 for a client's first ClientHello, 3.3 for a server), phNewContext == phContext,
 * a call with no input and nothing armed touching nothing, the same record again, and the
 * fatal bad_certificate alert. */

/* ISC or ASC on an existing context. */
static SECURITY_STATUS step_on(int server, CredHandle *cred, CtxtHandle *ctx, SecBufferDesc *in, CtxtHandle *newctx, SecBufferDesc *out) {
    ULONG attrs;
    if (server) return AcceptSecurityContext(cred, ctx, in, 0, 0, newctx, out, &attrs, NULL);
    return InitializeSecurityContextA(cred, ctx, NULL, 0, 0, 0, in, 0, newctx, out, &attrs, NULL);
}

static void shutdown_sequence(int server, int tls13) {
    CredHandle cc, sc, *cred;
    CtxtHandle cctx, ctx, ctx2;
    SecBuffer in[2], out[1], t[2];
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, in}, outd = {SECBUFFER_VERSION, 1, out}, td = {SECBUFFER_VERSION, 2, t};
    unsigned char *scratch = malloc(24), *big = malloc(1000), *hello = NULL, minor;
    unsigned char close_rec[7] = {0x15, 0x03, 0x00, 0x00, 0x02, 0x01, 0x00}, alert_rec[7] = {0x15, 0x03, 0x00, 0x00, 0x02, 0x02, 0x2a};
    DWORD tokbuf[3];
    SCHANNEL_ALERT_TOKEN alert = {SCHANNEL_ALERT, TLS1_ALERT_FATAL, TLS1_ALERT_BAD_CERTIFICATE};
    ULONG attrs, hello_len = 0;
    SECURITY_STATUS r;
    char label[128];
    int have_server_ctx = 0;
#define L(x) (snprintf(label, sizeof label, "%s.%s.%s", tls13 ? "tls13" : "tls12", server ? "server" : "client", x), label)
    memset(scratch, 0x5a, 24);
    memset(big, 0xa5, 1000);
    if (ach_v4(SECPKG_CRED_OUTBOUND, protos(tls13, 0), SCH_CRED_NO_DEFAULT_CREDS | SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) != SEC_E_OK ||
        ach_v4(SECPKG_CRED_INBOUND, protos(tls13, 1), 0, g_cert, NULL, &sc) != SEC_E_OK) {
        check(L("shutdown_seq.credentials"), 0, "");
        free(scratch);
        free(big);
        return;
    }
    /* The client's first call: a 24-byte EMPTY input buffer, a 1000-byte TOKEN with no memory. */
    in[0].BufferType = SECBUFFER_EMPTY;
    in[0].cbBuffer = 24;
    in[0].pvBuffer = scratch;
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 1000;
    out[0].pvBuffer = NULL;
    r = InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)"localhost", ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM, 0, 0, &ind, 0, &cctx, &outd, &attrs, NULL);
    if (!server) {
        CHECK_STATUS(L("first_call.sized_empty_input_ignored"), r, SEC_I_CONTINUE_NEEDED);
        check(L("first_call.null_token_allocated"), out[0].pvBuffer != NULL && out[0].cbBuffer > 5, "pv %p cb %u", out[0].pvBuffer, out[0].cbBuffer);
        CHECK_EQ(L("first_call.input_untouched"), in[0].BufferType * 100 + in[0].cbBuffer, SECBUFFER_EMPTY * 100 + 24);
    }
    if (r != SEC_I_CONTINUE_NEEDED || !out[0].pvBuffer) {
        check(L("shutdown_seq.client_hello"), 0, "%s", st(r));
        goto done_creds;
    }
    hello_len = out[0].cbBuffer;
    hello = malloc(hello_len);
    memcpy(hello, out[0].pvBuffer, hello_len);
    CHECK_STATUS(L("first_call.token_freed_by_package"), FreeContextBuffer(out[0].pvBuffer), SEC_E_OK);
    if (!server) {
        CHECK_EQ(L("client_hello_record_version"), hello[2], 1);
        cred = &cc;
        ctx = cctx;
    } else {
        /* The server's first call: the ClientHello in, a NULL TOKEN with a size out. */
        in[0].BufferType = SECBUFFER_TOKEN;
        in[0].cbBuffer = hello_len;
        in[0].pvBuffer = hello;
        in[1].BufferType = SECBUFFER_EMPTY;
        in[1].cbBuffer = 0;
        in[1].pvBuffer = NULL;
        ind.cBuffers = 2;
        out[0].BufferType = SECBUFFER_TOKEN;
        out[0].cbBuffer = 1000;
        out[0].pvBuffer = NULL;
        r = AcceptSecurityContext(&sc, NULL, &ind, ASC_REQ_CONFIDENTIALITY | ASC_REQ_STREAM, 0, &ctx, &outd, &attrs, NULL);
        CHECK_STATUS(L("first_call.asc_continue"), r, SEC_I_CONTINUE_NEEDED);
        check(L("first_call.asc_null_token_allocated"), r == SEC_I_CONTINUE_NEEDED && out[0].pvBuffer != NULL && out[0].cbBuffer > 5,
              "pv %p cb %u", out[0].pvBuffer, out[0].cbBuffer);
        if (r != SEC_I_CONTINUE_NEEDED) goto done_client;
        CHECK_EQ(L("server_hello_record_version"), ((unsigned char *)out[0].pvBuffer)[2], 3);
        FreeContextBuffer(out[0].pvBuffer);
        have_server_ctx = 1;
        cred = &sc;
        ind.cBuffers = 1;
    }
    minor = server ? 3 : 1;
    close_rec[2] = alert_rec[2] = minor;

    /* ApplyControlToken's descriptor checks, in the order Windows answers them. */
    tokbuf[0] = SCHANNEL_SHUTDOWN;
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = sizeof(DWORD);
    t[0].pvBuffer = tokbuf;
    t[1] = t[0];
    td.cBuffers = 2;
    CHECK_STATUS(L("act.two_tokens"), ApplyControlToken(&ctx, &td), SEC_E_INVALID_TOKEN);
    t[1].BufferType = SECBUFFER_EMPTY;
    t[1].cbBuffer = 0;
    CHECK_STATUS(L("act.second_buffer_empty"), ApplyControlToken(&ctx, &td), SEC_E_INVALID_TOKEN);
    td.cBuffers = 1;
    tokbuf[0] = SCHANNEL_RENEGOTIATE;
    CHECK_STATUS(L("act.renegotiate"), ApplyControlToken(&ctx, &td), SEC_E_UNSUPPORTED_FUNCTION);
    CHECK_STATUS(L("act.null_context"), ApplyControlToken(NULL, &td), SEC_E_INVALID_HANDLE);
    CHECK_STATUS(L("act.null_descriptor"), ApplyControlToken(&ctx, NULL), SEC_E_INTERNAL_ERROR);
    tokbuf[0] = SCHANNEL_SHUTDOWN;
    t[0].BufferType = SECBUFFER_ALERT;
    CHECK_STATUS(L("act.alert_buffer_type"), ApplyControlToken(&ctx, &td), SEC_E_INVALID_TOKEN);
    t[0].BufferType = SECBUFFER_DATA;
    CHECK_STATUS(L("act.data_buffer_type"), ApplyControlToken(&ctx, &td), SEC_E_INVALID_TOKEN);
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = 2;
    CHECK_STATUS(L("act.two_bytes"), ApplyControlToken(&ctx, &td), SEC_E_UNSUPPORTED_FUNCTION);
    t[0].cbBuffer = sizeof(DWORD) + 1;
    CHECK_STATUS(L("act.shutdown_five_bytes"), ApplyControlToken(&ctx, &td), SEC_E_OK);
    CHECK_STATUS(L("act.shutdown_repeated"), ApplyControlToken(&ctx, &td), SEC_E_OK);

    /* The armed shutdown: input (garbage in a TOKEN) ignored, the caller's buffer filled. */
    in[0].BufferType = SECBUFFER_TOKEN;
    in[0].cbBuffer = 300;
    in[0].pvBuffer = big;
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = 1000;
    t[0].pvBuffer = big + 300;
    memset(big + 300, 0, 16);
    ctx2.dwLower = ctx2.dwUpper = 0xdeadbeef;
    r = step_on(server, cred, &ctx, &ind, &ctx2, &td);
    CHECK_STATUS(L("shutdown.ok"), r, SEC_E_OK);
    check(L("shutdown.new_context_is_context"), ctx2.dwLower == ctx.dwLower && ctx2.dwUpper == ctx.dwUpper, "");
    check(L("shutdown.close_notify_record"), t[0].cbBuffer == 7 && memcmp(t[0].pvBuffer, close_rec, 7) == 0, "cb %u %02x %02x %02x",
          t[0].cbBuffer, big[300], big[301], big[302]);

    /* Nothing armed, no input: SEC_E_INCOMPLETE_MESSAGE, output and phNewContext untouched. */
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 1000;
    out[0].pvBuffer = big;
    ctx2.dwLower = ctx2.dwUpper = 0xdeadbeef;
    r = step_on(server, cred, &ctx, NULL, &ctx2, &outd);
    CHECK_STATUS(L("after_shutdown.no_input_incomplete"), r, SEC_E_INCOMPLETE_MESSAGE);
    check(L("after_shutdown.output_untouched"), out[0].cbBuffer == 1000 && out[0].BufferType == SECBUFFER_TOKEN && out[0].pvBuffer == big, "");
    check(L("after_shutdown.new_context_untouched"), ctx2.dwLower == 0xdeadbeef && ctx2.dwUpper == 0xdeadbeef, "");

    /* A second shutdown gives the same record; phNewContext may be NULL. */
    t[0].cbBuffer = sizeof(DWORD);
    t[0].pvBuffer = tokbuf;
    CHECK_STATUS(L("shutdown_again.apply"), ApplyControlToken(&ctx, &td), SEC_E_OK);
    r = step_on(server, cred, &ctx, NULL, NULL, &outd);
    CHECK_STATUS(L("shutdown_again.ok"), r, SEC_E_OK);
    check(L("shutdown_again.same_record"), out[0].cbBuffer == 7 && memcmp(big, close_rec, 7) == 0, "cb %u", out[0].cbBuffer);

    /* SCHANNEL_ALERT_TOKEN fatal bad_certificate. */
    t[0].cbBuffer = sizeof alert;
    t[0].pvBuffer = &alert;
    r = ApplyControlToken(&ctx, &td);
    if (server && tls13) {
        /* Deviation: the server has switched to handshake keys, which rustls does not hand out
         * to seal an alert with (README "Deviations"). */
        CHECK_STATUS(L("alert.apply_unsupported_mid_tls13_handshake"), r, SEC_E_UNSUPPORTED_FUNCTION);
    } else {
        CHECK_STATUS(L("alert.apply"), r, SEC_E_OK);
        out[0].cbBuffer = 1000;
        r = step_on(server, cred, &ctx, NULL, NULL, &outd);
        CHECK_STATUS(L("alert.ok"), r, SEC_E_OK);
        check(L("alert.fatal_bad_certificate_record"), out[0].cbBuffer == 7 && memcmp(big, alert_rec, 7) == 0, "cb %u %02x %02x %02x",
              out[0].cbBuffer, big[0], big[1], big[2]);
    }
    if (server) DeleteSecurityContext(&ctx);
    (void)have_server_ctx;
done_client:
    DeleteSecurityContext(&cctx);
done_creds:
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    free(hello);
    free(scratch);
    free(big);
#undef L
}

/* Issue 12 item 3: a server certificate that is itself in hRootStore validates even when it
 * is self-signed with CA:TRUE and names its host only in the CN (openssl req -x509 -subj
 * /CN=localhost), as Windows accepts it; the name still counts. */
static void trusted_self_signed(void) {
    PCCERT_CONTEXT ss = NULL;
    HCERTSTORE roots;
    CredHandle cc, sc;
    End c, s;
    int tls13;
    if (!g_ss_cert) return;
    if (OpenSchannelCertContextFromPemFiles(g_ss_cert, g_ss_key, &ss) != SEC_E_OK) {
        check("self_signed.load", 0, "");
        return;
    }
    roots = load_ca_store(g_ss_cert);
    for (tls13 = 0; tls13 < 2; tls13++) {
        const char *tag = tls13 ? "tls13" : "tls12";
        char label[96];
        if (ach_v4(SECPKG_CRED_INBOUND, protos(tls13, 1), 0, ss, NULL, &sc) != SEC_E_OK ||
            ach_v4(SECPKG_CRED_OUTBOUND, protos(tls13, 0), 0, NULL, roots, &cc) != SEC_E_OK) {
            check("self_signed.credentials", 0, "");
            break;
        }
        end_init(&c, 0, cc);
        end_init(&s, 1, sc);
        snprintf(label, sizeof label, "%s.self_signed.anchor_is_trusted", tag);
        check(label, handshake(&c, &s), "client %s server %s", st(c.last), st(s.last));
        end_free(&c);
        end_free(&s);
        end_init(&c, 0, cc);
        end_init(&s, 1, sc);
        c.target = "wrong.example";
        handshake(&c, &s);
        snprintf(label, sizeof label, "%s.self_signed.name_still_checked", tag);
        CHECK_STATUS(label, c.last, SEC_E_WRONG_PRINCIPAL);
        end_free(&c);
        end_free(&s);
        FreeCredentialsHandle(&cc);
        FreeCredentialsHandle(&sc);
    }
    CertCloseStore(roots, 0);
    CertFreeCertificateContext(ss);
}

/* Issue 12 item 2: an X.509 v1 certificate with its key is a usable credential certificate
 * for both directions (Windows sends it; the peer judges it), and a TLS 1.2 server sends it. */
static void v1_certificate(void) {
    PCCERT_CONTEXT v1 = NULL;
    CredHandle cc, sc, vc;
    SECURITY_STATUS s;
    SecBuffer in[2], out[1];
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, in}, outd = {SECBUFFER_VERSION, 1, out};
    CtxtHandle cctx, sctx;
    ULONG attrs;
    unsigned char hello[4096];
    ULONG hello_len = 0;
    if (!g_v1_cert) return;
    s = OpenSchannelCertContextFromPemFiles(g_v1_cert, g_v1_key, &v1);
    CHECK_STATUS("v1.cert_context", s, SEC_E_OK);
    if (s != SEC_E_OK) return;
    s = ach_v4(SECPKG_CRED_INBOUND, SP_PROT_TLS1_2_SERVER, 0, v1, NULL, &sc);
    CHECK_STATUS("v1.inbound_credential", s, SEC_E_OK);
    s = ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT, SCH_CRED_MANUAL_CRED_VALIDATION, v1, NULL, &vc);
    CHECK_STATUS("v1.outbound_credential", s, SEC_E_OK);
    if (s == SEC_E_OK) FreeCredentialsHandle(&vc);
    if (ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) == SEC_E_OK) {
        out[0].BufferType = SECBUFFER_TOKEN;
        out[0].cbBuffer = 0;
        out[0].pvBuffer = NULL;
        s = InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, NULL, 0, &cctx, &outd, &attrs, NULL);
        if (s == SEC_I_CONTINUE_NEEDED && out[0].cbBuffer <= sizeof hello) {
            hello_len = out[0].cbBuffer;
            memcpy(hello, out[0].pvBuffer, hello_len);
        }
        FreeContextBuffer(out[0].pvBuffer);
        in[0].BufferType = SECBUFFER_TOKEN;
        in[0].cbBuffer = hello_len;
        in[0].pvBuffer = hello;
        in[1].BufferType = SECBUFFER_EMPTY;
        in[1].cbBuffer = 0;
        in[1].pvBuffer = NULL;
        out[0].BufferType = SECBUFFER_TOKEN;
        out[0].cbBuffer = 0;
        out[0].pvBuffer = NULL;
        s = AcceptSecurityContext(&sc, NULL, &ind, ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM, 0, &sctx, &outd, &attrs, NULL);
        CHECK_STATUS("v1.server_first_flight", s, SEC_I_CONTINUE_NEEDED);
        if (s == SEC_I_CONTINUE_NEEDED) {
            const unsigned char *der = v1->pbCertEncoded, *flight = out[0].pvBuffer;
            ULONG i, found = 0;
            for (i = 0; i + v1->cbCertEncoded <= out[0].cbBuffer && !found; i++) found = memcmp(flight + i, der, v1->cbCertEncoded) == 0;
            check("v1.server_sends_it", found, "flight of %u bytes", out[0].cbBuffer);
            FreeContextBuffer(out[0].pvBuffer);
            DeleteSecurityContext(&sctx);
        }
        DeleteSecurityContext(&cctx);
        FreeCredentialsHandle(&cc);
    }
    FreeCredentialsHandle(&sc);
    CertFreeCertificateContext(v1);
}

/* Issue 12 item 5: the output-buffer rules of Wine's test_context_output_buffer_size, and a
 * sized EMPTY input buffer refused on a later call without harming the context
 * (test_communication). */
static void output_buffer_sizes(void) {
    CredHandle cred;
    CtxtHandle ctx;
    SecBuffer in[1] = {{0, SECBUFFER_EMPTY, NULL}}, out[4];
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, in}, outd = {SECBUFFER_VERSION, 4, out};
    unsigned char *buf = malloc(8192), *buf2 = malloc(8192);
    ULONG attrs, req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM;
    SECURITY_STATUS r;
    int i;
    End c, sv;
    CredHandle sc;
    if (ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT, SCH_CRED_NO_DEFAULT_CREDS | SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cred) != SEC_E_OK) {
        check("outbuf.credential", 0, "");
        free(buf);
        free(buf2);
        return;
    }
    memset(out, 0, sizeof out);
    for (i = 0; i < 2; i++) {
        SecBuffer *b = i ? &out[1] : &out[0];
        out[0].BufferType = SECBUFFER_TOKEN;
        out[0].cbBuffer = 8192;
        out[0].pvBuffer = buf;
        if (i) b->BufferType = SECBUFFER_ALERT;
        b->cbBuffer = 0;
        b->pvBuffer = i ? buf2 : buf;
        r = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req, 0, 0, &ind, 0, &ctx, &outd, &attrs, NULL);
        CHECK_STATUS(i ? "outbuf.alert_cb0_insufficient" : "outbuf.token_cb0_insufficient", r, SEC_E_INSUFFICIENT_MEMORY);
        if (i) {
            out[0].cbBuffer = 8192;
            out[0].pvBuffer = (void *)0xdeadbeef; /* replaced, never touched, with ALLOCATE_MEMORY */
        }
        b->cbBuffer = 0;
        b->pvBuffer = NULL;
        r = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req | ISC_REQ_ALLOCATE_MEMORY, 0, 0, &ind, 0, &ctx, &outd, &attrs, NULL);
        CHECK_STATUS(i ? "outbuf.allocate_with_alert" : "outbuf.allocate", r, SEC_I_CONTINUE_NEEDED);
        check("outbuf.allocated_token_replaces_pointer", out[0].pvBuffer != (void *)0xdeadbeef && out[0].pvBuffer != NULL, "");
        if (i) FreeContextBuffer(out[0].pvBuffer);
        FreeContextBuffer(b->pvBuffer);
        if (r == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);
        out[0].cbBuffer = 8192;
        out[0].pvBuffer = buf;
        b->cbBuffer = 8192;
        b->pvBuffer = i ? buf2 : buf;
        r = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", req, 0, 0, &ind, 0, &ctx, &outd, &attrs, NULL);
        CHECK_STATUS(i ? "outbuf.caller_buffers_with_alert" : "outbuf.caller_buffers", r, SEC_I_CONTINUE_NEEDED);
        if (i) CHECK_EQ("outbuf.alert_emptied", out[1].cbBuffer, 0);
        if (r == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);
    }
    /* A later call with an EMPTY buffer of size 0xdeadbeef: SEC_E_INVALID_TOKEN, and the
     * handshake goes on with a proper descriptor. */
    if (ach_v4(SECPKG_CRED_INBOUND, SP_PROT_TLS1_2_SERVER, 0, g_cert, NULL, &sc) == SEC_E_OK) {
        end_init(&c, 0, cred);
        end_init(&sv, 1, sc);
        hs_step(&c, &sv);
        hs_step(&sv, &c);
        {
            SecBuffer ib[2], ob[1];
            SecBufferDesc id = {SECBUFFER_VERSION, 2, ib}, od = {SECBUFFER_VERSION, 1, ob};
            ib[0].BufferType = SECBUFFER_TOKEN;
            ib[0].cbBuffer = (ULONG)c.in_len;
            ib[0].pvBuffer = c.in;
            ib[1].BufferType = SECBUFFER_EMPTY;
            ib[1].cbBuffer = 0xdeadbeef;
            ib[1].pvBuffer = NULL;
            ob[0].BufferType = SECBUFFER_TOKEN;
            ob[0].cbBuffer = 0;
            ob[0].pvBuffer = NULL;
            r = InitializeSecurityContextA(&cred, &c.ctx, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_USE_SUPPLIED_CREDS, 0, 0, &id, 0, NULL, &od, &attrs, NULL);
            CHECK_STATUS("outbuf.later_sized_empty_input", r, SEC_E_INVALID_TOKEN);
        }
        check("outbuf.context_survives_sized_empty", finish_handshake(&c, &sv), "client %s server %s", st(c.last), st(sv.last));
        end_free(&c);
        end_free(&sv);
        FreeCredentialsHandle(&sc);
    }
    FreeCredentialsHandle(&cred);
    free(buf);
    free(buf2);
}

static void client_certificates(int tls13) {
    HCERTSTORE roots = load_ca_store(g_ca);
    HCERTSTORE empty = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CredHandle cc_plain, cc_cert, sc, sc_strict;
    End c, s;
    SecPkgContext_IssuerListInfoEx il;
    PCCERT_CONTEXT cert = NULL;
    char name[256], text[64];
    size_t tlen = 0;
    SECURITY_STATUS r;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[128];
#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)
    if (ach_v4(SECPKG_CRED_INBOUND, protos(tls13, 1), 0, g_cert, roots, &sc) != SEC_E_OK ||
        ach_v4(SECPKG_CRED_INBOUND, protos(tls13, 1), 0, g_cert, empty, &sc_strict) != SEC_E_OK ||
        ach_v4(SECPKG_CRED_OUTBOUND, protos(tls13, 0), SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc_plain) != SEC_E_OK ||
        ach_v4(SECPKG_CRED_OUTBOUND, protos(tls13, 0), SCH_CRED_MANUAL_CRED_VALIDATION, g_cert, NULL, &cc_cert) != SEC_E_OK) {
        check(L("client_cert.credentials"), 0, "");
        return;
    }

    /* No certificate, no USE_SUPPLIED_CREDS: SEC_I_INCOMPLETE_CREDENTIALS, input untouched. */
    end_init(&c, 0, cc_plain);
    end_init(&s, 1, sc);
    c.req &= ~(ULONG)ISC_REQ_USE_SUPPLIED_CREDS;
    s.req |= ASC_REQ_MUTUAL_AUTH;
    hs_step(&c, &s);
    hs_step(&s, &c);
    {
        size_t before = c.in_len;
        r = hs_step(&c, &s);
        CHECK_STATUS(L("client_cert.incomplete_credentials"), r, SEC_I_INCOMPLETE_CREDENTIALS);
        CHECK_EQ(L("client_cert.incomplete_keeps_input"), c.in_len, before);
        CHECK_EQ(L("client_cert.incomplete_sends_nothing"), s.in_len, 0);
    }
    CHECK_STATUS(L("client_cert.issuer_list"), QueryContextAttributesA(&c.ctx, SECPKG_ATTR_ISSUER_LIST_EX, &il), SEC_E_OK);
    check(L("client_cert.issuer_list_names_the_ca"), il.cIssuers == 1 && il.aIssuers && il.aIssuers[0].cbData > 10 && il.aIssuers[0].pbData[0] == 0x30,
          "%u issuers", (unsigned)il.cIssuers);
    CHECK_STATUS(L("client_cert.issuer_list_free"), FreeContextBuffer(il.aIssuers), SEC_E_OK);
    /* curl's answer: add ISC_REQ_USE_SUPPLIED_CREDS, call again with the same input. */
    c.req |= ISC_REQ_USE_SUPPLIED_CREDS;
    r = hs_step(&c, &s);
    check(L("client_cert.retry_continues"), r == SEC_E_OK || r == SEC_I_CONTINUE_NEEDED, "%s", st(r));
    check(L("client_cert.handshake_without_certificate"), finish_handshake(&c, &s), "client %s server %s", st(c.last), st(s.last));
    CHECK_STATUS(L("client_cert.server_sees_none"), QueryContextAttributesA(&s.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert), SEC_E_NO_CREDENTIALS);
    CHECK_STATUS(L("client_cert.client_sent_none"), QueryContextAttributesA(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &cert), SEC_E_NO_CREDENTIALS);
    end_free(&c);
    end_free(&s);

    /* A certificate chaining to the server's hRootStore. */
    end_init(&c, 0, cc_cert);
    end_init(&s, 1, sc);
    s.req |= ASC_REQ_MUTUAL_AUTH;
    check(L("client_cert.handshake_with_certificate"), handshake(&c, &s), "client %s server %s", st(c.last), st(s.last));
    r = QueryContextAttributesA(&s.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert);
    CHECK_STATUS(L("client_cert.server_sees_chain"), r, SEC_E_OK);
    if (r == SEC_E_OK) {
        CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
        check(L("client_cert.server_sees_subject"), strcmp(name, "localhost") == 0, "got '%s'", name);
        CertFreeCertificateContext(cert);
    }
    r = QueryContextAttributesA(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &cert);
    CHECK_STATUS(L("client_cert.local_cert_context"), r, SEC_E_OK);
    if (r == SEC_E_OK) CertFreeCertificateContext(cert);
    r = QueryContextAttributesA(&s.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &cert);
    CHECK_STATUS(L("client_cert.server_local_cert_context"), r, SEC_E_OK);
    if (r == SEC_E_OK) CertFreeCertificateContext(cert);
    check(L("client_cert.no_mutual_auth_ret_flag"), (s.attrs & ASC_RET_MUTUAL_AUTH) == 0, "attrs 0x%x", (unsigned)s.attrs);
    end_free(&c);
    end_free(&s);

    /* Without MUTUAL_AUTH the server does not ask. */
    end_init(&c, 0, cc_cert);
    end_init(&s, 1, sc);
    check(L("client_cert.no_request_without_mutual_auth"), handshake(&c, &s), "");
    CHECK_STATUS(L("client_cert.no_request_no_chain"), QueryContextAttributesA(&s.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert), SEC_E_NO_CREDENTIALS);
    end_free(&c);
    end_free(&s);

    /* A certificate the server does not trust: SEC_E_UNTRUSTED_ROOT on both sides, late (in
     * DecryptMessage) for a TLS 1.3 client. */
    end_init(&c, 0, cc_cert);
    end_init(&s, 1, sc_strict);
    s.req |= ASC_REQ_MUTUAL_AUTH;
    check(L("client_cert.rejected_handshake_fails"), !handshake(&c, &s), "");
    CHECK_STATUS(L("client_cert.rejected_server_status"), s.last, SEC_E_UNTRUSTED_ROOT);
    if (tls13) {
        CHECK_STATUS(L("client_cert.rejected_client_late"), open_one(&c, text, &tlen, NULL), SEC_E_UNTRUSTED_ROOT);
    } else {
        CHECK_STATUS(L("client_cert.rejected_client_status"), hs_step(&c, &s), SEC_E_UNTRUSTED_ROOT);
    }
    end_free(&c);
    end_free(&s);

    FreeCredentialsHandle(&cc_plain);
    FreeCredentialsHandle(&cc_cert);
    FreeCredentialsHandle(&sc);
    FreeCredentialsHandle(&sc_strict);
    CertCloseStore(roots, 0);
    CertCloseStore(empty, 0);
#undef L
}

/* An APPLICATION_PROTOCOLS buffer with one name. */
static void alpn_one(unsigned char *buf, SecBuffer *b, const char *name) {
    unsigned int n = (unsigned int)(4 + 2 + 1 + strlen(name));
    memset(buf, 0, 64);
    memcpy(buf, &n, 4);
    buf[4] = 2;
    buf[8] = (unsigned char)(1 + strlen(name));
    buf[10] = (unsigned char)strlen(name);
    memcpy(buf + 11, name, strlen(name));
    b->BufferType = SECBUFFER_APPLICATION_PROTOCOLS;
    b->cbBuffer = 11 + (ULONG)strlen(name);
    b->pvBuffer = buf;
}

static void alpn_without_overlap(void) {
    End c, s;
    CredHandle cc, sc;
    unsigned char cbuf[64], sbuf[64];
    SecBuffer cb, sb;
    SecPkgContext_ApplicationProtocol ap;
    BOOL required = TRUE;
    if (ach_v4(SECPKG_CRED_OUTBOUND, 0, SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) != SEC_E_OK) return;
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &sc) != SEC_E_OK) return;
    alpn_one(cbuf, &cb, "h2");
    alpn_one(sbuf, &sb, "http/1.1");
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    c.alpn = &cb;
    s.alpn = &sb;
    check("alpn.no_overlap_succeeds", handshake(&c, &s), "client %s server %s", st(c.last), st(s.last));
    CHECK_STATUS("alpn.no_overlap_qca", QueryContextAttributesA(&c.ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &ap), SEC_E_OK);
    check("alpn.no_overlap_status_none", ap.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_None && ap.ProtocolIdSize == 0,
          "status %d size %d", ap.ProtoNegoStatus, ap.ProtocolIdSize);
    end_free(&c);
    end_free(&s);
    /* A server requiring a protocol (openschannel extension). */
    CHECK_STATUS("alpn.required_attribute", SetCredentialsAttributesA(&sc, OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED, &required, sizeof required), SEC_E_OK);
    CHECK_STATUS("alpn.required_on_outbound_unsupported", SetCredentialsAttributesA(&cc, OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED, &required, sizeof required),
                 SEC_E_UNSUPPORTED_FUNCTION);
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    c.alpn = &cb;
    s.alpn = &sb;
    check("alpn.required_mismatch_fails", !handshake(&c, &s), "");
    CHECK_STATUS("alpn.required_server_status", s.last, SEC_E_APPLICATION_PROTOCOL_MISMATCH);
    CHECK_STATUS("alpn.required_client_gets_alert", hs_step(&c, &s), SEC_E_APPLICATION_PROTOCOL_MISMATCH);
    end_free(&c);
    end_free(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

/* A failing handshake hands the caller the alert to send in SECBUFFER_ALERT (contract §2,
 * corefx#41967): a TLS 1.2 client refusing an untrusted chain produces unknown_ca (48) in
 * plaintext; the server maps it to SEC_E_UNTRUSTED_ROOT. */
static void alert_buffer_on_failure(void) {
    HCERTSTORE empty = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CredHandle cc, sc;
    End c, s;
    static const unsigned char unknown_ca[7] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 48};
    if (ach_v4(SECPKG_CRED_OUTBOUND, SP_PROT_TLS1_2_CLIENT, 0, NULL, empty, &cc) != SEC_E_OK) return;
    if (ach_v4(SECPKG_CRED_INBOUND, 0, 0, g_cert, NULL, &sc) != SEC_E_OK) return;
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    c.req |= ISC_REQ_EXTENDED_ERROR;
    check("alert_buffer.handshake_fails", !handshake(&c, &s), "");
    CHECK_STATUS("alert_buffer.client_status", c.last, SEC_E_UNTRUSTED_ROOT);
    check("alert_buffer.unknown_ca_record", s.in_len == sizeof unknown_ca && memcmp(s.in, unknown_ca, sizeof unknown_ca) == 0,
          "%zu bytes", s.in_len);
    CHECK_STATUS("alert_buffer.server_maps_unknown_ca", hs_step(&s, &c), SEC_E_UNTRUSTED_ROOT);
    end_free(&c);
    end_free(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    CertCloseStore(empty, 0);
}

/* One connection; returns the client's SECPKG_ATTR_SESSION_INFO flags (-1 on failure). */
static long connect_once(CredHandle cc, CredHandle sc) {
    End c, s;
    SecPkgContext_SessionInfo ci, si;
    char text[64];
    size_t tlen = 0;
    long flags = -1;
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    if (handshake(&c, &s) && QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SESSION_INFO, &ci) == SEC_E_OK &&
        QueryContextAttributesA(&s.ctx, SECPKG_ATTR_SESSION_INFO, &si) == SEC_E_OK && ci.dwFlags == si.dwFlags) {
        flags = (long)ci.dwFlags;
        /* TLS 1.3 tickets arrive after the handshake: let the client read them. */
        open_one(&c, text, &tlen, NULL);
    }
    end_free(&c);
    end_free(&s);
    return flags;
}

static void resumption(int tls13) {
    CredHandle cc, cc_nocache, sc, sc_off;
    SCHANNEL_CRED v4;
    const char *tag = tls13 ? "tls13" : "tls12";
    char label[128];
#define L(x) (snprintf(label, sizeof label, "%s.%s", tag, x), label)
    if (ach_v4(SECPKG_CRED_OUTBOUND, protos(tls13, 0), SCH_CRED_MANUAL_CRED_VALIDATION, NULL, NULL, &cc) != SEC_E_OK ||
        ach_v4(SECPKG_CRED_INBOUND, protos(tls13, 1), 0, g_cert, NULL, &sc) != SEC_E_OK ||
        ach_v4(SECPKG_CRED_INBOUND, protos(tls13, 1), SCH_CRED_DISABLE_RECONNECTS, g_cert, NULL, &sc_off) != SEC_E_OK)
        return;
    memset(&v4, 0, sizeof v4);
    v4.dwVersion = SCHANNEL_CRED_VERSION;
    v4.grbitEnabledProtocols = protos(tls13, 0);
    v4.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION;
    v4.dwSessionLifespan = 0xFFFFFFFF; /* what .NET sets to disable resumption */
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &v4, NULL, NULL, &cc_nocache, NULL) != SEC_E_OK) return;
    {
        /* CHECK_EQ evaluates its arguments more than once: connect first. */
        long first = connect_once(cc, sc), second = connect_once(cc, sc);
        long off1 = connect_once(cc, sc_off), off2 = connect_once(cc, sc_off);
        long none1 = connect_once(cc_nocache, sc), none2 = connect_once(cc_nocache, sc);
        CHECK_EQ(L("session.first_is_new"), first, 0);
        CHECK_EQ(L("session.second_reconnects"), second, SSL_SESSION_RECONNECT);
        CHECK_EQ(L("session.disable_reconnects_first"), off1, 0);
        CHECK_EQ(L("session.disable_reconnects_second"), off2, 0);
        CHECK_EQ(L("session.lifespan_minus_one_first"), none1, 0);
        CHECK_EQ(L("session.lifespan_minus_one_second"), none2, 0);
    }
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&cc_nocache);
    FreeCredentialsHandle(&sc);
    FreeCredentialsHandle(&sc_off);
#undef L
}

/* CRYPTO_SETTINGS (the TLS_PARAMETERS entry for every ALPN id) on both sides:
 * AES disabled leaves ChaCha20-Poly1305; ChaCha20 disabled too leaves
 * nothing (SEC_E_ALGORITHM_MISMATCH at ACH); over 16 settings is an error. */
static SECURITY_STATUS ach_v5_crypto(ULONG use, PCCERT_CONTEXT cert, CRYPTO_SETTINGS *cs, DWORD n, CredHandle *h) {
    SCH_CREDENTIALS c;
    TLS_PARAMETERS tp;
    memset(&c, 0, sizeof c);
    memset(&tp, 0, sizeof tp);
    c.dwVersion = SCH_CREDENTIALS_VERSION;
    c.dwFlags = cert ? 0 : SCH_CRED_MANUAL_CRED_VALIDATION;
    tp.grbitDisabledProtocols = ~(DWORD)(SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER);
    tp.cDisabledCrypto = n;
    tp.pDisabledCrypto = cs;
    c.cTlsParameters = 1;
    c.pTlsParameters = &tp;
    if (cert) {
        c.cCreds = 1;
        c.paCred = &cert;
    }
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, use, NULL, &c, NULL, NULL, h, NULL);
}

static void crypto_settings(void) {
    static WCHAR aes[] = {'A', 'E', 'S'};
    static WCHAR chacha[] = {'C', 'H', 'A', 'C', 'H', 'A', '2', '0', '_', 'P', 'O', 'L', 'Y', '1', '3', '0', '5'};
    CRYPTO_SETTINGS cs[17];
    CredHandle cc, sc, h;
    End c, s;
    SecPkgContext_CipherInfo ci;
    int i;
    memset(cs, 0, sizeof cs);
    for (i = 0; i < 17; i++) {
        cs[i].eAlgorithmUsage = TlsParametersCngAlgUsageCipher;
        cs[i].strCngAlgId.Length = cs[i].strCngAlgId.MaximumLength = (USHORT)sizeof aes;
        cs[i].strCngAlgId.Buffer = aes;
    }
    cs[1].strCngAlgId.Length = cs[1].strCngAlgId.MaximumLength = (USHORT)sizeof chacha;
    cs[1].strCngAlgId.Buffer = chacha;
    CHECK_STATUS("crypto_settings.client_no_aes", ach_v5_crypto(SECPKG_CRED_OUTBOUND, NULL, cs, 1, &cc), SEC_E_OK);
    CHECK_STATUS("crypto_settings.server_no_aes", ach_v5_crypto(SECPKG_CRED_INBOUND, g_cert, cs, 1, &sc), SEC_E_OK);
    end_init(&c, 0, cc);
    end_init(&s, 1, sc);
    check("crypto_settings.handshake", handshake(&c, &s), "");
    memset(&ci, 0, sizeof ci);
    CHECK_STATUS("crypto_settings.cipher_info", QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CIPHER_INFO, &ci), SEC_E_OK);
    CHECK_EQ("crypto_settings.chacha20_negotiated", ci.dwCipherSuite, 0x1303);
    end_free(&c);
    end_free(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    CHECK_STATUS("crypto_settings.nothing_left", ach_v5_crypto(SECPKG_CRED_OUTBOUND, NULL, cs, 2, &h), SEC_E_ALGORITHM_MISMATCH);
    CHECK_STATUS("crypto_settings.too_many", ach_v5_crypto(SECPKG_CRED_OUTBOUND, NULL, cs, 17, &h), SEC_E_UNKNOWN_CREDENTIALS);
}

int main(int argc, char **argv) {
    if (argc < 4) die("usage: conformance SERVER_CHAIN.pem SERVER_KEY.pem CA.pem");
    g_chain = argv[1];
    g_key = argv[2];
    g_ca = argv[3];
    if (argc >= 6) {
        g_ss_cert = argv[4];
        g_ss_key = argv[5];
    }
    if (argc >= 8) {
        g_v1_cert = argv[6];
        g_v1_key = argv[7];
    }
    load_server_cert();
    sizes();
    packages();
    tables();
    ach_table();
    legacy_tls13();
    cred_algorithms();
    isc_edges();
    asc_first_incomplete();
    control_tokens();
    messages(0);
    messages(1);
    buffer_layouts(0);
    buffer_layouts(1);
    invalid_handles();
    alpn();
    validation();
    bindings_and_keying_material(0);
    bindings_and_keying_material(1);
    sealed_alert(0);
    sealed_alert(1);
    decrypt_failure_alert(0);
    decrypt_failure_alert(1);
    client_certificates(0);
    client_certificates(1);
    alpn_without_overlap();
    alert_buffer_on_failure();
    resumption(0);
    resumption(1);
    crypto_settings();
    trusted_self_signed();
    output_buffer_sizes();
    v1_certificate();
    shutdown_sequence(0, 0);
    shutdown_sequence(0, 1);
    shutdown_sequence(1, 0);
    shutdown_sequence(1, 1);
    CertFreeCertificateContext(g_cert);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
