/*
 * conn.h - one TLS connection driven through SSPI the way Windows programs
 * (curl, schannel-rs) drive Schannel: the handshake token loop with
 * EXTRA/MISSING, EncryptMessage sized by SECPKG_ATTR_STREAM_SIZES, the
 * DecryptMessage loop keeping EXTRA, SEC_I_RENEGOTIATE servicing through
 * ISC/ASC with the EXTRA bytes, and the five-step shutdown procedure.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#ifndef OPENSCHANNEL_TEST_CONN_H
#define OPENSCHANNEL_TEST_CONN_H

#include "common.h"

typedef struct {
    CredHandle cred;
    CtxtHandle ctx;
    int have_ctx;
    int server;
    int fd;
    const char *host;
    ULONG req;
    ULONG attrs;
    unsigned char in[2 * 65536];
    size_t in_len;
    SecPkgContext_StreamSizes sizes;
    int renegotiations;
    /* SEC_I_INCOMPLETE_CREDENTIALS seen (and the acceptable issuers then). */
    int incomplete_credentials;
    DWORD issuers;
    char plain[65536];
    size_t plain_len;
} Conn;

static inline int conn_recv(Conn *c) {
    ssize_t n;
    if (c->in_len == sizeof c->in) die("input buffer full");
    n = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, 0);
    if (n > 0) c->in_len += (size_t)n;
    return (int)n;
}

static inline SECURITY_STATUS conn_call(Conn *c, SecBufferDesc *in, SecBufferDesc *out) {
    if (c->server)
        return AcceptSecurityContext(&c->cred, c->have_ctx ? &c->ctx : NULL, in, c->req, 0, &c->ctx, out, &c->attrs, NULL);
    return InitializeSecurityContextA(&c->cred, c->have_ctx ? &c->ctx : NULL, (SEC_CHAR *)c->host, c->req, 0, 0, in, 0,
                                      c->have_ctx ? NULL : &c->ctx, out, &c->attrs, NULL);
}

/* The client's first call: no input, the ClientHello comes out. */
static inline void conn_client_hello(Conn *c) {
    SecBuffer out[3];
    SecBufferDesc od = {SECBUFFER_VERSION, 3, out};
    SECURITY_STATUS s;
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    out[1].BufferType = SECBUFFER_ALERT;
    out[1].cbBuffer = 0;
    out[1].pvBuffer = NULL;
    out[2].BufferType = SECBUFFER_EMPTY;
    out[2].cbBuffer = 0;
    out[2].pvBuffer = NULL;
    s = conn_call(c, NULL, &od);
    if (s != SEC_I_CONTINUE_NEEDED) die("first InitializeSecurityContext: %s", st(s));
    c->have_ctx = 1;
    if (send_all(c->fd, out[0].pvBuffer, out[0].cbBuffer) != 0) die("send ClientHello");
    FreeContextBuffer(out[0].pvBuffer);
}

/* The token loop (curl's schannel_connect_step2). `doread` = read before the
 * first call; 0 when servicing SEC_I_RENEGOTIATE with EXTRA bytes. Leaves
 * bytes after the handshake in c->in for DecryptMessage. */
static inline SECURITY_STATUS conn_handshake(Conn *c, int doread) {
    for (;;) {
        SecBuffer in[2], out[3];
        SecBufferDesc id = {SECBUFFER_VERSION, 2, in}, od = {SECBUFFER_VERSION, 3, out};
        SECURITY_STATUS s;
        if (doread) {
            int n = conn_recv(c);
            if (n <= 0) die("connection closed during the handshake");
        }
        in[0].BufferType = SECBUFFER_TOKEN;
        in[0].cbBuffer = (ULONG)c->in_len;
        in[0].pvBuffer = c->in;
        in[1].BufferType = SECBUFFER_EMPTY;
        in[1].cbBuffer = 0;
        in[1].pvBuffer = NULL;
        out[0].BufferType = SECBUFFER_TOKEN;
        out[0].cbBuffer = 0;
        out[0].pvBuffer = NULL;
        out[1].BufferType = SECBUFFER_ALERT;
        out[1].cbBuffer = 0;
        out[1].pvBuffer = NULL;
        out[2].BufferType = SECBUFFER_EMPTY;
        out[2].cbBuffer = 0;
        out[2].pvBuffer = NULL;
        s = conn_call(c, &id, &od);
        if (s == SEC_I_INCOMPLETE_CREDENTIALS) {
            /* The server wants a client certificate we do not have. Like curl: list the
             * acceptable issuers, then go on without one (ISC_REQ_USE_SUPPLIED_CREDS) by
             * calling again with the same input. */
            SecPkgContext_IssuerListInfoEx il;
            SECURITY_STATUS q = QueryContextAttributesA(&c->ctx, SECPKG_ATTR_ISSUER_LIST_EX, &il);
            if (q != SEC_E_OK) die("SECPKG_ATTR_ISSUER_LIST_EX: %s", st(q));
            c->incomplete_credentials = 1;
            c->issuers = il.cIssuers;
            printf("incomplete credentials: %u acceptable issuer(s)\n", (unsigned)il.cIssuers);
            FreeContextBuffer(il.aIssuers);
            if (out[0].cbBuffer != 0) die("SEC_I_INCOMPLETE_CREDENTIALS with an output token");
            c->req |= ISC_REQ_USE_SUPPLIED_CREDS;
            doread = 0;
            continue;
        }
        if (s == SEC_E_INCOMPLETE_MESSAGE) {
            /* in[1] is SECBUFFER_MISSING with the count; read at least that much. */
            doread = 1;
            continue;
        }
        if (s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED) {
            c->have_ctx = 1;
            if (out[0].cbBuffer && out[0].pvBuffer && send_all(c->fd, out[0].pvBuffer, out[0].cbBuffer) != 0)
                die("send handshake token");
            FreeContextBuffer(out[0].pvBuffer);
            FreeContextBuffer(out[1].pvBuffer);
            if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer) {
                memmove(c->in, c->in + (c->in_len - in[1].cbBuffer), in[1].cbBuffer);
                c->in_len = in[1].cbBuffer;
                doread = 0;
            } else {
                c->in_len = 0;
                doread = 1;
            }
            if (s == SEC_E_OK) return s;
            continue;
        }
        if (out[1].cbBuffer && out[1].pvBuffer) send_all(c->fd, out[1].pvBuffer, out[1].cbBuffer);
        FreeContextBuffer(out[0].pvBuffer);
        FreeContextBuffer(out[1].pvBuffer);
        return s;
    }
}

static inline void conn_established(Conn *c, ULONG expected_attrs) {
    SecPkgContext_ConnectionInfo ci;
    SecPkgContext_CipherInfo cinfo;
    PCCERT_CONTEXT remote = NULL;
    char suite[SZ_ALG_MAX_SIZE + 1];
    SECURITY_STATUS s;
    int i;
    if (c->attrs != expected_attrs)
        die("returned attributes 0x%x, requested 0x%x", (unsigned)c->attrs, (unsigned)expected_attrs);
    s = QueryContextAttributesA(&c->ctx, SECPKG_ATTR_STREAM_SIZES, &c->sizes);
    if (s != SEC_E_OK) die("SECPKG_ATTR_STREAM_SIZES: %s", st(s));
    QueryContextAttributesA(&c->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci);
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    QueryContextAttributesW(&c->ctx, SECPKG_ATTR_CIPHER_INFO, &cinfo);
    for (i = 0; i < SZ_ALG_MAX_SIZE && cinfo.szCipherSuite[i]; i++) suite[i] = (char)cinfo.szCipherSuite[i];
    suite[i] = 0;
    printf("handshake: OK protocol=%s suite=%s header=%u trailer=%u max=%u\n",
           (ci.dwProtocol & (SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER)) ? "TLSv1.3" : "TLSv1.2", suite,
           c->sizes.cbHeader, c->sizes.cbTrailer, c->sizes.cbMaximumMessage);
    if (QueryContextAttributesA(&c->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote) == SEC_E_OK && remote) {
        char name[256];
        PCCERT_CONTEXT it = NULL;
        int n = 0;
        CertGetNameStringA(remote, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
        while ((it = CertEnumCertificatesInStore(remote->hCertStore, it)) != NULL) n++;
        printf("peer certificate: %s (chain of %d)\n", name, n);
        CertFreeCertificateContext(remote);
    }
    fflush(stdout);
}

/* EncryptMessage in chunks of at most cbMaximumMessage; header, data and
 * trailer laid out contiguously and sent from the header. */
static inline void conn_send(Conn *c, const char *data, size_t len) {
    unsigned char *rec = (unsigned char *)malloc(c->sizes.cbHeader + c->sizes.cbMaximumMessage + c->sizes.cbTrailer);
    while (len > 0) {
        size_t n = len < c->sizes.cbMaximumMessage ? len : c->sizes.cbMaximumMessage;
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS s;
        memcpy(rec + c->sizes.cbHeader, data, n);
        b[0].BufferType = SECBUFFER_STREAM_HEADER;
        b[0].cbBuffer = c->sizes.cbHeader;
        b[0].pvBuffer = rec;
        b[1].BufferType = SECBUFFER_DATA;
        b[1].cbBuffer = (ULONG)n;
        b[1].pvBuffer = rec + c->sizes.cbHeader;
        b[2].BufferType = SECBUFFER_STREAM_TRAILER;
        b[2].cbBuffer = c->sizes.cbTrailer;
        b[2].pvBuffer = rec + c->sizes.cbHeader + n;
        b[3].BufferType = SECBUFFER_EMPTY;
        b[3].cbBuffer = 0;
        b[3].pvBuffer = NULL;
        s = EncryptMessage(&c->ctx, 0, &d, 0);
        if (s != SEC_E_OK) die("EncryptMessage: %s", st(s));
        if (send_all(c->fd, rec, b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer) != 0) die("send");
        data += n;
        len -= n;
    }
    free(rec);
}

/* The DecryptMessage loop. Returns 1 once `want` (if given) appears in the
 * plaintext received so far, 0 on SEC_I_CONTEXT_EXPIRED (the peer's
 * close_notify), -1 when TCP ended without close_notify (truncation). */
static inline int conn_receive(Conn *c, const char *want) {
    for (;;) {
        if (c->in_len > 0) {
            SecBuffer b[4];
            SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
            SECURITY_STATUS s;
            int i;
            b[0].BufferType = SECBUFFER_DATA;
            b[0].cbBuffer = (ULONG)c->in_len;
            b[0].pvBuffer = c->in;
            for (i = 1; i < 4; i++) {
                b[i].BufferType = SECBUFFER_EMPTY;
                b[i].cbBuffer = 0;
                b[i].pvBuffer = NULL;
            }
            s = DecryptMessage(&c->ctx, &d, 0, NULL);
            if (s == SEC_E_OK || s == SEC_I_RENEGOTIATE || s == SEC_I_CONTEXT_EXPIRED) {
                SecBuffer *extra = NULL;
                for (i = 1; i < 4; i++) {
                    if (b[i].BufferType == SECBUFFER_DATA && b[i].cbBuffer) {
                        if (c->plain_len + b[i].cbBuffer >= sizeof c->plain) die("plaintext overflow");
                        memcpy(c->plain + c->plain_len, b[i].pvBuffer, b[i].cbBuffer);
                        c->plain_len += b[i].cbBuffer;
                        c->plain[c->plain_len] = 0;
                    }
                    if (b[i].BufferType == SECBUFFER_EXTRA) extra = &b[i];
                }
                if (extra) {
                    memmove(c->in, extra->pvBuffer, extra->cbBuffer);
                    c->in_len = extra->cbBuffer;
                } else {
                    c->in_len = 0;
                }
                if (s == SEC_I_CONTEXT_EXPIRED) return 0;
                if (s == SEC_I_RENEGOTIATE) {
                    /* Service it with the EXTRA bytes as TOKEN, without reading first. */
                    SECURITY_STATUS r = conn_handshake(c, 0);
                    c->renegotiations++;
                    if (r != SEC_E_OK) die("servicing SEC_I_RENEGOTIATE: %s", st(r));
                }
                if (want && strstr(c->plain, want)) return 1;
                continue;
            }
            if (s != SEC_E_INCOMPLETE_MESSAGE) die("DecryptMessage: %s", st(s));
        }
        {
            int n = conn_recv(c);
            if (n == 0) return -1;
            if (n < 0) die("recv: %s", strerror(errno));
        }
    }
}

/* Steps 1-4 of the shutdown procedure: ApplyControlToken(SCHANNEL_SHUTDOWN),
 * ISC/ASC with no input until SEC_E_OK, send the close_notify. */
static inline void conn_shutdown(Conn *c) {
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer t[1], out[1];
    SecBufferDesc td = {SECBUFFER_VERSION, 1, t}, od = {SECBUFFER_VERSION, 1, out};
    SECURITY_STATUS s;
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = sizeof type;
    t[0].pvBuffer = &type;
    s = ApplyControlToken(&c->ctx, &td);
    if (s != SEC_E_OK) die("ApplyControlToken(SCHANNEL_SHUTDOWN): %s", st(s));
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    s = conn_call(c, NULL, &od);
    if (s != SEC_E_OK && s != SEC_I_CONTEXT_EXPIRED) die("shutdown ISC/ASC: %s", st(s));
    printf("shutdown: %s, close_notify %u bytes\n", st(s), out[0].cbBuffer);
    /* The peer may already be gone: a failed send is not an error here. */
    send_all(c->fd, out[0].pvBuffer, out[0].cbBuffer);
    FreeContextBuffer(out[0].pvBuffer);
    fflush(stdout);
}

static inline void print_hex(const char *what, const unsigned char *p, size_t n) {
    size_t i;
    printf("%s: ", what);
    for (i = 0; i < n; i++) printf("%02X", p[i]);
    printf("\n");
}

/* SECPKG_ATTR_ENDPOINT_BINDINGS (checking the SEC_CHANNEL_BINDINGS layout) and, when `label`
 * is given, SECPKG_ATTR_KEYING_MATERIAL of `len` bytes after SetContextAttributes. */
static inline void conn_print_bindings(Conn *c, const char *label, DWORD len) {
    SecPkgContext_Bindings b;
    SECURITY_STATUS s = QueryContextAttributesA(&c->ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &b);
    const char *prefix = "tls-server-end-point:";
    if (s != SEC_E_OK) die("SECPKG_ATTR_ENDPOINT_BINDINGS: %s", st(s));
    if (b.Bindings->dwApplicationDataOffset != sizeof(SEC_CHANNEL_BINDINGS) ||
        b.BindingsLength != sizeof(SEC_CHANNEL_BINDINGS) + b.Bindings->cbApplicationDataLength ||
        memcmp((unsigned char *)b.Bindings + sizeof(SEC_CHANNEL_BINDINGS), prefix, strlen(prefix)) != 0)
        die("bad SEC_CHANNEL_BINDINGS layout");
    print_hex("endpoint binding", (unsigned char *)b.Bindings + sizeof(SEC_CHANNEL_BINDINGS) + strlen(prefix),
              b.Bindings->cbApplicationDataLength - strlen(prefix));
    FreeContextBuffer(b.Bindings);
    if (label) {
        SecPkgContext_KeyingMaterialInfo info;
        SecPkgContext_KeyingMaterial km;
        memset(&info, 0, sizeof info);
        info.cbLabel = (WORD)(strlen(label) + 1);
        info.pszLabel = (LPSTR)label;
        info.cbKeyingMaterial = len;
        s = SetContextAttributesA(&c->ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof info);
        if (s != SEC_E_OK) die("SetContextAttributes(KEYING_MATERIAL_INFO): %s", st(s));
        s = QueryContextAttributesA(&c->ctx, SECPKG_ATTR_KEYING_MATERIAL, &km);
        if (s != SEC_E_OK) die("SECPKG_ATTR_KEYING_MATERIAL: %s", st(s));
        print_hex("keying material", km.pbKeyingMaterial, km.cbKeyingMaterial);
        FreeContextBuffer(km.pbKeyingMaterial);
    }
    fflush(stdout);
}

/* SCHANNEL_ALERT + ISC/ASC (what .NET does after its own certificate validation failed):
 * the fatal alert `number`, sealed under the traffic keys, is sent and the context is over. */
static inline void conn_send_alert(Conn *c, DWORD number) {
    SCHANNEL_ALERT_TOKEN token = {SCHANNEL_ALERT, TLS1_ALERT_FATAL, number};
    SecBuffer t[1], out[1];
    SecBufferDesc td = {SECBUFFER_VERSION, 1, t}, od = {SECBUFFER_VERSION, 1, out};
    SECURITY_STATUS s;
    t[0].BufferType = SECBUFFER_TOKEN;
    t[0].cbBuffer = sizeof token;
    t[0].pvBuffer = &token;
    s = ApplyControlToken(&c->ctx, &td);
    if (s != SEC_E_OK) die("ApplyControlToken(SCHANNEL_ALERT): %s", st(s));
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    s = conn_call(c, NULL, &od);
    if (s != SEC_E_OK) die("alert ISC/ASC: %s", st(s));
    printf("alert %u sent: %u bytes\n", (unsigned)number, out[0].cbBuffer);
    send_all(c->fd, out[0].pvBuffer, out[0].cbBuffer);
    FreeContextBuffer(out[0].pvBuffer);
    fflush(stdout);
}

/* Step 5 and cleanup. */
static inline void conn_close(Conn *c) {
    SECURITY_STATUS s = DeleteSecurityContext(&c->ctx);
    if (s != SEC_E_OK) die("DeleteSecurityContext: %s", st(s));
    s = FreeCredentialsHandle(&c->cred);
    if (s != SEC_E_OK) die("FreeCredentialsHandle: %s", st(s));
    close(c->fd);
}

#endif /* OPENSCHANNEL_TEST_CONN_H */
