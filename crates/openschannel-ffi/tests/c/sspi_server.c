/*
 * sspi_server.c - a TLS server written the way Windows programs use
 * Schannel (see conn.h), built against libopenschannel. Serves one
 * connection: reads one line, answers "echo: <line>", then runs the
 * shutdown procedure.
 *
 * Usage: sspi_server --cert CHAIN.pem --key KEY.pem [--port N] [--tls12|--tls13]
 *                    [--legacy] [--close-first] [--allow-eof] [--mutual]
 *                    [--client-ca CA.pem] [--export LABEL] [--alert N]
 *   --mutual         ASC_REQ_MUTUAL_AUTH: ask for a client certificate
 *   --client-ca FILE trust anchors for client certificates (hRootStore); without it a
 *                    requested chain is only shown, not judged
 *   --export LABEL   print the endpoint binding and 32 bytes of keying material
 *   --alert N        after the handshake, send fatal alert N (SCHANNEL_ALERT) and stop
 * Prints "LISTENING <port>" once listening and "SERVER OK" on success.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "conn.h"

int main(int argc, char **argv) {
    static Conn c;
    const char *cert = NULL, *key = NULL, *client_ca = NULL, *label = NULL;
    int port = 0, actual = 0, tls12 = 0, tls13 = 0, legacy = 0, close_first = 0, allow_eof = 0, i, r, lfd;
    int mutual = 0, alert = -1;
    HCERTSTORE roots = NULL;
    PCCERT_CONTEXT pcert = NULL;
    SCHANNEL_CRED v4;
    SCH_CREDENTIALS v5;
    TLS_PARAMETERS tp;
    SECURITY_STATUS s;
    static char reply[sizeof c.plain + 8];

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tls12")) tls12 = 1;
        else if (!strcmp(argv[i], "--tls13")) tls13 = 1;
        else if (!strcmp(argv[i], "--legacy")) legacy = 1;
        else if (!strcmp(argv[i], "--close-first")) close_first = 1;
        else if (!strcmp(argv[i], "--allow-eof")) allow_eof = 1;
        else if (!strcmp(argv[i], "--cert") && i + 1 < argc) cert = argv[++i];
        else if (!strcmp(argv[i], "--key") && i + 1 < argc) key = argv[++i];
        else if (!strcmp(argv[i], "--port") && i + 1 < argc) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--mutual")) mutual = 1;
        else if (!strcmp(argv[i], "--client-ca") && i + 1 < argc) client_ca = argv[++i];
        else if (!strcmp(argv[i], "--export") && i + 1 < argc) label = argv[++i];
        else if (!strcmp(argv[i], "--alert") && i + 1 < argc) alert = atoi(argv[++i]);
        else die("unknown argument %s", argv[i]);
    }
    if (client_ca) {
        roots = load_ca_store(client_ca);
        if (!roots) die("cannot load %s", client_ca);
    }
    if (!cert || !key) die("--cert and --key are required");
    s = OpenSchannelCertContextFromPemFiles(cert, key, &pcert);
    if (s != SEC_E_OK) die("OpenSchannelCertContextFromPemFiles: %s", st(s));
    if (legacy) {
        memset(&v4, 0, sizeof v4);
        v4.dwVersion = SCHANNEL_CRED_VERSION;
        v4.cCreds = 1;
        v4.paCred = &pcert;
        v4.grbitEnabledProtocols = tls12 ? SP_PROT_TLS1_2_SERVER : tls13 ? SP_PROT_TLS1_3_SERVER : 0;
        /* A SCHANNEL_CRED stops at TLS 1.2 unless it opts in (openschannel extension). */
        v4.dwFlags = SCH_SEND_AUX_RECORD | SCH_CRED_NO_SYSTEM_MAPPER | (tls13 ? OPENSCHANNEL_SCH_CRED_ENABLE_TLS13 : 0);
        v4.hRootStore = roots;
        s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &v4, NULL, NULL, &c.cred, NULL);
    } else {
        memset(&v5, 0, sizeof v5);
        memset(&tp, 0, sizeof tp);
        v5.dwVersion = SCH_CREDENTIALS_VERSION;
        v5.cCreds = 1;
        v5.paCred = &pcert;
        v5.dwFlags = SCH_SEND_AUX_RECORD | SCH_CRED_NO_SYSTEM_MAPPER;
        v5.hRootStore = roots;
        tp.grbitDisabledProtocols = tls12 ? SP_PROT_TLS1_3_SERVER : tls13 ? SP_PROT_TLS1_2_SERVER : 0;
        v5.cTlsParameters = 1;
        v5.pTlsParameters = &tp;
        s = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL, &v5, NULL, NULL, &c.cred, NULL);
    }
    if (s != SEC_E_OK) die("AcquireCredentialsHandle: %s", st(s));
    /* The credential holds its own reference (and a copy of the root store). */
    CertFreeCertificateContext(pcert);
    if (roots) CertCloseStore(roots, 0);

    lfd = tcp_listen(port, &actual);
    if (lfd < 0) die("listen");
    printf("LISTENING %d\n", actual);
    fflush(stdout);
    c.fd = accept(lfd, NULL, NULL);
    if (c.fd < 0) die("accept");
    close(lfd);
    set_timeouts(c.fd, 20);
    c.server = 1;
    c.req = ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | ASC_REQ_EXTENDED_ERROR |
            ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM | (mutual ? ASC_REQ_MUTUAL_AUTH : 0);
    s = conn_handshake(&c, 1);
    if (s != SEC_E_OK) {
        printf("handshake failed: %s\n", st(s));
        fflush(stdout);
        die("handshake: %s", st(s));
    }
    conn_established(&c, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY | ASC_RET_EXTENDED_ERROR |
                             ASC_RET_ALLOCATED_MEMORY | ASC_RET_STREAM);
    if (mutual) {
        PCCERT_CONTEXT remote = NULL;
        s = QueryContextAttributesA(&c.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote);
        if (s == SEC_E_OK && remote) {
            char name[256];
            CertGetNameStringA(remote, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
            printf("client certificate: %s\n", name);
            CertFreeCertificateContext(remote);
        } else if (s == SEC_E_NO_CREDENTIALS) {
            printf("client certificate: none\n");
        } else {
            die("SECPKG_ATTR_REMOTE_CERT_CONTEXT: %s", st(s));
        }
        fflush(stdout);
    }
    if (label) conn_print_bindings(&c, label, 32);
    if (alert >= 0) {
        conn_send_alert(&c, (DWORD)alert);
        DeleteSecurityContext(&c.ctx);
        FreeCredentialsHandle(&c.cred);
        close(c.fd);
        printf("SERVER OK\n");
        return 0;
    }

    r = conn_receive(&c, "\n");
    if (r != 1) die("no request line (result %d)", r);
    printf("received: %s", c.plain);
    strcpy(reply, "echo: ");
    strcat(reply, c.plain);
    c.plain_len = 0;
    c.plain[0] = 0;
    conn_send(&c, reply, strlen(reply));
    if (close_first) {
        conn_shutdown(&c);
        r = conn_receive(&c, NULL);
        if (r == 0) printf("peer close_notify: SEC_I_CONTEXT_EXPIRED\n");
        else if (r == -1 && allow_eof) printf("peer closed TCP\n");
        else die("after our close_notify: result %d", r);
    } else {
        r = conn_receive(&c, NULL);
        if (r != 0) die("expected the peer's close_notify, result %d", r);
        printf("peer close_notify: SEC_I_CONTEXT_EXPIRED\n");
        conn_shutdown(&c);
    }
    conn_close(&c);
    printf("SERVER OK\n");
    return 0;
}
