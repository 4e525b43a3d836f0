/*
 * sspi.h - Security Support Provider Interface (SSPI) for openschannel.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation (Microsoft
 * Learn "sspi.h" reference); it is not a copy of any Windows SDK or
 * mingw-w64 header.
 *
 * openschannel is a Linux shared library that exports the Windows SSPI
 * entry points with the Schannel (TLS) package implemented on rustls, so
 * that C code written for Windows compiles unchanged.
 *
 * ABI notes for Linux:
 *  - every Windows `unsigned long`/`ULONG`/`DWORD` is a 32-bit integer here;
 *    declare your variables as ULONG/DWORD (not `unsigned long`, which is
 *    64-bit on Linux) when passing their address, e.g. pfContextAttr;
 *  - SEC_WCHAR/WCHAR strings are UTF-16 (16-bit), not wchar_t;
 *  - SEC_ENTRY/WINAPI are empty: the platform C calling convention is used.
 */
#ifndef OPENSCHANNEL_SSPI_H
#define OPENSCHANNEL_SSPI_H

#include "openschannel_wintypes.h"

/*
 * Windows requires one of SECURITY_WIN32 / SECURITY_KERNEL / SECURITY_MAC.
 * Only user mode exists on Linux; with nothing defined we silently assume
 * SECURITY_WIN32 semantics.
 */
#ifdef SECURITY_KERNEL
#error "openschannel: SECURITY_KERNEL (kernel-mode SSPI) is not supported; use SECURITY_WIN32"
#endif
#ifndef ISSP_LEVEL
#define ISSP_LEVEL 32
#endif
#ifndef ISSP_MODE
#define ISSP_MODE 1
#endif

OPENSCHANNEL_EXTERN_C_BEGIN

/* ========================================================================
 * Basic SSPI types
 * ======================================================================== */

typedef CHAR SEC_CHAR;
typedef WCHAR SEC_WCHAR;

#ifndef __SECSTATUS_DEFINED__
#define __SECSTATUS_DEFINED__
/** 32-bit status code; failure <=> negative. */
typedef LONG SECURITY_STATUS;
#endif

/** Calling convention of SSPI functions (platform C ABI on Linux). */
#define SEC_ENTRY WINAPI
#define SEC_FAR
#define __SEC_FAR

#ifdef UNICODE
typedef SEC_WCHAR *SECURITY_PSTR;
typedef const SEC_WCHAR *SECURITY_PCSTR;
#else
typedef SEC_CHAR *SECURITY_PSTR;
typedef const SEC_CHAR *SECURITY_PCSTR;
#endif

#ifndef __SECHANDLE_DEFINED__
#define __SECHANDLE_DEFINED__
/** Opaque credential/context handle (two pointer-sized words). */
typedef struct _SecHandle {
    ULONG_PTR dwLower;
    ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;
#endif

typedef SecHandle CredHandle;
typedef PSecHandle PCredHandle;
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle;

/** Mark a handle invalid: both members become (ULONG_PTR)-1. */
#define SecInvalidateHandle(x)                          \
    ((void)(((PSecHandle)(x))->dwLower =                \
                ((PSecHandle)(x))->dwUpper =            \
                    ((ULONG_PTR)((INT_PTR)-1))))

/** Non-zero unless either member is (ULONG_PTR)-1. */
#define SecIsValidHandle(x)                                          \
    ((((PSecHandle)(x))->dwLower != ((ULONG_PTR)((INT_PTR)-1))) &&   \
     (((PSecHandle)(x))->dwUpper != ((ULONG_PTR)((INT_PTR)-1))))

#define SEC_DELETED_HANDLE ((ULONG_PTR)(-2))

/** Times are FILETIME-style 100 ns units in a 64-bit integer. */
typedef LARGE_INTEGER _SECURITY_INTEGER, SECURITY_INTEGER, *PSECURITY_INTEGER;
typedef SECURITY_INTEGER TimeStamp;
typedef SECURITY_INTEGER *PTimeStamp;

/* ========================================================================
 * Status codes (values of winerror.h; 32-bit signed)
 * ======================================================================== */

/** Non-zero when `Status` is a success or informational code. */
#define SEC_SUCCESS(Status) ((Status) >= 0)

#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif

#define OPENSCHANNEL_SEC_STATUS(u) ((SECURITY_STATUS)OPENSCHANNEL_STATUS_FROM_U32(u))

/* --- success / informational --- */
#ifndef SEC_E_OK
#define SEC_E_OK ((SECURITY_STATUS)0x00000000)
#endif
#ifndef SEC_I_CONTINUE_NEEDED
#define SEC_I_CONTINUE_NEEDED ((SECURITY_STATUS)0x00090312)
#endif
#ifndef SEC_I_COMPLETE_NEEDED
#define SEC_I_COMPLETE_NEEDED ((SECURITY_STATUS)0x00090313)
#endif
#ifndef SEC_I_COMPLETE_AND_CONTINUE
#define SEC_I_COMPLETE_AND_CONTINUE ((SECURITY_STATUS)0x00090314)
#endif
#ifndef SEC_I_LOCAL_LOGON
#define SEC_I_LOCAL_LOGON ((SECURITY_STATUS)0x00090315)
#endif
#ifndef SEC_I_GENERIC_EXTENSION_RECEIVED
#define SEC_I_GENERIC_EXTENSION_RECEIVED ((SECURITY_STATUS)0x00090316)
#endif
#ifndef SEC_I_CONTEXT_EXPIRED
#define SEC_I_CONTEXT_EXPIRED ((SECURITY_STATUS)0x00090317)
#endif
#ifndef SEC_I_INCOMPLETE_CREDENTIALS
#define SEC_I_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x00090320)
#endif
#ifndef SEC_I_RENEGOTIATE
#define SEC_I_RENEGOTIATE ((SECURITY_STATUS)0x00090321)
#endif
#ifndef SEC_I_SIGNATURE_NEEDED
#define SEC_I_SIGNATURE_NEEDED ((SECURITY_STATUS)0x0009035C)
#endif
#ifndef SEC_I_NO_RENEGOTIATION
#define SEC_I_NO_RENEGOTIATION ((SECURITY_STATUS)0x00090360)
#endif
#ifndef SEC_I_MESSAGE_FRAGMENT
#define SEC_I_MESSAGE_FRAGMENT ((SECURITY_STATUS)0x00090364)
#endif
#ifndef SEC_I_CONTINUE_NEEDED_MESSAGE_OK
#define SEC_I_CONTINUE_NEEDED_MESSAGE_OK ((SECURITY_STATUS)0x00090366)
#endif
#ifndef SEC_I_ASYNC_CALL_PENDING
#define SEC_I_ASYNC_CALL_PENDING ((SECURITY_STATUS)0x00090368)
#endif

/* --- errors --- */
#ifndef SEC_E_INSUFFICIENT_MEMORY
#define SEC_E_INSUFFICIENT_MEMORY OPENSCHANNEL_SEC_STATUS(0x80090300u)
#endif
#ifndef SEC_E_INVALID_HANDLE
#define SEC_E_INVALID_HANDLE OPENSCHANNEL_SEC_STATUS(0x80090301u)
#endif
#ifndef SEC_E_UNSUPPORTED_FUNCTION
#define SEC_E_UNSUPPORTED_FUNCTION OPENSCHANNEL_SEC_STATUS(0x80090302u)
#endif
#ifndef SEC_E_TARGET_UNKNOWN
#define SEC_E_TARGET_UNKNOWN OPENSCHANNEL_SEC_STATUS(0x80090303u)
#endif
#ifndef SEC_E_INTERNAL_ERROR
#define SEC_E_INTERNAL_ERROR OPENSCHANNEL_SEC_STATUS(0x80090304u)
#endif
#ifndef SEC_E_SECPKG_NOT_FOUND
#define SEC_E_SECPKG_NOT_FOUND OPENSCHANNEL_SEC_STATUS(0x80090305u)
#endif
#ifndef SEC_E_NOT_OWNER
#define SEC_E_NOT_OWNER OPENSCHANNEL_SEC_STATUS(0x80090306u)
#endif
#ifndef SEC_E_CANNOT_INSTALL
#define SEC_E_CANNOT_INSTALL OPENSCHANNEL_SEC_STATUS(0x80090307u)
#endif
#ifndef SEC_E_INVALID_TOKEN
#define SEC_E_INVALID_TOKEN OPENSCHANNEL_SEC_STATUS(0x80090308u)
#endif
#ifndef SEC_E_CANNOT_PACK
#define SEC_E_CANNOT_PACK OPENSCHANNEL_SEC_STATUS(0x80090309u)
#endif
#ifndef SEC_E_QOP_NOT_SUPPORTED
#define SEC_E_QOP_NOT_SUPPORTED OPENSCHANNEL_SEC_STATUS(0x8009030Au)
#endif
#ifndef SEC_E_NO_IMPERSONATION
#define SEC_E_NO_IMPERSONATION OPENSCHANNEL_SEC_STATUS(0x8009030Bu)
#endif
#ifndef SEC_E_LOGON_DENIED
#define SEC_E_LOGON_DENIED OPENSCHANNEL_SEC_STATUS(0x8009030Cu)
#endif
#ifndef SEC_E_UNKNOWN_CREDENTIALS
#define SEC_E_UNKNOWN_CREDENTIALS OPENSCHANNEL_SEC_STATUS(0x8009030Du)
#endif
#ifndef SEC_E_NO_CREDENTIALS
#define SEC_E_NO_CREDENTIALS OPENSCHANNEL_SEC_STATUS(0x8009030Eu)
#endif
#ifndef SEC_E_MESSAGE_ALTERED
#define SEC_E_MESSAGE_ALTERED OPENSCHANNEL_SEC_STATUS(0x8009030Fu)
#endif
#ifndef SEC_E_OUT_OF_SEQUENCE
#define SEC_E_OUT_OF_SEQUENCE OPENSCHANNEL_SEC_STATUS(0x80090310u)
#endif
#ifndef SEC_E_NO_AUTHENTICATING_AUTHORITY
#define SEC_E_NO_AUTHENTICATING_AUTHORITY OPENSCHANNEL_SEC_STATUS(0x80090311u)
#endif
#ifndef SEC_E_BAD_PKGID
#define SEC_E_BAD_PKGID OPENSCHANNEL_SEC_STATUS(0x80090316u)
#endif
#ifndef SEC_E_CONTEXT_EXPIRED
#define SEC_E_CONTEXT_EXPIRED OPENSCHANNEL_SEC_STATUS(0x80090317u)
#endif
#ifndef SEC_E_INCOMPLETE_MESSAGE
#define SEC_E_INCOMPLETE_MESSAGE OPENSCHANNEL_SEC_STATUS(0x80090318u)
#endif
#ifndef SEC_E_INCOMPLETE_CREDENTIALS
#define SEC_E_INCOMPLETE_CREDENTIALS OPENSCHANNEL_SEC_STATUS(0x80090320u)
#endif
/* Same low 16 bits as SEC_I_RENEGOTIATE: always compare full values. */
#ifndef SEC_E_BUFFER_TOO_SMALL
#define SEC_E_BUFFER_TOO_SMALL OPENSCHANNEL_SEC_STATUS(0x80090321u)
#endif
#ifndef SEC_E_WRONG_PRINCIPAL
#define SEC_E_WRONG_PRINCIPAL OPENSCHANNEL_SEC_STATUS(0x80090322u)
#endif
#ifndef SEC_E_TIME_SKEW
#define SEC_E_TIME_SKEW OPENSCHANNEL_SEC_STATUS(0x80090324u)
#endif
#ifndef SEC_E_UNTRUSTED_ROOT
#define SEC_E_UNTRUSTED_ROOT OPENSCHANNEL_SEC_STATUS(0x80090325u)
#endif
#ifndef SEC_E_ILLEGAL_MESSAGE
#define SEC_E_ILLEGAL_MESSAGE OPENSCHANNEL_SEC_STATUS(0x80090326u)
#endif
#ifndef SEC_E_CERT_UNKNOWN
#define SEC_E_CERT_UNKNOWN OPENSCHANNEL_SEC_STATUS(0x80090327u)
#endif
#ifndef SEC_E_CERT_EXPIRED
#define SEC_E_CERT_EXPIRED OPENSCHANNEL_SEC_STATUS(0x80090328u)
#endif
#ifndef SEC_E_ENCRYPT_FAILURE
#define SEC_E_ENCRYPT_FAILURE OPENSCHANNEL_SEC_STATUS(0x80090329u)
#endif
#ifndef SEC_E_DECRYPT_FAILURE
#define SEC_E_DECRYPT_FAILURE OPENSCHANNEL_SEC_STATUS(0x80090330u)
#endif
#ifndef SEC_E_ALGORITHM_MISMATCH
#define SEC_E_ALGORITHM_MISMATCH OPENSCHANNEL_SEC_STATUS(0x80090331u)
#endif
#ifndef SEC_E_SECURITY_QOS_FAILED
#define SEC_E_SECURITY_QOS_FAILED OPENSCHANNEL_SEC_STATUS(0x80090332u)
#endif
#ifndef SEC_E_UNFINISHED_CONTEXT_DELETED
#define SEC_E_UNFINISHED_CONTEXT_DELETED OPENSCHANNEL_SEC_STATUS(0x80090333u)
#endif
#ifndef SEC_E_CRYPTO_SYSTEM_INVALID
#define SEC_E_CRYPTO_SYSTEM_INVALID OPENSCHANNEL_SEC_STATUS(0x80090337u)
#endif
#ifndef SEC_E_STRONG_CRYPTO_NOT_SUPPORTED
#define SEC_E_STRONG_CRYPTO_NOT_SUPPORTED OPENSCHANNEL_SEC_STATUS(0x8009033Au)
#endif
#ifndef SEC_E_SHUTDOWN_IN_PROGRESS
#define SEC_E_SHUTDOWN_IN_PROGRESS OPENSCHANNEL_SEC_STATUS(0x8009033Fu)
#endif
#ifndef SEC_E_CERT_WRONG_USAGE
#define SEC_E_CERT_WRONG_USAGE OPENSCHANNEL_SEC_STATUS(0x80090349u)
#endif
#ifndef SEC_E_DOWNGRADE_DETECTED
#define SEC_E_DOWNGRADE_DETECTED OPENSCHANNEL_SEC_STATUS(0x80090350u)
#endif
#ifndef SEC_E_ISSUING_CA_UNTRUSTED
#define SEC_E_ISSUING_CA_UNTRUSTED OPENSCHANNEL_SEC_STATUS(0x80090352u)
#endif
#ifndef SEC_E_REVOCATION_OFFLINE_C
#define SEC_E_REVOCATION_OFFLINE_C OPENSCHANNEL_SEC_STATUS(0x80090353u)
#endif
#ifndef SEC_E_INVALID_PARAMETER
#define SEC_E_INVALID_PARAMETER OPENSCHANNEL_SEC_STATUS(0x8009035Du)
#endif
#ifndef SEC_E_NO_CONTEXT
#define SEC_E_NO_CONTEXT OPENSCHANNEL_SEC_STATUS(0x80090361u)
#endif
#ifndef SEC_E_MUTUAL_AUTH_FAILED
#define SEC_E_MUTUAL_AUTH_FAILED OPENSCHANNEL_SEC_STATUS(0x80090363u)
#endif
#ifndef SEC_E_APPLICATION_PROTOCOL_MISMATCH
#define SEC_E_APPLICATION_PROTOCOL_MISMATCH OPENSCHANNEL_SEC_STATUS(0x80090367u)
#endif
#ifndef SEC_E_EXT_BUFFER_TOO_SMALL
#define SEC_E_EXT_BUFFER_TOO_SMALL OPENSCHANNEL_SEC_STATUS(0x8009036Au)
#endif
#ifndef SEC_E_INSUFFICIENT_BUFFERS
#define SEC_E_INSUFFICIENT_BUFFERS OPENSCHANNEL_SEC_STATUS(0x8009036Bu)
#endif

/* --- the rest of winerror.h's security range (no Schannel path returns
 * these; callers' error printers name them) --- */
#ifndef SEC_E_NO_TGT_REPLY
#define SEC_E_NO_TGT_REPLY OPENSCHANNEL_SEC_STATUS(0x80090334u)
#endif
#ifndef SEC_E_NO_IP_ADDRESSES
#define SEC_E_NO_IP_ADDRESSES OPENSCHANNEL_SEC_STATUS(0x80090335u)
#endif
#ifndef SEC_E_WRONG_CREDENTIAL_HANDLE
#define SEC_E_WRONG_CREDENTIAL_HANDLE OPENSCHANNEL_SEC_STATUS(0x80090336u)
#endif
#ifndef SEC_E_MAX_REFERRALS_EXCEEDED
#define SEC_E_MAX_REFERRALS_EXCEEDED OPENSCHANNEL_SEC_STATUS(0x80090338u)
#endif
#ifndef SEC_E_MUST_BE_KDC
#define SEC_E_MUST_BE_KDC OPENSCHANNEL_SEC_STATUS(0x80090339u)
#endif
#ifndef SEC_E_TOO_MANY_PRINCIPALS
#define SEC_E_TOO_MANY_PRINCIPALS OPENSCHANNEL_SEC_STATUS(0x8009033Bu)
#endif
#ifndef SEC_E_NO_PA_DATA
#define SEC_E_NO_PA_DATA OPENSCHANNEL_SEC_STATUS(0x8009033Cu)
#endif
#ifndef SEC_E_PKINIT_NAME_MISMATCH
#define SEC_E_PKINIT_NAME_MISMATCH OPENSCHANNEL_SEC_STATUS(0x8009033Du)
#endif
#ifndef SEC_E_SMARTCARD_LOGON_REQUIRED
#define SEC_E_SMARTCARD_LOGON_REQUIRED OPENSCHANNEL_SEC_STATUS(0x8009033Eu)
#endif
#ifndef SEC_E_KDC_INVALID_REQUEST
#define SEC_E_KDC_INVALID_REQUEST OPENSCHANNEL_SEC_STATUS(0x80090340u)
#endif
#ifndef SEC_E_KDC_UNABLE_TO_REFER
#define SEC_E_KDC_UNABLE_TO_REFER OPENSCHANNEL_SEC_STATUS(0x80090341u)
#endif
#ifndef SEC_E_KDC_UNKNOWN_ETYPE
#define SEC_E_KDC_UNKNOWN_ETYPE OPENSCHANNEL_SEC_STATUS(0x80090342u)
#endif
#ifndef SEC_E_UNSUPPORTED_PREAUTH
#define SEC_E_UNSUPPORTED_PREAUTH OPENSCHANNEL_SEC_STATUS(0x80090343u)
#endif
#ifndef SEC_E_DELEGATION_REQUIRED
#define SEC_E_DELEGATION_REQUIRED OPENSCHANNEL_SEC_STATUS(0x80090345u)
#endif
#ifndef SEC_E_BAD_BINDINGS
#define SEC_E_BAD_BINDINGS OPENSCHANNEL_SEC_STATUS(0x80090346u)
#endif
#ifndef SEC_E_MULTIPLE_ACCOUNTS
#define SEC_E_MULTIPLE_ACCOUNTS OPENSCHANNEL_SEC_STATUS(0x80090347u)
#endif
#ifndef SEC_E_NO_KERB_KEY
#define SEC_E_NO_KERB_KEY OPENSCHANNEL_SEC_STATUS(0x80090348u)
#endif
#ifndef SEC_E_SMARTCARD_CERT_REVOKED
#define SEC_E_SMARTCARD_CERT_REVOKED OPENSCHANNEL_SEC_STATUS(0x80090351u)
#endif
#ifndef SEC_E_PKINIT_CLIENT_FAILURE
#define SEC_E_PKINIT_CLIENT_FAILURE OPENSCHANNEL_SEC_STATUS(0x80090354u)
#endif
#ifndef SEC_E_SMARTCARD_CERT_EXPIRED
#define SEC_E_SMARTCARD_CERT_EXPIRED OPENSCHANNEL_SEC_STATUS(0x80090355u)
#endif
#ifndef SEC_E_NO_S4U_PROT_SUPPORT
#define SEC_E_NO_S4U_PROT_SUPPORT OPENSCHANNEL_SEC_STATUS(0x80090356u)
#endif
#ifndef SEC_E_CROSSREALM_DELEGATION_FAILURE
#define SEC_E_CROSSREALM_DELEGATION_FAILURE OPENSCHANNEL_SEC_STATUS(0x80090357u)
#endif
#ifndef SEC_E_REVOCATION_OFFLINE_KDC
#define SEC_E_REVOCATION_OFFLINE_KDC OPENSCHANNEL_SEC_STATUS(0x80090358u)
#endif
#ifndef SEC_E_ISSUING_CA_UNTRUSTED_KDC
#define SEC_E_ISSUING_CA_UNTRUSTED_KDC OPENSCHANNEL_SEC_STATUS(0x80090359u)
#endif
#ifndef SEC_E_KDC_CERT_EXPIRED
#define SEC_E_KDC_CERT_EXPIRED OPENSCHANNEL_SEC_STATUS(0x8009035Au)
#endif
#ifndef SEC_E_KDC_CERT_REVOKED
#define SEC_E_KDC_CERT_REVOKED OPENSCHANNEL_SEC_STATUS(0x8009035Bu)
#endif
#ifndef SEC_E_DELEGATION_POLICY
#define SEC_E_DELEGATION_POLICY OPENSCHANNEL_SEC_STATUS(0x8009035Eu)
#endif
#ifndef SEC_E_POLICY_NLTM_ONLY
#define SEC_E_POLICY_NLTM_ONLY OPENSCHANNEL_SEC_STATUS(0x8009035Fu)
#endif
#ifndef SEC_E_PKU2U_CERT_FAILURE
#define SEC_E_PKU2U_CERT_FAILURE OPENSCHANNEL_SEC_STATUS(0x80090362u)
#endif
#ifndef SEC_E_ONLY_HTTPS_ALLOWED
#define SEC_E_ONLY_HTTPS_ALLOWED OPENSCHANNEL_SEC_STATUS(0x80090365u)
#endif
#ifndef SEC_E_INVALID_UPN_NAME
#define SEC_E_INVALID_UPN_NAME OPENSCHANNEL_SEC_STATUS(0x80090369u)
#endif
#ifndef SEC_E_NOT_SUPPORTED
#define SEC_E_NOT_SUPPORTED SEC_E_UNSUPPORTED_FUNCTION
#endif
#ifndef SEC_E_NO_SPM
#define SEC_E_NO_SPM SEC_E_INTERNAL_ERROR
#endif

/* --- certificate codes Schannel and its callers report (winerror.h) --- */
#ifndef CRYPT_E_NOT_FOUND
#define CRYPT_E_NOT_FOUND OPENSCHANNEL_SEC_STATUS(0x80092004u)
#endif
#ifndef CRYPT_E_EXISTS
#define CRYPT_E_EXISTS OPENSCHANNEL_SEC_STATUS(0x80092005u)
#endif
/** Received alert certificate_revoked (44). */
#ifndef CRYPT_E_REVOKED
#define CRYPT_E_REVOKED OPENSCHANNEL_SEC_STATUS(0x80092010u)
#endif
#ifndef CERT_E_EXPIRED
#define CERT_E_EXPIRED OPENSCHANNEL_SEC_STATUS(0x800B0101u)
#endif
#ifndef CERT_E_UNTRUSTEDROOT
#define CERT_E_UNTRUSTEDROOT OPENSCHANNEL_SEC_STATUS(0x800B0109u)
#endif
#ifndef CERT_E_CN_NO_MATCH
#define CERT_E_CN_NO_MATCH OPENSCHANNEL_SEC_STATUS(0x800B010Fu)
#endif

/* ========================================================================
 * Authentication identities (SEC_WINNT_AUTH_IDENTITY*), as callers pass
 * them to AcquireCredentialsHandle for NTLM/Negotiate. Schannel takes a
 * SCHANNEL_CRED instead; these are declared so such code compiles.
 * ======================================================================== */
#define SEC_WINNT_AUTH_IDENTITY_ANSI     0x1
#define SEC_WINNT_AUTH_IDENTITY_UNICODE  0x2
#define SEC_WINNT_AUTH_IDENTITY_VERSION   0x200
#define SEC_WINNT_AUTH_IDENTITY_VERSION_2 0x201

typedef struct _SEC_WINNT_AUTH_IDENTITY_W {
    USHORT *User;
    ULONG UserLength;
    USHORT *Domain;
    ULONG DomainLength;
    USHORT *Password;
    ULONG PasswordLength;
    ULONG Flags;
} SEC_WINNT_AUTH_IDENTITY_W, *PSEC_WINNT_AUTH_IDENTITY_W;

typedef struct _SEC_WINNT_AUTH_IDENTITY_A {
    UCHAR *User;
    ULONG UserLength;
    UCHAR *Domain;
    ULONG DomainLength;
    UCHAR *Password;
    ULONG PasswordLength;
    ULONG Flags;
} SEC_WINNT_AUTH_IDENTITY_A, *PSEC_WINNT_AUTH_IDENTITY_A;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXW {
    ULONG Version;
    ULONG Length;
    USHORT *User;
    ULONG UserLength;
    USHORT *Domain;
    ULONG DomainLength;
    USHORT *Password;
    ULONG PasswordLength;
    ULONG Flags;
    USHORT *PackageList;
    ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXW, *PSEC_WINNT_AUTH_IDENTITY_EXW;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXA {
    ULONG Version;
    ULONG Length;
    UCHAR *User;
    ULONG UserLength;
    UCHAR *Domain;
    ULONG DomainLength;
    UCHAR *Password;
    ULONG PasswordLength;
    ULONG Flags;
    UCHAR *PackageList;
    ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXA, *PSEC_WINNT_AUTH_IDENTITY_EXA;

#if OPENSCHANNEL_PTR64
OPENSCHANNEL_STATIC_ASSERT(sspi_AUTH_IDENTITY_W, sizeof(SEC_WINNT_AUTH_IDENTITY_W) == 48);
OPENSCHANNEL_STATIC_ASSERT(sspi_AUTH_IDENTITY_EXW, sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) == 72);
#endif

#ifdef UNICODE
#define SEC_WINNT_AUTH_IDENTITY    SEC_WINNT_AUTH_IDENTITY_W
#define PSEC_WINNT_AUTH_IDENTITY   PSEC_WINNT_AUTH_IDENTITY_W
#define SEC_WINNT_AUTH_IDENTITY_EX SEC_WINNT_AUTH_IDENTITY_EXW
#define PSEC_WINNT_AUTH_IDENTITY_EX PSEC_WINNT_AUTH_IDENTITY_EXW
#else
#define SEC_WINNT_AUTH_IDENTITY    SEC_WINNT_AUTH_IDENTITY_A
#define PSEC_WINNT_AUTH_IDENTITY   PSEC_WINNT_AUTH_IDENTITY_A
#define SEC_WINNT_AUTH_IDENTITY_EX SEC_WINNT_AUTH_IDENTITY_EXA
#define PSEC_WINNT_AUTH_IDENTITY_EX PSEC_WINNT_AUTH_IDENTITY_EXA
#endif

/* ========================================================================
 * Security packages
 * ======================================================================== */

/** Description of a security package (EnumerateSecurityPackages etc.). */
typedef struct _SecPkgInfoW {
    ULONG fCapabilities;  /**< SECPKG_FLAG_* */
    USHORT wVersion;
    USHORT wRPCID;        /**< UNISP_RPC_ID (14) for Schannel */
    ULONG cbMaxToken;
    SEC_WCHAR *Name;
    SEC_WCHAR *Comment;
} SecPkgInfoW, *PSecPkgInfoW;

typedef struct _SecPkgInfoA {
    ULONG fCapabilities;
    USHORT wVersion;
    USHORT wRPCID;
    ULONG cbMaxToken;
    SEC_CHAR *Name;
    SEC_CHAR *Comment;
} SecPkgInfoA, *PSecPkgInfoA;

/* SecPkgInfo.fCapabilities */
#define SECPKG_FLAG_INTEGRITY                   0x00000001
#define SECPKG_FLAG_PRIVACY                     0x00000002
#define SECPKG_FLAG_TOKEN_ONLY                  0x00000004
#define SECPKG_FLAG_DATAGRAM                    0x00000008
#define SECPKG_FLAG_CONNECTION                  0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED              0x00000020
#define SECPKG_FLAG_CLIENT_ONLY                 0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR              0x00000080
#define SECPKG_FLAG_IMPERSONATION               0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME           0x00000200
#define SECPKG_FLAG_STREAM                      0x00000400
#define SECPKG_FLAG_NEGOTIABLE                  0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE              0x00001000
#define SECPKG_FLAG_LOGON                       0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS               0x00004000
#define SECPKG_FLAG_FRAGMENT                    0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH                 0x00010000
#define SECPKG_FLAG_DELEGATION                  0x00020000
#define SECPKG_FLAG_READONLY_WITH_CHECKSUM      0x00040000
#define SECPKG_FLAG_RESTRICTED_TOKENS           0x00080000
#define SECPKG_FLAG_NEGO_EXTENDER               0x00100000
#define SECPKG_FLAG_NEGOTIABLE2                 0x00200000
#define SECPKG_FLAG_APPCONTAINER_PASSTHROUGH    0x00400000
#define SECPKG_FLAG_APPCONTAINER_CHECKS         0x00800000
#define SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED 0x01000000
#define SECPKG_FLAG_APPLY_LOOPBACK              0x02000000

#define SECPKG_ID_NONE 0xFFFF

/* ========================================================================
 * Buffers
 * ======================================================================== */

/** One buffer: byte count, SECBUFFER_* type (+ attribute bits), data. */
typedef struct _SecBuffer {
    ULONG cbBuffer;
    ULONG BufferType;
    void *pvBuffer;
} SecBuffer, *PSecBuffer;

/** Array of buffers; ulVersion must be SECBUFFER_VERSION (0). */
typedef struct _SecBufferDesc {
    ULONG ulVersion;
    ULONG cBuffers;
    PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION 0

#define SECBUFFER_EMPTY                         0
#define SECBUFFER_DATA                          1
#define SECBUFFER_TOKEN                         2
#define SECBUFFER_PKG_PARAMS                    3
#define SECBUFFER_MISSING                       4
#define SECBUFFER_EXTRA                         5
#define SECBUFFER_STREAM_TRAILER                6
#define SECBUFFER_STREAM_HEADER                 7
#define SECBUFFER_NEGOTIATION_INFO              8
#define SECBUFFER_PADDING                       9
#define SECBUFFER_STREAM                        10
#define SECBUFFER_MECHLIST                      11
#define SECBUFFER_MECHLIST_SIGNATURE            12
#define SECBUFFER_TARGET                        13
#define SECBUFFER_CHANNEL_BINDINGS              14
#define SECBUFFER_CHANGE_PASS_RESPONSE          15
#define SECBUFFER_TARGET_HOST                   16
#define SECBUFFER_ALERT                         17
#define SECBUFFER_APPLICATION_PROTOCOLS         18
#define SECBUFFER_SRTP_PROTECTION_PROFILES      19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER    20
#define SECBUFFER_TOKEN_BINDING                 21
#define SECBUFFER_PRESHARED_KEY                 22
#define SECBUFFER_PRESHARED_KEY_IDENTITY        23
#define SECBUFFER_DTLS_MTU                      24
#define SECBUFFER_SEND_GENERIC_TLS_EXTENSION    25
#define SECBUFFER_SUBSCRIBE_GENERIC_TLS_EXTENSION 26
#define SECBUFFER_FLAGS                         27
#define SECBUFFER_TRAFFIC_SECRETS               28
#define SECBUFFER_CERTIFICATE_REQUEST_CONTEXT   29
#define SECBUFFER_CHANNEL_BINDINGS_RESULT       30

/* Attribute bits OR-ed into BufferType. */
#define SECBUFFER_ATTRMASK                      0xF0000000
#define SECBUFFER_READONLY                      0x80000000
#define SECBUFFER_READONLY_WITH_CHECKSUM        0x10000000
#define SECBUFFER_RESERVED                      0x60000000
#define SECBUFFER_UNMAPPED                      0x40000000
#define SECBUFFER_KERNEL_MAP                    0x20000000

/* EncryptMessage fQOP */
#define SECQOP_WRAP_NO_ENCRYPT                  0x80000001
#define SECQOP_WRAP_OOB_DATA                    0x40000000

/** Channel-binding header (SECPKG_ATTR_*_BINDINGS); data follows it. */
typedef struct _SEC_CHANNEL_BINDINGS {
    ULONG dwInitiatorAddrType;
    ULONG cbInitiatorLength;
    ULONG dwInitiatorOffset;
    ULONG dwAcceptorAddrType;
    ULONG cbAcceptorLength;
    ULONG dwAcceptorOffset;
    ULONG cbApplicationDataLength;
    ULONG dwApplicationDataOffset;
} SEC_CHANNEL_BINDINGS, *PSEC_CHANNEL_BINDINGS;

/* --- ALPN (SECBUFFER_APPLICATION_PROTOCOLS) --- */

typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT {
    SecApplicationProtocolNegotiationExt_None = 0,
    SecApplicationProtocolNegotiationExt_NPN = 1,
    SecApplicationProtocolNegotiationExt_ALPN = 2
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT, *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT;

/**
 * One protocol list: ProtoNegoExt (4 bytes), ProtocolListSize (2 bytes),
 * then the TLS wire-format list.  Note: sizeof() includes tail padding; the
 * per-list header on the wire is 6 bytes.
 */
typedef struct _SEC_APPLICATION_PROTOCOL_LIST {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;
    USHORT ProtocolListSize;
    UCHAR ProtocolList[ANYSIZE_ARRAY];
} SEC_APPLICATION_PROTOCOL_LIST, *PSEC_APPLICATION_PROTOCOL_LIST;

/** ProtocolListsSize = number of bytes of all lists that follow. */
typedef struct _SEC_APPLICATION_PROTOCOLS {
    ULONG ProtocolListsSize;
    SEC_APPLICATION_PROTOCOL_LIST ProtocolLists[ANYSIZE_ARRAY];
} SEC_APPLICATION_PROTOCOLS, *PSEC_APPLICATION_PROTOCOLS;

typedef struct _SEC_DTLS_MTU {
    USHORT PathMTU;
} SEC_DTLS_MTU, *PSEC_DTLS_MTU;

/* ========================================================================
 * Credential use, data representation, context requirements
 * ======================================================================== */

#define SECURITY_NATIVE_DREP                    0x00000010
#define SECURITY_NETWORK_DREP                   0x00000000

#define SECPKG_CRED_INBOUND                     0x00000001
#define SECPKG_CRED_OUTBOUND                    0x00000002
#define SECPKG_CRED_BOTH                        0x00000003
#define SECPKG_CRED_DEFAULT                     0x00000004
#define SECPKG_CRED_RESERVED                    0xF0000000
#define SECPKG_CRED_AUTOLOGON_RESTRICTED        0x00000010
#define SECPKG_CRED_PROCESS_POLICY_ONLY         0x00000020

/* --- InitializeSecurityContext (client) requirements --- */
#define ISC_REQ_DELEGATE                        0x00000001
#define ISC_REQ_MUTUAL_AUTH                     0x00000002
#define ISC_REQ_REPLAY_DETECT                   0x00000004
#define ISC_REQ_SEQUENCE_DETECT                 0x00000008
#define ISC_REQ_CONFIDENTIALITY                 0x00000010
#define ISC_REQ_USE_SESSION_KEY                 0x00000020
#define ISC_REQ_PROMPT_FOR_CREDS                0x00000040
#define ISC_REQ_USE_SUPPLIED_CREDS              0x00000080
#define ISC_REQ_ALLOCATE_MEMORY                 0x00000100
#define ISC_REQ_USE_DCE_STYLE                   0x00000200
#define ISC_REQ_DATAGRAM                        0x00000400
#define ISC_REQ_CONNECTION                      0x00000800
#define ISC_REQ_CALL_LEVEL                      0x00001000
#define ISC_REQ_FRAGMENT_SUPPLIED               0x00002000
#define ISC_REQ_EXTENDED_ERROR                  0x00004000
#define ISC_REQ_STREAM                          0x00008000
#define ISC_REQ_INTEGRITY                       0x00010000
#define ISC_REQ_IDENTIFY                        0x00020000
#define ISC_REQ_NULL_SESSION                    0x00040000
#define ISC_REQ_MANUAL_CRED_VALIDATION          0x00080000
#define ISC_REQ_RESERVED1                       0x00100000
#define ISC_REQ_FRAGMENT_TO_FIT                 0x00200000
#define ISC_REQ_FORWARD_CREDENTIALS             0x00400000
#define ISC_REQ_NO_INTEGRITY                    0x00800000
#define ISC_REQ_USE_HTTP_STYLE                  0x01000000
#define ISC_REQ_UNVERIFIED_TARGET_NAME          0x20000000
#define ISC_REQ_CONFIDENTIALITY_ONLY            0x40000000
/* 64-bit request bits of newer SDKs; they do not fit the 32-bit fContextReq
 * of the classic entry points. */
#define ISC_REQ_MESSAGES                        0x0000000100000000ULL
#define ISC_REQ_DEFERRED_CRED_VALIDATION        0x0000000200000000ULL
#define ISC_REQ_NO_POST_HANDSHAKE_AUTH          0x0000000400000000ULL
#define ISC_REQ_REUSE_SESSION_TICKETS           0x0000000800000000ULL
#define ISC_REQ_EXPLICIT_SESSION                0x0000001000000000ULL

#define ISC_RET_DELEGATE                        0x00000001
#define ISC_RET_MUTUAL_AUTH                     0x00000002
#define ISC_RET_REPLAY_DETECT                   0x00000004
#define ISC_RET_SEQUENCE_DETECT                 0x00000008
#define ISC_RET_CONFIDENTIALITY                 0x00000010
#define ISC_RET_USE_SESSION_KEY                 0x00000020
#define ISC_RET_USED_COLLECTED_CREDS            0x00000040
#define ISC_RET_USED_SUPPLIED_CREDS             0x00000080
#define ISC_RET_ALLOCATED_MEMORY                0x00000100
#define ISC_RET_USED_DCE_STYLE                  0x00000200
#define ISC_RET_DATAGRAM                        0x00000400
#define ISC_RET_CONNECTION                      0x00000800
#define ISC_RET_INTERMEDIATE_RETURN             0x00001000
#define ISC_RET_CALL_LEVEL                      0x00002000
#define ISC_RET_EXTENDED_ERROR                  0x00004000
#define ISC_RET_STREAM                          0x00008000
#define ISC_RET_INTEGRITY                       0x00010000
#define ISC_RET_IDENTIFY                        0x00020000
#define ISC_RET_NULL_SESSION                    0x00040000
#define ISC_RET_MANUAL_CRED_VALIDATION          0x00080000
#define ISC_RET_RESERVED1                       0x00100000
#define ISC_RET_FRAGMENT_ONLY                   0x00200000
#define ISC_RET_FORWARD_CREDENTIALS             0x00400000
#define ISC_RET_USED_HTTP_STYLE                 0x01000000
#define ISC_RET_NO_ADDITIONAL_TOKEN             0x02000000
#define ISC_RET_REAUTHENTICATION                0x08000000
#define ISC_RET_CONFIDENTIALITY_ONLY            0x40000000
#define ISC_RET_MESSAGES                        0x0000000100000000ULL

/* --- AcceptSecurityContext (server) requirements: NOTE different bit
 *     positions from ISC_* above (e.g. ISC_REQ_STREAM 0x8000 is
 *     ASC_REQ_EXTENDED_ERROR; ASC_REQ_STREAM is 0x10000). --- */
#define ASC_REQ_DELEGATE                        0x00000001
#define ASC_REQ_MUTUAL_AUTH                     0x00000002
#define ASC_REQ_REPLAY_DETECT                   0x00000004
#define ASC_REQ_SEQUENCE_DETECT                 0x00000008
#define ASC_REQ_CONFIDENTIALITY                 0x00000010
#define ASC_REQ_USE_SESSION_KEY                 0x00000020
#define ASC_REQ_SESSION_TICKET                  0x00000040
#define ASC_REQ_ALLOCATE_MEMORY                 0x00000100
#define ASC_REQ_USE_DCE_STYLE                   0x00000200
#define ASC_REQ_DATAGRAM                        0x00000400
#define ASC_REQ_CONNECTION                      0x00000800
#define ASC_REQ_CALL_LEVEL                      0x00001000
#define ASC_REQ_FRAGMENT_SUPPLIED               0x00002000
#define ASC_REQ_EXTENDED_ERROR                  0x00008000
#define ASC_REQ_STREAM                          0x00010000
#define ASC_REQ_INTEGRITY                       0x00020000
#define ASC_REQ_LICENSING                       0x00040000
#define ASC_REQ_IDENTIFY                        0x00080000
#define ASC_REQ_ALLOW_NULL_SESSION              0x00100000
#define ASC_REQ_ALLOW_NON_USER_LOGONS           0x00200000
#define ASC_REQ_ALLOW_CONTEXT_REPLAY            0x00400000
#define ASC_REQ_FRAGMENT_TO_FIT                 0x00800000
#define ASC_REQ_NO_TOKEN                        0x01000000
#define ASC_REQ_PROXY_BINDINGS                  0x04000000
#define ASC_REQ_ALLOW_MISSING_BINDINGS          0x10000000
#define ASC_REQ_MESSAGES                        0x0000000100000000ULL

#define ASC_RET_DELEGATE                        0x00000001
#define ASC_RET_MUTUAL_AUTH                     0x00000002
#define ASC_RET_REPLAY_DETECT                   0x00000004
#define ASC_RET_SEQUENCE_DETECT                 0x00000008
#define ASC_RET_CONFIDENTIALITY                 0x00000010
#define ASC_RET_USE_SESSION_KEY                 0x00000020
#define ASC_RET_SESSION_TICKET                  0x00000040
#define ASC_RET_ALLOCATED_MEMORY                0x00000100
#define ASC_RET_USED_DCE_STYLE                  0x00000200
#define ASC_RET_DATAGRAM                        0x00000400
#define ASC_RET_CONNECTION                      0x00000800
#define ASC_RET_CALL_LEVEL                      0x00002000
#define ASC_RET_THIRD_LEG_FAILED                0x00004000
#define ASC_RET_EXTENDED_ERROR                  0x00008000
#define ASC_RET_STREAM                          0x00010000
#define ASC_RET_INTEGRITY                       0x00020000
#define ASC_RET_LICENSING                       0x00040000
#define ASC_RET_IDENTIFY                        0x00080000
#define ASC_RET_NULL_SESSION                    0x00100000
#define ASC_RET_ALLOW_NON_USER_LOGONS           0x00200000
#define ASC_RET_ALLOW_CONTEXT_REPLAY            0x00400000
#define ASC_RET_FRAGMENT_ONLY                   0x00800000
#define ASC_RET_NO_TOKEN                        0x01000000
#define ASC_RET_NO_ADDITIONAL_TOKEN             0x02000000
#define ASC_RET_MESSAGES                        0x0000000100000000ULL

/* ========================================================================
 * Credential and context attributes
 * ======================================================================== */

/* QueryCredentialsAttributes IDs (generic; Schannel ones in schannel.h) */
#define SECPKG_CRED_ATTR_NAMES                  1
#define SECPKG_CRED_ATTR_SSI_PROVIDER           2
#define SECPKG_CRED_ATTR_KDC_PROXY_SETTINGS     3
#define SECPKG_CRED_ATTR_CERT                   4
#define SECPKG_CRED_ATTR_PAC_BYPASS             5

/* QueryContextAttributes IDs (generic; the Schannel-specific IDs 0x50..0x70,
 * e.g. SECPKG_ATTR_REMOTE_CERT_CONTEXT, live in schannel.h as on Windows) */
#define SECPKG_ATTR_SIZES                       0
#define SECPKG_ATTR_NAMES                       1
#define SECPKG_ATTR_LIFESPAN                    2
#define SECPKG_ATTR_DCE_INFO                    3
#define SECPKG_ATTR_STREAM_SIZES                4
#define SECPKG_ATTR_KEY_INFO                    5
#define SECPKG_ATTR_AUTHORITY                   6
#define SECPKG_ATTR_PROTO_INFO                  7
#define SECPKG_ATTR_PASSWORD_EXPIRY             8
#define SECPKG_ATTR_SESSION_KEY                 9
#define SECPKG_ATTR_PACKAGE_INFO                10
#define SECPKG_ATTR_USER_FLAGS                  11
#define SECPKG_ATTR_NEGOTIATION_INFO            12
#define SECPKG_ATTR_NATIVE_NAMES                13
#define SECPKG_ATTR_FLAGS                       14
#define SECPKG_ATTR_USE_VALIDATED               15
#define SECPKG_ATTR_CREDENTIAL_NAME             16
#define SECPKG_ATTR_TARGET_INFORMATION          17
#define SECPKG_ATTR_ACCESS_TOKEN                18
#define SECPKG_ATTR_TARGET                      19
#define SECPKG_ATTR_AUTHENTICATION_ID           20
#define SECPKG_ATTR_LOGOFF_TIME                 21
#define SECPKG_ATTR_NEGO_KEYS                   22
#define SECPKG_ATTR_PROMPTING_NEEDED            24
#define SECPKG_ATTR_UNIQUE_BINDINGS             25
#define SECPKG_ATTR_ENDPOINT_BINDINGS           26
#define SECPKG_ATTR_CLIENT_SPECIFIED_TARGET     27
#define SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS    30
#define SECPKG_ATTR_NEGO_PKG_INFO               31
#define SECPKG_ATTR_NEGO_STATUS                 32
#define SECPKG_ATTR_CONTEXT_DELETED             33
#define SECPKG_ATTR_DTLS_MTU                    34
#define SECPKG_ATTR_DATAGRAM_SIZES              SECPKG_ATTR_STREAM_SIZES
#define SECPKG_ATTR_APPLICATION_PROTOCOL        35
#define SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS   36
#define SECPKG_ATTR_IS_LOOPBACK                 37
#define SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES 128

/* SecPkgContext_NegotiationInfo.NegotiationState */
#define SECPKG_NEGOTIATION_COMPLETE             0
#define SECPKG_NEGOTIATION_OPTIMISTIC           1
#define SECPKG_NEGOTIATION_IN_PROGRESS          2
#define SECPKG_NEGOTIATION_DIRECT               3
#define SECPKG_NEGOTIATION_TRY_MULTICRED        4

/** SECPKG_CRED_ATTR_NAMES */
typedef struct _SecPkgCredentials_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgCredentials_NamesW, *PSecPkgCredentials_NamesW;

typedef struct _SecPkgCredentials_NamesA {
    SEC_CHAR *sUserName;
} SecPkgCredentials_NamesA, *PSecPkgCredentials_NamesA;

/** SECPKG_ATTR_SIZES */
typedef struct _SecPkgContext_Sizes {
    ULONG cbMaxToken;
    ULONG cbMaxSignature;
    ULONG cbBlockSize;
    ULONG cbSecurityTrailer;
} SecPkgContext_Sizes, *PSecPkgContext_Sizes;

/** SECPKG_ATTR_STREAM_SIZES: header/trailer sizes for EncryptMessage. */
typedef struct _SecPkgContext_StreamSizes {
    ULONG cbHeader;
    ULONG cbTrailer;
    ULONG cbMaximumMessage; /**< max plaintext bytes per EncryptMessage */
    ULONG cBuffers;
    ULONG cbBlockSize;
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes;

typedef SecPkgContext_StreamSizes SecPkgContext_DatagramSizes;
typedef PSecPkgContext_StreamSizes PSecPkgContext_DatagramSizes;

/** SECPKG_ATTR_NAMES */
typedef struct _SecPkgContext_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgContext_NamesW, *PSecPkgContext_NamesW;

typedef struct _SecPkgContext_NamesA {
    SEC_CHAR *sUserName;
} SecPkgContext_NamesA, *PSecPkgContext_NamesA;

/** SECPKG_ATTR_LIFESPAN */
typedef struct _SecPkgContext_Lifespan {
    TimeStamp tsStart;
    TimeStamp tsExpiry;
} SecPkgContext_Lifespan, *PSecPkgContext_Lifespan;

/** SECPKG_ATTR_KEY_INFO (names are package-allocated: FreeContextBuffer) */
typedef struct _SecPkgContext_KeyInfoW {
    SEC_WCHAR *sSignatureAlgorithmName;
    SEC_WCHAR *sEncryptAlgorithmName;
    ULONG KeySize;
    ULONG SignatureAlgorithm;
    ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoW, *PSecPkgContext_KeyInfoW;

typedef struct _SecPkgContext_KeyInfoA {
    SEC_CHAR *sSignatureAlgorithmName;
    SEC_CHAR *sEncryptAlgorithmName;
    ULONG KeySize;
    ULONG SignatureAlgorithm;
    ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoA, *PSecPkgContext_KeyInfoA;

/** SECPKG_ATTR_PACKAGE_INFO (PackageInfo: FreeContextBuffer) */
typedef struct _SecPkgContext_PackageInfoW {
    PSecPkgInfoW PackageInfo;
} SecPkgContext_PackageInfoW, *PSecPkgContext_PackageInfoW;

typedef struct _SecPkgContext_PackageInfoA {
    PSecPkgInfoA PackageInfo;
} SecPkgContext_PackageInfoA, *PSecPkgContext_PackageInfoA;

/** SECPKG_ATTR_NEGOTIATION_INFO (not supported by Schannel) */
typedef struct _SecPkgContext_NegotiationInfoW {
    PSecPkgInfoW PackageInfo;
    ULONG NegotiationState;
} SecPkgContext_NegotiationInfoW, *PSecPkgContext_NegotiationInfoW;

typedef struct _SecPkgContext_NegotiationInfoA {
    PSecPkgInfoA PackageInfo;
    ULONG NegotiationState;
} SecPkgContext_NegotiationInfoA, *PSecPkgContext_NegotiationInfoA;

/** SECPKG_ATTR_FLAGS */
typedef struct _SecPkgContext_Flags {
    ULONG Flags;
} SecPkgContext_Flags, *PSecPkgContext_Flags;

/** SECPKG_ATTR_UNIQUE_BINDINGS / SECPKG_ATTR_ENDPOINT_BINDINGS.
 *  Bindings is one package allocation (FreeContextBuffer) of BindingsLength
 *  bytes: a SEC_CHANNEL_BINDINGS header followed by the application data. */
typedef struct _SecPkgContext_Bindings {
    ULONG BindingsLength;
    SEC_CHANNEL_BINDINGS *Bindings;
} SecPkgContext_Bindings, *PSecPkgContext_Bindings;

typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS {
    SecApplicationProtocolNegotiationStatus_None = 0,
    SecApplicationProtocolNegotiationStatus_Success = 1,
    SecApplicationProtocolNegotiationStatus_SelectedClientOnly = 2
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS, *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS;

#define MAX_PROTOCOL_ID_SIZE 0xff

/** SECPKG_ATTR_APPLICATION_PROTOCOL: the negotiated ALPN protocol. */
typedef struct _SecPkgContext_ApplicationProtocol {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS ProtoNegoStatus;
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;
    UCHAR ProtocolIdSize;
    UCHAR ProtocolId[MAX_PROTOCOL_ID_SIZE];
} SecPkgContext_ApplicationProtocol, *PSecPkgContext_ApplicationProtocol;

/** SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS */
typedef struct _SecPkgContext_NegotiatedTlsExtensions {
    ULONG ExtensionsCount;
    USHORT *Extensions;
} SecPkgContext_NegotiatedTlsExtensions, *PSecPkgContext_NegotiatedTlsExtensions;

/** Unused by Schannel (pGetKeyFn of AcquireCredentialsHandle). */
typedef void (SEC_ENTRY *SEC_GET_KEY_FN)(void *Arg, void *Principal, ULONG KeyVer,
                                         void **Key, SECURITY_STATUS *Status);

/* ExportSecurityContext fFlags */
#define SECPKG_CONTEXT_EXPORT_RESET_NEW         0x00000001
#define SECPKG_CONTEXT_EXPORT_DELETE_OLD        0x00000002
#define SECPKG_CONTEXT_EXPORT_TO_KERNEL         0x00000004

/* ========================================================================
 * Functions (exported by libopenschannel) and function-pointer types
 * ======================================================================== */

/* --- credentials --- */

/**
 * Acquire a credential handle.  For Schannel pass UNISP_NAME as package
 * name and a SCHANNEL_CRED (dwVersion 4) or SCH_CREDENTIALS (dwVersion 5)
 * as pAuthData.  pszPrincipal, pvLogonId, pGetKeyFn and pvGetKeyArgument
 * are unused by Schannel.
 */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(
    SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage, ULONG fCredentialUse,
    void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
    void *pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_W)(
    SEC_WCHAR *, SEC_WCHAR *, ULONG, void *, void *, SEC_GET_KEY_FN, void *,
    PCredHandle, PTimeStamp);

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(
    SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage, ULONG fCredentialUse,
    void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
    void *pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_A)(
    SEC_CHAR *, SEC_CHAR *, ULONG, void *, void *, SEC_GET_KEY_FN, void *,
    PCredHandle, PTimeStamp);

/** Release a credential handle (contexts using it stay valid). */
SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential);
typedef SECURITY_STATUS (SEC_ENTRY *FREE_CREDENTIALS_HANDLE_FN)(PCredHandle);

SECURITY_STATUS SEC_ENTRY AddCredentialsW(
    PCredHandle hCredentials, SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
    ULONG fCredentialUse, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
    void *pvGetKeyArgument, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *ADD_CREDENTIALS_FN_W)(
    PCredHandle, SEC_WCHAR *, SEC_WCHAR *, ULONG, void *, SEC_GET_KEY_FN,
    void *, PTimeStamp);

SECURITY_STATUS SEC_ENTRY AddCredentialsA(
    PCredHandle hCredentials, SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
    ULONG fCredentialUse, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
    void *pvGetKeyArgument, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *ADD_CREDENTIALS_FN_A)(
    PCredHandle, SEC_CHAR *, SEC_CHAR *, ULONG, void *, SEC_GET_KEY_FN,
    void *, PTimeStamp);

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(
    PCredHandle phCredential, ULONG ulAttribute, void *pBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_W)(
    PCredHandle, ULONG, void *);

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(
    PCredHandle phCredential, ULONG ulAttribute, void *pBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_A)(
    PCredHandle, ULONG, void *);

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExW(
    PCredHandle phCredential, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W)(
    PCredHandle, ULONG, void *, ULONG);

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExA(
    PCredHandle phCredential, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A)(
    PCredHandle, ULONG, void *, ULONG);

SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesW(
    PCredHandle phCredential, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_W)(
    PCredHandle, ULONG, void *, ULONG);

SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(
    PCredHandle phCredential, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_A)(
    PCredHandle, ULONG, void *, ULONG);

/* --- contexts --- */

/**
 * Client handshake step.  First call: phContext NULL, output ClientHello in
 * pOutput, returns SEC_I_CONTINUE_NEEDED.  Later calls: phContext = the
 * context, pInput = [TOKEN(peer bytes), EMPTY].  Also used after
 * ApplyControlToken(SCHANNEL_SHUTDOWN) to produce the close_notify.
 */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_WCHAR *pszTargetName,
    ULONG fContextReq, ULONG Reserved1, ULONG TargetDataRep,
    PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_W)(
    PCredHandle, PCtxtHandle, SEC_WCHAR *, ULONG, ULONG, ULONG, PSecBufferDesc,
    ULONG, PCtxtHandle, PSecBufferDesc, ULONG *, PTimeStamp);

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName,
    ULONG fContextReq, ULONG Reserved1, ULONG TargetDataRep,
    PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_A)(
    PCredHandle, PCtxtHandle, SEC_CHAR *, ULONG, ULONG, ULONG, PSecBufferDesc,
    ULONG, PCtxtHandle, PSecBufferDesc, ULONG *, PTimeStamp);

/** Server handshake step (fContextReq takes ASC_REQ_* bits). */
SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(
    PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
    ULONG fContextReq, ULONG TargetDataRep, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS (SEC_ENTRY *ACCEPT_SECURITY_CONTEXT_FN)(
    PCredHandle, PCtxtHandle, PSecBufferDesc, ULONG, ULONG, PCtxtHandle,
    PSecBufferDesc, ULONG *, PTimeStamp);

SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken);
typedef SECURITY_STATUS (SEC_ENTRY *COMPLETE_AUTH_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext);
typedef SECURITY_STATUS (SEC_ENTRY *IMPERSONATE_SECURITY_CONTEXT_FN)(PCtxtHandle);

SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext);
typedef SECURITY_STATUS (SEC_ENTRY *REVERT_SECURITY_CONTEXT_FN)(PCtxtHandle);

SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, HANDLE *Token);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_SECURITY_CONTEXT_TOKEN_FN)(PCtxtHandle, HANDLE *);

/** Free a context.  Sends nothing: run the shutdown procedure first. */
SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);
typedef SECURITY_STATUS (SEC_ENTRY *DELETE_SECURITY_CONTEXT_FN)(PCtxtHandle);

/**
 * Apply a control token (one SECBUFFER_TOKEN holding e.g. the DWORD
 * SCHANNEL_SHUTDOWN, a SCHANNEL_ALERT_TOKEN or a SCHANNEL_SESSION_TOKEN);
 * the next InitializeSecurityContext/AcceptSecurityContext call produces
 * the resulting record.
 */
SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput);
typedef SECURITY_STATUS (SEC_ENTRY *APPLY_CONTROL_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(
    PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, ULONG, void *);

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(
    PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, ULONG, void *);

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(
    PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_W)(
    PCtxtHandle, ULONG, void *, ULONG);

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(
    PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_A)(
    PCtxtHandle, ULONG, void *, ULONG);

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(
    PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_W)(
    PCtxtHandle, ULONG, void *, ULONG);

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(
    PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_A)(
    PCtxtHandle, ULONG, void *, ULONG);

/** Free memory the package allocated (ALLOCATE_MEMORY tokens, SecPkgInfo
 *  arrays, attribute payloads).  NULL is accepted. */
SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer);
typedef SECURITY_STATUS (SEC_ENTRY *FREE_CONTEXT_BUFFER_FN)(PVOID);

/* --- messages --- */

SECURITY_STATUS SEC_ENTRY MakeSignature(
    PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo);
typedef SECURITY_STATUS (SEC_ENTRY *MAKE_SIGNATURE_FN)(PCtxtHandle, ULONG, PSecBufferDesc, ULONG);

SECURITY_STATUS SEC_ENTRY VerifySignature(
    PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo, ULONG *pfQOP);
typedef SECURITY_STATUS (SEC_ENTRY *VERIFY_SIGNATURE_FN)(PCtxtHandle, PSecBufferDesc, ULONG, ULONG *);

/**
 * Encrypt one TLS record in place.  pMessage = [STREAM_HEADER(cbHeader),
 * DATA(plaintext <= cbMaximumMessage), STREAM_TRAILER(cbTrailer), EMPTY].
 */
SECURITY_STATUS SEC_ENTRY EncryptMessage(
    PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo);
typedef SECURITY_STATUS (SEC_ENTRY *ENCRYPT_MESSAGE_FN)(PCtxtHandle, ULONG, PSecBufferDesc, ULONG);

/**
 * Decrypt one TLS record in place.  pMessage = [DATA(received bytes), EMPTY,
 * EMPTY, EMPTY]; on return [STREAM_HEADER, DATA(plaintext), STREAM_TRAILER,
 * EXTRA(if bytes remain)].  Returns SEC_I_CONTEXT_EXPIRED when the peer
 * sent close_notify and SEC_E_INCOMPLETE_MESSAGE when more bytes are needed.
 */
SECURITY_STATUS SEC_ENTRY DecryptMessage(
    PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo, ULONG *pfQOP);
typedef SECURITY_STATUS (SEC_ENTRY *DECRYPT_MESSAGE_FN)(PCtxtHandle, PSecBufferDesc, ULONG, ULONG *);

/* --- packages --- */

/** *ppPackageInfo is freed with FreeContextBuffer. */
SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages, PSecPkgInfoW *ppPackageInfo);
typedef SECURITY_STATUS (SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_W)(ULONG *, PSecPkgInfoW *);

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages, PSecPkgInfoA *ppPackageInfo);
typedef SECURITY_STATUS (SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_A)(ULONG *, PSecPkgInfoA *);

/** *ppPackageInfo is freed with FreeContextBuffer. */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName, PSecPkgInfoW *ppPackageInfo);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_W)(SEC_WCHAR *, PSecPkgInfoW *);

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName, PSecPkgInfoA *ppPackageInfo);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_A)(SEC_CHAR *, PSecPkgInfoA *);

/* --- context export/import --- */

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(
    PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext, void **pToken);
typedef SECURITY_STATUS (SEC_ENTRY *EXPORT_SECURITY_CONTEXT_FN)(PCtxtHandle, ULONG, PSecBuffer, void **);

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(
    SEC_WCHAR *pszPackage, PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext);
typedef SECURITY_STATUS (SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_W)(SEC_WCHAR *, PSecBuffer, void *, PCtxtHandle);

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(
    SEC_CHAR *pszPackage, PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext);
typedef SECURITY_STATUS (SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_A)(SEC_CHAR *, PSecBuffer, void *, PCtxtHandle);

/* Type of the ChangeAccountPassword slot of the function table (the
 * function itself is not exported by openschannel). */
typedef SECURITY_STATUS (SEC_ENTRY *CHANGE_PASSWORD_FN_W)(
    SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *, BOOLEAN,
    ULONG, PSecBufferDesc);
typedef SECURITY_STATUS (SEC_ENTRY *CHANGE_PASSWORD_FN_A)(
    SEC_CHAR *, SEC_CHAR *, SEC_CHAR *, SEC_CHAR *, SEC_CHAR *, BOOLEAN,
    ULONG, PSecBufferDesc);

/* ========================================================================
 * Dispatch table (InitSecurityInterface)
 * ======================================================================== */

#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION   1
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_2 2
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_3 3
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 4
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 5

/** Wide-character dispatch table; slot order is ABI.  NULL slots are
 *  unsupported functions. */
typedef struct _SECURITY_FUNCTION_TABLE_W {
    ULONG dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_W EnumerateSecurityPackagesW;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_W QueryCredentialsAttributesW;
    ACQUIRE_CREDENTIALS_HANDLE_FN_W AcquireCredentialsHandleW;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialsHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_W InitializeSecurityContextW;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_W QueryContextAttributesW;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_W QuerySecurityPackageInfoW;
    void *Reserved3;
    void *Reserved4;
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_W ImportSecurityContextW;
    ADD_CREDENTIALS_FN_W AddCredentialsW;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_W SetContextAttributesW;
    SET_CREDENTIALS_ATTRIBUTES_FN_W SetCredentialsAttributesW;
    CHANGE_PASSWORD_FN_W ChangeAccountPasswordW; /* "Reserved9" */
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_W QueryContextAttributesExW;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W QueryCredentialsAttributesExW;
} SecurityFunctionTableW, *PSecurityFunctionTableW;

/** ANSI dispatch table; same slot order as SecurityFunctionTableW. */
typedef struct _SECURITY_FUNCTION_TABLE_A {
    ULONG dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_A EnumerateSecurityPackagesA;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_A QueryCredentialsAttributesA;
    ACQUIRE_CREDENTIALS_HANDLE_FN_A AcquireCredentialsHandleA;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialsHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_A InitializeSecurityContextA;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_A QueryContextAttributesA;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_A QuerySecurityPackageInfoA;
    void *Reserved3;
    void *Reserved4;
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_A ImportSecurityContextA;
    ADD_CREDENTIALS_FN_A AddCredentialsA;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_A SetContextAttributesA;
    SET_CREDENTIALS_ATTRIBUTES_FN_A SetCredentialsAttributesA;
    CHANGE_PASSWORD_FN_A ChangeAccountPasswordA; /* "Reserved9" */
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_A QueryContextAttributesExA;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A QueryCredentialsAttributesExA;
} SecurityFunctionTableA, *PSecurityFunctionTableA;

/** Return the library's static dispatch table (never freed). */
PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void);
typedef PSecurityFunctionTableW (SEC_ENTRY *INIT_SECURITY_INTERFACE_W)(void);

PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void);
typedef PSecurityFunctionTableA (SEC_ENTRY *INIT_SECURITY_INTERFACE_A)(void);

/* Symbol names for dlsym()/GetProcAddress(). */
#define SECURITY_ENTRYPOINT_ANSIW "InitSecurityInterfaceW"
#define SECURITY_ENTRYPOINT_ANSIA "InitSecurityInterfaceA"
#define SECURITY_ENTRYPOINT16 "INITSECURITYINTERFACEA"

/* Old misspelling kept by Windows. */
#define FreeCredentialHandle FreeCredentialsHandle

/* ========================================================================
 * A/W mapping (UNICODE selects the W forms, as on Windows)
 * ======================================================================== */

#ifdef UNICODE
#define SecPkgInfo SecPkgInfoW
#define PSecPkgInfo PSecPkgInfoW
#define SecPkgCredentials_Names SecPkgCredentials_NamesW
#define PSecPkgCredentials_Names PSecPkgCredentials_NamesW
#define SecPkgContext_Names SecPkgContext_NamesW
#define PSecPkgContext_Names PSecPkgContext_NamesW
#define SecPkgContext_KeyInfo SecPkgContext_KeyInfoW
#define PSecPkgContext_KeyInfo PSecPkgContext_KeyInfoW
#define SecPkgContext_PackageInfo SecPkgContext_PackageInfoW
#define PSecPkgContext_PackageInfo PSecPkgContext_PackageInfoW
#define SecPkgContext_NegotiationInfo SecPkgContext_NegotiationInfoW
#define PSecPkgContext_NegotiationInfo PSecPkgContext_NegotiationInfoW
#define AcquireCredentialsHandle AcquireCredentialsHandleW
#define ACQUIRE_CREDENTIALS_HANDLE_FN ACQUIRE_CREDENTIALS_HANDLE_FN_W
#define AddCredentials AddCredentialsW
#define ADD_CREDENTIALS_FN ADD_CREDENTIALS_FN_W
#define QueryCredentialsAttributes QueryCredentialsAttributesW
#define QUERY_CREDENTIALS_ATTRIBUTES_FN QUERY_CREDENTIALS_ATTRIBUTES_FN_W
#define QueryCredentialsAttributesEx QueryCredentialsAttributesExW
#define QUERY_CREDENTIALS_ATTRIBUTES_EX_FN QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W
#define SetCredentialsAttributes SetCredentialsAttributesW
#define SET_CREDENTIALS_ATTRIBUTES_FN SET_CREDENTIALS_ATTRIBUTES_FN_W
#define InitializeSecurityContext InitializeSecurityContextW
#define INITIALIZE_SECURITY_CONTEXT_FN INITIALIZE_SECURITY_CONTEXT_FN_W
#define QueryContextAttributes QueryContextAttributesW
#define QUERY_CONTEXT_ATTRIBUTES_FN QUERY_CONTEXT_ATTRIBUTES_FN_W
#define QueryContextAttributesEx QueryContextAttributesExW
#define QUERY_CONTEXT_ATTRIBUTES_EX_FN QUERY_CONTEXT_ATTRIBUTES_EX_FN_W
#define SetContextAttributes SetContextAttributesW
#define SET_CONTEXT_ATTRIBUTES_FN SET_CONTEXT_ATTRIBUTES_FN_W
#define EnumerateSecurityPackages EnumerateSecurityPackagesW
#define ENUMERATE_SECURITY_PACKAGES_FN ENUMERATE_SECURITY_PACKAGES_FN_W
#define QuerySecurityPackageInfo QuerySecurityPackageInfoW
#define QUERY_SECURITY_PACKAGE_INFO_FN QUERY_SECURITY_PACKAGE_INFO_FN_W
#define ImportSecurityContext ImportSecurityContextW
#define IMPORT_SECURITY_CONTEXT_FN IMPORT_SECURITY_CONTEXT_FN_W
#define CHANGE_PASSWORD_FN CHANGE_PASSWORD_FN_W
#define SecurityFunctionTable SecurityFunctionTableW
#define PSecurityFunctionTable PSecurityFunctionTableW
#define InitSecurityInterface InitSecurityInterfaceW
#define INIT_SECURITY_INTERFACE INIT_SECURITY_INTERFACE_W
#define SECURITY_ENTRYPOINT_ANSI SECURITY_ENTRYPOINT_ANSIW
#else
#define SecPkgInfo SecPkgInfoA
#define PSecPkgInfo PSecPkgInfoA
#define SecPkgCredentials_Names SecPkgCredentials_NamesA
#define PSecPkgCredentials_Names PSecPkgCredentials_NamesA
#define SecPkgContext_Names SecPkgContext_NamesA
#define PSecPkgContext_Names PSecPkgContext_NamesA
#define SecPkgContext_KeyInfo SecPkgContext_KeyInfoA
#define PSecPkgContext_KeyInfo PSecPkgContext_KeyInfoA
#define SecPkgContext_PackageInfo SecPkgContext_PackageInfoA
#define PSecPkgContext_PackageInfo PSecPkgContext_PackageInfoA
#define SecPkgContext_NegotiationInfo SecPkgContext_NegotiationInfoA
#define PSecPkgContext_NegotiationInfo PSecPkgContext_NegotiationInfoA
#define AcquireCredentialsHandle AcquireCredentialsHandleA
#define ACQUIRE_CREDENTIALS_HANDLE_FN ACQUIRE_CREDENTIALS_HANDLE_FN_A
#define AddCredentials AddCredentialsA
#define ADD_CREDENTIALS_FN ADD_CREDENTIALS_FN_A
#define QueryCredentialsAttributes QueryCredentialsAttributesA
#define QUERY_CREDENTIALS_ATTRIBUTES_FN QUERY_CREDENTIALS_ATTRIBUTES_FN_A
#define QueryCredentialsAttributesEx QueryCredentialsAttributesExA
#define QUERY_CREDENTIALS_ATTRIBUTES_EX_FN QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A
#define SetCredentialsAttributes SetCredentialsAttributesA
#define SET_CREDENTIALS_ATTRIBUTES_FN SET_CREDENTIALS_ATTRIBUTES_FN_A
#define InitializeSecurityContext InitializeSecurityContextA
#define INITIALIZE_SECURITY_CONTEXT_FN INITIALIZE_SECURITY_CONTEXT_FN_A
#define QueryContextAttributes QueryContextAttributesA
#define QUERY_CONTEXT_ATTRIBUTES_FN QUERY_CONTEXT_ATTRIBUTES_FN_A
#define QueryContextAttributesEx QueryContextAttributesExA
#define QUERY_CONTEXT_ATTRIBUTES_EX_FN QUERY_CONTEXT_ATTRIBUTES_EX_FN_A
#define SetContextAttributes SetContextAttributesA
#define SET_CONTEXT_ATTRIBUTES_FN SET_CONTEXT_ATTRIBUTES_FN_A
#define EnumerateSecurityPackages EnumerateSecurityPackagesA
#define ENUMERATE_SECURITY_PACKAGES_FN ENUMERATE_SECURITY_PACKAGES_FN_A
#define QuerySecurityPackageInfo QuerySecurityPackageInfoA
#define QUERY_SECURITY_PACKAGE_INFO_FN QUERY_SECURITY_PACKAGE_INFO_FN_A
#define ImportSecurityContext ImportSecurityContextA
#define IMPORT_SECURITY_CONTEXT_FN IMPORT_SECURITY_CONTEXT_FN_A
#define CHANGE_PASSWORD_FN CHANGE_PASSWORD_FN_A
#define SecurityFunctionTable SecurityFunctionTableA
#define PSecurityFunctionTable PSecurityFunctionTableA
#define InitSecurityInterface InitSecurityInterfaceA
#define INIT_SECURITY_INTERFACE INIT_SECURITY_INTERFACE_A
#define SECURITY_ENTRYPOINT_ANSI SECURITY_ENTRYPOINT_ANSIA
#endif

OPENSCHANNEL_EXTERN_C_END

/* ========================================================================
 * Layout checks (x64 Windows layouts == LP64 Linux layouts)
 * ======================================================================== */

OPENSCHANNEL_STATIC_ASSERT(sspi_SECURITY_STATUS, sizeof(SECURITY_STATUS) == 4);
OPENSCHANNEL_STATIC_ASSERT(sspi_TimeStamp, sizeof(TimeStamp) == 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_StreamSizes, sizeof(SecPkgContext_StreamSizes) == 20);
OPENSCHANNEL_STATIC_ASSERT(sspi_Sizes, sizeof(SecPkgContext_Sizes) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_SEC_CHANNEL_BINDINGS, sizeof(SEC_CHANNEL_BINDINGS) == 32);
OPENSCHANNEL_STATIC_ASSERT(sspi_ApplicationProtocol, sizeof(SecPkgContext_ApplicationProtocol) == 264);
OPENSCHANNEL_STATIC_ASSERT(sspi_ApplicationProtocol_Id,
                           offsetof(SecPkgContext_ApplicationProtocol, ProtocolId) == 9);
OPENSCHANNEL_STATIC_ASSERT(sspi_ALPN_ListSize,
                           offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolListSize) == 4);
OPENSCHANNEL_STATIC_ASSERT(sspi_ALPN_List, offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) == 6);
OPENSCHANNEL_STATIC_ASSERT(sspi_ALPN_Lists, offsetof(SEC_APPLICATION_PROTOCOLS, ProtocolLists) == 4);

#if OPENSCHANNEL_PTR64
OPENSCHANNEL_STATIC_ASSERT(sspi_SecHandle, sizeof(SecHandle) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecBuffer, sizeof(SecBuffer) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecBuffer_pv, offsetof(SecBuffer, pvBuffer) == 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecBufferDesc, sizeof(SecBufferDesc) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecBufferDesc_p, offsetof(SecBufferDesc, pBuffers) == 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecPkgInfoA, sizeof(SecPkgInfoA) == 32);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecPkgInfoW, sizeof(SecPkgInfoW) == 32);
OPENSCHANNEL_STATIC_ASSERT(sspi_SecPkgInfo_Name, offsetof(SecPkgInfoW, Name) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_Bindings, sizeof(SecPkgContext_Bindings) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_KeyInfoA, sizeof(SecPkgContext_KeyInfoA) == 32);
OPENSCHANNEL_STATIC_ASSERT(sspi_KeyInfoW, sizeof(SecPkgContext_KeyInfoW) == 32);
OPENSCHANNEL_STATIC_ASSERT(sspi_NegotiationInfo, sizeof(SecPkgContext_NegotiationInfoW) == 16);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW, sizeof(SecurityFunctionTableW) == 32 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableA, sizeof(SecurityFunctionTableA) == 32 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_Enum,
                           offsetof(SecurityFunctionTableW, EnumerateSecurityPackagesW) == 1 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_ISC,
                           offsetof(SecurityFunctionTableW, InitializeSecurityContextW) == 6 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_ACT, offsetof(SecurityFunctionTableW, ApplyControlToken) == 10 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_FCB, offsetof(SecurityFunctionTableW, FreeContextBuffer) == 16 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_Enc, offsetof(SecurityFunctionTableW, EncryptMessage) == 25 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_Dec, offsetof(SecurityFunctionTableW, DecryptMessage) == 26 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableW_QCredEx,
                           offsetof(SecurityFunctionTableW, QueryCredentialsAttributesExW) == 31 * 8);
OPENSCHANNEL_STATIC_ASSERT(sspi_FnTableA_QCredEx,
                           offsetof(SecurityFunctionTableA, QueryCredentialsAttributesExA) == 31 * 8);
#endif

#endif /* OPENSCHANNEL_SSPI_H */
