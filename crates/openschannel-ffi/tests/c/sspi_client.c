/*
 * sspi_client.c - a TLS client written the way Windows programs use
 * Schannel (see conn.h), built against libopenschannel.
 *
 * Usage: sspi_client HOST PORT [--tls12|--tls13] [--legacy] [--close-first]
 *                    [--ca FILE | --insecure] [--send TEXT] [--expect TEXT]
 *                    [--allow-eof] [--cert CHAIN.pem --key KEY.pem] [--default-creds]
 *                    [--export LABEL] [--alert N]
 *   --legacy       SCHANNEL_CRED (v4) instead of SCH_CREDENTIALS (v5)
 *   --close-first  this side starts the shutdown procedure after the reply
 *   --ca FILE      trust anchors (PEM) for automatic validation (hRootStore)
 *   --insecure     manual validation (SCH_CRED_MANUAL_CRED_VALIDATION)
 *   --allow-eof    accept a TCP close without close_notify after our shutdown
 *   --cert/--key   a client certificate (paCred), sent when the server asks
 *   --default-creds  neither SCH_CRED_NO_DEFAULT_CREDS nor ISC_REQ_USE_SUPPLIED_CREDS:
 *                  a certificate request without a certificate gives
 *                  SEC_I_INCOMPLETE_CREDENTIALS, answered as curl does
 *   --export LABEL print the endpoint binding and 32 bytes of keying material
 *   --alert N      after the handshake, send fatal alert N (SCHANNEL_ALERT) and stop
 * Prints "CLIENT OK" and exits 0 on success.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#include "conn.h"

int main(int argc, char **argv) {
    static Conn c;
    const char *port, *ca = NULL, *msg = "hello from sspi_client\n", *expect = "echo: hello";
    const char *cert = NULL, *key = NULL, *label = NULL;
    int tls12 = 0, tls13 = 0, legacy = 0, close_first = 0, insecure = 0, allow_eof = 0, i, r;
    int default_creds = 0, alert = -1;
    HCERTSTORE roots = NULL;
    PCCERT_CONTEXT pcert = NULL;
    SCHANNEL_CRED v4;
    SCH_CREDENTIALS v5;
    TLS_PARAMETERS tp;
    DWORD flags = SCH_CRED_NO_DEFAULT_CREDS | SCH_USE_STRONG_CRYPTO | SCH_CRED_REVOCATION_CHECK_CHAIN;
    SECURITY_STATUS s;

    if (argc < 3) die("usage: sspi_client HOST PORT [options]");
    c.host = argv[1];
    port = argv[2];
    for (i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--tls12")) tls12 = 1;
        else if (!strcmp(argv[i], "--tls13")) tls13 = 1;
        else if (!strcmp(argv[i], "--legacy")) legacy = 1;
        else if (!strcmp(argv[i], "--close-first")) close_first = 1;
        else if (!strcmp(argv[i], "--insecure")) insecure = 1;
        else if (!strcmp(argv[i], "--allow-eof")) allow_eof = 1;
        else if (!strcmp(argv[i], "--ca") && i + 1 < argc) ca = argv[++i];
        else if (!strcmp(argv[i], "--send") && i + 1 < argc) msg = argv[++i];
        else if (!strcmp(argv[i], "--expect") && i + 1 < argc) expect = argv[++i];
        else if (!strcmp(argv[i], "--cert") && i + 1 < argc) cert = argv[++i];
        else if (!strcmp(argv[i], "--key") && i + 1 < argc) key = argv[++i];
        else if (!strcmp(argv[i], "--default-creds")) default_creds = 1;
        else if (!strcmp(argv[i], "--export") && i + 1 < argc) label = argv[++i];
        else if (!strcmp(argv[i], "--alert") && i + 1 < argc) alert = atoi(argv[++i]);
        else die("unknown argument %s", argv[i]);
    }
    if (default_creds) flags &= ~(DWORD)SCH_CRED_NO_DEFAULT_CREDS;
    if (cert && key) {
        s = OpenSchannelCertContextFromPemFiles(cert, key, &pcert);
        if (s != SEC_E_OK) die("OpenSchannelCertContextFromPemFiles: %s", st(s));
    }
    if (ca) {
        roots = load_ca_store(ca);
        if (!roots) die("cannot load %s", ca);
    }
    flags |= insecure ? SCH_CRED_MANUAL_CRED_VALIDATION : SCH_CRED_AUTO_CRED_VALIDATION;
    if (legacy) {
        memset(&v4, 0, sizeof v4);
        v4.dwVersion = SCHANNEL_CRED_VERSION;
        v4.grbitEnabledProtocols = tls12 ? SP_PROT_TLS1_2_CLIENT : tls13 ? SP_PROT_TLS1_3_CLIENT : 0;
        /* A SCHANNEL_CRED stops at TLS 1.2 unless it opts in (openschannel extension). */
        v4.dwFlags = flags | (tls13 ? OPENSCHANNEL_SCH_CRED_ENABLE_TLS13 : 0);
        v4.hRootStore = roots;
        if (pcert) {
            v4.cCreds = 1;
            v4.paCred = &pcert;
        }
        s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &v4, NULL, NULL, &c.cred, NULL);
    } else {
        memset(&v5, 0, sizeof v5);
        memset(&tp, 0, sizeof tp);
        v5.dwVersion = SCH_CREDENTIALS_VERSION;
        v5.dwFlags = flags;
        v5.hRootStore = roots;
        if (pcert) {
            v5.cCreds = 1;
            v5.paCred = &pcert;
        }
        tp.grbitDisabledProtocols = tls12 ? SP_PROT_TLS1_3_CLIENT : tls13 ? SP_PROT_TLS1_2_CLIENT : 0;
        v5.cTlsParameters = 1;
        v5.pTlsParameters = &tp;
        s = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &v5, NULL, NULL, &c.cred, NULL);
    }
    if (s != SEC_E_OK) die("AcquireCredentialsHandle: %s", st(s));
    /* The credential keeps what it needs from the root store and the certificate. */
    if (roots) CertCloseStore(roots, 0);
    if (pcert) CertFreeCertificateContext(pcert);

    c.fd = tcp_connect(c.host, port);
    if (c.fd < 0) die("connect %s:%s", c.host, port);
    c.req = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
            ISC_REQ_STREAM | (default_creds ? 0 : ISC_REQ_USE_SUPPLIED_CREDS) |
            (insecure ? ISC_REQ_MANUAL_CRED_VALIDATION : 0);
    conn_client_hello(&c);
    s = conn_handshake(&c, 1);
    if (s != SEC_E_OK) die("handshake: %s", st(s));
    /* curl compares the returned flags with the requested ones. */
    conn_established(&c, c.req);
    {
        PCCERT_CONTEXT local = NULL;
        if (QueryContextAttributesA(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &local) == SEC_E_OK && local) {
            char name[256];
            CertGetNameStringA(local, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
            printf("client certificate sent: %s\n", name);
            CertFreeCertificateContext(local);
        }
    }
    if (label) conn_print_bindings(&c, label, 32);
    if (alert >= 0) {
        conn_send_alert(&c, (DWORD)alert);
        DeleteSecurityContext(&c.ctx);
        FreeCredentialsHandle(&c.cred);
        close(c.fd);
        printf("CLIENT OK\n");
        return 0;
    }

    conn_send(&c, msg, strlen(msg));
    r = conn_receive(&c, expect);
    if (r != 1) die("no reply containing '%s' (result %d, got '%s')", expect, r, c.plain);
    printf("received: %s", c.plain);
    if (c.plain[c.plain_len - 1] != '\n') printf("\n");
    printf("renegotiations serviced: %d\n", c.renegotiations);
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
    printf("CLIENT OK\n");
    return 0;
}
