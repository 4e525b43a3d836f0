/*
 * openschannel.h - openschannel extensions to the Windows SSPI/Schannel API.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation.
 *
 * Linux has no system certificate store with private keys (crypt32), so
 * these helpers create the PCCERT_CONTEXT values that SCHANNEL_CRED.paCred /
 * SCH_CREDENTIALS.paCred expect from PEM files or memory.  Everything else
 * is the standard API declared in <sspi.h>, <schannel.h> and <wincrypt.h>.
 */
#ifndef OPENSCHANNEL_H
#define OPENSCHANNEL_H

#include "openschannel_wintypes.h"
#include "sspi.h"
#include "schannel.h"
#include "wincrypt.h"

OPENSCHANNEL_EXTERN_C_BEGIN

/**
 * Load a certificate (chain) and its private key from PEM files and return
 * a certificate context that carries the key.
 *
 * @param cert_path  NUL-terminated path of a PEM file with one or more
 *                   CERTIFICATE blocks; the first is the end-entity
 *                   certificate, any further ones are sent as its chain.
 * @param key_path   NUL-terminated path of a PEM file with the private key
 *                   matching the first certificate (PKCS#8, PKCS#1 RSA or
 *                   SEC1 EC key).
 * @param ppCert     Receives the new context on success (unchanged on
 *                   failure).  Its hCertStore holds the whole chain.
 *
 * The context can be placed in SCHANNEL_CRED.paCred or
 * SCH_CREDENTIALS.paCred (cCreds = 1) for AcquireCredentialsHandle; the
 * credential keeps its own reference.  Release it with
 * CertFreeCertificateContext().
 *
 * @return SEC_E_OK on success; SEC_E_INVALID_PARAMETER if an argument is
 *         NULL; another negative SEC_E_* status if a file cannot be read,
 *         does not parse, or the key does not match the certificate.
 */
SECURITY_STATUS SEC_ENTRY OpenSchannelCertContextFromPemFiles(
    const char *cert_path, const char *key_path, PCCERT_CONTEXT *ppCert);

/**
 * Same as OpenSchannelCertContextFromPemFiles(), but the PEM text is given
 * in memory.  The buffers are copied and need not be NUL-terminated.
 *
 * @param cert_pem  PEM text with one or more CERTIFICATE blocks.
 * @param cert_len  Length of cert_pem in bytes.
 * @param key_pem   PEM text with the private key.
 * @param key_len   Length of key_pem in bytes.
 * @param ppCert    Receives the new context; free with
 *                  CertFreeCertificateContext().
 * @return SEC_E_OK or a negative SEC_E_* status (see above).
 */
SECURITY_STATUS SEC_ENTRY OpenSchannelCertContextFromPem(
    const BYTE *cert_pem, DWORD cert_len, const BYTE *key_pem, DWORD key_len,
    PCCERT_CONTEXT *ppCert);

/**
 * Credential attribute (an openschannel extension) for
 * SetCredentialsAttributes{A,W}: pBuffer points to a BOOL (cbBuffer =
 * sizeof(BOOL)).  TRUE makes an inbound credential *require* a common ALPN
 * protocol: a client whose SECBUFFER_APPLICATION_PROTOCOLS offer does not
 * overlap the server's (or that offers none) fails AcceptSecurityContext with
 * SEC_E_APPLICATION_PROTOCOL_MISMATCH and receives a no_application_protocol
 * alert.  FALSE (the default, as on Windows): such clients connect without an
 * application protocol (SECPKG_ATTR_APPLICATION_PROTOCOL status
 * SecApplicationProtocolNegotiationStatus_None).  Applies to contexts created
 * afterwards; SEC_E_UNSUPPORTED_FUNCTION on an outbound-only credential.
 */
#define OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED 0x4F530001

/**
 * SCHANNEL_CRED.dwFlags bit (an openschannel extension): lets a legacy
 * SCHANNEL_CRED (dwVersion SCHANNEL_CRED_VERSION) negotiate TLS 1.3.
 * Without it, as on Windows, a SCHANNEL_CRED stops at TLS 1.2: TLS 1.3 bits
 * in grbitEnabledProtocols are ignored, grbitEnabledProtocols 0 means TLS 1.2,
 * and TLS 1.3 bits alone fail AcquireCredentialsHandle with
 * SEC_E_ALGORITHM_MISMATCH.  With it, grbitEnabledProtocols 0 means TLS 1.2
 * and 1.3 and SP_PROT_TLS1_3_* are honoured, as with SCH_CREDENTIALS (which
 * needs no flag).  Ignored in SCH_CREDENTIALS.dwFlags.  Code that must also
 * build for Windows guards it with #ifdef OPENSCHANNEL_SCH_CRED_ENABLE_TLS13.
 */
#define OPENSCHANNEL_SCH_CRED_ENABLE_TLS13 0x40000000

/**
 * Symbolic name of a status code, e.g. "SEC_E_INVALID_TOKEN" for
 * SEC_E_INVALID_TOKEN or "SEC_I_CONTEXT_EXPIRED"; for diagnostics only.
 *
 * @return A pointer to a static NUL-terminated string that must not be
 *         freed; never NULL (codes without a name yield a generic string).
 */
const char *SEC_ENTRY OpenSchannelStatusName(SECURITY_STATUS status);

OPENSCHANNEL_EXTERN_C_END

#endif /* OPENSCHANNEL_H */
