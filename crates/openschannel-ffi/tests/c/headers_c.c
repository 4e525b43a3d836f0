/*
 * headers_c.c - compile-and-run check of the openschannel C headers.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 *
 * Uses only types and macros: no library function is called or referenced,
 * so this links without libopenschannel.  Built by check_headers.sh as C99
 * and C11, with and without UNICODE.
 */
#define SECURITY_WIN32
#include <security.h>
#include <sspi.h>
#include <schannel.h>
#include <wincrypt.h>
#include <openschannel.h>

/* Including everything twice must be harmless. */
#include <security.h>
#include <sspi.h>
#include <schannel.h>
#include <wincrypt.h>
#include <openschannel.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int passed;
static int failed;

static void check(int ok, const char *what)
{
    if (ok) {
        passed++;
        printf("ok   - %s\n", what);
    } else {
        failed++;
        printf("FAIL - %s\n", what);
    }
}

#define CHECK(expr) check((expr) ? 1 : 0, #expr)

#define STR2(x) #x
#define STR(x) STR2(x)

/* Length of a NUL-terminated UTF-16 string. */
static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n] != 0)
        n++;
    return n;
}

/* Compare a UTF-16 string with an ASCII one. */
static int weq_ascii(const WCHAR *w, const char *a)
{
    size_t i;
    for (i = 0; a[i] != '\0'; i++) {
        if (w[i] != (WCHAR)(unsigned char)a[i])
            return 0;
    }
    return w[i] == 0;
}

/* Status codes must be usable as case labels (integer constant exprs). */
static const char *classify(SECURITY_STATUS s)
{
    switch (s) {
    case SEC_E_OK:
        return "ok";
    case SEC_I_CONTINUE_NEEDED:
        return "continue";
    case SEC_I_CONTEXT_EXPIRED:
        return "expired";
    case SEC_I_RENEGOTIATE:
        return "renegotiate";
    case SEC_E_INCOMPLETE_MESSAGE:
        return "incomplete";
    case SEC_E_INVALID_TOKEN:
        return "invalid-token";
    case SEC_E_BUFFER_TOO_SMALL:
        return "buffer-too-small";
    default:
        return "other";
    }
}

int main(void)
{
    /* ---- status codes ------------------------------------------------ */
    CHECK(SEC_E_OK == 0);
    CHECK(SEC_E_INVALID_TOKEN == (int32_t)0x80090308);
    CHECK((uint32_t)SEC_E_INVALID_TOKEN == 0x80090308u);
    CHECK(SEC_E_INVALID_TOKEN < 0);
    CHECK(SEC_I_CONTEXT_EXPIRED == 0x00090317);
    CHECK(SEC_I_CONTINUE_NEEDED == 0x00090312);
    CHECK(SEC_I_RENEGOTIATE == 0x00090321);
    CHECK((uint32_t)SEC_E_BUFFER_TOO_SMALL == 0x80090321u);
    CHECK(SEC_E_BUFFER_TOO_SMALL != SEC_I_RENEGOTIATE);
    CHECK((uint32_t)SEC_E_INCOMPLETE_MESSAGE == 0x80090318u);
    CHECK((uint32_t)SEC_E_CONTEXT_EXPIRED == 0x80090317u);
    CHECK((uint32_t)SEC_E_ALGORITHM_MISMATCH == 0x80090331u);
    CHECK((uint32_t)SEC_E_APPLICATION_PROTOCOL_MISMATCH == 0x80090367u);
    CHECK((uint32_t)SEC_E_INSUFFICIENT_MEMORY == 0x80090300u);
    CHECK((uint32_t)CRYPT_E_REVOKED == 0x80092010u);
    CHECK(sizeof(SEC_E_INVALID_TOKEN) == 4);
    CHECK(sizeof(SECURITY_STATUS) == 4);
    CHECK((SECURITY_STATUS)-1 < 0); /* signed */
    CHECK(SEC_SUCCESS(SEC_I_CONTEXT_EXPIRED));
    CHECK(!SEC_SUCCESS(SEC_E_INVALID_TOKEN));
    CHECK(FAILED(SEC_E_UNSUPPORTED_FUNCTION));
    CHECK(strcmp(classify(SEC_E_BUFFER_TOO_SMALL), "buffer-too-small") == 0);
    CHECK(strcmp(classify(SEC_I_RENEGOTIATE), "renegotiate") == 0);

    /* ---- base types (LLP64 integer sizes) ----------------------------- */
    CHECK(sizeof(ULONG) == 4);
    CHECK(sizeof(LONG) == 4);
    CHECK(sizeof(DWORD) == 4);
    CHECK(sizeof(WCHAR) == 2);
    CHECK(sizeof(SEC_WCHAR) == 2);
    CHECK(sizeof(ULONG_PTR) == sizeof(void *));
    CHECK(sizeof(TimeStamp) == 8);
    CHECK(sizeof(ALG_ID) == 4);

    /* ---- struct layouts (x64 == LP64) --------------------------------- */
    if (sizeof(void *) == 8) {
        CHECK(sizeof(SecBuffer) == 16);
        CHECK(offsetof(SecBuffer, pvBuffer) == 8);
        CHECK(sizeof(SecBufferDesc) == 16);
        CHECK(sizeof(SecHandle) == 16);
        CHECK(sizeof(SCHANNEL_CRED) == 80);
        CHECK(offsetof(SCHANNEL_CRED, grbitEnabledProtocols) == 56);
        CHECK(offsetof(SCHANNEL_CRED, dwFlags) == 72);
        CHECK(offsetof(SCHANNEL_CRED, dwCredFormat) == 76);
        CHECK(sizeof(SCH_CREDENTIALS) == 72);
        CHECK(offsetof(SCH_CREDENTIALS, dwSessionLifespan) == 48);
        CHECK(offsetof(SCH_CREDENTIALS, pTlsParameters) == 64);
        CHECK(sizeof(TLS_PARAMETERS) == 40);
        CHECK(sizeof(CRYPTO_SETTINGS) == 48);
        CHECK(sizeof(SecPkgContext_Bindings) == 16);
        CHECK(sizeof(SecPkgContext_KeyingMaterialInfo) == 40);
        CHECK(sizeof(SecPkgContext_KeyingMaterial) == 16);
        CHECK(sizeof(CERT_CONTEXT) == 40);
        CHECK(offsetof(CERT_CONTEXT, hCertStore) == 32);
        CHECK(sizeof(SecurityFunctionTableW) == 256);
        CHECK(offsetof(SecurityFunctionTableA, EncryptMessage) == 200);
        CHECK(offsetof(SecurityFunctionTableW, QueryCredentialsAttributesExW) == 248);
    } else {
        printf("skip - pointer-size-dependent layouts (pointers are %u bytes)\n",
               (unsigned)sizeof(void *));
    }
    CHECK(sizeof(SecPkgContext_StreamSizes) == 20);
    CHECK(sizeof(SecPkgContext_ConnectionInfo) == 28);
    CHECK(sizeof(SecPkgContext_CipherInfo) == 680);
    CHECK(sizeof(SecPkgContext_SessionInfo) == 40);
    CHECK(sizeof(SecPkgContext_ApplicationProtocol) == 264);
    CHECK(sizeof(SEC_CHANNEL_BINDINGS) == 32);
    CHECK(sizeof(SCHANNEL_ALERT_TOKEN) == 12);
    CHECK(sizeof(SCHANNEL_SESSION_TOKEN) == 8);

    /* ---- package names ------------------------------------------------- */
    CHECK(strcmp(UNISP_NAME_A, "Microsoft Unified Security Protocol Provider") == 0);
    CHECK(strcmp(SCHANNEL_NAME_A, "Schannel") == 0);
    CHECK(strcmp(DEFAULT_TLS_SSP_NAME_A, "Default TLS SSP") == 0);
    CHECK(sizeof(UNISP_NAME_W[0]) == 2);
    CHECK(sizeof(UNISP_NAME_W) == 45 * 2);
    CHECK(wlen(UNISP_NAME_W) == 44);
    CHECK(weq_ascii(UNISP_NAME_W, UNISP_NAME_A));
    CHECK(weq_ascii(SCHANNEL_NAME_W, "Schannel"));
    CHECK(weq_ascii(DEFAULT_TLS_SSP_NAME_W, "Default TLS SSP"));
    {
        /* Windows code passes the W name to SEC_WCHAR * without a cast. */
        SEC_WCHAR *pkg = UNISP_NAME_W;
        CHECK(pkg[0] == 'M');
    }
    CHECK(UNISP_RPC_ID == 14);

    /* ---- flags --------------------------------------------------------- */
    CHECK(ISC_REQ_STREAM == 0x8000);
    CHECK(ASC_REQ_STREAM == 0x10000);
    CHECK(ISC_REQ_STREAM == ASC_REQ_EXTENDED_ERROR);
    CHECK(ISC_REQ_EXTENDED_ERROR == 0x4000);
    CHECK(ISC_RET_USED_SUPPLIED_CREDS == ISC_REQ_USE_SUPPLIED_CREDS);
    CHECK(ISC_RET_ALLOCATED_MEMORY == ISC_REQ_ALLOCATE_MEMORY);
    CHECK((ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT | ISC_RET_CONFIDENTIALITY |
           ISC_RET_STREAM | ISC_RET_USED_SUPPLIED_CREDS) == 0x809C);
    CHECK(ASC_RET_CALL_LEVEL == 0x2000 && ASC_REQ_CALL_LEVEL == 0x1000);
    CHECK(ISC_REQ_MESSAGES == 0x100000000ULL);
    CHECK(SECBUFFER_VERSION == 0);
    CHECK(SECBUFFER_EMPTY == 0 && SECBUFFER_TOKEN == 2 && SECBUFFER_EXTRA == 5);
    CHECK(SECBUFFER_STREAM_HEADER == 7 && SECBUFFER_STREAM_TRAILER == 6);
    CHECK(SECBUFFER_ALERT == 17 && SECBUFFER_APPLICATION_PROTOCOLS == 18);
    CHECK(SECBUFFER_CHANNEL_BINDINGS_RESULT == 30);
    CHECK(((SECBUFFER_TOKEN | SECBUFFER_READONLY) & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN);
    CHECK(SECPKG_CRED_INBOUND == 1 && SECPKG_CRED_OUTBOUND == 2 && SECPKG_CRED_BOTH == 3);
    CHECK(SECURITY_NATIVE_DREP == 0x10);
    CHECK(SECPKG_ATTR_STREAM_SIZES == 4);
    CHECK(SECPKG_ATTR_APPLICATION_PROTOCOL == 35);
    CHECK(SECPKG_ATTR_REMOTE_CERT_CONTEXT == 0x53);
    CHECK(SECPKG_ATTR_CONNECTION_INFO == 0x5A);
    CHECK(SECPKG_ATTR_KEYING_MATERIAL_INPROC == 0x70);
    CHECK(SCHANNEL_CRED_VERSION == 4 && SCH_CREDENTIALS_VERSION == 5);
    CHECK(SP_PROT_TLS1_2_CLIENT == 0x800 && SP_PROT_TLS1_3_CLIENT == 0x2000);
    CHECK(SP_PROT_TLS1_X_CLIENT == (0x80 | 0x200 | 0x800 | 0x2000));
    CHECK(SP_PROT_TLS1_X_SERVER == (0x40 | 0x100 | 0x400 | 0x1000));
    CHECK(SP_PROT_ALL == 0xFFFFFFFFu);
    CHECK(SCH_USE_STRONG_CRYPTO == 0x00400000);
    CHECK(SCH_CRED_MANUAL_CRED_VALIDATION == 0x8);
    CHECK(SCHANNEL_RENEGOTIATE == 0);
    CHECK(SCHANNEL_SHUTDOWN == 1);
    CHECK(SCHANNEL_ALERT == 2);
    CHECK(SCHANNEL_SESSION == 3);
    CHECK(TLS1_ALERT_FATAL == 2 && TLS1_ALERT_BAD_CERTIFICATE == 42);
    CHECK(TLS1_ALERT_INSUFFIENT_SECURITY == 71);
    CHECK(TLS1_ALERT_INSUFFICIENT_SECURITY == 71);
    CHECK(TLS1_ALERT_NO_APP_PROTOCOL == 120);
    CHECK(CALG_AES_256 == 0x6610 && CALG_ECDH_EPHEM == 0xAE06 && CALG_SHA_384 == 0x800D);
    CHECK(X509_ASN_ENCODING == 1 && PKCS_7_ASN_ENCODING == 0x10000);
    CHECK(CERT_STORE_PROV_MEMORY == (LPCSTR)(ULONG_PTR)2);
    CHECK(CERT_FIND_SUBJECT_STR_A == 0x00070007);
    CHECK(CERT_HASH_PROP_ID == 3);
    CHECK(SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 == 5);

    /* ---- handles ------------------------------------------------------- */
    {
        CredHandle cred;
        CtxtHandle ctx;
        memset(&cred, 0, sizeof cred);
        CHECK(SecIsValidHandle(&cred));
        SecInvalidateHandle(&cred);
        CHECK(!SecIsValidHandle(&cred));
        CHECK(cred.dwLower == (ULONG_PTR)-1 && cred.dwUpper == (ULONG_PTR)-1);
        ctx.dwLower = 1;
        ctx.dwUpper = (ULONG_PTR)-1; /* one invalid member is enough */
        CHECK(!SecIsValidHandle(&ctx));
        if (1)
            SecInvalidateHandle(&ctx); /* usable as an expression statement */
        else
            ctx.dwLower = 0;
        CHECK(ctx.dwLower == (ULONG_PTR)-1);
    }

    /* ---- typical Windows-style usage compiles -------------------------- */
    {
        DWORD shutdown = SCHANNEL_SHUTDOWN;
        SecBuffer buf;
        SecBufferDesc desc;
        SCHANNEL_CRED sc;
        SCH_CREDENTIALS sch;
        TLS_PARAMETERS tp;
        SecPkgContext_StreamSizes sizes;
        SecPkgContext_ApplicationProtocol alpn;
        SCHANNEL_ALERT_TOKEN alert;
        ULONG attrs = 0;
        TimeStamp expiry;
        PCCERT_CONTEXT cert = NULL;

        buf.cbBuffer = sizeof shutdown;
        buf.BufferType = SECBUFFER_TOKEN;
        buf.pvBuffer = &shutdown;
        desc.ulVersion = SECBUFFER_VERSION;
        desc.cBuffers = 1;
        desc.pBuffers = &buf;
        CHECK(desc.pBuffers[0].cbBuffer == 4);

        memset(&sc, 0, sizeof sc);
        sc.dwVersion = SCHANNEL_CRED_VERSION;
        sc.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT;
        sc.dwFlags = SCH_CRED_NO_DEFAULT_CREDS | SCH_USE_STRONG_CRYPTO;
        sc.cCreds = cert ? 1 : 0;
        sc.paCred = cert ? &cert : NULL;
        CHECK(sc.dwVersion == 4);

        memset(&tp, 0, sizeof tp);
        tp.grbitDisabledProtocols = (DWORD)~(SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT);
        memset(&sch, 0, sizeof sch);
        sch.dwVersion = SCH_CREDENTIALS_VERSION;
        sch.cTlsParameters = 1;
        sch.pTlsParameters = &tp;
        CHECK(sch.pTlsParameters->grbitDisabledProtocols == 0xFFFFD7FFu);

        memset(&sizes, 0, sizeof sizes);
        memset(&alpn, 0, sizeof alpn);
        alpn.ProtoNegoStatus = SecApplicationProtocolNegotiationStatus_Success;
        alpn.ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
        CHECK(alpn.ProtoNegoExt == 2);

        alert.dwTokenType = SCHANNEL_ALERT;
        alert.dwAlertType = TLS1_ALERT_FATAL;
        alert.dwAlertNumber = TLS1_ALERT_BAD_CERTIFICATE;
        CHECK(alert.dwAlertNumber == 42);

        expiry.QuadPart = 0;
        expiry.u.LowPart = 1;
        CHECK(expiry.QuadPart == 1);
        CHECK(attrs == 0 && sizes.cbHeader == 0);
    }

    /* ---- decoding section of wincrypt.h: Windows values ---------------- */
    CHECK(CRYPT_STRING_BASE64HEADER == 0 && CRYPT_STRING_HEX == 4 && CRYPT_STRING_HEXRAW == 0xc);
    CHECK(CRYPT_STRING_NOCR == 0x80000000u && CRYPT_STRING_NOCRLF == 0x40000000);
    CHECK(CERT_QUERY_CONTENT_FLAG_CERT == 2 && CERT_QUERY_CONTENT_FLAG_PFX == 0x1000);
    CHECK(CERT_QUERY_CONTENT_FLAG_ALL == 0x3ffe && CERT_QUERY_FORMAT_FLAG_ALL == 0xe);
    CHECK((uintptr_t)X509_ALT_NAME == 12 && (uintptr_t)X509_UNICODE_NAME == 20);
    CHECK((uintptr_t)X509_ENHANCED_KEY_USAGE == 36 && (uintptr_t)PKCS_RSA_PRIVATE_KEY == 43);
    CHECK(strcmp(szOID_SUBJECT_ALT_NAME2, "2.5.29.17") == 0);
    CHECK(CERT_ALT_NAME_DNS_NAME == 3 && CERT_ALT_NAME_IP_ADDRESS == 8);
    CHECK(CRYPT_DECODE_ALLOC_FLAG == 0x8000 && CERT_NAME_SEARCH_ALL_NAMES_FLAG == 2);
    CHECK(CERT_X500_NAME_STR == 3 && CERT_NAME_STR_REVERSE_FLAG == 0x02000000);
    CHECK(PROV_RSA_AES == 24 && CRYPT_VERIFYCONTEXT == 0xF0000000u && HP_HASHVAL == 2);
    CHECK(CALG_SHA_256 == 0x800c && CALG_MD5 == 0x8003 && CALG_RSA_KEYX == 0xa400);
    CHECK((uint32_t)NTE_BAD_KEYSET == 0x80090016u && (uint32_t)CRYPT_E_ASN1_BADTAG == 0x8009310bu);
    CHECK((uint32_t)CRYPT_E_NO_MATCH == 0x80092009u && (uint32_t)CERT_E_CHAINING == 0x800b010au);
    CHECK((uint32_t)SEC_E_NO_KERB_KEY == 0x80090348u && SEC_WINNT_AUTH_IDENTITY_UNICODE == 2);
    CHECK(ERROR_MORE_DATA == 234 && ERROR_INVALID_DATA == 13);
    {
        CERT_ALT_NAME_ENTRY e;
        e.dwAltNameChoice = CERT_ALT_NAME_DNS_NAME;
        e.pwszDNSName = NULL;
        CHECK(sizeof e == 3 * sizeof(void *) && (void *)&e.pwszDNSName == (void *)&e.IPAddress.cbData);
        CHECK(sizeof(CRYPT_KEY_PROV_INFO) == (sizeof(void *) == 8 ? 48 : 28));
    }

    /* ---- A/W mapping --------------------------------------------------- */
#ifdef UNICODE
    CHECK(strcmp(STR(AcquireCredentialsHandle), "AcquireCredentialsHandleW") == 0);
    CHECK(strcmp(STR(InitializeSecurityContext), "InitializeSecurityContextW") == 0);
    CHECK(strcmp(STR(InitSecurityInterface), "InitSecurityInterfaceW") == 0);
    CHECK(strcmp(STR(CertGetNameString), "CertGetNameStringW") == 0);
    CHECK(strcmp(STR(CryptStringToBinary), "CryptStringToBinaryW") == 0);
    CHECK(strcmp(STR(CertNameToStr), "CertNameToStrW") == 0);
    CHECK(strcmp(STR(CryptAcquireContext), "CryptAcquireContextW") == 0);
    CHECK(sizeof(SecPkgInfo) == sizeof(SecPkgInfoW));
    CHECK(sizeof(UNISP_NAME[0]) == 2);
    CHECK(strcmp(SECURITY_ENTRYPOINT_ANSI, "InitSecurityInterfaceW") == 0);
    {
        SecurityFunctionTable *table = NULL;
        INIT_SECURITY_INTERFACE init = NULL;
        CHECK(table == NULL && init == NULL);
    }
#else
    CHECK(strcmp(STR(AcquireCredentialsHandle), "AcquireCredentialsHandleA") == 0);
    CHECK(strcmp(STR(InitializeSecurityContext), "InitializeSecurityContextA") == 0);
    CHECK(strcmp(STR(InitSecurityInterface), "InitSecurityInterfaceA") == 0);
    CHECK(strcmp(STR(CertGetNameString), "CertGetNameStringA") == 0);
    CHECK(strcmp(STR(CryptStringToBinary), "CryptStringToBinaryA") == 0);
    CHECK(strcmp(MS_ENH_RSA_AES_PROV, "Microsoft Enhanced RSA and AES Cryptographic Provider") == 0);
    CHECK(strcmp(UNISP_NAME, "Microsoft Unified Security Protocol Provider") == 0);
    CHECK(strcmp(SECURITY_ENTRYPOINT_ANSI, "InitSecurityInterfaceA") == 0);
    {
        PSecurityFunctionTable table = NULL;
        INIT_SECURITY_INTERFACE init = NULL;
        CHECK(table == NULL && init == NULL);
    }
#endif

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
