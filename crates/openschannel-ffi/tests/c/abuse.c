/*
 * abuse.c - hostile C callers: forged, stale, double-freed and wrong-kind
 * handles on every export that takes one, bogus pointers to the release
 * functions, and DeleteSecurityContext / FreeCredentialsHandle racing
 * EncryptMessage, DecryptMessage, QueryContextAttributes and ISC on other
 * threads.
 *
 * Every bad handle must give SEC_E_INVALID_HANDLE (FALSE for the crypt32
 * release functions); every racing call must return SEC_E_INVALID_HANDLE or a
 * clean result - never crash, never leak (run under valgrind or ASan by the
 * c_programs test).
 *
 * Usage: abuse SERVER_CHAIN.pem SERVER_KEY.pem [ITERATIONS]
 * Prints one line per check group and "N passed, M failed"; exits non-zero on
 * any failure.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "common.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

static int passed, failed;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(const char *name, int ok, const char *fmt, ...) {
    pthread_mutex_lock(&report_lock);
    if (ok) {
        passed++;
    } else {
        va_list ap;
        failed++;
        printf("FAIL %s: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
    }
    pthread_mutex_unlock(&report_lock);
}

#define EXPECT(name, got, want)                                                                   \
    do {                                                                                          \
        SECURITY_STATUS got_ = (got);                                                             \
        check(name, got_ == (want), "got %s (0x%08x), want %s", st(got_), (unsigned)got_, st(want)); \
    } while (0)
#define INVALID(name, got) EXPECT(name, got, SEC_E_INVALID_HANDLE)

static PCCERT_CONTEXT g_cert;
static long g_racing_calls;

/* ---- credentials and an in-memory pair ------------------------------------ */

static SECURITY_STATUS acquire(ULONG use, DWORD protocols, CredHandle *h) {
    SCHANNEL_CRED c;
    memset(&c, 0, sizeof c);
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.grbitEnabledProtocols = protocols;
    c.dwSessionLifespan = 0xFFFFFFFF; /* no session cache: every pair is a full handshake */
    if (use == SECPKG_CRED_INBOUND) {
        c.cCreds = 1;
        c.paCred = &g_cert;
        c.dwFlags = SCH_CRED_DISABLE_RECONNECTS;
    } else {
        c.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION;
    }
    if (protocols & (SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER)) c.dwFlags |= OPENSCHANNEL_SCH_CRED_ENABLE_TLS13;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use, NULL, &c, NULL, NULL, h, NULL);
}

typedef struct {
    CredHandle cred;
    CtxtHandle ctx;
    int server, has_ctx, done;
    unsigned char in[65536];
    size_t in_len;
} End;

static void push(End *to, const void *data, size_t len) {
    if (to && len && to->in_len + len <= sizeof to->in) {
        memcpy(to->in + to->in_len, data, len);
        to->in_len += len;
    }
}

static SECURITY_STATUS step(End *e, End *peer) {
    SecBuffer inb[2], outb[2];
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, inb}, outd = {SECBUFFER_VERSION, 2, outb};
    SECURITY_STATUS s;
    ULONG attrs;
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
    outb[1].BufferType = SECBUFFER_ALERT;
    outb[1].cbBuffer = 0;
    outb[1].pvBuffer = NULL;
    if (e->server)
        s = AcceptSecurityContext(&e->cred, first ? NULL : &e->ctx, &ind,
                                  ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM | ASC_REQ_CONFIDENTIALITY, 0, &e->ctx,
                                  &outd, &attrs, NULL);
    else
        s = InitializeSecurityContextA(&e->cred, first ? NULL : &e->ctx, (SEC_CHAR *)"localhost",
                                       ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_CONFIDENTIALITY, 0, 0,
                                       first ? NULL : &ind, 0, &e->ctx, &outd, &attrs, NULL);
    if (s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED) {
        e->has_ctx = 1;
        push(peer, outb[0].pvBuffer, outb[0].cbBuffer);
        if (!first || e->server) {
            size_t extra = inb[1].BufferType == SECBUFFER_EXTRA ? inb[1].cbBuffer : 0;
            memmove(e->in, e->in + e->in_len - extra, extra);
            e->in_len = extra;
        }
        if (s == SEC_E_OK) e->done = 1;
    }
    FreeContextBuffer(outb[0].pvBuffer);
    FreeContextBuffer(outb[1].pvBuffer);
    return s;
}

/* A connected pair (credentials owned by the ends). */
static int pair(End *c, End *s, int tls13) {
    int i;
    memset(c, 0, sizeof *c);
    memset(s, 0, sizeof *s);
    s->server = 1;
    if (acquire(SECPKG_CRED_OUTBOUND, tls13 ? SP_PROT_TLS1_3_CLIENT : SP_PROT_TLS1_2_CLIENT, &c->cred) != SEC_E_OK)
        return 0;
    if (acquire(SECPKG_CRED_INBOUND, tls13 ? SP_PROT_TLS1_3_SERVER : SP_PROT_TLS1_2_SERVER, &s->cred) != SEC_E_OK)
        return 0;
    if (step(c, s) != SEC_I_CONTINUE_NEEDED) return 0;
    for (i = 0; i < 20 && !(c->done && s->done); i++) {
        if (!s->done && s->in_len) step(s, c);
        if (!c->done && c->in_len) step(c, s);
    }
    return c->done && s->done;
}

static void end_free(End *e) {
    if (e->has_ctx) DeleteSecurityContext(&e->ctx);
    FreeCredentialsHandle(&e->cred);
    e->has_ctx = 0;
}

/* EncryptMessage of len bytes of msg into out; returns the record length (0 on failure). */
static size_t seal(CtxtHandle *ctx, const void *msg, size_t len, unsigned char *out, SECURITY_STATUS *status) {
    SecPkgContext_StreamSizes sz;
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    *status = QueryContextAttributesA(ctx, SECPKG_ATTR_STREAM_SIZES, &sz);
    if (*status != SEC_E_OK) return 0;
    memcpy(out + sz.cbHeader, msg, len);
    b[0].BufferType = SECBUFFER_STREAM_HEADER;
    b[0].cbBuffer = sz.cbHeader;
    b[0].pvBuffer = out;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = (ULONG)len;
    b[1].pvBuffer = out + sz.cbHeader;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER;
    b[2].cbBuffer = sz.cbTrailer;
    b[2].pvBuffer = out + sz.cbHeader + len;
    b[3].BufferType = SECBUFFER_EMPTY;
    b[3].cbBuffer = 0;
    b[3].pvBuffer = NULL;
    *status = EncryptMessage(ctx, 0, &d, 0);
    if (*status != SEC_E_OK) return 0;
    return b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
}

static SECURITY_STATUS unseal(CtxtHandle *ctx, unsigned char *data, size_t len, size_t *extra) {
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS s;
    int i;
    b[0].BufferType = SECBUFFER_DATA;
    b[0].cbBuffer = (ULONG)len;
    b[0].pvBuffer = data;
    for (i = 1; i < 4; i++) {
        b[i].BufferType = SECBUFFER_EMPTY;
        b[i].cbBuffer = 0;
        b[i].pvBuffer = NULL;
    }
    s = DecryptMessage(ctx, &d, 0, NULL);
    if (extra) *extra = b[3].BufferType == SECBUFFER_EXTRA ? b[3].cbBuffer : 0;
    return s;
}

/* Decrypts everything pending on e (tickets included: SEC_I_RENEGOTIATE serviced). */
static void drain(End *e) {
    int guard = 0;
    while (e->in_len && guard++ < 64) {
        size_t extra = 0;
        SECURITY_STATUS s = unseal(&e->ctx, e->in, e->in_len, &extra);
        if (s != SEC_E_OK && s != SEC_I_RENEGOTIATE) break;
        memmove(e->in, e->in + e->in_len - extra, extra);
        e->in_len = extra;
        if (s == SEC_I_RENEGOTIATE) {
            e->done = 0;
            step(e, NULL);
        }
    }
}

/* ---- 1. bad handles on every export ----------------------------------------- */

/* Calls every handle-taking export with *h (or NULL) where a context is expected. */
static void all_context_calls(const char *what, CtxtHandle *h, CredHandle *good_cred) {
    char name[160];
    SecBuffer b[4], ob[1];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b}, od = {SECBUFFER_VERSION, 1, ob};
    unsigned char data[64];
    SecPkgContext_StreamSizes sizes;
    SecPkgContext_KeyInfoA key;
    PCCERT_CONTEXT remote = NULL;
    DWORD shutdown = SCHANNEL_SHUTDOWN;
    CtxtHandle out_ctx;
    ULONG attrs;
    int i;
    memset(data, 0x17, sizeof data);
    for (i = 0; i < 4; i++) {
        b[i].BufferType = SECBUFFER_EMPTY;
        b[i].cbBuffer = 0;
        b[i].pvBuffer = NULL;
    }

#define NAMED(fn) (snprintf(name, sizeof name, "%s.%s", what, fn), name)
    b[0].BufferType = SECBUFFER_STREAM_HEADER; b[0].cbBuffer = 5; b[0].pvBuffer = data;
    b[1].BufferType = SECBUFFER_DATA; b[1].cbBuffer = 8; b[1].pvBuffer = data + 5;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER; b[2].cbBuffer = 32; b[2].pvBuffer = data + 13;
    INVALID(NAMED("EncryptMessage"), EncryptMessage(h, 0, &d, 0));
    b[0].BufferType = SECBUFFER_DATA; b[0].cbBuffer = sizeof data; b[0].pvBuffer = data;
    b[1].BufferType = b[2].BufferType = SECBUFFER_EMPTY;
    b[1].cbBuffer = b[2].cbBuffer = 0;
    b[1].pvBuffer = b[2].pvBuffer = NULL;
    INVALID(NAMED("DecryptMessage"), DecryptMessage(h, &d, 0, NULL));
    ob[0].BufferType = SECBUFFER_TOKEN; ob[0].cbBuffer = sizeof shutdown; ob[0].pvBuffer = &shutdown;
    od.cBuffers = 1;
    INVALID(NAMED("ApplyControlToken"), ApplyControlToken(h, &od));
    INVALID(NAMED("QueryContextAttributesA.STREAM_SIZES"), QueryContextAttributesA(h, SECPKG_ATTR_STREAM_SIZES, &sizes));
    INVALID(NAMED("QueryContextAttributesW.STREAM_SIZES"), QueryContextAttributesW(h, SECPKG_ATTR_STREAM_SIZES, &sizes));
    memset(&key, 0, sizeof key);
    INVALID(NAMED("QueryContextAttributesA.KEY_INFO"), QueryContextAttributesA(h, SECPKG_ATTR_KEY_INFO, &key));
    check(NAMED("KEY_INFO.nothing_allocated"), key.sSignatureAlgorithmName == NULL, "");
    INVALID(NAMED("QueryContextAttributesA.REMOTE_CERT_CONTEXT"),
            QueryContextAttributesA(h, SECPKG_ATTR_REMOTE_CERT_CONTEXT, (void *)&remote));
    check(NAMED("REMOTE_CERT_CONTEXT.nothing_returned"), remote == NULL, "");
    /* An existing-context ISC/ASC call (input = one byte, output allocated); with a NULL
     * phContext these would be first calls, which is not what is tested here. */
    if (h == NULL) goto delete;
    b[0].BufferType = SECBUFFER_TOKEN; b[0].cbBuffer = 1; b[0].pvBuffer = data;
    d.cBuffers = 2;
    ob[0].BufferType = SECBUFFER_TOKEN; ob[0].cbBuffer = 0; ob[0].pvBuffer = NULL;
    INVALID(NAMED("InitializeSecurityContextA"),
            InitializeSecurityContextA(good_cred, h, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, &d, 0,
                                       &out_ctx, &od, &attrs, NULL));
    check(NAMED("ISC.no_token"), ob[0].pvBuffer == NULL, "");
    INVALID(NAMED("InitializeSecurityContextW"),
            InitializeSecurityContextW(good_cred, h, (SEC_WCHAR *)u"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, &d, 0,
                                       &out_ctx, &od, &attrs, NULL));
    INVALID(NAMED("AcceptSecurityContext"),
            AcceptSecurityContext(good_cred, h, &d, ASC_REQ_ALLOCATE_MEMORY, 0, &out_ctx, &od, &attrs, NULL));
delete:
    INVALID(NAMED("DeleteSecurityContext"), DeleteSecurityContext(h));
    d.cBuffers = 4;
#undef NAMED
}

/* Calls every export that takes a credential handle with *h (or NULL). */
static void all_credential_calls(const char *what, CredHandle *h) {
    char name[160];
    SecBuffer ob[1];
    SecBufferDesc od = {SECBUFFER_VERSION, 1, ob};
    SecPkgCred_SupportedProtocols protocols;
    CtxtHandle out_ctx;
    ULONG attrs;
    unsigned char hello[16] = {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0, 0, 1, 0};
    SecBuffer ib[2];
    SecBufferDesc id = {SECBUFFER_VERSION, 2, ib};
    ib[0].BufferType = SECBUFFER_TOKEN; ib[0].cbBuffer = sizeof hello; ib[0].pvBuffer = hello;
    ib[1].BufferType = SECBUFFER_EMPTY; ib[1].cbBuffer = 0; ib[1].pvBuffer = NULL;
#define NAMED(fn) (snprintf(name, sizeof name, "%s.%s", what, fn), name)
    ob[0].BufferType = SECBUFFER_TOKEN; ob[0].cbBuffer = 0; ob[0].pvBuffer = NULL;
    INVALID(NAMED("InitializeSecurityContextA.first"),
            InitializeSecurityContextA(h, NULL, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                       &out_ctx, &od, &attrs, NULL));
    check(NAMED("ISC.first.no_token"), ob[0].pvBuffer == NULL, "");
    INVALID(NAMED("InitializeSecurityContextW.first"),
            InitializeSecurityContextW(h, NULL, (SEC_WCHAR *)u"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                       &out_ctx, &od, &attrs, NULL));
    INVALID(NAMED("AcceptSecurityContext.first"),
            AcceptSecurityContext(h, NULL, &id, ASC_REQ_ALLOCATE_MEMORY, 0, &out_ctx, &od, &attrs, NULL));
    INVALID(NAMED("QueryCredentialsAttributesA"),
            QueryCredentialsAttributesA(h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols));
    INVALID(NAMED("QueryCredentialsAttributesW"),
            QueryCredentialsAttributesW(h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols));
    INVALID(NAMED("FreeCredentialsHandle"), FreeCredentialsHandle(h));
#undef NAMED
}

static void bad_handles(void) {
    End c, s;
    CtxtHandle forged[7], stale_ctx, reused_ctx;
    CredHandle stale_cred, cred_as_ctx;
    SecurityFunctionTableA *table;
    char name[64];
    int i;
    if (!pair(&c, &s, 1)) die("pair");
    drain(&c);

    /* Forged: zero, all ones, a live handle with a bit flipped in its generation word, an
     * index never issued, the other kind's tag, a huge index, and small integers. (A handle
     * with another live slot's index and generation IS that handle: handles are not
     * capabilities against code in the same process.) */
    memset(forged, 0, sizeof forged);
    forged[1].dwLower = forged[1].dwUpper = (ULONG_PTR)-1;
    forged[2] = c.ctx; forged[2].dwUpper ^= 1;
    forged[3] = c.ctx; forged[3].dwLower += (ULONG_PTR)1000 << 4; /* an index never issued */
    forged[4] = c.ctx; forged[4].dwLower ^= 0x3; /* context tag → credential tag */
    forged[5] = c.ctx; forged[5].dwLower += (ULONG_PTR)1 << 40;
    forged[6].dwLower = 0x1A; forged[6].dwUpper = 77;
    for (i = 0; i < 7; i++) {
        snprintf(name, sizeof name, "forged[%d]", i);
        all_context_calls(name, &forged[i], &c.cred);
        all_credential_calls(name, &forged[i]);
    }
    all_context_calls("null", NULL, &c.cred);
    all_credential_calls("null", NULL);

    /* Wrong kind: a credential where a context is expected and the reverse. */
    cred_as_ctx = c.cred;
    all_context_calls("credential_as_context", &cred_as_ctx, &c.cred);
    all_credential_calls("context_as_credential", &c.ctx);

    /* Stale (and double-freed) handles. */
    stale_ctx = c.ctx;
    EXPECT("delete.first", DeleteSecurityContext(&c.ctx), SEC_E_OK);
    c.has_ctx = 0;
    all_context_calls("stale_context", &stale_ctx, &c.cred);
    stale_cred = c.cred;
    /* The slot is reused by the next context: the old handle stays dead. */
    {
        End c2, s2;
        if (!pair(&c2, &s2, 0)) die("pair 2");
        reused_ctx = c2.ctx;
        check("slot_reused_with_new_generation",
              !(reused_ctx.dwLower == stale_ctx.dwLower && reused_ctx.dwUpper == stale_ctx.dwUpper), "");
        all_context_calls("stale_after_reuse", &stale_ctx, &c2.cred);
        {
            SecPkgContext_StreamSizes sz;
            EXPECT("reused.still_works", QueryContextAttributesA(&c2.ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_OK);
        }
        end_free(&c2);
        end_free(&s2);
    }
    EXPECT("free_credential.first", FreeCredentialsHandle(&c.cred), SEC_E_OK);
    all_credential_calls("stale_credential", &stale_cred);
    c.cred = stale_cred;

    /* The dispatch table reaches the same checks. */
    table = InitSecurityInterfaceA();
    check("table", table != NULL, "");
    if (table) {
        SecPkgContext_StreamSizes sz;
        INVALID("table.QueryContextAttributesA", table->QueryContextAttributesA(&stale_ctx, SECPKG_ATTR_STREAM_SIZES, &sz));
        INVALID("table.DeleteSecurityContext", table->DeleteSecurityContext(&stale_ctx));
        INVALID("table.FreeCredentialsHandle", table->FreeCredentialsHandle(&stale_cred));
    }

    /* Memory the package did not hand out, and double frees. */
    {
        unsigned char local[32];
        void *heap = malloc(64);
        PSecPkgInfoA info = NULL;
        HCERTSTORE store;
        INVALID("FreeContextBuffer.stack", FreeContextBuffer(local));
        INVALID("FreeContextBuffer.heap", FreeContextBuffer(heap));
        INVALID("FreeContextBuffer.misaligned", FreeContextBuffer(local + 3));
        EXPECT("FreeContextBuffer.null", FreeContextBuffer(NULL), SEC_E_OK);
        free(heap);
        EXPECT("QuerySecurityPackageInfoA", QuerySecurityPackageInfoA((SEC_CHAR *)UNISP_NAME_A, &info), SEC_E_OK);
        INVALID("FreeContextBuffer.interior", FreeContextBuffer((char *)info + 1));
        EXPECT("FreeContextBuffer.once", FreeContextBuffer(info), SEC_E_OK);
        INVALID("FreeContextBuffer.twice", FreeContextBuffer(info));
        check("CertFreeCertificateContext.bogus", !CertFreeCertificateContext((PCCERT_CONTEXT)local), "");
        check("CertDuplicateCertificateContext.bogus", CertDuplicateCertificateContext((PCCERT_CONTEXT)local) == NULL, "");
        check("CertCloseStore.bogus", !CertCloseStore((HCERTSTORE)local, 0), "");
        store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
        check("CertCloseStore.once", CertCloseStore(store, 0), "");
        check("CertCloseStore.twice", !CertCloseStore(store, 0), "");
        check("CertEnumCertificatesInStore.closed", CertEnumCertificatesInStore(store, NULL) == NULL, "");
    }
    end_free(&s);
    printf("bad handles: done\n");
}

/* ---- 2. pointers written back into descriptors ----------------------------------- */

/* Every pvBuffer DecryptMessage wrote is NULL or inside [base, base + len]. */
static int pointers_inside(const SecBuffer *b, int n, const unsigned char *base, size_t len) {
    int i;
    for (i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)b[i].pvBuffer;
        if (p && (p < base || p + b[i].cbBuffer > base + len)) return 0;
    }
    return 1;
}

/* Regression (found by the ffi_messages fuzz target): DecryptMessage on a context whose peer
 * closed, with an EMPTY DATA buffer, wrote a dangling placeholder pointer (0x1) into the
 * returned STREAM_HEADER/DATA/TRAILER buffers. */
static void returned_pointers(int tls13) {
    End c, s;
    unsigned char buf[64];
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st_;
    size_t extra = 0;
    int i;
    const char *v = tls13 ? "pointers.tls13" : "pointers.tls12";
    char name[96];
    if (!pair(&c, &s, tls13)) die("pair");
    drain(&c);
    {
        /* The server's close_notify, decrypted by the client. */
        DWORD shutdown = SCHANNEL_SHUTDOWN;
        SecBuffer tb[1];
        SecBufferDesc td = {SECBUFFER_VERSION, 1, tb};
        tb[0].BufferType = SECBUFFER_TOKEN;
        tb[0].cbBuffer = sizeof shutdown;
        tb[0].pvBuffer = &shutdown;
        EXPECT("pointers.shutdown", ApplyControlToken(&s.ctx, &td), SEC_E_OK);
        s.done = 0;
        EXPECT("pointers.close_notify", step(&s, &c), SEC_E_OK);
        st_ = unseal(&c.ctx, c.in, c.in_len, &extra);
        snprintf(name, sizeof name, "%s.expired", v);
        EXPECT(name, st_, SEC_I_CONTEXT_EXPIRED);
    }
    for (i = 0; i < 3; i++) {
        size_t len = i == 0 ? 0 : (i == 1 ? 10 : 0);
        unsigned char *base = i == 2 ? NULL : buf;
        int k;
        memset(buf, 0x33, sizeof buf);
        b[0].BufferType = SECBUFFER_DATA;
        b[0].cbBuffer = (ULONG)len;
        b[0].pvBuffer = base;
        for (k = 1; k < 4; k++) {
            b[k].BufferType = SECBUFFER_EMPTY;
            b[k].cbBuffer = 0;
            b[k].pvBuffer = NULL;
        }
        snprintf(name, sizeof name, "%s.again[%d]", v, i);
        EXPECT(name, DecryptMessage(&c.ctx, &d, 0, NULL), SEC_I_CONTEXT_EXPIRED);
        snprintf(name, sizeof name, "%s.inside[%d]", v, i);
        check(name, pointers_inside(b, 4, base, len), "%p %p %p %p (buffer %p, %zu bytes)", b[0].pvBuffer,
              b[1].pvBuffer, b[2].pvBuffer, b[3].pvBuffer, (void *)base, len);
    }
    end_free(&c);
    end_free(&s);
}

/* ---- 3. races ----------------------------------------------------------------- */

/* Busy-waits for n iterations (no syscall: the racing threads keep running). */
static void spin(int n) {
    volatile int k;
    for (k = 0; k < n; k++) {
    }
}

typedef struct {
    CtxtHandle ctx; /* a copy: the handle value, as another thread of the caller holds it */
    unsigned char records[8][256];
    size_t record_len[8];
    int nrecords;
    atomic_int *go;
    atomic_int *progress; /* calls made by all racers */
    int kind; /* 0 encrypt, 1 decrypt, 2 query, 3 delete */
    int calls, oks, invalid, bad;
    SECURITY_STATUS bad_status;
} Racer;

static void *racer(void *arg) {
    Racer *r = (Racer *)arg;
    unsigned char buf[512];
    int i;
    while (!atomic_load(r->go)) sched_yield();
    /* Until the handle dies: the main thread's delete always comes. */
    for (i = 0;; i++) {
        SECURITY_STATUS s = SEC_E_OK;
        int ok;
        switch (r->kind) {
        case 0: {
            size_t n = seal(&r->ctx, "racing encrypt", 14, buf, &s);
            ok = (s == SEC_E_OK && n > 0) || s == SEC_E_INVALID_HANDLE;
            break;
        }
        case 1: {
            size_t extra;
            if (i < r->nrecords) {
                memcpy(buf, r->records[i], r->record_len[i]);
                s = unseal(&r->ctx, buf, r->record_len[i], &extra);
                ok = s == SEC_E_OK || s == SEC_E_INVALID_HANDLE;
            } else {
                memcpy(buf, "\x17\x03\x03", 3); /* an incomplete record: consumes nothing */
                s = unseal(&r->ctx, buf, 3, &extra);
                ok = s == SEC_E_INCOMPLETE_MESSAGE || s == SEC_E_INVALID_HANDLE;
            }
            break;
        }
        case 2: {
            SecPkgContext_ConnectionInfo ci;
            SecPkgContext_KeyInfoA key;
            PCCERT_CONTEXT remote = NULL;
            if (i % 3 == 0) {
                s = QueryContextAttributesA(&r->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci);
            } else if (i % 3 == 1) {
                memset(&key, 0, sizeof key);
                s = QueryContextAttributesA(&r->ctx, SECPKG_ATTR_KEY_INFO, &key);
                if (s == SEC_E_OK) {
                    FreeContextBuffer(key.sSignatureAlgorithmName);
                    FreeContextBuffer(key.sEncryptAlgorithmName);
                }
            } else {
                s = QueryContextAttributesW(&r->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, (void *)&remote);
                if (s == SEC_E_OK) CertFreeCertificateContext(remote);
            }
            ok = s == SEC_E_OK || s == SEC_E_INVALID_HANDLE;
            break;
        }
        default: {
            s = DeleteSecurityContext(&r->ctx);
            ok = s == SEC_E_OK || s == SEC_E_INVALID_HANDLE;
            break;
        }
        }
        r->calls++;
        atomic_fetch_add(r->progress, 1);
        if (s == SEC_E_OK) r->oks++;
        if (!ok) {
            r->bad++;
            r->bad_status = s;
        }
        if (s == SEC_E_INVALID_HANDLE) {
            r->invalid++;
            break;
        }
    }
    return NULL;
}

/* One round: a fresh pair; encrypt, decrypt (genuine records, then an incomplete one) and
 * query threads on the client context; the main thread deletes it after a short, varying
 * delay (sometimes at once, sometimes with a second deleting thread). */
static void race_round(int round, int tls13, int *deleted_early) {
    End c, s;
    Racer r[5];
    pthread_t t[5];
    atomic_int go = 0, progress = 0;
    int i, nthreads = round % 4 == 3 ? 4 : 3;
    int wait_calls = (round % 8) * 6; /* delete after 0..42 racing calls */
    SECURITY_STATUS st_del;
    if (!pair(&c, &s, tls13)) die("pair (round %d)", round);
    drain(&c);
    memset(r, 0, sizeof r);
    for (i = 0; i < nthreads; i++) {
        r[i].ctx = c.ctx;
        r[i].go = &go;
        r[i].progress = &progress;
        r[i].kind = i;
    }
    /* Genuine server records for the decrypting thread, in order. */
    for (i = 0; i < 8; i++) {
        char msg[32];
        SECURITY_STATUS ss;
        snprintf(msg, sizeof msg, "record %d", i);
        r[1].record_len[i] = seal(&s.ctx, msg, strlen(msg), r[1].records[i], &ss);
        if (ss != SEC_E_OK) die("seal: %s", st(ss));
    }
    r[1].nrecords = 8;
    for (i = 0; i < nthreads; i++) pthread_create(&t[i], NULL, racer, &r[i]);
    atomic_store(&go, 1);
    /* The delete lands while calls are in flight: after a varying number of them, then a
     * varying spin. (A deleter thread may end the race earlier: then stop waiting.) */
    while (atomic_load(&progress) < wait_calls && !(nthreads == 4 && r[3].calls)) sched_yield();
    spin((round * 7919) % 100000);
    st_del = DeleteSecurityContext(&c.ctx);
    for (i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
    if (nthreads == 4) {
        /* Two deleters: exactly one succeeded. */
        int wins = (st_del == SEC_E_OK) + r[3].oks;
        check("race.two_deleters_one_wins", wins == 1, "round %d: %d deletes succeeded", round, wins);
    } else {
        check("race.delete", st_del == SEC_E_OK, "%s", st(st_del));
    }
    for (i = 0; i < nthreads; i++) {
        check("race.clean_results", r[i].bad == 0, "round %d thread %d: %s", round, i, st(r[i].bad_status));
        check("race.thread_saw_the_delete", r[i].invalid == 1, "round %d thread %d ran %d calls", round, i, r[i].calls);
    }
    if (r[0].calls <= 1) (*deleted_early)++;
    for (i = 0; i < nthreads; i++) g_racing_calls += r[i].calls;
    INVALID("race.after", DeleteSecurityContext(&c.ctx));
    c.has_ctx = 0;
    end_free(&c);
    end_free(&s);
}

/* FreeCredentialsHandle racing first ISC calls that use the credential. */
typedef struct {
    CredHandle cred;
    atomic_int *go;
    int bad, created;
    SECURITY_STATUS bad_status;
} CredRacer;

static void *cred_racer(void *arg) {
    CredRacer *r = (CredRacer *)arg;
    int i;
    while (!atomic_load(r->go)) sched_yield();
    for (i = 0; i < 1000; i++) {
        SecBuffer ob[1];
        SecBufferDesc od = {SECBUFFER_VERSION, 1, ob};
        CtxtHandle ctx;
        ULONG attrs;
        SECURITY_STATUS s;
        ob[0].BufferType = SECBUFFER_TOKEN;
        ob[0].cbBuffer = 0;
        ob[0].pvBuffer = NULL;
        s = InitializeSecurityContextA(&r->cred, NULL, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL,
                                       0, &ctx, &od, &attrs, NULL);
        if (s == SEC_I_CONTINUE_NEEDED) {
            r->created++;
            FreeContextBuffer(ob[0].pvBuffer);
            /* The context outlives its credential handle. */
            {
                SecPkgContext_StreamSizes sz;
                SECURITY_STATUS q = QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sz);
                if (q != SEC_E_INVALID_HANDLE) { /* before the handshake: not established */
                    r->bad++;
                    r->bad_status = q;
                }
            }
            DeleteSecurityContext(&ctx);
        } else if (s == SEC_E_INVALID_HANDLE) {
            return NULL;
        } else {
            r->bad++;
            r->bad_status = s;
            return NULL;
        }
    }
    return NULL;
}

static void credential_races(int rounds) {
    int round;
    for (round = 0; round < rounds; round++) {
        CredRacer r[2];
        pthread_t t[2];
        atomic_int go = 0;
        CredHandle cred;
        int i;
        if (acquire(SECPKG_CRED_OUTBOUND, 0, &cred) != SEC_E_OK) die("acquire");
        for (i = 0; i < 2; i++) {
            memset(&r[i], 0, sizeof r[i]);
            r[i].cred = cred;
            r[i].go = &go;
            pthread_create(&t[i], NULL, cred_racer, &r[i]);
        }
        atomic_store(&go, 1);
        spin((round * 7919) % 400000);
        EXPECT("cred_race.free", FreeCredentialsHandle(&cred), SEC_E_OK);
        for (i = 0; i < 2; i++) {
            pthread_join(t[i], NULL);
            check("cred_race.clean_results", r[i].bad == 0, "round %d: %s", round, st(r[i].bad_status));
        }
        INVALID("cred_race.after", FreeCredentialsHandle(&cred));
    }
    printf("credential races: %d rounds\n", rounds);
}

int main(int argc, char **argv) {
    int iterations = argc > 3 ? atoi(argv[3]) : 200;
    int round, early = 0;
    if (argc < 3) die("usage: abuse SERVER_CHAIN.pem SERVER_KEY.pem [ITERATIONS]");
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (OpenSchannelCertContextFromPemFiles(argv[1], argv[2], &g_cert) != SEC_E_OK) die("certificate");

    bad_handles();
    returned_pointers(0);
    returned_pointers(1);
    printf("returned pointers: done\n");
    for (round = 0; round < iterations; round++) race_round(round, round % 2, &early);
    printf("context races: %d rounds (%d with the delete before the first encrypt), %ld racing calls\n",
           iterations, early, g_racing_calls);
    credential_races(iterations / 4 + 1);

    CertFreeCertificateContext(g_cert);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
