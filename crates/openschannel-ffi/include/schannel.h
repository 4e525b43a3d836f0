/*
 * schannel.h - Schannel (TLS) security package definitions for openschannel.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation (Microsoft
 * Learn "schannel.h" reference); it is not a copy of any Windows SDK or
 * mingw-w64 header.
 *
 * Differences from the Windows header worth knowing:
 *  - SCH_CREDENTIALS / TLS_PARAMETERS / CRYPTO_SETTINGS are always declared
 *    (Windows hides them unless SCHANNEL_USE_BLACKLISTS is defined; defining
 *    it is harmless here).  UNICODE_STRING is declared if needed.
 *  - The *_NAME_W strings are UTF-16: u"..." literals in C11/C++11, static
 *    WCHAR arrays in C99 (L"..." would be 32-bit wchar_t on Linux).
 */
#ifndef OPENSCHANNEL_SCHANNEL_H
#define OPENSCHANNEL_SCHANNEL_H

#include "openschannel_wintypes.h"
#include "sspi.h"
#include "wincrypt.h"

OPENSCHANNEL_EXTERN_C_BEGIN

/* ========================================================================
 * Package names
 * ======================================================================== */

/** The package name callers pass to AcquireCredentialsHandle. */
#define UNISP_NAME_A           "Microsoft Unified Security Protocol Provider"
#define SCHANNEL_NAME_A        "Schannel"
#define DEFAULT_TLS_SSP_NAME_A "Default TLS SSP"
#define SSL2SP_NAME_A          "Microsoft SSL 2.0"
#define SSL3SP_NAME_A          "Microsoft SSL 3.0"
#define TLS1SP_NAME_A          "Microsoft TLS 1.0"
#define PCT1SP_NAME_A          "Microsoft PCT 1.0"

#if OPENSCHANNEL_HAVE_U16_LITERALS
/* C11 / C++11: UTF-16 string literals (char16_t; WCHAR is char16_t in C++
 * and uint16_t == uint_least16_t == char16_t in C). */
#define UNISP_NAME_W           u"Microsoft Unified Security Protocol Provider"
#define SCHANNEL_NAME_W        u"Schannel"
#define DEFAULT_TLS_SSP_NAME_W u"Default TLS SSP"
#define SSL2SP_NAME_W          u"Microsoft SSL 2.0"
#define SSL3SP_NAME_W          u"Microsoft SSL 3.0"
#define TLS1SP_NAME_W          u"Microsoft TLS 1.0"
#define PCT1SP_NAME_W          u"Microsoft PCT 1.0"
#else
/*
 * C99 fallback: NUL-terminated UTF-16 arrays with internal linkage (one
 * copy per translation unit).  They are deliberately not const, like a
 * Windows L"..." literal, so that passing them to SEC_WCHAR * parameters
 * needs no cast.  Do not modify them.  Unlike literals they cannot be
 * concatenated with other strings.
 */
static WCHAR openschannel_unisp_name_w[45] OPENSCHANNEL_MAYBE_UNUSED = {
    'M', 'i', 'c', 'r', 'o', 's', 'o', 'f', 't', ' ', 'U', 'n', 'i', 'f',
    'i', 'e', 'd', ' ', 'S', 'e', 'c', 'u', 'r', 'i', 't', 'y', ' ', 'P',
    'r', 'o', 't', 'o', 'c', 'o', 'l', ' ', 'P', 'r', 'o', 'v', 'i', 'd',
    'e', 'r', 0};
static WCHAR openschannel_schannel_name_w[9] OPENSCHANNEL_MAYBE_UNUSED = {
    'S', 'c', 'h', 'a', 'n', 'n', 'e', 'l', 0};
static WCHAR openschannel_default_tls_ssp_name_w[16] OPENSCHANNEL_MAYBE_UNUSED = {
    'D', 'e', 'f', 'a', 'u', 'l', 't', ' ', 'T', 'L', 'S', ' ', 'S', 'S',
    'P', 0};
static WCHAR openschannel_ssl2sp_name_w[18] OPENSCHANNEL_MAYBE_UNUSED = {
    'M', 'i', 'c', 'r', 'o', 's', 'o', 'f', 't', ' ', 'S', 'S', 'L', ' ',
    '2', '.', '0', 0};
static WCHAR openschannel_ssl3sp_name_w[18] OPENSCHANNEL_MAYBE_UNUSED = {
    'M', 'i', 'c', 'r', 'o', 's', 'o', 'f', 't', ' ', 'S', 'S', 'L', ' ',
    '3', '.', '0', 0};
static WCHAR openschannel_tls1sp_name_w[18] OPENSCHANNEL_MAYBE_UNUSED = {
    'M', 'i', 'c', 'r', 'o', 's', 'o', 'f', 't', ' ', 'T', 'L', 'S', ' ',
    '1', '.', '0', 0};
static WCHAR openschannel_pct1sp_name_w[18] OPENSCHANNEL_MAYBE_UNUSED = {
    'M', 'i', 'c', 'r', 'o', 's', 'o', 'f', 't', ' ', 'P', 'C', 'T', ' ',
    '1', '.', '0', 0};
#define UNISP_NAME_W           openschannel_unisp_name_w
#define SCHANNEL_NAME_W        openschannel_schannel_name_w
#define DEFAULT_TLS_SSP_NAME_W openschannel_default_tls_ssp_name_w
#define SSL2SP_NAME_W          openschannel_ssl2sp_name_w
#define SSL3SP_NAME_W          openschannel_ssl3sp_name_w
#define TLS1SP_NAME_W          openschannel_tls1sp_name_w
#define PCT1SP_NAME_W          openschannel_pct1sp_name_w
#endif

#ifdef UNICODE
#define UNISP_NAME           UNISP_NAME_W
#define SCHANNEL_NAME        SCHANNEL_NAME_W
#define DEFAULT_TLS_SSP_NAME DEFAULT_TLS_SSP_NAME_W
#define SSL2SP_NAME          SSL2SP_NAME_W
#define SSL3SP_NAME          SSL3SP_NAME_W
#define TLS1SP_NAME          TLS1SP_NAME_W
#define PCT1SP_NAME          PCT1SP_NAME_W
#else
#define UNISP_NAME           UNISP_NAME_A
#define SCHANNEL_NAME        SCHANNEL_NAME_A
#define DEFAULT_TLS_SSP_NAME DEFAULT_TLS_SSP_NAME_A
#define SSL2SP_NAME          SSL2SP_NAME_A
#define SSL3SP_NAME          SSL3SP_NAME_A
#define TLS1SP_NAME          TLS1SP_NAME_A
#define PCT1SP_NAME          PCT1SP_NAME_A
#endif

/** SecPkgInfo.wRPCID of the Schannel package. */
#define UNISP_RPC_ID 14

/* ========================================================================
 * Schannel-specific QueryContextAttributes / credential attribute IDs
 * ======================================================================== */

#define SECPKG_ATTR_ISSUER_LIST                 0x50
#define SECPKG_ATTR_REMOTE_CRED                 0x51
#define SECPKG_ATTR_LOCAL_CRED                  0x52
#define SECPKG_ATTR_REMOTE_CERT_CONTEXT         0x53 /**< PCCERT_CONTEXT; CertFreeCertificateContext */
#define SECPKG_ATTR_LOCAL_CERT_CONTEXT          0x54 /**< PCCERT_CONTEXT; CertFreeCertificateContext */
#define SECPKG_ATTR_ROOT_STORE                  0x55
#define SECPKG_ATTR_SUPPORTED_ALGS              0x56 /**< SecPkgCred_SupportedAlgs */
#define SECPKG_ATTR_CIPHER_STRENGTHS            0x57 /**< SecPkgCred_CipherStrengths */
#define SECPKG_ATTR_SUPPORTED_PROTOCOLS         0x58 /**< SecPkgCred_SupportedProtocols */
#define SECPKG_ATTR_ISSUER_LIST_EX              0x59 /**< SecPkgContext_IssuerListInfoEx */
#define SECPKG_ATTR_CONNECTION_INFO             0x5A /**< SecPkgContext_ConnectionInfo */
#define SECPKG_ATTR_EAP_KEY_BLOCK               0x5B /**< SecPkgContext_EapKeyBlock */
#define SECPKG_ATTR_MAPPED_CRED_ATTR            0x5C
#define SECPKG_ATTR_SESSION_INFO                0x5D /**< SecPkgContext_SessionInfo */
#define SECPKG_ATTR_APP_DATA                    0x5E
#define SECPKG_ATTR_REMOTE_CERTIFICATES         0x5F
#define SECPKG_ATTR_CLIENT_CERT_POLICY          0x60 /**< SecPkgCred_ClientCertPolicy */
#define SECPKG_ATTR_CC_POLICY_RESULT            0x61
#define SECPKG_ATTR_USE_NCRYPT                  0x62
#define SECPKG_ATTR_LOCAL_CERT_INFO             0x63
#define SECPKG_ATTR_CIPHER_INFO                 0x64 /**< SecPkgContext_CipherInfo */
#define SECPKG_ATTR_EAP_PRF_INFO                0x65
#define SECPKG_ATTR_SUPPORTED_SIGNATURES        0x66 /**< SecPkgContext_SupportedSignatures */
#define SECPKG_ATTR_REMOTE_CERT_CHAIN           0x67
#define SECPKG_ATTR_UI_INFO                     0x68
#define SECPKG_ATTR_EARLY_START                 0x69
#define SECPKG_ATTR_KEYING_MATERIAL_INFO        0x6A /**< SecPkgContext_KeyingMaterialInfo (Set) */
#define SECPKG_ATTR_KEYING_MATERIAL             0x6B /**< SecPkgContext_KeyingMaterial */
#define SECPKG_ATTR_SRTP_PARAMETERS             0x6C
#define SECPKG_ATTR_TOKEN_BINDING               0x6D
#define SECPKG_ATTR_CONNECTION_INFO_EX          0x6E /**< SecPkgContext_ConnectionInfoEx */
#define SECPKG_ATTR_KEYING_MATERIAL_TOKEN_BINDING 0x6F
#define SECPKG_ATTR_KEYING_MATERIAL_INPROC      0x70

/* ========================================================================
 * Attribute structures
 * ======================================================================== */

typedef struct _SecPkgContext_IssuerListInfo {
    DWORD cbIssuerList;
    PBYTE pIssuerList;
} SecPkgContext_IssuerListInfo, *PSecPkgContext_IssuerListInfo;

/** SECPKG_ATTR_ISSUER_LIST_EX: DER distinguished names of acceptable CAs
 *  (aIssuers is package-allocated: FreeContextBuffer). */
typedef struct _SecPkgContext_IssuerListInfoEx {
    PCERT_NAME_BLOB aIssuers;
    DWORD cIssuers;
} SecPkgContext_IssuerListInfoEx, *PSecPkgContext_IssuerListInfoEx;

typedef struct _SecPkgContext_RemoteCredentialInfo {
    DWORD cbCertificateChain;
    PBYTE pbCertificateChain;
    DWORD cCertificates;
    DWORD fFlags;
    DWORD dwBits;
} SecPkgContext_RemoteCredentialInfo, *PSecPkgContext_RemoteCredentialInfo;

typedef struct _SecPkgContext_LocalCredentialInfo {
    DWORD cbCertificateChain;
    PBYTE pbCertificateChain;
    DWORD cCertificates;
    DWORD fFlags;
    DWORD dwBits;
} SecPkgContext_LocalCredentialInfo, *PSecPkgContext_LocalCredentialInfo;

#define RCRED_STATUS_NOCRED         0x00000000
#define RCRED_CRED_EXISTS           0x00000001
#define RCRED_STATUS_UNKNOWN_ISSUER 0x00000002
#define LCRED_STATUS_NOCRED         0x00000000
#define LCRED_CRED_EXISTS           0x00000001
#define LCRED_STATUS_UNKNOWN_ISSUER 0x00000002

/** SECPKG_ATTR_SUPPORTED_ALGS (palgSupportedAlgs: FreeContextBuffer) */
typedef struct _SecPkgCred_SupportedAlgs {
    DWORD cSupportedAlgs;
    ALG_ID *palgSupportedAlgs;
} SecPkgCred_SupportedAlgs, *PSecPkgCred_SupportedAlgs;

/** SECPKG_ATTR_CIPHER_STRENGTHS */
typedef struct _SecPkgCred_CipherStrengths {
    DWORD dwMinimumCipherStrength;
    DWORD dwMaximumCipherStrength;
} SecPkgCred_CipherStrengths, *PSecPkgCred_CipherStrengths;

/** SECPKG_ATTR_SUPPORTED_PROTOCOLS: SP_PROT_* enabled for a credential. */
typedef struct _SecPkgCred_SupportedProtocols {
    DWORD grbitProtocol;
} SecPkgCred_SupportedProtocols, *PSecPkgCred_SupportedProtocols;

/** SECPKG_ATTR_CLIENT_CERT_POLICY (SetCredentialsAttributes) */
typedef struct _SecPkgCred_ClientCertPolicy {
    DWORD dwFlags;
    GUID guidPolicyId;
    DWORD dwCertFlags;
    DWORD dwUrlRetrievalTimeout;
    BOOL fCheckRevocationFreshnessTime;
    DWORD dwRevocationFreshnessTime;
    BOOL fOmitUsageCheck;
    LPWSTR pwszSslCtlStoreName;
    LPWSTR pwszSslCtlIdentifier;
} SecPkgCred_ClientCertPolicy, *PSecPkgCred_ClientCertPolicy;

/**
 * SECPKG_ATTR_CONNECTION_INFO.  dwProtocol is the SP_PROT_* bit of the local
 * role (e.g. SP_PROT_TLS1_2_CLIENT); ai* are CALG_* values (0 = none).
 */
typedef struct _SecPkgContext_ConnectionInfo {
    DWORD dwProtocol;
    ALG_ID aiCipher;
    DWORD dwCipherStrength;
    ALG_ID aiHash;
    DWORD dwHashStrength;
    ALG_ID aiExch;
    DWORD dwExchStrength;
} SecPkgContext_ConnectionInfo, *PSecPkgContext_ConnectionInfo;

/** Length of the WCHAR algorithm-name arrays below. */
#define SZ_ALG_MAX_SIZE 64

#define SECPKGCONTEXT_CONNECTION_INFO_EX_V1 1

/** SECPKG_ATTR_CONNECTION_INFO_EX (CNG algorithm names). */
typedef struct _SecPkgContext_ConnectionInfoEx {
    DWORD dwVersion;
    DWORD dwProtocol;
    WCHAR szCipher[SZ_ALG_MAX_SIZE];
    DWORD dwCipherStrength;
    WCHAR szHash[SZ_ALG_MAX_SIZE];
    DWORD dwHashStrength;
    WCHAR szExchange[SZ_ALG_MAX_SIZE];
    DWORD dwExchStrength;
} SecPkgContext_ConnectionInfoEx, *PSecPkgContext_ConnectionInfoEx;

#define SECPKGCONTEXT_CIPHERINFO_V1 1

/**
 * SECPKG_ATTR_CIPHER_INFO.  Set dwVersion = SECPKGCONTEXT_CIPHERINFO_V1
 * before the call.  dwProtocol is the wire version (0x303 = TLS 1.2,
 * 0x304 = TLS 1.3); dwCipherSuite the IANA suite number.
 */
typedef struct _SecPkgContext_CipherInfo {
    DWORD dwVersion;
    DWORD dwProtocol;
    DWORD dwCipherSuite;
    DWORD dwBaseCipherSuite;
    WCHAR szCipherSuite[SZ_ALG_MAX_SIZE];
    WCHAR szCipher[SZ_ALG_MAX_SIZE];
    DWORD dwCipherLen;
    DWORD dwCipherBlockLen;
    WCHAR szHash[SZ_ALG_MAX_SIZE];
    DWORD dwHashLen;
    WCHAR szExchange[SZ_ALG_MAX_SIZE];
    DWORD dwMinExchangeLen;
    DWORD dwMaxExchangeLen;
    WCHAR szCertificate[SZ_ALG_MAX_SIZE];
    DWORD dwKeyType;
} SecPkgContext_CipherInfo, *PSecPkgContext_CipherInfo;

/** SECPKG_ATTR_EAP_KEY_BLOCK */
typedef struct _SecPkgContext_EapKeyBlock {
    BYTE rgbKeys[128];
    BYTE rgbIVs[64];
} SecPkgContext_EapKeyBlock, *PSecPkgContext_EapKeyBlock;

typedef struct _SecPkgContext_MappedCredAttr {
    DWORD dwAttribute;
    PVOID pvBuffer;
} SecPkgContext_MappedCredAttr, *PSecPkgContext_MappedCredAttr;

/** SecPkgContext_SessionInfo.dwFlags: the session was resumed. */
#define SSL_SESSION_RECONNECT 1

/** SECPKG_ATTR_SESSION_INFO */
typedef struct _SecPkgContext_SessionInfo {
    DWORD dwFlags;
    DWORD cbSessionId;
    BYTE rgbSessionId[32];
} SecPkgContext_SessionInfo, *PSecPkgContext_SessionInfo;

typedef struct _SecPkgContext_SessionAppData {
    DWORD dwFlags;
    DWORD cbAppData;
    PBYTE pbAppData;
} SecPkgContext_SessionAppData, *PSecPkgContext_SessionAppData;

typedef struct _SecPkgContext_EapPrfInfo {
    DWORD dwVersion;
    DWORD cbPrfData;
    PBYTE pbPrfData;
} SecPkgContext_EapPrfInfo, *PSecPkgContext_EapPrfInfo;

/** SECPKG_ATTR_SUPPORTED_SIGNATURES: TLS SignatureAndHashAlgorithm values. */
typedef struct _SecPkgContext_SupportedSignatures {
    WORD cSignatureAndHashAlgorithms;
    WORD *pSignatureAndHashAlgorithms;
} SecPkgContext_SupportedSignatures, *PSecPkgContext_SupportedSignatures;

typedef struct _SecPkgContext_Certificates {
    DWORD cCertificates;
    DWORD cbCertificateChain;
    PBYTE pbCertificateChain;
} SecPkgContext_Certificates, *PSecPkgContext_Certificates;

typedef struct _SecPkgContext_CertInfo {
    DWORD dwVersion;
    DWORD cbSubjectName;
    LPWSTR pwszSubjectName;
    DWORD cbIssuerName;
    LPWSTR pwszIssuerName;
    DWORD dwKeySize;
} SecPkgContext_CertInfo, *PSecPkgContext_CertInfo;

#define KERN_CONTEXT_CERT_INFO_V1 0x00000000

typedef struct _SecPkgContext_EarlyStart {
    DWORD dwEarlyStartFlags;
} SecPkgContext_EarlyStart, *PSecPkgContext_EarlyStart;

#define ENABLE_TLS_CLIENT_EARLY_START 0x00000001

/**
 * SECPKG_ATTR_KEYING_MATERIAL_INFO (SetContextAttributes before the
 * handshake completes): RFC 5705 exporter label (cbLabel includes the
 * NUL), optional context value and output length.
 */
typedef struct _SecPkgContext_KeyingMaterialInfo {
    WORD cbLabel;
    LPSTR pszLabel;
    WORD cbContextValue;
    PBYTE pbContextValue;
    DWORD cbKeyingMaterial;
} SecPkgContext_KeyingMaterialInfo, *PSecPkgContext_KeyingMaterialInfo;

/** SECPKG_ATTR_KEYING_MATERIAL (pbKeyingMaterial: FreeContextBuffer). */
typedef struct _SecPkgContext_KeyingMaterial {
    DWORD cbKeyingMaterial;
    PBYTE pbKeyingMaterial;
} SecPkgContext_KeyingMaterial, *PSecPkgContext_KeyingMaterial;

typedef struct _SecPkgContext_KeyingMaterial_Inproc {
    WORD cbLabel;
    LPSTR pszLabel;
    WORD cbContextValue;
    PBYTE pbContextValue;
    DWORD cbKeyingMaterial;
    PBYTE pbKeyingMaterial;
} SecPkgContext_KeyingMaterial_Inproc, *PSecPkgContext_KeyingMaterial_Inproc;

typedef struct _SecPkgContext_SrtpParameters {
    WORD ProtectionProfile;
    BYTE MasterKeyIdentifierSize;
    PBYTE MasterKeyIdentifier;
} SecPkgContext_SrtpParameters, *PSecPkgContext_SrtpParameters;

typedef struct _SecPkgContext_TokenBinding {
    BYTE MajorVersion;
    BYTE MinorVersion;
    WORD KeyParametersSize;
    PBYTE KeyParameters;
} SecPkgContext_TokenBinding, *PSecPkgContext_TokenBinding;

typedef enum _eTlsSignatureAlgorithm {
    TlsSignatureAlgorithm_Anonymous = 0,
    TlsSignatureAlgorithm_Rsa = 1,
    TlsSignatureAlgorithm_Dsa = 2,
    TlsSignatureAlgorithm_Ecdsa = 3
} eTlsSignatureAlgorithm;

typedef enum _eTlsHashAlgorithm {
    TlsHashAlgorithm_None = 0,
    TlsHashAlgorithm_Md5 = 1,
    TlsHashAlgorithm_Sha1 = 2,
    TlsHashAlgorithm_Sha224 = 3,
    TlsHashAlgorithm_Sha256 = 4,
    TlsHashAlgorithm_Sha384 = 5,
    TlsHashAlgorithm_Sha512 = 6
} eTlsHashAlgorithm;

/* ========================================================================
 * Credentials: SCHANNEL_CRED (v4) and SCH_CREDENTIALS (v5)
 * ======================================================================== */

#define SCH_CRED_V1              0x00000001
#define SCH_CRED_V2              0x00000002
#define SCH_CRED_VERSION         0x00000002
#define SCH_CRED_V3              0x00000003
/** SCHANNEL_CRED.dwVersion */
#define SCHANNEL_CRED_VERSION    0x00000004
/** SCH_CREDENTIALS.dwVersion */
#define SCH_CREDENTIALS_VERSION  0x00000005

struct _HMAPPER;

/**
 * Legacy credential description (pAuthData of AcquireCredentialsHandle).
 * grbitEnabledProtocols holds SP_PROT_* bits to ENABLE (0 = defaults).
 */
typedef struct _SCHANNEL_CRED {
    DWORD dwVersion;                 /**< SCHANNEL_CRED_VERSION */
    DWORD cCreds;
    PCCERT_CONTEXT *paCred;          /**< certificates with private keys */
    HCERTSTORE hRootStore;           /**< server: roots for client certs */
    DWORD cMappers;
    struct _HMAPPER **aphMappers;
    DWORD cSupportedAlgs;            /**< at most SCH_CRED_MAX_SUPPORTED_ALGS */
    /** ALG_ID allow-list. Ciphers are restricted only when it names a
     *  cipher-class ALG_ID (CALG_AES_128 / CALG_AES_256 / CALG_AES select the
     *  AES-GCM suites; ChaCha20-Poly1305 has no ALG_ID and is then off); key
     *  exchange only when it names a key-exchange-class one (CALG_ECDH_EPHEM
     *  / CALG_ECDH keep ECDHE). Other ALG_IDs are ignored. */
    ALG_ID *palgSupportedAlgs;
    DWORD grbitEnabledProtocols;     /**< SP_PROT_* */
    DWORD dwMinimumCipherStrength;
    DWORD dwMaximumCipherStrength;
    DWORD dwSessionLifespan;         /**< ms; 0 = default (10 h) */
    DWORD dwFlags;                   /**< SCH_CRED_* / SCH_* */
    DWORD dwCredFormat;              /**< SCH_CRED_FORMAT_* */
} SCHANNEL_CRED, *PSCHANNEL_CRED;

/* Declared unless another header (Windows-style ntdef.h) already did;
 * define OPENSCHANNEL_UNICODE_STRING_DEFINED to suppress it. */
#if !defined(OPENSCHANNEL_UNICODE_STRING_DEFINED) && !defined(_NTDEF_)
#define OPENSCHANNEL_UNICODE_STRING_DEFINED
/** Counted UTF-16 string; Length/MaximumLength are in BYTES. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;
#endif

typedef enum _eTlsAlgorithmUsage {
    TlsParametersCngAlgUsageKeyExchange = 0,
    TlsParametersCngAlgUsageSignature = 1,
    TlsParametersCngAlgUsageCipher = 2,
    TlsParametersCngAlgUsageDigest = 3,
    TlsParametersCngAlgUsageCertSig = 4
} eTlsAlgorithmUsage;

/**
 * An algorithm (CNG name) to disable for one usage. Honoured in the
 * TLS_PARAMETERS entry with cAlpnIds == 0, on both directions:
 *  - Cipher: "AES" (no chaining mode, or "ChainingModeGCM" listed) disables
 *    the AES-GCM suites whose key length lies in [dwMinBitLength,
 *    dwMaxBitLength] (0 = unbounded); "CHACHA20_POLY1305" the ChaCha20 suites.
 *  - KeyExchange: "ECDH_P256", "ECDH_P384", "ECDH_P521" one curve;
 *    "curve25519" X25519 and the X25519MLKEM768 hybrid; "ML-KEM" the hybrid;
 *    "ECDH" / "ECDHE" every group (within the bit range).
 *  - Signature, Digest, CertSig (and "SCH_RSA_PKCS_PAD" / "SCH_RSA_PSS_PAD"):
 *    accepted and ignored for now. Unknown algorithm names are ignored.
 * Nothing left enabled: SEC_E_ALGORITHM_MISMATCH. More than
 * SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS entries or _CHAINING_MODES modes, or
 * NULL arrays/strings with a count: SEC_E_UNKNOWN_CREDENTIALS.
 */
typedef struct _CRYPTO_SETTINGS {
    eTlsAlgorithmUsage eAlgorithmUsage;
    UNICODE_STRING strCngAlgId;
    DWORD cChainingModes;
    PUNICODE_STRING rgstrChainingModes;
    DWORD dwMinBitLength;
    DWORD dwMaxBitLength;
} CRYPTO_SETTINGS, *PCRYPTO_SETTINGS;

/**
 * Restrictions for the ALPN IDs listed (none listed = all connections).
 * grbitDisabledProtocols holds SP_PROT_* bits to DISABLE (0 = defaults).
 */
typedef struct _TLS_PARAMETERS {
    DWORD cAlpnIds;
    PUNICODE_STRING rgstrAlpnIds;
    DWORD grbitDisabledProtocols;
    DWORD cDisabledCrypto;
    PCRYPTO_SETTINGS pDisabledCrypto;
    DWORD dwFlags;                   /**< TLS_PARAMS_OPTIONAL */
} TLS_PARAMETERS, *PTLS_PARAMETERS;

/** Server only: the parameters may be ignored if they cannot be honoured. */
#define TLS_PARAMS_OPTIONAL 0x00000001

/** Modern credential description (needed on Windows for TLS 1.3). */
typedef struct _SCH_CREDENTIALS {
    DWORD dwVersion;                 /**< SCH_CREDENTIALS_VERSION */
    DWORD dwCredFormat;
    DWORD cCreds;
    PCCERT_CONTEXT *paCred;
    HCERTSTORE hRootStore;
    DWORD cMappers;
    struct _HMAPPER **aphMappers;
    DWORD dwSessionLifespan;
    DWORD dwFlags;
    DWORD cTlsParameters;
    PTLS_PARAMETERS pTlsParameters;
} SCH_CREDENTIALS, *PSCH_CREDENTIALS;

#define SCH_CRED_MAX_SUPPORTED_PARAMETERS      16
#define SCH_CRED_MAX_SUPPORTED_ALPN_IDS        16
#define SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS 16
#define SCH_CRED_MAX_SUPPORTED_CHAINING_MODES  16

/* dwCredFormat */
#define SCH_CRED_FORMAT_CERT_CONTEXT     0x00000000
#define SCH_CRED_FORMAT_CERT_HASH        0x00000001
#define SCH_CRED_FORMAT_CERT_HASH_STORE  0x00000002

#define SCH_CRED_MAX_STORE_NAME_SIZE     128
#define SCH_CRED_MAX_SUPPORTED_ALGS      256
#define SCH_CRED_MAX_SUPPORTED_CERTS     100

typedef struct _SCHANNEL_CERT_HASH {
    DWORD dwLength;
    DWORD dwFlags;
    HCRYPTPROV hProv;
    BYTE ShaHash[20];
} SCHANNEL_CERT_HASH, *PSCHANNEL_CERT_HASH;

typedef struct _SCHANNEL_CERT_HASH_STORE {
    DWORD dwLength;
    DWORD dwFlags;
    HCRYPTPROV hProv;
    BYTE ShaHash[20];
    WCHAR pwszStoreName[SCH_CRED_MAX_STORE_NAME_SIZE];
} SCHANNEL_CERT_HASH_STORE, *PSCHANNEL_CERT_HASH_STORE;

/* dwFlags of SCHANNEL_CRED / SCH_CREDENTIALS */
#define SCH_MACHINE_CERT_HASH                        0x00000001
#define SCH_CRED_NO_SYSTEM_MAPPER                    0x00000002
#define SCH_CRED_NO_SERVERNAME_CHECK                 0x00000004
#define SCH_CRED_MANUAL_CRED_VALIDATION              0x00000008
#define SCH_CRED_NO_DEFAULT_CREDS                    0x00000010
#define SCH_CRED_AUTO_CRED_VALIDATION                0x00000020
#define SCH_CRED_USE_DEFAULT_CREDS                   0x00000040
#define SCH_CRED_DISABLE_RECONNECTS                  0x00000080
#define SCH_DISABLE_RECONNECTS                       SCH_CRED_DISABLE_RECONNECTS
#define SCH_CRED_REVOCATION_CHECK_END_CERT           0x00000100
#define SCH_CRED_REVOCATION_CHECK_CHAIN              0x00000200
#define SCH_CRED_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT 0x00000400
#define SCH_CRED_IGNORE_NO_REVOCATION_CHECK          0x00000800
#define SCH_CRED_IGNORE_REVOCATION_OFFLINE           0x00001000
#define SCH_CRED_RESTRICTED_ROOTS                    0x00002000
#define SCH_CRED_REVOCATION_CHECK_CACHE_ONLY         0x00004000
#define SCH_CRED_CACHE_ONLY_URL_RETRIEVAL            0x00008000
#define SCH_CRED_MEMORY_STORE_CERT                   0x00010000
#define SCH_CRED_CACHE_ONLY_URL_RETRIEVAL_ON_CREATE  0x00020000
#define SCH_SEND_ROOT_CERT                           0x00040000
#define SCH_CRED_SNI_CREDENTIAL                      0x00080000
#define SCH_CRED_SNI_ENABLE_OCSP                     0x00100000
#define SCH_SEND_AUX_RECORD                          0x00200000
#define SCH_USE_STRONG_CRYPTO                        0x00400000
#define SCH_USE_PRESHAREDKEY_ONLY                    0x00800000
#define SCH_USE_DTLS_ONLY                            0x01000000
#define SCH_ALLOW_NULL_ENCRYPTION                    0x02000000

/* ========================================================================
 * Protocol bits (SP_PROT_*)
 * ======================================================================== */

#define SP_PROT_PCT1_SERVER      0x00000001
#define SP_PROT_PCT1_CLIENT      0x00000002
#define SP_PROT_PCT1             (SP_PROT_PCT1_SERVER | SP_PROT_PCT1_CLIENT)
#define SP_PROT_SSL2_SERVER      0x00000004
#define SP_PROT_SSL2_CLIENT      0x00000008
#define SP_PROT_SSL2             (SP_PROT_SSL2_SERVER | SP_PROT_SSL2_CLIENT)
#define SP_PROT_SSL3_SERVER      0x00000010
#define SP_PROT_SSL3_CLIENT      0x00000020
#define SP_PROT_SSL3             (SP_PROT_SSL3_SERVER | SP_PROT_SSL3_CLIENT)
#define SP_PROT_TLS1_SERVER      0x00000040
#define SP_PROT_TLS1_CLIENT      0x00000080
#define SP_PROT_TLS1             (SP_PROT_TLS1_SERVER | SP_PROT_TLS1_CLIENT)
#define SP_PROT_SSL3TLS1_CLIENTS (SP_PROT_TLS1_CLIENT | SP_PROT_SSL3_CLIENT)
#define SP_PROT_SSL3TLS1_SERVERS (SP_PROT_TLS1_SERVER | SP_PROT_SSL3_SERVER)
#define SP_PROT_SSL3TLS1         (SP_PROT_SSL3 | SP_PROT_TLS1)
#define SP_PROT_UNI_SERVER       0x40000000
#define SP_PROT_UNI_CLIENT       0x80000000
#define SP_PROT_UNI              (SP_PROT_UNI_SERVER | SP_PROT_UNI_CLIENT)
#define SP_PROT_ALL              0xFFFFFFFF
#define SP_PROT_NONE             0
#define SP_PROT_CLIENTS          (SP_PROT_PCT1_CLIENT | SP_PROT_SSL2_CLIENT | SP_PROT_SSL3_CLIENT | \
                                  SP_PROT_UNI_CLIENT | SP_PROT_TLS1_CLIENT)
#define SP_PROT_SERVERS          (SP_PROT_PCT1_SERVER | SP_PROT_SSL2_SERVER | SP_PROT_SSL3_SERVER | \
                                  SP_PROT_UNI_SERVER | SP_PROT_TLS1_SERVER)

#define SP_PROT_TLS1_0_SERVER    SP_PROT_TLS1_SERVER
#define SP_PROT_TLS1_0_CLIENT    SP_PROT_TLS1_CLIENT
#define SP_PROT_TLS1_0           (SP_PROT_TLS1_0_SERVER | SP_PROT_TLS1_0_CLIENT)
#define SP_PROT_TLS1_1_SERVER    0x00000100
#define SP_PROT_TLS1_1_CLIENT    0x00000200
#define SP_PROT_TLS1_1           (SP_PROT_TLS1_1_SERVER | SP_PROT_TLS1_1_CLIENT)
#define SP_PROT_TLS1_2_SERVER    0x00000400
#define SP_PROT_TLS1_2_CLIENT    0x00000800
#define SP_PROT_TLS1_2           (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_2_CLIENT)
#define SP_PROT_TLS1_3_SERVER    0x00001000
#define SP_PROT_TLS1_3_CLIENT    0x00002000
#define SP_PROT_TLS1_3           (SP_PROT_TLS1_3_SERVER | SP_PROT_TLS1_3_CLIENT)
#define SP_PROT_DTLS_SERVER      0x00010000
#define SP_PROT_DTLS_CLIENT      0x00020000
#define SP_PROT_DTLS             (SP_PROT_DTLS_SERVER | SP_PROT_DTLS_CLIENT)
#define SP_PROT_DTLS1_0_SERVER   SP_PROT_DTLS_SERVER
#define SP_PROT_DTLS1_0_CLIENT   SP_PROT_DTLS_CLIENT
#define SP_PROT_DTLS1_0          (SP_PROT_DTLS1_0_SERVER | SP_PROT_DTLS1_0_CLIENT)
#define SP_PROT_DTLS1_2_SERVER   0x00040000
#define SP_PROT_DTLS1_2_CLIENT   0x00080000
#define SP_PROT_DTLS1_2          (SP_PROT_DTLS1_2_SERVER | SP_PROT_DTLS1_2_CLIENT)
#define SP_PROT_DTLS1_X_SERVER   (SP_PROT_DTLS1_0_SERVER | SP_PROT_DTLS1_2_SERVER)
#define SP_PROT_DTLS1_X_CLIENT   (SP_PROT_DTLS1_0_CLIENT | SP_PROT_DTLS1_2_CLIENT)
#define SP_PROT_DTLS1_X          (SP_PROT_DTLS1_X_SERVER | SP_PROT_DTLS1_X_CLIENT)

#define SP_PROT_TLS1_1PLUS_SERVER (SP_PROT_TLS1_1_SERVER | SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER)
#define SP_PROT_TLS1_1PLUS_CLIENT (SP_PROT_TLS1_1_CLIENT | SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT)
#define SP_PROT_TLS1_1PLUS       (SP_PROT_TLS1_1PLUS_SERVER | SP_PROT_TLS1_1PLUS_CLIENT)
#define SP_PROT_TLS1_3PLUS_SERVER SP_PROT_TLS1_3_SERVER
#define SP_PROT_TLS1_3PLUS_CLIENT SP_PROT_TLS1_3_CLIENT
#define SP_PROT_TLS1_3PLUS       (SP_PROT_TLS1_3PLUS_SERVER | SP_PROT_TLS1_3PLUS_CLIENT)

#define SP_PROT_TLS1_X_SERVER    (SP_PROT_TLS1_0_SERVER | SP_PROT_TLS1_1_SERVER | \
                                  SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER)
#define SP_PROT_TLS1_X_CLIENT    (SP_PROT_TLS1_0_CLIENT | SP_PROT_TLS1_1_CLIENT | \
                                  SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT)
#define SP_PROT_TLS1_X           (SP_PROT_TLS1_X_SERVER | SP_PROT_TLS1_X_CLIENT)
#define SP_PROT_SSL3TLS1_X_CLIENTS (SP_PROT_TLS1_X_CLIENT | SP_PROT_SSL3_CLIENT)
#define SP_PROT_SSL3TLS1_X_SERVERS (SP_PROT_TLS1_X_SERVER | SP_PROT_SSL3_SERVER)
#define SP_PROT_SSL3TLS1_X       (SP_PROT_SSL3 | SP_PROT_TLS1_X)
#define SP_PROT_X_CLIENTS        (SP_PROT_CLIENTS | SP_PROT_TLS1_X_CLIENT | SP_PROT_DTLS1_X_CLIENT)
#define SP_PROT_X_SERVERS        (SP_PROT_SERVERS | SP_PROT_TLS1_X_SERVER | SP_PROT_DTLS1_X_SERVER)

/* ========================================================================
 * Control tokens (ApplyControlToken)
 * ======================================================================== */

/** DWORD token types (read as a little-endian DWORD at offset 0). */
#define SCHANNEL_RENEGOTIATE 0
#define SCHANNEL_SHUTDOWN    1
#define SCHANNEL_ALERT       2
#define SCHANNEL_SESSION     3

/** Ask the next ISC/ASC call to emit an alert. */
typedef struct _SCHANNEL_ALERT_TOKEN {
    DWORD dwTokenType;   /**< SCHANNEL_ALERT */
    DWORD dwAlertType;   /**< TLS1_ALERT_WARNING / TLS1_ALERT_FATAL */
    DWORD dwAlertNumber; /**< TLS1_ALERT_* description */
} SCHANNEL_ALERT_TOKEN;

#define TLS1_ALERT_WARNING 1
#define TLS1_ALERT_FATAL   2

#define TLS1_ALERT_CLOSE_NOTIFY         0
#define TLS1_ALERT_UNEXPECTED_MESSAGE   10
#define TLS1_ALERT_BAD_RECORD_MAC       20
#define TLS1_ALERT_DECRYPTION_FAILED    21
#define TLS1_ALERT_RECORD_OVERFLOW      22
#define TLS1_ALERT_DECOMPRESSION_FAIL   30
#define TLS1_ALERT_HANDSHAKE_FAILURE    40
#define TLS1_ALERT_BAD_CERTIFICATE      42
#define TLS1_ALERT_UNSUPPORTED_CERT     43
#define TLS1_ALERT_CERTIFICATE_REVOKED  44
#define TLS1_ALERT_CERTIFICATE_EXPIRED  45
#define TLS1_ALERT_CERTIFICATE_UNKNOWN  46
#define TLS1_ALERT_ILLEGAL_PARAMETER    47
#define TLS1_ALERT_UNKNOWN_CA           48
#define TLS1_ALERT_ACCESS_DENIED        49
#define TLS1_ALERT_DECODE_ERROR         50
#define TLS1_ALERT_DECRYPT_ERROR        51
#define TLS1_ALERT_EXPORT_RESTRICTION   60
#define TLS1_ALERT_PROTOCOL_VERSION     70
/* Windows' spelling (sic) and the correct spelling. */
#define TLS1_ALERT_INSUFFIENT_SECURITY  71
#define TLS1_ALERT_INSUFFICIENT_SECURITY TLS1_ALERT_INSUFFIENT_SECURITY
#define TLS1_ALERT_INTERNAL_ERROR       80
#define TLS1_ALERT_USER_CANCELED        90
#define TLS1_ALERT_NO_RENEGOTIATION     100
#define TLS1_ALERT_UNSUPPORTED_EXT      110
#define TLS1_ALERT_UNKNOWN_PSK_IDENTITY 115
#define TLS1_ALERT_NO_APP_PROTOCOL      120

#define SSL_SESSION_ENABLE_RECONNECTS  1
#define SSL_SESSION_DISABLE_RECONNECTS 2

/** Enable/disable session-ID reconnects for a context. */
typedef struct _SCHANNEL_SESSION_TOKEN {
    DWORD dwTokenType; /**< SCHANNEL_SESSION */
    DWORD dwFlags;     /**< SSL_SESSION_ENABLE/DISABLE_RECONNECTS */
} SCHANNEL_SESSION_TOKEN;

/* ========================================================================
 * Generic TLS extensions (SECBUFFER_SEND/SUBSCRIBE_GENERIC_TLS_EXTENSION)
 * ======================================================================== */

typedef struct _SEND_GENERIC_TLS_EXTENSION {
    WORD ExtensionType;
    WORD HandshakeType;
    DWORD Flags;
    WORD BufferSize;
    UCHAR Buffer[ANYSIZE_ARRAY];
} SEND_GENERIC_TLS_EXTENSION, *PSEND_GENERIC_TLS_EXTENSION;

typedef struct _TLS_EXTENSION_SUBSCRIPTION {
    WORD ExtensionType;
    WORD HandshakeType;
} TLS_EXTENSION_SUBSCRIPTION, *PTLS_EXTENSION_SUBSCRIPTION;

typedef struct _SUBSCRIBE_GENERIC_TLS_EXTENSION {
    DWORD Flags;
    DWORD SubscriptionsCount;
    TLS_EXTENSION_SUBSCRIPTION Subscriptions[ANYSIZE_ARRAY];
} SUBSCRIBE_GENERIC_TLS_EXTENSION, *PSUBSCRIBE_GENERIC_TLS_EXTENSION;

#define SCH_MAX_EXT_SUBSCRIPTIONS 2

OPENSCHANNEL_EXTERN_C_END

/* ========================================================================
 * Layout checks (x64 Windows layouts == LP64 Linux layouts)
 * ======================================================================== */

OPENSCHANNEL_STATIC_ASSERT(schannel_ALERT_TOKEN, sizeof(SCHANNEL_ALERT_TOKEN) == 12);
OPENSCHANNEL_STATIC_ASSERT(schannel_SESSION_TOKEN, sizeof(SCHANNEL_SESSION_TOKEN) == 8);
OPENSCHANNEL_STATIC_ASSERT(schannel_ConnectionInfo, sizeof(SecPkgContext_ConnectionInfo) == 28);
OPENSCHANNEL_STATIC_ASSERT(schannel_ConnectionInfoEx, sizeof(SecPkgContext_ConnectionInfoEx) == 404);
OPENSCHANNEL_STATIC_ASSERT(schannel_CipherInfo, sizeof(SecPkgContext_CipherInfo) == 680);
OPENSCHANNEL_STATIC_ASSERT(schannel_CipherInfo_KeyType, offsetof(SecPkgContext_CipherInfo, dwKeyType) == 676);
OPENSCHANNEL_STATIC_ASSERT(schannel_SessionInfo, sizeof(SecPkgContext_SessionInfo) == 40);
OPENSCHANNEL_STATIC_ASSERT(schannel_EapKeyBlock, sizeof(SecPkgContext_EapKeyBlock) == 192);
OPENSCHANNEL_STATIC_ASSERT(schannel_SupportedProtocols, sizeof(SecPkgCred_SupportedProtocols) == 4);

#if OPENSCHANNEL_PTR64
OPENSCHANNEL_STATIC_ASSERT(schannel_SCHANNEL_CRED, sizeof(SCHANNEL_CRED) == 80);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_cCreds, offsetof(SCHANNEL_CRED, cCreds) == 4);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_paCred, offsetof(SCHANNEL_CRED, paCred) == 8);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_hRootStore, offsetof(SCHANNEL_CRED, hRootStore) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_cMappers, offsetof(SCHANNEL_CRED, cMappers) == 24);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_aphMappers, offsetof(SCHANNEL_CRED, aphMappers) == 32);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_cSupportedAlgs, offsetof(SCHANNEL_CRED, cSupportedAlgs) == 40);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_palg, offsetof(SCHANNEL_CRED, palgSupportedAlgs) == 48);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_grbit, offsetof(SCHANNEL_CRED, grbitEnabledProtocols) == 56);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_minCS, offsetof(SCHANNEL_CRED, dwMinimumCipherStrength) == 60);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_maxCS, offsetof(SCHANNEL_CRED, dwMaximumCipherStrength) == 64);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_lifespan, offsetof(SCHANNEL_CRED, dwSessionLifespan) == 68);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_dwFlags, offsetof(SCHANNEL_CRED, dwFlags) == 72);
OPENSCHANNEL_STATIC_ASSERT(schannel_SC_dwCredFormat, offsetof(SCHANNEL_CRED, dwCredFormat) == 76);

OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_CREDENTIALS, sizeof(SCH_CREDENTIALS) == 72);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_dwCredFormat, offsetof(SCH_CREDENTIALS, dwCredFormat) == 4);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_cCreds, offsetof(SCH_CREDENTIALS, cCreds) == 8);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_paCred, offsetof(SCH_CREDENTIALS, paCred) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_hRootStore, offsetof(SCH_CREDENTIALS, hRootStore) == 24);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_cMappers, offsetof(SCH_CREDENTIALS, cMappers) == 32);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_aphMappers, offsetof(SCH_CREDENTIALS, aphMappers) == 40);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_lifespan, offsetof(SCH_CREDENTIALS, dwSessionLifespan) == 48);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_dwFlags, offsetof(SCH_CREDENTIALS, dwFlags) == 52);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_cTls, offsetof(SCH_CREDENTIALS, cTlsParameters) == 56);
OPENSCHANNEL_STATIC_ASSERT(schannel_SCH_pTls, offsetof(SCH_CREDENTIALS, pTlsParameters) == 64);

OPENSCHANNEL_STATIC_ASSERT(schannel_UNICODE_STRING, sizeof(UNICODE_STRING) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_TLS_PARAMETERS, sizeof(TLS_PARAMETERS) == 40);
OPENSCHANNEL_STATIC_ASSERT(schannel_TP_rgstr, offsetof(TLS_PARAMETERS, rgstrAlpnIds) == 8);
OPENSCHANNEL_STATIC_ASSERT(schannel_TP_grbit, offsetof(TLS_PARAMETERS, grbitDisabledProtocols) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_TP_cDis, offsetof(TLS_PARAMETERS, cDisabledCrypto) == 20);
OPENSCHANNEL_STATIC_ASSERT(schannel_TP_pDis, offsetof(TLS_PARAMETERS, pDisabledCrypto) == 24);
OPENSCHANNEL_STATIC_ASSERT(schannel_TP_dwFlags, offsetof(TLS_PARAMETERS, dwFlags) == 32);
OPENSCHANNEL_STATIC_ASSERT(schannel_CRYPTO_SETTINGS, sizeof(CRYPTO_SETTINGS) == 48);
OPENSCHANNEL_STATIC_ASSERT(schannel_CS_str, offsetof(CRYPTO_SETTINGS, strCngAlgId) == 8);
OPENSCHANNEL_STATIC_ASSERT(schannel_CS_cModes, offsetof(CRYPTO_SETTINGS, cChainingModes) == 24);
OPENSCHANNEL_STATIC_ASSERT(schannel_CS_rgModes, offsetof(CRYPTO_SETTINGS, rgstrChainingModes) == 32);
OPENSCHANNEL_STATIC_ASSERT(schannel_CS_min, offsetof(CRYPTO_SETTINGS, dwMinBitLength) == 40);

OPENSCHANNEL_STATIC_ASSERT(schannel_KeyingMaterialInfo, sizeof(SecPkgContext_KeyingMaterialInfo) == 40);
OPENSCHANNEL_STATIC_ASSERT(schannel_KMI_pszLabel, offsetof(SecPkgContext_KeyingMaterialInfo, pszLabel) == 8);
OPENSCHANNEL_STATIC_ASSERT(schannel_KMI_cbCtx, offsetof(SecPkgContext_KeyingMaterialInfo, cbContextValue) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_KMI_pbCtx, offsetof(SecPkgContext_KeyingMaterialInfo, pbContextValue) == 24);
OPENSCHANNEL_STATIC_ASSERT(schannel_KMI_cbKM, offsetof(SecPkgContext_KeyingMaterialInfo, cbKeyingMaterial) == 32);
OPENSCHANNEL_STATIC_ASSERT(schannel_KeyingMaterial, sizeof(SecPkgContext_KeyingMaterial) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_IssuerListInfoEx, sizeof(SecPkgContext_IssuerListInfoEx) == 16);
OPENSCHANNEL_STATIC_ASSERT(schannel_SupportedAlgs, sizeof(SecPkgCred_SupportedAlgs) == 16);
#endif

#endif /* OPENSCHANNEL_SCHANNEL_H */
