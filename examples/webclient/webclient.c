/*
 * webclient.c - an HTTPS GET through SSPI/Schannel, in the shape of the Windows SDK's
 * web-client sample, built on Linux against an installed openschannel (docs/porting.md walks
 * through it).  Our own code; only the structure follows the sample:
 *
 *   CreateCredentials        AcquireCredentialsHandle (SCHANNEL_CRED, optional trust anchors)
 *   ConnectToServer          getaddrinfo + connect (winsock names through port.h)
 *   PerformClientHandshake   the first InitializeSecurityContext, then ClientHandshakeLoop:
 *                            the token loop with SEC_E_INCOMPLETE_MESSAGE, SECBUFFER_EXTRA and
 *                            SEC_I_INCOMPLETE_CREDENTIALS
 *   DisplayConnectionInfo    QueryContextAttributes(CONNECTION_INFO, REMOTE_CERT_CONTEXT)
 *   HttpsGetFile             EncryptMessage the GET (sized by STREAM_SIZES), then the
 *                            DecryptMessage loop: EXTRA kept, SEC_I_RENEGOTIATE serviced by
 *                            ClientHandshakeLoop with the EXTRA bytes, SEC_I_CONTEXT_EXPIRED =
 *                            the server's close_notify
 *   DisconnectFromServer     the shutdown procedure: ApplyControlToken(SCHANNEL_SHUTDOWN),
 *                            InitializeSecurityContext with no input, send, DeleteSecurityContext
 *
 * All SSPI calls go through the dispatch table of InitSecurityInterface(), as the sample's do.
 *
 * usage: webclient -s SERVER [-p PORT] [-f PATH] [-c CA.der] [-P tls12|tls13] [-v]
 *   -c   trust anchor (DER) for automatic validation; default: the system trust store
 *   -P   restrict the protocol (default: TLS 1.2 and 1.3)
 * Prints the response on stdout and one status line per step on stderr; exit status 0 when
 * the response ended with the server's close_notify and the shutdown procedure succeeded.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "port.h"

#include <stdio.h>
#include <string.h>

#include <openschannel.h> /* OpenSchannelStatusName */

#define IO_BUFFER_SIZE 0x10000

static PSecurityFunctionTableA g_sspi;
static const char *g_server;
static const char *g_port = "443";
static const char *g_path = "/";
static const char *g_ca_file;
static DWORD g_protocols;
static int g_verbose;

static const char *status_name(SECURITY_STATUS s) {
    const char *n = OpenSchannelStatusName(s);
    return n ? n : "?";
}

static int send_all(SOCKET sock, const void *data, size_t len) {
    const unsigned char *p = (const unsigned char *)data;
    while (len > 0) {
        ssize_t n = send(sock, p, len, WEBCLIENT_SEND_FLAGS);
        if (n == SOCKET_ERROR) {
            if (WSAGetLastError() == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- AcquireCredentialsHandle ---------------------------------------------------------- */

/* A memory store with the one DER certificate of `path`, for SCHANNEL_CRED.hRootStore. */
static HCERTSTORE load_trust_anchor(const char *path) {
    unsigned char der[16384];
    size_t n;
    HCERTSTORE store;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    n = fread(der, 1, sizeof der, f);
    fclose(f);
    store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    if (!store) return NULL;
    if (!CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der, (DWORD)n,
                                          CERT_STORE_ADD_ALWAYS, NULL)) {
        CertCloseStore(store, 0);
        return NULL;
    }
    return store;
}

static SECURITY_STATUS CreateCredentials(PCredHandle cred, HCERTSTORE roots) {
    SCHANNEL_CRED sc;
    TimeStamp expiry;
    SECURITY_STATUS s;
    ZeroMemory(&sc, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.grbitEnabledProtocols = g_protocols; /* 0 = the package's defaults */
    sc.hRootStore = roots;
    /* No client certificate to offer; validate the server automatically. */
    sc.dwFlags = SCH_CRED_NO_DEFAULT_CREDS | SCH_CRED_AUTO_CRED_VALIDATION | SCH_USE_STRONG_CRYPTO;
#ifdef OPENSCHANNEL_SCH_CRED_ENABLE_TLS13
    /* A SCHANNEL_CRED stops at TLS 1.2, as on Windows; on openschannel the legacy structure may
     * opt into TLS 1.3 (on Windows, use SCH_CREDENTIALS for that). */
    sc.dwFlags |= OPENSCHANNEL_SCH_CRED_ENABLE_TLS13;
#endif
    s = g_sspi->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND,
                                          NULL, &sc, NULL, NULL, cred, &expiry);
    fprintf(stderr, "AcquireCredentialsHandle: %s\n", status_name(s));
    return s;
}

/* ---- the connection ---------------------------------------------------------------------- */

static SOCKET ConnectToServer(const char *server, const char *port) {
    struct addrinfo hints, *res, *ai;
    SOCKET sock = INVALID_SOCKET;
    ZeroMemory(&hints, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(server, port, &hints, &res) != 0) return INVALID_SOCKET;
    for (ai = res; ai && sock == INVALID_SOCKET; ai = ai->ai_next) {
        sock = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sock == INVALID_SOCKET) continue;
        if (connect(sock, ai->ai_addr, ai->ai_addrlen) == SOCKET_ERROR) {
            closesocket(sock);
            sock = INVALID_SOCKET;
        }
    }
    freeaddrinfo(res);
    return sock;
}

/* ---- the handshake ------------------------------------------------------------------------- */

static const ULONG ISC_FLAGS = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT |
                               ISC_REQ_CONFIDENTIALITY | ISC_REQ_EXTENDED_ERROR |
                               ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM;

/*
 * The token loop.  `io` holds `*io_len` bytes already received (the EXTRA of an earlier call);
 * `read_first` says whether to read before calling.  On SEC_E_OK, `extra` receives the bytes
 * after the handshake (application records the caller must decrypt).
 */
static SECURITY_STATUS ClientHandshakeLoop(SOCKET sock, PCredHandle cred, CtxtHandle *ctx,
                                           unsigned char *io, DWORD *io_len, int read_first,
                                           SecBuffer *extra) {
    ULONG req = ISC_FLAGS, attrs;
    SECURITY_STATUS s = SEC_I_CONTINUE_NEEDED;
    int do_read = read_first;
    extra->BufferType = SECBUFFER_EMPTY;
    extra->cbBuffer = 0;
    extra->pvBuffer = NULL;

    while (s == SEC_I_CONTINUE_NEEDED || s == SEC_E_INCOMPLETE_MESSAGE ||
           s == SEC_I_INCOMPLETE_CREDENTIALS) {
        SecBuffer in[2], out[1];
        SecBufferDesc in_desc, out_desc;

        if (*io_len == 0 || s == SEC_E_INCOMPLETE_MESSAGE || do_read) {
            ssize_t n;
            if (*io_len >= IO_BUFFER_SIZE) return SEC_E_INTERNAL_ERROR;
            n = recv(sock, io + *io_len, IO_BUFFER_SIZE - *io_len, 0);
            if (n == SOCKET_ERROR) return SEC_E_INTERNAL_ERROR;
            if (n == 0) {
                fprintf(stderr, "server closed the connection during the handshake\n");
                return SEC_E_INTERNAL_ERROR;
            }
            *io_len += (DWORD)n;
        }
        do_read = 1;

        /* in[0]: what we have; in[1]: EMPTY, where the package reports EXTRA or MISSING. */
        in[0].BufferType = SECBUFFER_TOKEN;
        in[0].cbBuffer = *io_len;
        in[0].pvBuffer = io;
        in[1].BufferType = SECBUFFER_EMPTY;
        in[1].cbBuffer = 0;
        in[1].pvBuffer = NULL;
        in_desc.ulVersion = SECBUFFER_VERSION;
        in_desc.cBuffers = 2;
        in_desc.pBuffers = in;
        out[0].BufferType = SECBUFFER_TOKEN;
        out[0].cbBuffer = 0;
        out[0].pvBuffer = NULL;
        out_desc.ulVersion = SECBUFFER_VERSION;
        out_desc.cBuffers = 1;
        out_desc.pBuffers = out;

        s = g_sspi->InitializeSecurityContextA(cred, ctx, (SEC_CHAR *)g_server, req, 0, 0,
                                               &in_desc, 0, ctx, &out_desc, &attrs, NULL);
        if (g_verbose) fprintf(stderr, "InitializeSecurityContext: %s\n", status_name(s));

        /* A token to send: also with SEC_E_OK (the client's Finished), and with some errors
         * when ISC_REQ_EXTENDED_ERROR asked for the alert. */
        if ((s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED ||
             (FAILED(s) && (attrs & ISC_RET_EXTENDED_ERROR))) &&
            out[0].cbBuffer != 0 && out[0].pvBuffer != NULL) {
            int sent = send_all(sock, out[0].pvBuffer, out[0].cbBuffer);
            g_sspi->FreeContextBuffer(out[0].pvBuffer);
            out[0].pvBuffer = NULL;
            if (sent != 0) return SEC_E_INTERNAL_ERROR;
        }
        if (out[0].pvBuffer) g_sspi->FreeContextBuffer(out[0].pvBuffer);

        if (s == SEC_E_INCOMPLETE_MESSAGE) continue; /* keep the bytes, read more */

        if (s == SEC_E_OK) {
            /* Bytes after the handshake belong to the application data stream. */
            if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer) {
                extra->pvBuffer = LocalAlloc(LMEM_FIXED, in[1].cbBuffer);
                if (!extra->pvBuffer) return SEC_E_INSUFFICIENT_MEMORY;
                MoveMemory(extra->pvBuffer, io + (*io_len - in[1].cbBuffer), in[1].cbBuffer);
                extra->cbBuffer = in[1].cbBuffer;
                extra->BufferType = SECBUFFER_TOKEN;
            }
            *io_len = 0;
            break;
        }
        if (FAILED(s)) {
            fprintf(stderr, "InitializeSecurityContext failed: %s (0x%08x)\n", status_name(s),
                    (unsigned)s);
            break;
        }
        if (s == SEC_I_INCOMPLETE_CREDENTIALS) {
            /* The server asked for a client certificate; go on without one, same input. */
            req |= ISC_REQ_USE_SUPPLIED_CREDS;
            do_read = 0;
            continue;
        }
        /* SEC_I_CONTINUE_NEEDED: keep what was not consumed. */
        if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer) {
            MoveMemory(io, io + (*io_len - in[1].cbBuffer), in[1].cbBuffer);
            *io_len = in[1].cbBuffer;
            do_read = 0;
        } else {
            *io_len = 0;
        }
    }
    return s;
}

static SECURITY_STATUS PerformClientHandshake(SOCKET sock, PCredHandle cred, CtxtHandle *ctx,
                                              SecBuffer *extra) {
    SecBuffer out[1];
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, out};
    unsigned char *io;
    DWORD io_len = 0;
    ULONG attrs;
    SECURITY_STATUS s;

    /* The first call: no input, the target name is the SNI and the name checked. */
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    s = g_sspi->InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)g_server, ISC_FLAGS, 0, 0, NULL,
                                           0, ctx, &out_desc, &attrs, NULL);
    fprintf(stderr, "InitializeSecurityContext (first): %s\n", status_name(s));
    if (s != SEC_I_CONTINUE_NEEDED) return s;
    if (send_all(sock, out[0].pvBuffer, out[0].cbBuffer) != 0) {
        g_sspi->FreeContextBuffer(out[0].pvBuffer);
        g_sspi->DeleteSecurityContext(ctx);
        return SEC_E_INTERNAL_ERROR;
    }
    g_sspi->FreeContextBuffer(out[0].pvBuffer);

    io = (unsigned char *)LocalAlloc(LMEM_FIXED, IO_BUFFER_SIZE);
    if (!io) return SEC_E_INSUFFICIENT_MEMORY;
    s = ClientHandshakeLoop(sock, cred, ctx, io, &io_len, 1, extra);
    LocalFree(io);
    fprintf(stderr, "handshake: %s\n", status_name(s));
    if (s != SEC_E_OK) g_sspi->DeleteSecurityContext(ctx);
    return s;
}

static void DisplayConnectionInfo(CtxtHandle *ctx) {
    SecPkgContext_ConnectionInfo ci;
    PCCERT_CONTEXT remote = NULL;
    const char *proto = "?";
    if (g_sspi->QueryContextAttributesA(ctx, SECPKG_ATTR_CONNECTION_INFO, &ci) == SEC_E_OK) {
        if (ci.dwProtocol & SP_PROT_TLS1_3_CLIENT) proto = "TLS 1.3";
        else if (ci.dwProtocol & SP_PROT_TLS1_2_CLIENT) proto = "TLS 1.2";
        fprintf(stderr, "protocol: %s, cipher 0x%x (%u bits), hash 0x%x, exchange 0x%x\n", proto,
                (unsigned)ci.aiCipher, (unsigned)ci.dwCipherStrength, (unsigned)ci.aiHash,
                (unsigned)ci.aiExch);
    }
    if (g_sspi->QueryContextAttributesA(ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote) ==
            SEC_E_OK &&
        remote) {
        char name[256];
        CertGetNameStringA(remote, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
        fprintf(stderr, "server certificate: %s\n", name);
        CertFreeCertificateContext(remote);
    }
}

/* ---- the request and the response -------------------------------------------------------- */

/* Returns SEC_I_CONTEXT_EXPIRED when the server ended the response with close_notify. */
static SECURITY_STATUS HttpsGetFile(SOCKET sock, PCredHandle cred, CtxtHandle *ctx,
                                    SecBuffer *handshake_extra) {
    SecPkgContext_StreamSizes sizes;
    SecBuffer b[4];
    SecBufferDesc desc;
    unsigned char *msg, *io;
    DWORD io_len = 0, msg_len;
    SECURITY_STATUS s;
    size_t total = 0;
    int i;

    s = g_sspi->QueryContextAttributesA(ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    if (s != SEC_E_OK) return s;
    /* One buffer for header + message + trailer, and one for incoming records. */
    msg = (unsigned char *)LocalAlloc(LMEM_FIXED,
                                      sizes.cbHeader + sizes.cbMaximumMessage + sizes.cbTrailer);
    io = (unsigned char *)LocalAlloc(LMEM_FIXED, IO_BUFFER_SIZE);
    if (!msg || !io) return SEC_E_INSUFFICIENT_MEMORY;

    msg_len = (DWORD)snprintf((char *)msg + sizes.cbHeader, sizes.cbMaximumMessage,
                              "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: webclient\r\n\r\n",
                              g_path, g_server);
    b[0].BufferType = SECBUFFER_STREAM_HEADER;
    b[0].cbBuffer = sizes.cbHeader;
    b[0].pvBuffer = msg;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = msg_len;
    b[1].pvBuffer = msg + sizes.cbHeader;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER;
    b[2].cbBuffer = sizes.cbTrailer;
    b[2].pvBuffer = msg + sizes.cbHeader + msg_len;
    b[3].BufferType = SECBUFFER_EMPTY;
    b[3].cbBuffer = 0;
    b[3].pvBuffer = NULL;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 4;
    desc.pBuffers = b;
    s = g_sspi->EncryptMessage(ctx, 0, &desc, 0);
    fprintf(stderr, "EncryptMessage: %s (%u bytes of request)\n", status_name(s),
            (unsigned)msg_len);
    if (s != SEC_E_OK) goto done;
    /* The record is header, data and trailer as EncryptMessage sized them. */
    if (send_all(sock, msg, b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer) != 0) {
        s = SEC_E_INTERNAL_ERROR;
        goto done;
    }

    /* Records that arrived with the handshake's last flight come first. */
    if (handshake_extra->cbBuffer) {
        CopyMemory(io, handshake_extra->pvBuffer, handshake_extra->cbBuffer);
        io_len = handshake_extra->cbBuffer;
    }
    s = SEC_E_INCOMPLETE_MESSAGE;
    for (;;) {
        SecBuffer *data = NULL, *extra = NULL;
        if (io_len == 0 || s == SEC_E_INCOMPLETE_MESSAGE) {
            ssize_t n;
            if (io_len >= IO_BUFFER_SIZE) {
                s = SEC_E_INTERNAL_ERROR;
                break;
            }
            n = recv(sock, io + io_len, IO_BUFFER_SIZE - io_len, 0);
            if (n == SOCKET_ERROR) {
                s = SEC_E_INTERNAL_ERROR;
                break;
            }
            if (n == 0) {
                /* TCP closed without close_notify: the response may be truncated. */
                fprintf(stderr, "server closed the connection without close_notify\n");
                s = io_len ? SEC_E_INCOMPLETE_MESSAGE : SEC_E_OK;
                break;
            }
            io_len += (DWORD)n;
        }

        /* In place: b[0] is the whole input; the package turns it into header, data,
         * trailer and (if more records follow) EXTRA. */
        b[0].BufferType = SECBUFFER_DATA;
        b[0].cbBuffer = io_len;
        b[0].pvBuffer = io;
        for (i = 1; i < 4; i++) {
            b[i].BufferType = SECBUFFER_EMPTY;
            b[i].cbBuffer = 0;
            b[i].pvBuffer = NULL;
        }
        s = g_sspi->DecryptMessage(ctx, &desc, 0, NULL);
        if (g_verbose) fprintf(stderr, "DecryptMessage: %s\n", status_name(s));
        if (s == SEC_E_INCOMPLETE_MESSAGE) continue; /* b[1] is MISSING; read more */
        if (s != SEC_E_OK && s != SEC_I_RENEGOTIATE && s != SEC_I_CONTEXT_EXPIRED) {
            fprintf(stderr, "DecryptMessage failed: %s (0x%08x)\n", status_name(s), (unsigned)s);
            break;
        }
        for (i = 1; i < 4; i++) {
            if (b[i].BufferType == SECBUFFER_DATA && !data) data = &b[i];
            if (b[i].BufferType == SECBUFFER_EXTRA && !extra) extra = &b[i];
        }
        if (data && data->cbBuffer) {
            fwrite(data->pvBuffer, 1, data->cbBuffer, stdout);
            total += data->cbBuffer;
        }
        /* Keep the bytes of the next record(s). */
        if (extra) {
            MoveMemory(io, extra->pvBuffer, extra->cbBuffer);
            io_len = extra->cbBuffer;
        } else {
            io_len = 0;
        }
        if (s == SEC_I_CONTEXT_EXPIRED) {
            fprintf(stderr, "DecryptMessage: SEC_I_CONTEXT_EXPIRED (close_notify) after %zu bytes\n",
                    total);
            break;
        }
        if (s == SEC_I_RENEGOTIATE) {
            /* A post-handshake message (TLS 1.3 session ticket, KeyUpdate): the handshake loop
             * services it with the EXTRA bytes as its input, reading only if it needs more. */
            SecBuffer more;
            SECURITY_STATUS r;
            if (g_verbose) fprintf(stderr, "DecryptMessage: SEC_I_RENEGOTIATE\n");
            r = ClientHandshakeLoop(sock, cred, ctx, io, &io_len, 0, &more);
            if (r != SEC_E_OK) {
                s = r;
                break;
            }
            if (more.cbBuffer) {
                CopyMemory(io, more.pvBuffer, more.cbBuffer);
                io_len = more.cbBuffer;
                LocalFree(more.pvBuffer);
            }
            s = SEC_E_OK;
        }
    }
    fflush(stdout);
done:
    LocalFree(msg);
    LocalFree(io);
    return s;
}

/* ---- the shutdown procedure ---------------------------------------------------------------- */

static SECURITY_STATUS DisconnectFromServer(SOCKET sock, PCredHandle cred, CtxtHandle *ctx) {
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer b[1];
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, b};
    ULONG attrs;
    SECURITY_STATUS s;

    /* 1. ApplyControlToken(SCHANNEL_SHUTDOWN) */
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].cbBuffer = sizeof type;
    b[0].pvBuffer = &type;
    s = g_sspi->ApplyControlToken(ctx, &desc);
    fprintf(stderr, "ApplyControlToken(SCHANNEL_SHUTDOWN): %s\n", status_name(s));
    if (FAILED(s)) goto cleanup;

    /* 2-3. InitializeSecurityContext with no input: the close_notify */
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].cbBuffer = 0;
    b[0].pvBuffer = NULL;
    s = g_sspi->InitializeSecurityContextA(cred, ctx, (SEC_CHAR *)g_server, ISC_FLAGS, 0, 0, NULL,
                                           0, ctx, &desc, &attrs, NULL);
    fprintf(stderr, "InitializeSecurityContext (shutdown): %s, %u-byte close_notify\n",
            status_name(s), (unsigned)b[0].cbBuffer);
    if (FAILED(s)) goto cleanup;

    /* 4. send it (the server may have closed TCP already: not an error here) */
    if (b[0].pvBuffer && b[0].cbBuffer) {
        (void)send_all(sock, b[0].pvBuffer, b[0].cbBuffer);
        g_sspi->FreeContextBuffer(b[0].pvBuffer);
    }
cleanup:
    /* 5. DeleteSecurityContext */
    g_sspi->DeleteSecurityContext(ctx);
    closesocket(sock);
    return s;
}

/* ---- main ------------------------------------------------------------------------------------ */

static int usage(void) {
    fprintf(stderr, "usage: webclient -s SERVER [-p PORT] [-f PATH] [-c CA.der] "
                    "[-P tls12|tls13] [-v]\n");
    return 2;
}

int main(int argc, char **argv) {
    WSADATA wsa;
    CredHandle cred;
    CtxtHandle ctx;
    SecBuffer extra;
    HCERTSTORE roots = NULL;
    SOCKET sock;
    SECURITY_STATUS s;
    int i, ok;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc) g_server = argv[++i];
        else if (!strcmp(argv[i], "-p") && i + 1 < argc) g_port = argv[++i];
        else if (!strcmp(argv[i], "-f") && i + 1 < argc) g_path = argv[++i];
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) g_ca_file = argv[++i];
        else if (!strcmp(argv[i], "-P") && i + 1 < argc) {
            const char *p = argv[++i];
            if (!strcmp(p, "tls12")) g_protocols = SP_PROT_TLS1_2_CLIENT;
            else if (!strcmp(p, "tls13")) g_protocols = SP_PROT_TLS1_3_CLIENT;
            else return usage();
        } else if (!strcmp(argv[i], "-v")) g_verbose = 1;
        else return usage();
    }
    if (!g_server) return usage();

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
    g_sspi = InitSecurityInterfaceA();
    if (!g_sspi) {
        fprintf(stderr, "InitSecurityInterface failed\n");
        return 1;
    }
    if (g_ca_file && !(roots = load_trust_anchor(g_ca_file))) {
        fprintf(stderr, "cannot load trust anchor %s\n", g_ca_file);
        return 1;
    }
    if (CreateCredentials(&cred, roots) != SEC_E_OK) return 1;

    sock = ConnectToServer(g_server, g_port);
    if (sock == INVALID_SOCKET) {
        fprintf(stderr, "cannot connect to %s:%s\n", g_server, g_port);
        return 1;
    }
    if (PerformClientHandshake(sock, &cred, &ctx, &extra) != SEC_E_OK) {
        closesocket(sock);
        g_sspi->FreeCredentialsHandle(&cred);
        return 1;
    }
    DisplayConnectionInfo(&ctx);
    s = HttpsGetFile(sock, &cred, &ctx, &extra);
    if (extra.pvBuffer) LocalFree(extra.pvBuffer);
    ok = s == SEC_I_CONTEXT_EXPIRED;
    if (DisconnectFromServer(sock, &cred, &ctx) != SEC_E_OK) ok = 0;
    g_sspi->FreeCredentialsHandle(&cred);
    if (roots) CertCloseStore(roots, 0);
    WSACleanup();
    fprintf(stderr, "webclient: %s\n", ok ? "clean close" : "failed");
    return ok ? 0 : 1;
}
