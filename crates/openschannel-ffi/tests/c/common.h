/*
 * common.h - helpers shared by the openschannel C test programs: TCP sockets,
 * PEM-to-DER decoding for trust anchors, status names, a few buffer utilities.
 * Everything SSPI-related is written the way Windows code is written.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#ifndef OPENSCHANNEL_TEST_COMMON_H
#define OPENSCHANNEL_TEST_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#define SECURITY_WIN32
#include <security.h>
#include <sspi.h>
#include <schannel.h>
#include <openschannel.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static inline const char *st(SECURITY_STATUS s) { return OpenSchannelStatusName(s); }

static inline void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FATAL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* ---- sockets ---------------------------------------------------------- */

static inline void set_timeouts(int fd, int seconds) {
    struct timeval tv;
    tv.tv_sec = seconds;
    tv.tv_usec = 0;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static inline int tcp_connect(const char *host, const char *port) {
    struct addrinfo hints, *res = NULL, *ai;
    int fd = -1;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0) return -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd >= 0) set_timeouts(fd, 20);
    return fd;
}

/* Listens on 127.0.0.1:port (0 = any free port); *actual receives the port. */
static inline int tcp_listen(int port, int *actual) {
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0) {
        close(fd);
        return -1;
    }
    getsockname(fd, (struct sockaddr *)&sa, &len);
    *actual = ntohs(sa.sin_port);
    return fd;
}

/* Sends everything; returns 0 on success, -1 when the peer is gone. */
static inline int send_all(int fd, const void *data, size_t len) {
    const unsigned char *p = (const unsigned char *)data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- PEM ------------------------------------------------------------- */

static inline int b64val(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes base64 text [b, e) into out; returns the byte count. */
static inline size_t b64decode(const char *b, const char *e, unsigned char *out) {
    unsigned int acc = 0;
    int bits = 0;
    size_t n = 0;
    for (; b < e; b++) {
        int v = b64val((unsigned char)*b);
        if (v < 0) continue;
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)((acc >> bits) & 0xFF);
        }
    }
    return n;
}

static inline char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[size] = 0;
        if (len) *len = (size_t)size;
    }
    return buf;
}

/* A memory store with every CERTIFICATE block of a PEM file (the way a
 * Windows program would fill hRootStore from a CA bundle). */
static inline HCERTSTORE load_ca_store(const char *path) {
    size_t len = 0;
    char *pem = read_file(path, &len);
    const char *p, *begin = "-----BEGIN CERTIFICATE-----", *end = "-----END CERTIFICATE-----";
    HCERTSTORE store;
    if (!pem) return NULL;
    store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    for (p = strstr(pem, begin); p; p = strstr(p, begin)) {
        const char *q = strstr(p, end);
        unsigned char *der;
        size_t n;
        if (!q) break;
        p += strlen(begin);
        der = (unsigned char *)malloc((size_t)(q - p));
        n = b64decode(p, q, der);
        if (!CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der, (DWORD)n,
                                              CERT_STORE_ADD_ALWAYS, NULL))
            fprintf(stderr, "warning: bad certificate in %s\n", path);
        free(der);
        p = q;
    }
    free(pem);
    return store;
}

/* First CERTIFICATE block of a PEM file as DER (malloc'ed). */
static inline unsigned char *pem_first_der(const char *path, DWORD *len) {
    size_t flen = 0;
    char *pem = read_file(path, &flen);
    const char *p, *q;
    unsigned char *der = NULL;
    if (!pem) return NULL;
    p = strstr(pem, "-----BEGIN CERTIFICATE-----");
    q = p ? strstr(p, "-----END CERTIFICATE-----") : NULL;
    if (p && q) {
        der = (unsigned char *)malloc((size_t)(q - p));
        *len = (DWORD)b64decode(p + 27, q, der);
    }
    free(pem);
    return der;
}

#endif /* OPENSCHANNEL_TEST_COMMON_H */
