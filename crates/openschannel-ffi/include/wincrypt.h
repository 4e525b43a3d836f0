/*
 * wincrypt.h - subset of the Windows CryptoAPI / certificate store API
 * provided by openschannel (the parts Schannel callers use with
 * SCHANNEL_CRED/SCH_CREDENTIALS and SECPKG_ATTR_*_CERT_CONTEXT).
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation (Microsoft
 * Learn "wincrypt.h" reference); it is not a copy of any Windows SDK or
 * mingw-w64 header.
 *
 * Only the declarations listed here exist; the functions are implemented
 * by libopenschannel (in-memory stores only).
 */
#ifndef OPENSCHANNEL_WINCRYPT_H
#define OPENSCHANNEL_WINCRYPT_H

#include "openschannel_wintypes.h"

OPENSCHANNEL_EXTERN_C_BEGIN

/* ========================================================================
 * Handles
 * ======================================================================== */

/* As on Windows, CryptoAPI provider/key/hash handles are pointer-sized
 * integers, while store and message handles are opaque pointers. */
typedef ULONG_PTR HCRYPTPROV;
typedef ULONG_PTR HCRYPTKEY;
typedef ULONG_PTR HCRYPTHASH;
typedef ULONG_PTR HCRYPTPROV_LEGACY;
typedef ULONG_PTR HCRYPTPROV_OR_NCRYPT_KEY_HANDLE;
typedef ULONG_PTR NCRYPT_KEY_HANDLE;
/** Certificate store handle (opaque). */
typedef void *HCERTSTORE;
typedef void *HCRYPTMSG;

/* ========================================================================
 * Algorithm identifiers (ALG_ID / CALG_*)
 * ======================================================================== */

/** CryptoAPI algorithm identifier (SCHANNEL_CRED.palgSupportedAlgs,
 *  SecPkgContext_ConnectionInfo.aiCipher/aiHash/aiExch). */
typedef unsigned int ALG_ID;

#define GET_ALG_CLASS(x)            ((x) & (7 << 13))
#define GET_ALG_TYPE(x)             ((x) & (15 << 9))
#define GET_ALG_SID(x)              ((x) & (511))

#define ALG_CLASS_ANY               (0)
#define ALG_CLASS_SIGNATURE         (1 << 13)
#define ALG_CLASS_MSG_ENCRYPT       (2 << 13)
#define ALG_CLASS_DATA_ENCRYPT      (3 << 13)
#define ALG_CLASS_HASH              (4 << 13)
#define ALG_CLASS_KEY_EXCHANGE      (5 << 13)
#define ALG_CLASS_ALL               (7 << 13)

/* Values below are spelled out in hex (class | type | sid). */
#define CALG_MD5                    0x00008003
#define CALG_SHA                    0x00008004
#define CALG_SHA1                   0x00008004
#define CALG_SHA_256                0x0000800C
#define CALG_SHA_384                0x0000800D
#define CALG_SHA_512                0x0000800E
#define CALG_TLS1PRF                0x0000800A
#define CALG_DES                    0x00006601
#define CALG_3DES                   0x00006603
#define CALG_AES_128                0x0000660E
#define CALG_AES_192                0x0000660F
#define CALG_AES_256                0x00006610
#define CALG_AES                    0x00006611
#define CALG_RC4                    0x00006801
#define CALG_NULLCIPHER             0x00006000
#define CALG_RSA_SIGN               0x00002400
#define CALG_DSS_SIGN               0x00002200
#define CALG_ECDSA                  0x00002203
#define CALG_RSA_KEYX               0x0000A400
#define CALG_DH_SF                  0x0000AA01
#define CALG_DH_EPHEM               0x0000AA02
#define CALG_ECDH                   0x0000AA05
#define CALG_ECDH_EPHEM             0x0000AE06

/* ========================================================================
 * Blobs and certificate structures
 * ======================================================================== */

/** Counted byte array. */
typedef struct _CRYPTOAPI_BLOB {
    DWORD cbData;
    BYTE *pbData;
} CRYPT_INTEGER_BLOB, *PCRYPT_INTEGER_BLOB,
  CRYPT_UINT_BLOB, *PCRYPT_UINT_BLOB,
  CRYPT_OBJID_BLOB, *PCRYPT_OBJID_BLOB,
  CERT_NAME_BLOB, *PCERT_NAME_BLOB,
  CERT_RDN_VALUE_BLOB, *PCERT_RDN_VALUE_BLOB,
  CERT_BLOB, *PCERT_BLOB,
  CRL_BLOB, *PCRL_BLOB,
  DATA_BLOB, *PDATA_BLOB,
  CRYPT_DATA_BLOB, *PCRYPT_DATA_BLOB,
  CRYPT_HASH_BLOB, *PCRYPT_HASH_BLOB,
  CRYPT_DIGEST_BLOB, *PCRYPT_DIGEST_BLOB,
  CRYPT_DER_BLOB, *PCRYPT_DER_BLOB,
  CRYPT_ATTR_BLOB, *PCRYPT_ATTR_BLOB;

typedef struct _CRYPT_ALGORITHM_IDENTIFIER {
    LPSTR pszObjId;
    CRYPT_OBJID_BLOB Parameters;
} CRYPT_ALGORITHM_IDENTIFIER, *PCRYPT_ALGORITHM_IDENTIFIER;

typedef struct _CRYPT_BIT_BLOB {
    DWORD cbData;
    BYTE *pbData;
    DWORD cUnusedBits;
} CRYPT_BIT_BLOB, *PCRYPT_BIT_BLOB;

typedef struct _CERT_PUBLIC_KEY_INFO {
    CRYPT_ALGORITHM_IDENTIFIER Algorithm;
    CRYPT_BIT_BLOB PublicKey;
} CERT_PUBLIC_KEY_INFO, *PCERT_PUBLIC_KEY_INFO;

typedef struct _CERT_EXTENSION {
    LPSTR pszObjId;
    BOOL fCritical;
    CRYPT_OBJID_BLOB Value;
} CERT_EXTENSION, *PCERT_EXTENSION;
typedef const CERT_EXTENSION *PCCERT_EXTENSION;

/** Decoded X.509 fields (pointers into the owning CERT_CONTEXT). */
typedef struct _CERT_INFO {
    DWORD dwVersion;
    CRYPT_INTEGER_BLOB SerialNumber;
    CRYPT_ALGORITHM_IDENTIFIER SignatureAlgorithm;
    CERT_NAME_BLOB Issuer;
    FILETIME NotBefore;
    FILETIME NotAfter;
    CERT_NAME_BLOB Subject;
    CERT_PUBLIC_KEY_INFO SubjectPublicKeyInfo;
    CRYPT_BIT_BLOB IssuerUniqueId;
    CRYPT_BIT_BLOB SubjectUniqueId;
    DWORD cExtension;
    PCERT_EXTENSION rgExtension;
} CERT_INFO, *PCERT_INFO;

#define CERT_V1 0
#define CERT_V2 1
#define CERT_V3 2

/**
 * A certificate: DER bytes plus decoded info and the store it belongs to.
 * Reference counted: release with CertFreeCertificateContext.
 */
typedef struct _CERT_CONTEXT {
    DWORD dwCertEncodingType;   /**< X509_ASN_ENCODING | PKCS_7_ASN_ENCODING */
    BYTE *pbCertEncoded;        /**< DER encoding */
    DWORD cbCertEncoded;
    PCERT_INFO pCertInfo;
    HCERTSTORE hCertStore;      /**< store holding it (e.g. the peer chain) */
} CERT_CONTEXT, *PCERT_CONTEXT;
typedef const CERT_CONTEXT *PCCERT_CONTEXT;

/* ========================================================================
 * Constants
 * ======================================================================== */

/* Encoding types */
#define CRYPT_ASN_ENCODING          0x00000001
#define CRYPT_NDR_ENCODING          0x00000002
#define X509_ASN_ENCODING           0x00000001
#define X509_NDR_ENCODING           0x00000002
#define PKCS_7_ASN_ENCODING         0x00010000
#define PKCS_7_NDR_ENCODING         0x00020000
#define CERT_ENCODING_TYPE_MASK     0x0000FFFF
#define CMSG_ENCODING_TYPE_MASK     0xFFFF0000

/* Store providers (CertOpenStore lpszStoreProvider) */
#define CERT_STORE_PROV_MSG         ((LPCSTR)(ULONG_PTR)1)
#define CERT_STORE_PROV_MEMORY      ((LPCSTR)(ULONG_PTR)2)
#define CERT_STORE_PROV_FILE        ((LPCSTR)(ULONG_PTR)3)
#define CERT_STORE_PROV_REG         ((LPCSTR)(ULONG_PTR)4)
#define CERT_STORE_PROV_PKCS7       ((LPCSTR)(ULONG_PTR)5)
#define CERT_STORE_PROV_SERIALIZED  ((LPCSTR)(ULONG_PTR)6)
#define CERT_STORE_PROV_FILENAME_A  ((LPCSTR)(ULONG_PTR)7)
#define CERT_STORE_PROV_FILENAME_W  ((LPCSTR)(ULONG_PTR)8)
#define CERT_STORE_PROV_SYSTEM_A    ((LPCSTR)(ULONG_PTR)9)
#define CERT_STORE_PROV_SYSTEM_W    ((LPCSTR)(ULONG_PTR)10)
#define CERT_STORE_PROV_COLLECTION  ((LPCSTR)(ULONG_PTR)11)
#define CERT_STORE_PROV_FILENAME    CERT_STORE_PROV_FILENAME_W
#define CERT_STORE_PROV_SYSTEM      CERT_STORE_PROV_SYSTEM_W

/* CertOpenStore dwFlags */
#define CERT_STORE_NO_CRYPT_RELEASE_FLAG            0x00000001
#define CERT_STORE_SET_LOCALIZED_NAME_FLAG          0x00000002
#define CERT_STORE_DEFER_CLOSE_UNTIL_LAST_FREE_FLAG 0x00000004
#define CERT_STORE_DELETE_FLAG                      0x00000010
#define CERT_STORE_SHARE_STORE_FLAG                 0x00000040
#define CERT_STORE_SHARE_CONTEXT_FLAG               0x00000080
#define CERT_STORE_MANIFOLD_FLAG                    0x00000100
#define CERT_STORE_ENUM_ARCHIVED_FLAG               0x00000200
#define CERT_STORE_UPDATE_KEYID_FLAG                0x00000400
#define CERT_STORE_BACKUP_RESTORE_FLAG              0x00000800
#define CERT_STORE_MAXIMUM_ALLOWED_FLAG             0x00001000
#define CERT_STORE_CREATE_NEW_FLAG                  0x00002000
#define CERT_STORE_OPEN_EXISTING_FLAG               0x00004000
#define CERT_STORE_READONLY_FLAG                    0x00008000
#define CERT_SYSTEM_STORE_CURRENT_USER              0x00010000
#define CERT_SYSTEM_STORE_LOCAL_MACHINE             0x00020000

/* CertCloseStore dwFlags */
#define CERT_CLOSE_STORE_FORCE_FLAG                 0x00000001
#define CERT_CLOSE_STORE_CHECK_FLAG                 0x00000002

/* Add dispositions (CertAdd*ToStore dwAddDisposition) */
#define CERT_STORE_ADD_NEW                                  1
#define CERT_STORE_ADD_USE_EXISTING                         2
#define CERT_STORE_ADD_REPLACE_EXISTING                     3
#define CERT_STORE_ADD_ALWAYS                               4
#define CERT_STORE_ADD_REPLACE_EXISTING_INHERIT_PROPERTIES  5
#define CERT_STORE_ADD_NEWER                                6
#define CERT_STORE_ADD_NEWER_INHERIT_PROPERTIES             7

/* CertFindCertificateInStore dwFindType = (compare << 16) | info flag */
#define CERT_COMPARE_SHIFT          16
#define CERT_COMPARE_ANY            0
#define CERT_COMPARE_SHA1_HASH      1
#define CERT_COMPARE_NAME_STR_A     7
#define CERT_COMPARE_NAME_STR_W     8
#define CERT_INFO_ISSUER_FLAG       4
#define CERT_INFO_SUBJECT_FLAG      7

#define CERT_FIND_ANY               0x00000000
#define CERT_FIND_SHA1_HASH         0x00010000
#define CERT_FIND_HASH              CERT_FIND_SHA1_HASH
#define CERT_FIND_SUBJECT_STR_A     0x00070007
#define CERT_FIND_SUBJECT_STR_W     0x00080007
#define CERT_FIND_ISSUER_STR_A      0x00070004
#define CERT_FIND_ISSUER_STR_W      0x00080004
/* Not A/W-mapped on Windows either: the plain names are the W forms. */
#define CERT_FIND_SUBJECT_STR       CERT_FIND_SUBJECT_STR_W
#define CERT_FIND_ISSUER_STR        CERT_FIND_ISSUER_STR_W

/* CertGetNameString dwType / dwFlags */
#define CERT_NAME_EMAIL_TYPE            1
#define CERT_NAME_RDN_TYPE              2
#define CERT_NAME_ATTR_TYPE             3
#define CERT_NAME_SIMPLE_DISPLAY_TYPE   4
#define CERT_NAME_FRIENDLY_DISPLAY_TYPE 5
#define CERT_NAME_DNS_TYPE              6
#define CERT_NAME_URL_TYPE              7
#define CERT_NAME_UPN_TYPE              8
#define CERT_NAME_ISSUER_FLAG           0x00000001

/* Certificate property IDs (CertGetCertificateContextProperty) */
#define CERT_KEY_PROV_HANDLE_PROP_ID    1
#define CERT_KEY_PROV_INFO_PROP_ID      2
#define CERT_SHA1_HASH_PROP_ID          3
#define CERT_MD5_HASH_PROP_ID           4
#define CERT_HASH_PROP_ID               CERT_SHA1_HASH_PROP_ID
#define CERT_KEY_CONTEXT_PROP_ID        5
#define CERT_FRIENDLY_NAME_PROP_ID      11
#define CERT_KEY_IDENTIFIER_PROP_ID     20
#define CERT_SHA256_HASH_PROP_ID        107
#define CERT_FIRST_USER_PROP_ID         0x00008000

/* Key flags / PFXImportCertStore dwFlags */
#define CRYPT_EXPORTABLE                    0x00000001
#define CRYPT_USER_PROTECTED                0x00000002
#define CRYPT_MACHINE_KEYSET                0x00000020
#define CRYPT_USER_KEYSET                   0x00001000
#define PKCS12_INCLUDE_EXTENDED_PROPERTIES  0x00000010
#define PKCS12_PREFER_CNG_KSP               0x00000100
#define PKCS12_ALWAYS_CNG_KSP               0x00000200
#define PKCS12_ALLOW_OVERWRITE_KEY          0x00004000
#define PKCS12_NO_PERSIST_KEY               0x00008000

/* ========================================================================
 * Functions (implemented by libopenschannel)
 * ======================================================================== */

/** Create a context from DER bytes (copied).  NULL on failure. */
PCCERT_CONTEXT WINAPI CertCreateCertificateContext(
    DWORD dwCertEncodingType, const BYTE *pbCertEncoded, DWORD cbCertEncoded);

/** Add a reference; returns the same pointer. */
PCCERT_CONTEXT WINAPI CertDuplicateCertificateContext(PCCERT_CONTEXT pCertContext);

/** Drop a reference (NULL is accepted). */
BOOL WINAPI CertFreeCertificateContext(PCCERT_CONTEXT pCertContext);

/** Open a store; openschannel supports CERT_STORE_PROV_MEMORY. */
HCERTSTORE WINAPI CertOpenStore(
    LPCSTR lpszStoreProvider, DWORD dwEncodingType, HCRYPTPROV_LEGACY hCryptProv,
    DWORD dwFlags, const void *pvPara);

BOOL WINAPI CertCloseStore(HCERTSTORE hCertStore, DWORD dwFlags);

BOOL WINAPI CertAddEncodedCertificateToStore(
    HCERTSTORE hCertStore, DWORD dwCertEncodingType, const BYTE *pbCertEncoded,
    DWORD cbCertEncoded, DWORD dwAddDisposition, PCCERT_CONTEXT *ppCertContext);

BOOL WINAPI CertAddCertificateContextToStore(
    HCERTSTORE hCertStore, PCCERT_CONTEXT pCertContext, DWORD dwAddDisposition,
    PCCERT_CONTEXT *ppStoreContext);

/** Iterate: pass NULL first, then the previous result (which is freed). */
PCCERT_CONTEXT WINAPI CertEnumCertificatesInStore(
    HCERTSTORE hCertStore, PCCERT_CONTEXT pPrevCertContext);

PCCERT_CONTEXT WINAPI CertFindCertificateInStore(
    HCERTSTORE hCertStore, DWORD dwCertEncodingType, DWORD dwFindFlags,
    DWORD dwFindType, const void *pvFindPara, PCCERT_CONTEXT pPrevCertContext);

/** Returns the number of characters including the terminating NUL. */
DWORD WINAPI CertGetNameStringA(
    PCCERT_CONTEXT pCertContext, DWORD dwType, DWORD dwFlags, void *pvTypePara,
    LPSTR pszNameString, DWORD cchNameString);

DWORD WINAPI CertGetNameStringW(
    PCCERT_CONTEXT pCertContext, DWORD dwType, DWORD dwFlags, void *pvTypePara,
    LPWSTR pszNameString, DWORD cchNameString);

BOOL WINAPI CertGetCertificateContextProperty(
    PCCERT_CONTEXT pCertContext, DWORD dwPropId, void *pvData, DWORD *pcbData);

/** Import a PKCS#12 blob into a new memory store (password UTF-16). */
HCERTSTORE WINAPI PFXImportCertStore(
    CRYPT_DATA_BLOB *pPFX, LPCWSTR szPassword, DWORD dwFlags);

#ifdef UNICODE
#define CertGetNameString CertGetNameStringW
#else
#define CertGetNameString CertGetNameStringA
#endif

/* ========================================================================
 * Chain engine, chain policy and system stores (openschannel crypt32/chain*,
 * policy, system_store).  Every name here is guarded so that another
 * section (or a program's own definition) may define it first.
 * ======================================================================== */

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID;
#endif

#ifndef OPENSCHANNEL_HRESULT
#define OPENSCHANNEL_HRESULT(u) ((HRESULT)OPENSCHANNEL_STATUS_FROM_U32(u))
#endif

/* Error codes (winerror.h) these functions report; each guarded on its own. */
#ifndef CRYPT_E_NOT_FOUND
#define CRYPT_E_NOT_FOUND OPENSCHANNEL_HRESULT(0x80092004u)
#endif
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND 2L
#endif
#ifndef ERROR_INVALID_DATA
#define ERROR_INVALID_DATA 13L
#endif
#ifndef E_ACCESSDENIED
#define E_ACCESSDENIED OPENSCHANNEL_HRESULT(0x80070005u)
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG OPENSCHANNEL_HRESULT(0x80070057u)
#endif
#ifndef CRYPT_E_NO_REVOCATION_CHECK
#define CRYPT_E_NO_REVOCATION_CHECK OPENSCHANNEL_HRESULT(0x80092012u)
#endif
#ifndef CRYPT_E_REVOCATION_OFFLINE
#define CRYPT_E_REVOCATION_OFFLINE OPENSCHANNEL_HRESULT(0x80092013u)
#endif
#ifndef CRYPT_E_REVOKED
#define CRYPT_E_REVOKED OPENSCHANNEL_HRESULT(0x80092010u)
#endif
#ifndef TRUST_E_CERT_SIGNATURE
#define TRUST_E_CERT_SIGNATURE OPENSCHANNEL_HRESULT(0x80096004u)
#endif
#ifndef TRUST_E_BASIC_CONSTRAINTS
#define TRUST_E_BASIC_CONSTRAINTS OPENSCHANNEL_HRESULT(0x80096019u)
#endif
#ifndef TRUST_E_NOSIGNATURE
#define TRUST_E_NOSIGNATURE OPENSCHANNEL_HRESULT(0x800B0100u)
#endif
#ifndef TRUST_E_FAIL
#define TRUST_E_FAIL OPENSCHANNEL_HRESULT(0x800B010Bu)
#endif
#ifndef TRUST_E_EXPLICIT_DISTRUST
#define TRUST_E_EXPLICIT_DISTRUST OPENSCHANNEL_HRESULT(0x800B0111u)
#endif
#ifndef CERT_E_EXPIRED
#define CERT_E_EXPIRED OPENSCHANNEL_HRESULT(0x800B0101u)
#endif
#ifndef CERT_E_VALIDITYPERIODNESTING
#define CERT_E_VALIDITYPERIODNESTING OPENSCHANNEL_HRESULT(0x800B0102u)
#endif
#ifndef CERT_E_ROLE
#define CERT_E_ROLE OPENSCHANNEL_HRESULT(0x800B0103u)
#endif
#ifndef CERT_E_PATHLENCONST
#define CERT_E_PATHLENCONST OPENSCHANNEL_HRESULT(0x800B0104u)
#endif
#ifndef CERT_E_CRITICAL
#define CERT_E_CRITICAL OPENSCHANNEL_HRESULT(0x800B0105u)
#endif
#ifndef CERT_E_PURPOSE
#define CERT_E_PURPOSE OPENSCHANNEL_HRESULT(0x800B0106u)
#endif
#ifndef CERT_E_ISSUERCHAINING
#define CERT_E_ISSUERCHAINING OPENSCHANNEL_HRESULT(0x800B0107u)
#endif
#ifndef CERT_E_MALFORMED
#define CERT_E_MALFORMED OPENSCHANNEL_HRESULT(0x800B0108u)
#endif
#ifndef CERT_E_UNTRUSTEDROOT
#define CERT_E_UNTRUSTEDROOT OPENSCHANNEL_HRESULT(0x800B0109u)
#endif
#ifndef CERT_E_CHAINING
#define CERT_E_CHAINING OPENSCHANNEL_HRESULT(0x800B010Au)
#endif
#ifndef CERT_E_REVOKED
#define CERT_E_REVOKED OPENSCHANNEL_HRESULT(0x800B010Cu)
#endif
#ifndef CERT_E_UNTRUSTEDTESTROOT
#define CERT_E_UNTRUSTEDTESTROOT OPENSCHANNEL_HRESULT(0x800B010Du)
#endif
#ifndef CERT_E_REVOCATION_FAILURE
#define CERT_E_REVOCATION_FAILURE OPENSCHANNEL_HRESULT(0x800B010Eu)
#endif
#ifndef CERT_E_CN_NO_MATCH
#define CERT_E_CN_NO_MATCH OPENSCHANNEL_HRESULT(0x800B010Fu)
#endif
#ifndef CERT_E_WRONG_USAGE
#define CERT_E_WRONG_USAGE OPENSCHANNEL_HRESULT(0x800B0110u)
#endif
#ifndef CERT_E_UNTRUSTEDCA
#define CERT_E_UNTRUSTEDCA OPENSCHANNEL_HRESULT(0x800B0112u)
#endif
#ifndef CERT_E_INVALID_POLICY
#define CERT_E_INVALID_POLICY OPENSCHANNEL_HRESULT(0x800B0113u)
#endif
#ifndef CERT_E_INVALID_NAME
#define CERT_E_INVALID_NAME OPENSCHANNEL_HRESULT(0x800B0114u)
#endif

/* System store locations (dwFlags of CERT_STORE_PROV_SYSTEM). */
#ifndef CERT_SYSTEM_STORE_LOCATION_MASK
#define CERT_SYSTEM_STORE_LOCATION_MASK             0x00FF0000
#define CERT_SYSTEM_STORE_LOCATION_SHIFT            16
#define CERT_SYSTEM_STORE_CURRENT_USER_ID           1
#define CERT_SYSTEM_STORE_LOCAL_MACHINE_ID          2
#define CERT_SYSTEM_STORE_CURRENT_SERVICE_ID        4
#define CERT_SYSTEM_STORE_SERVICES_ID               5
#define CERT_SYSTEM_STORE_USERS_ID                  6
#define CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY_ID  7
#define CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY_ID 8
#define CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE_ID   9
#define CERT_SYSTEM_STORE_CURRENT_SERVICE           0x00040000
#define CERT_SYSTEM_STORE_SERVICES                  0x00050000
#define CERT_SYSTEM_STORE_USERS                     0x00060000
#define CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY 0x00070000
#define CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY 0x00080000
#define CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE  0x00090000
#endif
#ifndef sz_CERT_STORE_PROV_SYSTEM
#define sz_CERT_STORE_PROV_SYSTEM   "System"
#define sz_CERT_STORE_PROV_FILENAME "FileName"
#define sz_CERT_STORE_PROV_MEMORY   "Memory"
#endif

/* CertFindCertificateInStore find types (beyond those above). */
#ifndef CERT_FIND_HAS_PRIVATE_KEY
#define CERT_COMPARE_NAME           2
#define CERT_COMPARE_SUBJECT_CERT   11
#define CERT_COMPARE_ISSUER_OF      12
#define CERT_COMPARE_EXISTING       13
#define CERT_COMPARE_HAS_PRIVATE_KEY 21
#define CERT_COMPARE_SHA256_HASH    32
#define CERT_FIND_SUBJECT_NAME      0x00020007
#define CERT_FIND_ISSUER_NAME       0x00020004
#define CERT_FIND_SUBJECT_CERT      0x000B0000
#define CERT_FIND_ISSUER_OF         0x000C0000
#define CERT_FIND_EXISTING          0x000D0000
#define CERT_FIND_HAS_PRIVATE_KEY   0x00150000
#define CERT_FIND_SHA256_HASH       0x00200000
#endif

/* CERT_TRUST_STATUS.dwErrorStatus */
#ifndef CERT_TRUST_NO_ERROR
#define CERT_TRUST_NO_ERROR                         0x00000000
#define CERT_TRUST_IS_NOT_TIME_VALID                0x00000001
#define CERT_TRUST_IS_NOT_TIME_NESTED               0x00000002
#define CERT_TRUST_IS_REVOKED                       0x00000004
#define CERT_TRUST_IS_NOT_SIGNATURE_VALID           0x00000008
#define CERT_TRUST_IS_NOT_VALID_FOR_USAGE           0x00000010
#define CERT_TRUST_IS_UNTRUSTED_ROOT                0x00000020
#define CERT_TRUST_REVOCATION_STATUS_UNKNOWN        0x00000040
#define CERT_TRUST_IS_CYCLIC                        0x00000080
#define CERT_TRUST_INVALID_EXTENSION                0x00000100
#define CERT_TRUST_INVALID_POLICY_CONSTRAINTS       0x00000200
#define CERT_TRUST_INVALID_BASIC_CONSTRAINTS        0x00000400
#define CERT_TRUST_INVALID_NAME_CONSTRAINTS         0x00000800
#define CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT 0x00001000
#define CERT_TRUST_HAS_NOT_DEFINED_NAME_CONSTRAINT  0x00002000
#define CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT 0x00004000
#define CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT     0x00008000
#define CERT_TRUST_IS_PARTIAL_CHAIN                 0x00010000
#define CERT_TRUST_CTL_IS_NOT_TIME_VALID            0x00020000
#define CERT_TRUST_CTL_IS_NOT_SIGNATURE_VALID       0x00040000
#define CERT_TRUST_CTL_IS_NOT_VALID_FOR_USAGE       0x00080000
#define CERT_TRUST_HAS_WEAK_SIGNATURE               0x00100000
#define CERT_TRUST_IS_OFFLINE_REVOCATION            0x01000000
#define CERT_TRUST_NO_ISSUANCE_CHAIN_POLICY         0x02000000
#define CERT_TRUST_IS_EXPLICIT_DISTRUST             0x04000000
#define CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT   0x08000000
/* CERT_TRUST_STATUS.dwInfoStatus */
#define CERT_TRUST_HAS_EXACT_MATCH_ISSUER           0x00000001
#define CERT_TRUST_HAS_KEY_MATCH_ISSUER             0x00000002
#define CERT_TRUST_HAS_NAME_MATCH_ISSUER            0x00000004
#define CERT_TRUST_IS_SELF_SIGNED                   0x00000008
#define CERT_TRUST_AUTO_UPDATE_CA_REVOCATION        0x00000010
#define CERT_TRUST_AUTO_UPDATE_END_REVOCATION       0x00000020
#define CERT_TRUST_NO_OCSP_FAILOVER_TO_CRL          0x00000040
#define CERT_TRUST_IS_KEY_ROLLOVER                  0x00000080
#define CERT_TRUST_HAS_PREFERRED_ISSUER             0x00000100
#define CERT_TRUST_HAS_ISSUANCE_CHAIN_POLICY        0x00000200
#define CERT_TRUST_HAS_VALID_NAME_CONSTRAINTS       0x00000400
#define CERT_TRUST_IS_PEER_TRUSTED                  0x00000800
#define CERT_TRUST_HAS_CRL_VALIDITY_EXTENDED        0x00001000
#define CERT_TRUST_IS_FROM_EXCLUSIVE_TRUST_STORE    0x00002000
#define CERT_TRUST_IS_CA_TRUSTED                    0x00004000
#define CERT_TRUST_IS_COMPLEX_CHAIN                 0x00010000
#endif

typedef struct _CERT_TRUST_STATUS {
    DWORD dwErrorStatus;
    DWORD dwInfoStatus;
} CERT_TRUST_STATUS, *PCERT_TRUST_STATUS;

/* Also the result type of CryptDecodeObjectEx(X509_ENHANCED_KEY_USAGE): a section that
 * declares it too must use the same guard. */
#ifndef OPENSCHANNEL_CERT_ENHKEY_USAGE_DEFINED
#define OPENSCHANNEL_CERT_ENHKEY_USAGE_DEFINED
typedef struct _CERT_ENHKEY_USAGE {
    DWORD cUsageIdentifier;
    LPSTR *rgpszUsageIdentifier;
} CERT_ENHKEY_USAGE, *PCERT_ENHKEY_USAGE, CTL_USAGE, *PCTL_USAGE;
typedef const CERT_ENHKEY_USAGE *PCCERT_ENHKEY_USAGE;
#endif

#define USAGE_MATCH_TYPE_AND 0x00000000
#define USAGE_MATCH_TYPE_OR  0x00000001

typedef struct _CERT_USAGE_MATCH {
    DWORD dwType;
    CERT_ENHKEY_USAGE Usage;
} CERT_USAGE_MATCH, *PCERT_USAGE_MATCH;

/* Revocation and CTL details are never filled in (revocation is not checked). */
typedef struct _CERT_REVOCATION_INFO CERT_REVOCATION_INFO, *PCERT_REVOCATION_INFO;
typedef struct _CERT_TRUST_LIST_INFO CERT_TRUST_LIST_INFO, *PCERT_TRUST_LIST_INFO;
typedef struct _CERT_STRONG_SIGN_PARA CERT_STRONG_SIGN_PARA, *PCERT_STRONG_SIGN_PARA;
typedef const CERT_STRONG_SIGN_PARA *PCCERT_STRONG_SIGN_PARA;

typedef struct _CERT_CHAIN_ELEMENT {
    DWORD cbSize;
    PCCERT_CONTEXT pCertContext;
    CERT_TRUST_STATUS TrustStatus;
    PCERT_REVOCATION_INFO pRevocationInfo;
    PCERT_ENHKEY_USAGE pIssuanceUsage;
    PCERT_ENHKEY_USAGE pApplicationUsage;
    LPCWSTR pwszExtendedErrorInfo;
} CERT_CHAIN_ELEMENT, *PCERT_CHAIN_ELEMENT;
typedef const CERT_CHAIN_ELEMENT *PCCERT_CHAIN_ELEMENT;

typedef struct _CERT_SIMPLE_CHAIN {
    DWORD cbSize;
    CERT_TRUST_STATUS TrustStatus;
    DWORD cElement;
    PCERT_CHAIN_ELEMENT *rgpElement;
    PCERT_TRUST_LIST_INFO pTrustListInfo;
    BOOL fHasRevocationFreshnessTime;
    DWORD dwRevocationFreshnessTime;
} CERT_SIMPLE_CHAIN, *PCERT_SIMPLE_CHAIN;
typedef const CERT_SIMPLE_CHAIN *PCCERT_SIMPLE_CHAIN;

typedef struct _CERT_CHAIN_CONTEXT CERT_CHAIN_CONTEXT, *PCERT_CHAIN_CONTEXT;
typedef const CERT_CHAIN_CONTEXT *PCCERT_CHAIN_CONTEXT;
struct _CERT_CHAIN_CONTEXT {
    DWORD cbSize;
    CERT_TRUST_STATUS TrustStatus;
    DWORD cChain;
    PCERT_SIMPLE_CHAIN *rgpChain;
    DWORD cLowerQualityChainContext;
    PCCERT_CHAIN_CONTEXT *rgpLowerQualityChainContext;
    BOOL fHasRevocationFreshnessTime;
    DWORD dwRevocationFreshnessTime;
    DWORD dwCreateFlags;
    GUID ChainId;
};

typedef struct _CERT_CHAIN_PARA {
    DWORD cbSize;
    CERT_USAGE_MATCH RequestedUsage;
#ifdef CERT_CHAIN_PARA_HAS_EXTRA_FIELDS
    CERT_USAGE_MATCH RequestedIssuancePolicy;
    DWORD dwUrlRetrievalTimeout;
    BOOL fCheckRevocationFreshnessTime;
    DWORD dwRevocationFreshnessTime;
    LPFILETIME pftCacheResync;
    PCCERT_STRONG_SIGN_PARA pStrongSignPara;
    DWORD dwStrongSignFlags;
#endif
} CERT_CHAIN_PARA, *PCERT_CHAIN_PARA;

typedef HANDLE HCERTCHAINENGINE;
#define HCCE_CURRENT_USER           ((HCERTCHAINENGINE)NULL)
#define HCCE_LOCAL_MACHINE          ((HCERTCHAINENGINE)(ULONG_PTR)0x1)
#define HCCE_SERIAL_LOCAL_MACHINE   ((HCERTCHAINENGINE)(ULONG_PTR)0x2)

typedef struct _CERT_CHAIN_ENGINE_CONFIG {
    DWORD cbSize;
    HCERTSTORE hRestrictedRoot;
    HCERTSTORE hRestrictedTrust;
    HCERTSTORE hRestrictedOther;
    DWORD cAdditionalStore;
    HCERTSTORE *rghAdditionalStore;
    DWORD dwFlags;
    DWORD dwUrlRetrievalTimeout;
    DWORD MaximumCachedCertificates;
    DWORD CycleDetectionModulus;
    HCERTSTORE hExclusiveRoot;
    HCERTSTORE hExclusiveTrustedPeople;
    DWORD dwExclusiveFlags;
} CERT_CHAIN_ENGINE_CONFIG, *PCERT_CHAIN_ENGINE_CONFIG;

/* CERT_CHAIN_ENGINE_CONFIG.dwFlags / dwExclusiveFlags */
#define CERT_CHAIN_CACHE_END_CERT                   0x00000001
#define CERT_CHAIN_THREAD_STORE_SYNC                0x00000002
#define CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL         0x00000004
#define CERT_CHAIN_USE_LOCAL_MACHINE_STORE          0x00000008
#define CERT_CHAIN_ENABLE_CACHE_AUTO_UPDATE         0x00000010
#define CERT_CHAIN_ENABLE_SHARE_STORE               0x00000020
#define CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG         0x00000001

/* CertGetCertificateChain dwFlags (revocation is asked for, never checked:
 * the elements concerned get CERT_TRUST_REVOCATION_STATUS_UNKNOWN). */
#define CERT_CHAIN_DISABLE_PASS1_QUALITY_FILTERING  0x00000040
#define CERT_CHAIN_RETURN_LOWER_QUALITY_CONTEXTS    0x00000080
#define CERT_CHAIN_DISABLE_AUTH_ROOT_AUTO_UPDATE    0x00000100
#define CERT_CHAIN_TIMESTAMP_TIME                   0x00000200
#define CERT_CHAIN_ENABLE_PEER_TRUST                0x00000400
#define CERT_CHAIN_DISABLE_MY_PEER_TRUST            0x00000800
#define CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT  0x08000000
#define CERT_CHAIN_REVOCATION_CHECK_END_CERT        0x10000000
#define CERT_CHAIN_REVOCATION_CHECK_CHAIN           0x20000000
#define CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT 0x40000000
#define CERT_CHAIN_REVOCATION_CHECK_CACHE_ONLY      0x80000000

/* Chain policies */
#define CERT_CHAIN_POLICY_BASE              ((LPCSTR)(ULONG_PTR)1)
#define CERT_CHAIN_POLICY_AUTHENTICODE      ((LPCSTR)(ULONG_PTR)2)
#define CERT_CHAIN_POLICY_AUTHENTICODE_TS   ((LPCSTR)(ULONG_PTR)3)
#define CERT_CHAIN_POLICY_SSL               ((LPCSTR)(ULONG_PTR)4)
#define CERT_CHAIN_POLICY_BASIC_CONSTRAINTS ((LPCSTR)(ULONG_PTR)5)
#define CERT_CHAIN_POLICY_NT_AUTH           ((LPCSTR)(ULONG_PTR)6)
#define CERT_CHAIN_POLICY_MICROSOFT_ROOT    ((LPCSTR)(ULONG_PTR)7)
#define CERT_CHAIN_POLICY_EV                ((LPCSTR)(ULONG_PTR)8)

/* CERT_CHAIN_POLICY_PARA.dwFlags */
#define CERT_CHAIN_POLICY_IGNORE_NOT_TIME_VALID_FLAG            0x00000001
#define CERT_CHAIN_POLICY_IGNORE_CTL_NOT_TIME_VALID_FLAG        0x00000002
#define CERT_CHAIN_POLICY_IGNORE_NOT_TIME_NESTED_FLAG           0x00000004
#define CERT_CHAIN_POLICY_IGNORE_ALL_NOT_TIME_VALID_FLAGS       0x00000007
#define CERT_CHAIN_POLICY_IGNORE_INVALID_BASIC_CONSTRAINTS_FLAG 0x00000008
#define CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG                 0x00000010
#define CERT_CHAIN_POLICY_IGNORE_WRONG_USAGE_FLAG               0x00000020
#define CERT_CHAIN_POLICY_IGNORE_INVALID_NAME_FLAG              0x00000040
#define CERT_CHAIN_POLICY_IGNORE_INVALID_POLICY_FLAG            0x00000080
#define CERT_CHAIN_POLICY_IGNORE_END_REV_UNKNOWN_FLAG           0x00000100
#define CERT_CHAIN_POLICY_IGNORE_CTL_SIGNER_REV_UNKNOWN_FLAG    0x00000200
#define CERT_CHAIN_POLICY_IGNORE_CA_REV_UNKNOWN_FLAG            0x00000400
#define CERT_CHAIN_POLICY_IGNORE_ROOT_REV_UNKNOWN_FLAG          0x00000800
#define CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS          0x00000F00
#define CERT_CHAIN_POLICY_IGNORE_PEER_TRUST_FLAG                0x00001000
#define CERT_CHAIN_POLICY_IGNORE_NOT_SUPPORTED_CRITICAL_EXT_FLAG 0x00002000
#define CERT_CHAIN_POLICY_TRUST_TESTROOT_FLAG                   0x00004000
#define CERT_CHAIN_POLICY_ALLOW_TESTROOT_FLAG                   0x00008000

typedef struct _CERT_CHAIN_POLICY_PARA {
    DWORD cbSize;
    DWORD dwFlags;
    void *pvExtraPolicyPara;
} CERT_CHAIN_POLICY_PARA, *PCERT_CHAIN_POLICY_PARA;

typedef struct _CERT_CHAIN_POLICY_STATUS {
    DWORD cbSize;
    DWORD dwError;
    LONG lChainIndex;
    LONG lElementIndex;
    void *pvExtraPolicyStatus;
} CERT_CHAIN_POLICY_STATUS, *PCERT_CHAIN_POLICY_STATUS;

#define AUTHTYPE_CLIENT 1
#define AUTHTYPE_SERVER 2

/* SSL_EXTRA_CERT_CHAIN_POLICY_PARA.fdwChecks (wininet.h's SECURITY_FLAG_*) */
#ifndef SECURITY_FLAG_IGNORE_REVOCATION
#define SECURITY_FLAG_IGNORE_REVOCATION         0x00000080
#define SECURITY_FLAG_IGNORE_UNKNOWN_CA         0x00000100
#define SECURITY_FLAG_IGNORE_WRONG_USAGE        0x00000200
#define SECURITY_FLAG_IGNORE_CERT_CN_INVALID    0x00001000
#define SECURITY_FLAG_IGNORE_CERT_DATE_INVALID  0x00002000
#endif

/* C99 has no anonymous unions: there (and with NONAMELESSUNION) the union is
 * named u, as in Windows' headers. */
#ifndef DUMMYUNIONNAME
#if defined(NONAMELESSUNION) || \
    (!defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L))
#define DUMMYUNIONNAME u
#else
#define DUMMYUNIONNAME
#endif
#endif

typedef struct _HTTPSPolicyCallbackData {
    union {
        DWORD cbStruct;
        DWORD cbSize;
    } DUMMYUNIONNAME;
    DWORD dwAuthType;
    DWORD fdwChecks;
    WCHAR *pwszServerName;
} HTTPSPolicyCallbackData, *PHTTPSPolicyCallbackData,
  SSL_EXTRA_CERT_CHAIN_POLICY_PARA, *PSSL_EXTRA_CERT_CHAIN_POLICY_PARA;

/* CertFindChainInStore */
#define CERT_CHAIN_FIND_BY_ISSUER                       1
#define CERT_CHAIN_FIND_BY_ISSUER_COMPARE_KEY_FLAG      0x0001
#define CERT_CHAIN_FIND_BY_ISSUER_COMPLEX_CHAIN_FLAG    0x0002
#define CERT_CHAIN_FIND_BY_ISSUER_CACHE_ONLY_URL_FLAG   0x0004
#define CERT_CHAIN_FIND_BY_ISSUER_LOCAL_MACHINE_FLAG    0x0008
#define CERT_CHAIN_FIND_BY_ISSUER_NO_KEY_FLAG           0x4000
#define CERT_CHAIN_FIND_BY_ISSUER_CACHE_ONLY_FLAG       0x8000

typedef BOOL (WINAPI *PFN_CERT_CHAIN_FIND_BY_ISSUER_CALLBACK)(
    PCCERT_CONTEXT pCert, void *pvFindArg);

typedef struct _CERT_CHAIN_FIND_BY_ISSUER_PARA {
    DWORD cbSize;
    LPCSTR pszUsageIdentifier;
    DWORD dwKeySpec;
    DWORD dwAcquirePrivateKeyFlags;
    DWORD cIssuer;
    CERT_NAME_BLOB *rgIssuer;
    PFN_CERT_CHAIN_FIND_BY_ISSUER_CALLBACK pfnFindCallback;
    void *pvFindArg;
#ifdef CERT_CHAIN_FIND_BY_ISSUER_PARA_HAS_EXTRA_FIELDS
    DWORD *pdwIssuerChainIndex;
    DWORD *pdwIssuerElementIndex;
#endif
} CERT_CHAIN_FIND_ISSUER_PARA, *PCERT_CHAIN_FIND_ISSUER_PARA,
  CERT_CHAIN_FIND_BY_ISSUER_PARA, *PCERT_CHAIN_FIND_BY_ISSUER_PARA;

#ifndef szOID_PKIX_KP_SERVER_AUTH
#define szOID_PKIX_KP_SERVER_AUTH   "1.3.6.1.5.5.7.3.1"
#define szOID_PKIX_KP_CLIENT_AUTH   "1.3.6.1.5.5.7.3.2"
#endif

/** ROOT is the platform trust store (read-only); other names are directories
 *  under $OPENSCHANNEL_CERTSTORE (see README). */
HCERTSTORE WINAPI CertOpenSystemStoreA(HCRYPTPROV_LEGACY hProv, LPCSTR szSubsystemProtocol);
HCERTSTORE WINAPI CertOpenSystemStoreW(HCRYPTPROV_LEGACY hProv, LPCWSTR szSubsystemProtocol);

BOOL WINAPI CertCreateCertificateChainEngine(
    PCERT_CHAIN_ENGINE_CONFIG pConfig, HCERTCHAINENGINE *phChainEngine);
void WINAPI CertFreeCertificateChainEngine(HCERTCHAINENGINE hChainEngine);

/** The chain context is returned even for a failing chain; read its TrustStatus. */
BOOL WINAPI CertGetCertificateChain(
    HCERTCHAINENGINE hChainEngine, PCCERT_CONTEXT pCertContext, LPFILETIME pTime,
    HCERTSTORE hAdditionalStore, PCERT_CHAIN_PARA pChainPara, DWORD dwFlags,
    LPVOID pvReserved, PCCERT_CHAIN_CONTEXT *ppChainContext);
void WINAPI CertFreeCertificateChain(PCCERT_CHAIN_CONTEXT pChainContext);
PCCERT_CHAIN_CONTEXT WINAPI CertDuplicateCertificateChain(PCCERT_CHAIN_CONTEXT pChainContext);

BOOL WINAPI CertVerifyCertificateChainPolicy(
    LPCSTR pszPolicyOID, PCCERT_CHAIN_CONTEXT pChainContext,
    PCERT_CHAIN_POLICY_PARA pPolicyPara, PCERT_CHAIN_POLICY_STATUS pPolicyStatus);

PCCERT_CHAIN_CONTEXT WINAPI CertFindChainInStore(
    HCERTSTORE hCertStore, DWORD dwCertEncodingType, DWORD dwFindFlags, DWORD dwFindType,
    const void *pvFindPara, PCCERT_CHAIN_CONTEXT pPrevChainContext);

#ifdef UNICODE
#define CertOpenSystemStore CertOpenSystemStoreW
#else
#define CertOpenSystemStore CertOpenSystemStoreA
#endif

#if OPENSCHANNEL_PTR64
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CHAIN_ELEMENT, sizeof(CERT_CHAIN_ELEMENT) == 56);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_SIMPLE_CHAIN, sizeof(CERT_SIMPLE_CHAIN) == 40);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CHAIN_CONTEXT, sizeof(CERT_CHAIN_CONTEXT) == 72);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CHAIN_ENGINE_CONFIG, sizeof(CERT_CHAIN_ENGINE_CONFIG) == 88);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_USAGE_MATCH, sizeof(CERT_USAGE_MATCH) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CHAIN_PARA_usage, offsetof(CERT_CHAIN_PARA, RequestedUsage) == 8);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CHAIN_POLICY_STATUS, sizeof(CERT_CHAIN_POLICY_STATUS) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_SSL_EXTRA_PARA, sizeof(SSL_EXTRA_CERT_CHAIN_POLICY_PARA) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_FIND_BY_ISSUER, sizeof(CERT_CHAIN_FIND_BY_ISSUER_PARA) >= 56);
#endif

/* ======== end of the chain engine section ======== */

OPENSCHANNEL_EXTERN_C_END

/* ========================================================================
 * Layout checks (x64)
 * ======================================================================== */

OPENSCHANNEL_STATIC_ASSERT(wincrypt_ALG_ID, sizeof(ALG_ID) == 4);
#if OPENSCHANNEL_PTR64
OPENSCHANNEL_STATIC_ASSERT(wincrypt_BLOB, sizeof(CRYPT_DATA_BLOB) == 16);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_ALGID, sizeof(CRYPT_ALGORITHM_IDENTIFIER) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_BIT_BLOB, sizeof(CRYPT_BIT_BLOB) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_PUBKEY, sizeof(CERT_PUBLIC_KEY_INFO) == 48);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_EXTENSION, sizeof(CERT_EXTENSION) == 32);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_INFO, sizeof(CERT_INFO) == 208);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_INFO_Subject, offsetof(CERT_INFO, Subject) == 80);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_INFO_cExt, offsetof(CERT_INFO, cExtension) == 192);
/* { DWORD; BYTE*; DWORD; PCERT_INFO; HCERTSTORE } = 4+4(pad)+8+4+4(pad)+8+8 */
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_CONTEXT, sizeof(CERT_CONTEXT) == 40);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_CONTEXT_pb, offsetof(CERT_CONTEXT, pbCertEncoded) == 8);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_CONTEXT_cb, offsetof(CERT_CONTEXT, cbCertEncoded) == 16);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_CONTEXT_info, offsetof(CERT_CONTEXT, pCertInfo) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_CERT_CONTEXT_store, offsetof(CERT_CONTEXT, hCertStore) == 32);
#endif

#endif /* OPENSCHANNEL_WINCRYPT_H */
