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

/* ========================================================================
 * Decoding, strings, names, properties and the CryptoAPI subset
 * (section of the decoding helper: CryptStringToBinary/CryptBinaryToString,
 * CryptQueryObject, CryptDecodeObject(Ex), CertFindExtension, CertNameToStr,
 * CertSetCertificateContextProperty, CryptHashCertificate, advapi32
 * providers/keys/hashes). Values are those of the Windows SDK.
 * ======================================================================== */

#define OPENSCHANNEL_HRESULT(u) ((HRESULT)OPENSCHANNEL_STATUS_FROM_U32(u))

/* --- Win32 error codes these functions leave for GetLastError --- */
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS               0L
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED         5L
#endif
#ifndef ERROR_INVALID_HANDLE
#define ERROR_INVALID_HANDLE        6L
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY     8L
#endif
#ifndef ERROR_OUTOFMEMORY
#define ERROR_OUTOFMEMORY           14L
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER     87L
#endif
#ifndef ERROR_INVALID_PASSWORD
#define ERROR_INVALID_PASSWORD      86L
#endif
#ifndef ERROR_MORE_DATA
#define ERROR_MORE_DATA             234L
#endif

/* --- CryptoAPI (NTE_*) and crypt32 (CRYPT_E_*) codes --- */
#ifndef NTE_BAD_UID
#define NTE_BAD_UID                 OPENSCHANNEL_HRESULT(0x80090001u)
#define NTE_BAD_HASH                OPENSCHANNEL_HRESULT(0x80090002u)
#define NTE_BAD_KEY                 OPENSCHANNEL_HRESULT(0x80090003u)
#define NTE_BAD_LEN                 OPENSCHANNEL_HRESULT(0x80090004u)
#define NTE_BAD_DATA                OPENSCHANNEL_HRESULT(0x80090005u)
#define NTE_BAD_SIGNATURE           OPENSCHANNEL_HRESULT(0x80090006u)
#define NTE_BAD_VER                 OPENSCHANNEL_HRESULT(0x80090007u)
#define NTE_BAD_ALGID               OPENSCHANNEL_HRESULT(0x80090008u)
#define NTE_BAD_FLAGS               OPENSCHANNEL_HRESULT(0x80090009u)
#define NTE_BAD_TYPE                OPENSCHANNEL_HRESULT(0x8009000Au)
#define NTE_BAD_KEY_STATE           OPENSCHANNEL_HRESULT(0x8009000Bu)
#define NTE_BAD_HASH_STATE          OPENSCHANNEL_HRESULT(0x8009000Cu)
#define NTE_NO_KEY                  OPENSCHANNEL_HRESULT(0x8009000Du)
#define NTE_NO_MEMORY               OPENSCHANNEL_HRESULT(0x8009000Eu)
#define NTE_EXISTS                  OPENSCHANNEL_HRESULT(0x8009000Fu)
#define NTE_PERM                    OPENSCHANNEL_HRESULT(0x80090010u)
#define NTE_NOT_FOUND               OPENSCHANNEL_HRESULT(0x80090011u)
#define NTE_DOUBLE_ENCRYPT          OPENSCHANNEL_HRESULT(0x80090012u)
#define NTE_BAD_PROVIDER            OPENSCHANNEL_HRESULT(0x80090013u)
#define NTE_BAD_PROV_TYPE           OPENSCHANNEL_HRESULT(0x80090014u)
#define NTE_BAD_PUBLIC_KEY          OPENSCHANNEL_HRESULT(0x80090015u)
#define NTE_BAD_KEYSET              OPENSCHANNEL_HRESULT(0x80090016u)
#define NTE_PROV_TYPE_NOT_DEF       OPENSCHANNEL_HRESULT(0x80090017u)
#define NTE_PROV_TYPE_ENTRY_BAD     OPENSCHANNEL_HRESULT(0x80090018u)
#define NTE_KEYSET_NOT_DEF          OPENSCHANNEL_HRESULT(0x80090019u)
#define NTE_KEYSET_ENTRY_BAD        OPENSCHANNEL_HRESULT(0x8009001Au)
#define NTE_PROV_TYPE_NO_MATCH      OPENSCHANNEL_HRESULT(0x8009001Bu)
#define NTE_SIGNATURE_FILE_BAD      OPENSCHANNEL_HRESULT(0x8009001Cu)
#define NTE_PROVIDER_DLL_FAIL       OPENSCHANNEL_HRESULT(0x8009001Du)
#define NTE_PROV_DLL_NOT_FOUND      OPENSCHANNEL_HRESULT(0x8009001Eu)
#define NTE_BAD_KEYSET_PARAM        OPENSCHANNEL_HRESULT(0x8009001Fu)
#define NTE_FAIL                    OPENSCHANNEL_HRESULT(0x80090020u)
#define NTE_SYS_ERR                 OPENSCHANNEL_HRESULT(0x80090021u)
#define NTE_SILENT_CONTEXT          OPENSCHANNEL_HRESULT(0x80090022u)
#define NTE_TOKEN_KEYSET_STORAGE_FULL OPENSCHANNEL_HRESULT(0x80090023u)
#define NTE_TEMPORARY_PROFILE       OPENSCHANNEL_HRESULT(0x80090024u)
#define NTE_FIXEDPARAMETER          OPENSCHANNEL_HRESULT(0x80090025u)
#define NTE_INVALID_HANDLE          OPENSCHANNEL_HRESULT(0x80090026u)
#define NTE_INVALID_PARAMETER       OPENSCHANNEL_HRESULT(0x80090027u)
#define NTE_BUFFER_TOO_SMALL        OPENSCHANNEL_HRESULT(0x80090028u)
#define NTE_NOT_SUPPORTED           OPENSCHANNEL_HRESULT(0x80090029u)
#define NTE_NO_MORE_ITEMS           OPENSCHANNEL_HRESULT(0x8009002Au)
#define NTE_BUFFERS_OVERLAP         OPENSCHANNEL_HRESULT(0x8009002Bu)
#define NTE_DECRYPTION_FAILURE      OPENSCHANNEL_HRESULT(0x8009002Cu)
#define NTE_INTERNAL_ERROR          OPENSCHANNEL_HRESULT(0x8009002Du)
#endif
#ifndef CRYPT_E_MSG_ERROR
#define CRYPT_E_MSG_ERROR           OPENSCHANNEL_HRESULT(0x80091001u)
#define CRYPT_E_UNKNOWN_ALGO        OPENSCHANNEL_HRESULT(0x80091002u)
#define CRYPT_E_OID_FORMAT          OPENSCHANNEL_HRESULT(0x80091003u)
#define CRYPT_E_INVALID_MSG_TYPE    OPENSCHANNEL_HRESULT(0x80091004u)
#define CRYPT_E_UNEXPECTED_ENCODING OPENSCHANNEL_HRESULT(0x80091005u)
#define CRYPT_E_HASH_VALUE          OPENSCHANNEL_HRESULT(0x80091007u)
#define CRYPT_E_BAD_ENCODE          OPENSCHANNEL_HRESULT(0x80092002u)
#define CRYPT_E_FILE_ERROR          OPENSCHANNEL_HRESULT(0x80092003u)
#define CRYPT_E_SELF_SIGNED         OPENSCHANNEL_HRESULT(0x80092007u)
#define CRYPT_E_DELETED_PREV        OPENSCHANNEL_HRESULT(0x80092008u)
#define CRYPT_E_NO_MATCH            OPENSCHANNEL_HRESULT(0x80092009u)
#define CRYPT_E_UNEXPECTED_MSG_TYPE OPENSCHANNEL_HRESULT(0x8009200Au)
#define CRYPT_E_NO_KEY_PROPERTY     OPENSCHANNEL_HRESULT(0x8009200Bu)
#define CRYPT_E_NO_DECRYPT_CERT     OPENSCHANNEL_HRESULT(0x8009200Cu)
#define CRYPT_E_BAD_MSG             OPENSCHANNEL_HRESULT(0x8009200Du)
#define CRYPT_E_NO_SIGNER           OPENSCHANNEL_HRESULT(0x8009200Eu)
#define CRYPT_E_NO_REVOCATION_DLL   OPENSCHANNEL_HRESULT(0x80092011u)
#define CRYPT_E_NO_REVOCATION_CHECK OPENSCHANNEL_HRESULT(0x80092012u)
#define CRYPT_E_REVOCATION_OFFLINE  OPENSCHANNEL_HRESULT(0x80092013u)
#define CRYPT_E_NOT_IN_REVOCATION_DATABASE OPENSCHANNEL_HRESULT(0x80092014u)
#define CRYPT_E_INVALID_NUMERIC_STRING OPENSCHANNEL_HRESULT(0x80092020u)
#define CRYPT_E_INVALID_PRINTABLE_STRING OPENSCHANNEL_HRESULT(0x80092021u)
#define CRYPT_E_INVALID_IA5_STRING  OPENSCHANNEL_HRESULT(0x80092022u)
#define CRYPT_E_INVALID_X500_STRING OPENSCHANNEL_HRESULT(0x80092023u)
#define CRYPT_E_NOT_CHAR_STRING     OPENSCHANNEL_HRESULT(0x80092024u)
#define CRYPT_E_ASN1_ERROR          OPENSCHANNEL_HRESULT(0x80093100u)
#define CRYPT_E_ASN1_CORRUPT        OPENSCHANNEL_HRESULT(0x80093100u)
#define CRYPT_E_ASN1_INTERNAL       OPENSCHANNEL_HRESULT(0x80093101u)
#define CRYPT_E_ASN1_EOD            OPENSCHANNEL_HRESULT(0x80093102u)
#define CRYPT_E_ASN1_VALUE          OPENSCHANNEL_HRESULT(0x80093103u)
#define CRYPT_E_ASN1_LARGE          OPENSCHANNEL_HRESULT(0x80093104u)
#define CRYPT_E_ASN1_CONSTRAINT     OPENSCHANNEL_HRESULT(0x80093105u)
#define CRYPT_E_ASN1_MEMORY         OPENSCHANNEL_HRESULT(0x80093106u)
#define CRYPT_E_ASN1_OVERFLOW       OPENSCHANNEL_HRESULT(0x80093107u)
#define CRYPT_E_ASN1_BADPDU         OPENSCHANNEL_HRESULT(0x80093108u)
#define CRYPT_E_ASN1_BADARGS        OPENSCHANNEL_HRESULT(0x80093109u)
#define CRYPT_E_ASN1_BADREAL        OPENSCHANNEL_HRESULT(0x8009310Au)
#define CRYPT_E_ASN1_BADTAG         OPENSCHANNEL_HRESULT(0x8009310Bu)
#define CRYPT_E_ASN1_CHOICE         OPENSCHANNEL_HRESULT(0x8009310Cu)
#define CRYPT_E_ASN1_RULE           OPENSCHANNEL_HRESULT(0x8009310Du)
#define CRYPT_E_ASN1_UTF8           OPENSCHANNEL_HRESULT(0x8009310Eu)
#endif
#ifndef CRYPT_E_EXISTS
#define CRYPT_E_EXISTS              OPENSCHANNEL_HRESULT(0x80092005u)
#endif

/* --- certificate trust codes (CERT_E_*, TRUST_E_*), as policy results and
 * callers' error printers use them --- */
#ifndef TRUST_E_PROVIDER_UNKNOWN
#define TRUST_E_PROVIDER_UNKNOWN OPENSCHANNEL_HRESULT(0x800B0001u)
#endif
#ifndef TRUST_E_ACTION_UNKNOWN
#define TRUST_E_ACTION_UNKNOWN OPENSCHANNEL_HRESULT(0x800B0002u)
#endif
#ifndef TRUST_E_SUBJECT_FORM_UNKNOWN
#define TRUST_E_SUBJECT_FORM_UNKNOWN OPENSCHANNEL_HRESULT(0x800B0003u)
#endif
#ifndef TRUST_E_SUBJECT_NOT_TRUSTED
#define TRUST_E_SUBJECT_NOT_TRUSTED OPENSCHANNEL_HRESULT(0x800B0004u)
#endif
#ifndef TRUST_E_SYSTEM_ERROR
#define TRUST_E_SYSTEM_ERROR OPENSCHANNEL_HRESULT(0x80096001u)
#endif
#ifndef TRUST_E_NO_SIGNER_CERT
#define TRUST_E_NO_SIGNER_CERT OPENSCHANNEL_HRESULT(0x80096002u)
#endif
#ifndef TRUST_E_COUNTER_SIGNER
#define TRUST_E_COUNTER_SIGNER OPENSCHANNEL_HRESULT(0x80096003u)
#endif
#ifndef TRUST_E_TIME_STAMP
#define TRUST_E_TIME_STAMP OPENSCHANNEL_HRESULT(0x80096005u)
#endif
#ifndef TRUST_E_BAD_DIGEST
#define TRUST_E_BAD_DIGEST OPENSCHANNEL_HRESULT(0x80096010u)
#endif
#ifndef TRUST_E_FINANCIAL_CRITERIA
#define TRUST_E_FINANCIAL_CRITERIA OPENSCHANNEL_HRESULT(0x8009601Eu)
#endif

/* --- the rest of the CALG_* table (ALG_CLASS | ALG_TYPE | ALG_SID) --- */
#define ALG_TYPE_ANY                (0)
#define ALG_TYPE_DSS                (1 << 9)
#define ALG_TYPE_RSA                (2 << 9)
#define ALG_TYPE_BLOCK              (3 << 9)
#define ALG_TYPE_STREAM             (4 << 9)
#define ALG_TYPE_DH                 (5 << 9)
#define ALG_TYPE_SECURECHANNEL      (6 << 9)
#define ALG_TYPE_ECDH               (7 << 9)
#define CALG_MD2                    0x00008001
#define CALG_MD4                    0x00008002
#define CALG_MAC                    0x00008005
#define CALG_SSL3_SHAMD5            0x00008008
#define CALG_HMAC                   0x00008009
#define CALG_HASH_REPLACE_OWF       0x0000800B
#define CALG_RSA_SIGN_ALG           CALG_RSA_SIGN
#define CALG_NO_SIGN                0x00002000
#define CALG_DH_SF_ALG              CALG_DH_SF
#define CALG_RC2                    0x00006602
#define CALG_3DES_112               0x00006609
#define CALG_DESX                   0x00006604
#define CALG_SKIPJACK               0x0000660A
#define CALG_TEK                    0x0000660B
#define CALG_CYLINK_MEK             0x0000660C
#define CALG_RC5                    0x0000660D
#define CALG_SEAL                   0x00006802
#define CALG_KEA_KEYX               0x0000AA04
#define CALG_HUGHES_MD5             0x0000A003
#define CALG_SSL3_MASTER            0x00004C01
#define CALG_SCHANNEL_MASTER_HASH   0x00004C02
#define CALG_SCHANNEL_MAC_KEY       0x00004C03
#define CALG_SCHANNEL_ENC_KEY       0x00004C07
#define CALG_PCT1_MASTER            0x00004C04
#define CALG_SSL2_MASTER            0x00004C05
#define CALG_TLS1_MASTER            0x00004C06
#define CALG_AGREEDKEY_ANY          0x0000AA03
#define CALG_ECMQV                  0x0000A001
#define CALG_ECC_CURVE_P256         0x00000000
#define CALG_OID_INFO_CNG_ONLY      0xFFFFFFFF
#define CALG_OID_INFO_PARAMETERS    0xFFFFFFFE

/* --- CryptStringToBinary / CryptBinaryToString --- */
#define CRYPT_STRING_BASE64HEADER           0x00000000
#define CRYPT_STRING_BASE64                 0x00000001
#define CRYPT_STRING_BINARY                 0x00000002
#define CRYPT_STRING_BASE64REQUESTHEADER    0x00000003
#define CRYPT_STRING_HEX                    0x00000004
#define CRYPT_STRING_HEXASCII               0x00000005
#define CRYPT_STRING_BASE64_ANY             0x00000006
#define CRYPT_STRING_ANY                    0x00000007
#define CRYPT_STRING_HEX_ANY                0x00000008
#define CRYPT_STRING_BASE64X509CRLHEADER    0x00000009
#define CRYPT_STRING_HEXADDR                0x0000000A
#define CRYPT_STRING_HEXASCIIADDR           0x0000000B
#define CRYPT_STRING_HEXRAW                 0x0000000C
#define CRYPT_STRING_BASE64URI              0x0000000D
#define CRYPT_STRING_ENCODEMASK             0x000000FF
#define CRYPT_STRING_RESERVED100            0x00000100
#define CRYPT_STRING_RESERVED200            0x00000200
#define CRYPT_STRING_PERCENTESCAPE          0x08000000
#define CRYPT_STRING_HASHDATA               0x10000000
#define CRYPT_STRING_STRICT                 0x20000000
#define CRYPT_STRING_NOCRLF                 0x40000000
#define CRYPT_STRING_NOCR                   0x80000000

BOOL WINAPI CryptStringToBinaryA(
    LPCSTR pszString, DWORD cchString, DWORD dwFlags, BYTE *pbBinary,
    DWORD *pcbBinary, DWORD *pdwSkip, DWORD *pdwFlags);
BOOL WINAPI CryptStringToBinaryW(
    LPCWSTR pszString, DWORD cchString, DWORD dwFlags, BYTE *pbBinary,
    DWORD *pcbBinary, DWORD *pdwSkip, DWORD *pdwFlags);
BOOL WINAPI CryptBinaryToStringA(
    const BYTE *pbBinary, DWORD cbBinary, DWORD dwFlags, LPSTR pszString,
    DWORD *pcchString);
BOOL WINAPI CryptBinaryToStringW(
    const BYTE *pbBinary, DWORD cbBinary, DWORD dwFlags, LPWSTR pszString,
    DWORD *pcchString);

/* --- CryptQueryObject --- */
#define CERT_QUERY_OBJECT_FILE                  0x00000001
#define CERT_QUERY_OBJECT_BLOB                  0x00000002
#define CERT_QUERY_CONTENT_CERT                 1
#define CERT_QUERY_CONTENT_CTL                  2
#define CERT_QUERY_CONTENT_CRL                  3
#define CERT_QUERY_CONTENT_SERIALIZED_STORE     4
#define CERT_QUERY_CONTENT_SERIALIZED_CERT      5
#define CERT_QUERY_CONTENT_SERIALIZED_CTL       6
#define CERT_QUERY_CONTENT_SERIALIZED_CRL       7
#define CERT_QUERY_CONTENT_PKCS7_SIGNED         8
#define CERT_QUERY_CONTENT_PKCS7_UNSIGNED       9
#define CERT_QUERY_CONTENT_PKCS7_SIGNED_EMBED   10
#define CERT_QUERY_CONTENT_PKCS10               11
#define CERT_QUERY_CONTENT_PFX                  12
#define CERT_QUERY_CONTENT_CERT_PAIR            13
#define CERT_QUERY_CONTENT_PFX_AND_LOAD         14
#define CERT_QUERY_CONTENT_FLAG_CERT                (1 << CERT_QUERY_CONTENT_CERT)
#define CERT_QUERY_CONTENT_FLAG_CTL                 (1 << CERT_QUERY_CONTENT_CTL)
#define CERT_QUERY_CONTENT_FLAG_CRL                 (1 << CERT_QUERY_CONTENT_CRL)
#define CERT_QUERY_CONTENT_FLAG_SERIALIZED_STORE    (1 << CERT_QUERY_CONTENT_SERIALIZED_STORE)
#define CERT_QUERY_CONTENT_FLAG_SERIALIZED_CERT     (1 << CERT_QUERY_CONTENT_SERIALIZED_CERT)
#define CERT_QUERY_CONTENT_FLAG_SERIALIZED_CTL      (1 << CERT_QUERY_CONTENT_SERIALIZED_CTL)
#define CERT_QUERY_CONTENT_FLAG_SERIALIZED_CRL      (1 << CERT_QUERY_CONTENT_SERIALIZED_CRL)
#define CERT_QUERY_CONTENT_FLAG_PKCS7_SIGNED        (1 << CERT_QUERY_CONTENT_PKCS7_SIGNED)
#define CERT_QUERY_CONTENT_FLAG_PKCS7_UNSIGNED      (1 << CERT_QUERY_CONTENT_PKCS7_UNSIGNED)
#define CERT_QUERY_CONTENT_FLAG_PKCS7_SIGNED_EMBED  (1 << CERT_QUERY_CONTENT_PKCS7_SIGNED_EMBED)
#define CERT_QUERY_CONTENT_FLAG_PKCS10              (1 << CERT_QUERY_CONTENT_PKCS10)
#define CERT_QUERY_CONTENT_FLAG_PFX                 (1 << CERT_QUERY_CONTENT_PFX)
#define CERT_QUERY_CONTENT_FLAG_CERT_PAIR           (1 << CERT_QUERY_CONTENT_CERT_PAIR)
#define CERT_QUERY_CONTENT_FLAG_PFX_AND_LOAD        (1 << CERT_QUERY_CONTENT_PFX_AND_LOAD)
#define CERT_QUERY_CONTENT_FLAG_ALL                 0x00003FFE
#define CERT_QUERY_CONTENT_FLAG_ALL_ISSUER_CERT     0x00000332
#define CERT_QUERY_FORMAT_BINARY                1
#define CERT_QUERY_FORMAT_BASE64_ENCODED        2
#define CERT_QUERY_FORMAT_ASN_ASCII_HEX_ENCODED 3
#define CERT_QUERY_FORMAT_FLAG_BINARY           (1 << CERT_QUERY_FORMAT_BINARY)
#define CERT_QUERY_FORMAT_FLAG_BASE64_ENCODED   (1 << CERT_QUERY_FORMAT_BASE64_ENCODED)
#define CERT_QUERY_FORMAT_FLAG_ASN_ASCII_HEX_ENCODED (1 << CERT_QUERY_FORMAT_ASN_ASCII_HEX_ENCODED)
#define CERT_QUERY_FORMAT_FLAG_ALL              0x0000000E

BOOL WINAPI CryptQueryObject(
    DWORD dwObjectType, const void *pvObject, DWORD dwExpectedContentTypeFlags,
    DWORD dwExpectedFormatTypeFlags, DWORD dwFlags,
    DWORD *pdwMsgAndCertEncodingType, DWORD *pdwContentType,
    DWORD *pdwFormatType, HCERTSTORE *phCertStore, HCRYPTMSG *phMsg,
    const void **ppvContext);

/* --- CryptDecodeObject(Ex) --- */
#define CRYPT_DECODE_NOCOPY_FLAG                0x00000001
#define CRYPT_DECODE_TO_BE_SIGNED_FLAG          0x00000002
#define CRYPT_DECODE_SHARE_OID_STRING_FLAG      0x00000004
#define CRYPT_DECODE_NO_SIGNATURE_BYTE_REVERSAL_FLAG 0x00000008
#define CRYPT_DECODE_ALLOC_FLAG                 0x00008000
#define CRYPT_UNICODE_NAME_DECODE_DISABLE_IE4_UTF8_FLAG 0x01000000
#define CRYPT_DECODE_ENABLE_PUNYCODE_FLAG       0x02000000

typedef void *(WINAPI *PFN_CRYPT_ALLOC)(size_t cbSize);
typedef void (WINAPI *PFN_CRYPT_FREE)(void *pv);
typedef struct _CRYPT_DECODE_PARA {
    DWORD cbSize;
    PFN_CRYPT_ALLOC pfnAlloc;
    PFN_CRYPT_FREE pfnFree;
} CRYPT_DECODE_PARA, *PCRYPT_DECODE_PARA;

/* lpszStructType values (small integers in an LPCSTR) */
#define X509_CERT                           ((LPCSTR)1)
#define X509_CERT_TO_BE_SIGNED              ((LPCSTR)2)
#define X509_CERT_CRL_TO_BE_SIGNED          ((LPCSTR)3)
#define X509_CERT_REQUEST_TO_BE_SIGNED      ((LPCSTR)4)
#define X509_EXTENSIONS                     ((LPCSTR)5)
#define X509_NAME_VALUE                     ((LPCSTR)6)
#define X509_NAME                           ((LPCSTR)7)
#define X509_PUBLIC_KEY_INFO                ((LPCSTR)8)
#define X509_AUTHORITY_KEY_ID               ((LPCSTR)9)
#define X509_KEY_ATTRIBUTES                 ((LPCSTR)10)
#define X509_KEY_USAGE_RESTRICTION          ((LPCSTR)11)
#define X509_ALT_NAME                       ((LPCSTR)12)
#define X509_BASIC_CONSTRAINTS              ((LPCSTR)13)
#define X509_KEY_USAGE                      ((LPCSTR)14)
#define X509_BASIC_CONSTRAINTS2             ((LPCSTR)15)
#define X509_CERT_POLICIES                  ((LPCSTR)16)
#define PKCS_UTC_TIME                       ((LPCSTR)17)
#define PKCS_TIME_REQUEST                   ((LPCSTR)18)
#define RSA_CSP_PUBLICKEYBLOB               ((LPCSTR)19)
#define X509_UNICODE_NAME                   ((LPCSTR)20)
#define X509_KEYGEN_REQUEST_TO_BE_SIGNED    ((LPCSTR)21)
#define PKCS_ATTRIBUTE                      ((LPCSTR)22)
#define PKCS_CONTENT_INFO_SEQUENCE_OF_ANY   ((LPCSTR)23)
#define X509_UNICODE_NAME_VALUE             ((LPCSTR)24)
#define X509_ANY_STRING                     X509_NAME_VALUE
#define X509_UNICODE_ANY_STRING             X509_UNICODE_NAME_VALUE
#define X509_OCTET_STRING                   ((LPCSTR)25)
#define X509_BITS                           ((LPCSTR)26)
#define X509_INTEGER                        ((LPCSTR)27)
#define X509_MULTI_BYTE_INTEGER             ((LPCSTR)28)
#define X509_ENUMERATED                     ((LPCSTR)29)
#define X509_CHOICE_OF_TIME                 ((LPCSTR)30)
#define X509_AUTHORITY_KEY_ID2              ((LPCSTR)31)
#define X509_AUTHORITY_INFO_ACCESS          ((LPCSTR)32)
#define X509_SUBJECT_INFO_ACCESS            X509_AUTHORITY_INFO_ACCESS
#define X509_CRL_REASON_CODE                X509_ENUMERATED
#define PKCS_CONTENT_INFO                   ((LPCSTR)33)
#define X509_SEQUENCE_OF_ANY                ((LPCSTR)34)
#define X509_CRL_DIST_POINTS                ((LPCSTR)35)
#define X509_ENHANCED_KEY_USAGE             ((LPCSTR)36)
#define PKCS_CTL                            ((LPCSTR)37)
#define X509_MULTI_BYTE_UINT                ((LPCSTR)38)
#define X509_DSS_PUBLICKEY                  X509_MULTI_BYTE_UINT
#define X509_DSS_PARAMETERS                 ((LPCSTR)39)
#define X509_DSS_SIGNATURE                  ((LPCSTR)40)
#define PKCS_RC2_CBC_PARAMETERS             ((LPCSTR)41)
#define PKCS_SMIME_CAPABILITIES             ((LPCSTR)42)
#define PKCS_RSA_PRIVATE_KEY                ((LPCSTR)43)
#define PKCS_PRIVATE_KEY_INFO               ((LPCSTR)44)
#define X509_NAME_CONSTRAINTS               ((LPCSTR)68)

typedef struct _CRYPT_ATTRIBUTE {
    LPSTR pszObjId;
    DWORD cValue;
    PCRYPT_ATTR_BLOB rgValue;
} CRYPT_ATTRIBUTE, *PCRYPT_ATTRIBUTE;

typedef struct _CRYPT_ATTRIBUTES {
    DWORD cAttr;
    PCRYPT_ATTRIBUTE rgAttr;
} CRYPT_ATTRIBUTES, *PCRYPT_ATTRIBUTES;

/** PKCS#8 PrivateKeyInfo (PKCS_PRIVATE_KEY_INFO); PrivateKey holds the
 *  algorithm's key encoding (PKCS#1 RSAPrivateKey for RSA). */
typedef struct _CRYPT_PRIVATE_KEY_INFO {
    DWORD Version;
    CRYPT_ALGORITHM_IDENTIFIER Algorithm;
    CRYPT_DER_BLOB PrivateKey;
    PCRYPT_ATTRIBUTES pAttributes;
} CRYPT_PRIVATE_KEY_INFO, *PCRYPT_PRIVATE_KEY_INFO;

/* OIDs TLS code uses (szOID_*) */
#define szOID_RSA                           "1.2.840.113549"
#define szOID_PKCS                          "1.2.840.113549.1"
#define szOID_RSA_RSA                       "1.2.840.113549.1.1.1"
#define szOID_RSA_MD5RSA                    "1.2.840.113549.1.1.4"
#define szOID_RSA_SHA1RSA                   "1.2.840.113549.1.1.5"
#define szOID_RSA_SSA_PSS                   "1.2.840.113549.1.1.10"
#define szOID_RSA_SHA256RSA                 "1.2.840.113549.1.1.11"
#define szOID_RSA_SHA384RSA                 "1.2.840.113549.1.1.12"
#define szOID_RSA_SHA512RSA                 "1.2.840.113549.1.1.13"
#define szOID_RSA_data                      "1.2.840.113549.1.7.1"
#define szOID_RSA_signedData                "1.2.840.113549.1.7.2"
#define szOID_RSA_emailAddr                 "1.2.840.113549.1.9.1"
#define szOID_ECC_PUBLIC_KEY                "1.2.840.10045.2.1"
#define szOID_ECC_CURVE_P256                "1.2.840.10045.3.1.7"
#define szOID_ECC_CURVE_P384                "1.3.132.0.34"
#define szOID_ECC_CURVE_P521                "1.3.132.0.35"
#define szOID_ECDSA_SHA1                    "1.2.840.10045.4.1"
#define szOID_ECDSA_SHA256                  "1.2.840.10045.4.3.2"
#define szOID_ECDSA_SHA384                  "1.2.840.10045.4.3.3"
#define szOID_ECDSA_SHA512                  "1.2.840.10045.4.3.4"
#define szOID_ED25519                       "1.3.101.112"
#define szOID_COMMON_NAME                   "2.5.4.3"
#define szOID_SUR_NAME                      "2.5.4.4"
#define szOID_DEVICE_SERIAL_NUMBER          "2.5.4.5"
#define szOID_COUNTRY_NAME                  "2.5.4.6"
#define szOID_LOCALITY_NAME                 "2.5.4.7"
#define szOID_STATE_OR_PROVINCE_NAME        "2.5.4.8"
#define szOID_STREET_ADDRESS                "2.5.4.9"
#define szOID_ORGANIZATION_NAME             "2.5.4.10"
#define szOID_ORGANIZATIONAL_UNIT_NAME      "2.5.4.11"
#define szOID_TITLE                         "2.5.4.12"
#define szOID_GIVEN_NAME                    "2.5.4.42"
#define szOID_INITIALS                      "2.5.4.43"
#define szOID_DOMAIN_COMPONENT              "0.9.2342.19200300.100.1.25"
#define szOID_SUBJECT_KEY_IDENTIFIER        "2.5.29.14"
#define szOID_KEY_USAGE                     "2.5.29.15"
#define szOID_SUBJECT_ALT_NAME              "2.5.29.7"
#define szOID_ISSUER_ALT_NAME               "2.5.29.8"
#define szOID_SUBJECT_ALT_NAME2             "2.5.29.17"
#define szOID_ISSUER_ALT_NAME2              "2.5.29.18"
#define szOID_BASIC_CONSTRAINTS             "2.5.29.10"
#define szOID_BASIC_CONSTRAINTS2            "2.5.29.19"
#define szOID_NAME_CONSTRAINTS              "2.5.29.30"
#define szOID_CRL_DIST_POINTS               "2.5.29.31"
#define szOID_CERT_POLICIES                 "2.5.29.32"
#define szOID_AUTHORITY_KEY_IDENTIFIER2     "2.5.29.35"
#define szOID_ENHANCED_KEY_USAGE            "2.5.29.37"
#define szOID_AUTHORITY_INFO_ACCESS         "1.3.6.1.5.5.7.1.1"
#define szOID_PKIX_KP_SERVER_AUTH           "1.3.6.1.5.5.7.3.1"
#define szOID_PKIX_KP_CLIENT_AUTH           "1.3.6.1.5.5.7.3.2"
#define szOID_PKIX_KP_CODE_SIGNING          "1.3.6.1.5.5.7.3.3"
#define szOID_PKIX_KP_EMAIL_PROTECTION      "1.3.6.1.5.5.7.3.4"
#define szOID_PKIX_KP_TIMESTAMP_SIGNING     "1.3.6.1.5.5.7.3.8"
#define szOID_PKIX_KP_OCSP_SIGNING          "1.3.6.1.5.5.7.3.9"
#define szOID_SERVER_GATED_CRYPTO           "1.3.6.1.4.1.311.10.3.3"
#define szOID_SGC_NETSCAPE                  "2.16.840.1.113730.4.1"
#define szOID_NT_PRINCIPAL_NAME             "1.3.6.1.4.1.311.20.2.3"
#define szOID_ANY_ENHANCED_KEY_USAGE        "2.5.29.37.0"

/* CERT_ALT_NAME_ENTRY.dwAltNameChoice */
#define CERT_ALT_NAME_OTHER_NAME        1
#define CERT_ALT_NAME_RFC822_NAME       2
#define CERT_ALT_NAME_DNS_NAME          3
#define CERT_ALT_NAME_X400_ADDRESS      4
#define CERT_ALT_NAME_DIRECTORY_NAME    5
#define CERT_ALT_NAME_EDI_PARTY_NAME    6
#define CERT_ALT_NAME_URL               7
#define CERT_ALT_NAME_IP_ADDRESS        8
#define CERT_ALT_NAME_REGISTERED_ID     9

typedef struct _CERT_OTHER_NAME {
    LPSTR pszObjId;
    CRYPT_OBJID_BLOB Value;
} CERT_OTHER_NAME, *PCERT_OTHER_NAME;

/** One subject/issuer alternative name; the union member follows the choice. */
typedef struct _CERT_ALT_NAME_ENTRY {
    DWORD dwAltNameChoice;
#if OPENSCHANNEL_ANON_STRUCT
    OPENSCHANNEL_EXTENSION union {
#else
    union {
#endif
        PCERT_OTHER_NAME pOtherName;
        LPWSTR pwszRfc822Name;
        LPWSTR pwszDNSName;
        CERT_NAME_BLOB DirectoryName;
        LPWSTR pwszURL;
        CRYPT_DATA_BLOB IPAddress;
        LPSTR pszRegisteredID;
#if OPENSCHANNEL_ANON_STRUCT
    };
#else
    } u;
#endif
} CERT_ALT_NAME_ENTRY, *PCERT_ALT_NAME_ENTRY;

typedef struct _CERT_ALT_NAME_INFO {
    DWORD cAltEntry;
    PCERT_ALT_NAME_ENTRY rgAltEntry;
} CERT_ALT_NAME_INFO, *PCERT_ALT_NAME_INFO;

typedef struct _CERT_BASIC_CONSTRAINTS2_INFO {
    BOOL fCA;
    BOOL fPathLenConstraint;
    DWORD dwPathLenConstraint;
} CERT_BASIC_CONSTRAINTS2_INFO, *PCERT_BASIC_CONSTRAINTS2_INFO;

/* CERT_ENHKEY_USAGE / CTL_USAGE: declared once, in the chain-engine section above. */
typedef const CTL_USAGE *PCCTL_USAGE;

/* CERT_RDN_ATTR.dwValueType */
#define CERT_RDN_ANY_TYPE               0
#define CERT_RDN_ENCODED_BLOB           1
#define CERT_RDN_OCTET_STRING           2
#define CERT_RDN_NUMERIC_STRING         3
#define CERT_RDN_PRINTABLE_STRING       4
#define CERT_RDN_TELETEX_STRING         5
#define CERT_RDN_T61_STRING             5
#define CERT_RDN_VIDEOTEX_STRING        6
#define CERT_RDN_IA5_STRING             7
#define CERT_RDN_GRAPHIC_STRING         8
#define CERT_RDN_VISIBLE_STRING         9
#define CERT_RDN_ISO646_STRING          9
#define CERT_RDN_GENERAL_STRING         10
#define CERT_RDN_UNIVERSAL_STRING       11
#define CERT_RDN_INT4_STRING            11
#define CERT_RDN_BMP_STRING             12
#define CERT_RDN_UNICODE_STRING         12
#define CERT_RDN_UTF8_STRING            13
#define CERT_RDN_TYPE_MASK              0x000000FF
#define CERT_RDN_FLAGS_MASK             0xFF000000

typedef struct _CERT_RDN_ATTR {
    LPSTR pszObjId;
    DWORD dwValueType;
    CERT_RDN_VALUE_BLOB Value;
} CERT_RDN_ATTR, *PCERT_RDN_ATTR;

typedef struct _CERT_RDN {
    DWORD cRDNAttr;
    PCERT_RDN_ATTR rgRDNAttr;
} CERT_RDN, *PCERT_RDN;

typedef struct _CERT_NAME_INFO {
    DWORD cRDN;
    PCERT_RDN rgRDN;
} CERT_NAME_INFO, *PCERT_NAME_INFO;

BOOL WINAPI CryptDecodeObjectEx(
    DWORD dwCertEncodingType, LPCSTR lpszStructType, const BYTE *pbEncoded,
    DWORD cbEncoded, DWORD dwFlags, PCRYPT_DECODE_PARA pDecodePara,
    void *pvStructInfo, DWORD *pcbStructInfo);
BOOL WINAPI CryptDecodeObject(
    DWORD dwCertEncodingType, LPCSTR lpszStructType, const BYTE *pbEncoded,
    DWORD cbEncoded, DWORD dwFlags, void *pvStructInfo, DWORD *pcbStructInfo);

PCERT_EXTENSION WINAPI CertFindExtension(
    LPCSTR pszObjId, DWORD cExtensions, CERT_EXTENSION rgExtensions[]);

/* --- CertNameToStr / CertGetNameString --- */
#define CERT_SIMPLE_NAME_STR                    1
#define CERT_OID_NAME_STR                       2
#define CERT_X500_NAME_STR                      3
#define CERT_XML_NAME_STR                       4
#define CERT_NAME_STR_SEMICOLON_FLAG            0x40000000
#define CERT_NAME_STR_NO_PLUS_FLAG              0x20000000
#define CERT_NAME_STR_NO_QUOTING_FLAG           0x10000000
#define CERT_NAME_STR_CRLF_FLAG                 0x08000000
#define CERT_NAME_STR_COMMA_FLAG                0x04000000
#define CERT_NAME_STR_REVERSE_FLAG              0x02000000
#define CERT_NAME_STR_FORWARD_FLAG              0x01000000
#define CERT_NAME_STR_DISABLE_IE4_UTF8_FLAG     0x00010000
#define CERT_NAME_STR_ENABLE_T61_UNICODE_FLAG   0x00020000
#define CERT_NAME_STR_ENABLE_UTF8_UNICODE_FLAG  0x00040000
#define CERT_NAME_STR_FORCE_UTF8_DIR_STR_FLAG   0x00080000
#define CERT_NAME_STR_DISABLE_UTF8_DIR_STR_FLAG 0x00100000
#define CERT_NAME_STR_ENABLE_PUNYCODE_FLAG      0x00200000
#define CERT_NAME_SEARCH_ALL_NAMES_FLAG         0x00000002
#define CERT_NAME_DISABLE_IE4_UTF8_FLAG         0x00010000

DWORD WINAPI CertNameToStrA(
    DWORD dwCertEncodingType, PCERT_NAME_BLOB pName, DWORD dwStrType,
    LPSTR psz, DWORD csz);
DWORD WINAPI CertNameToStrW(
    DWORD dwCertEncodingType, PCERT_NAME_BLOB pName, DWORD dwStrType,
    LPWSTR psz, DWORD csz);

/* --- context properties --- */
#define CERT_SIGNATURE_HASH_PROP_ID         15
#define CERT_KEY_SPEC_PROP_ID               6
#define CERT_ENHKEY_USAGE_PROP_ID           9
#define CERT_DESCRIPTION_PROP_ID            13
#define CERT_ISSUER_PUBLIC_KEY_MD5_HASH_PROP_ID 24
#define CERT_SUBJECT_PUBLIC_KEY_MD5_HASH_PROP_ID 25
#define CERT_SET_PROPERTY_IGNORE_PERSIST_ERROR_FLAG 0x80000000
#define CERT_SET_PROPERTY_INHERIT_PERSIST_FLAG      0x40000000
#define CERT_SET_KEY_PROV_HANDLE_PROP_ID    0x00000001
#define CERT_SET_KEY_CONTEXT_PROP_ID        0x00000001
#define AT_KEYEXCHANGE                      1
#define AT_SIGNATURE                        2
#define CERT_NCRYPT_KEY_SPEC                0xFFFFFFFF

typedef struct _CRYPT_KEY_PROV_PARAM {
    DWORD dwParam;
    BYTE *pbData;
    DWORD cbData;
    DWORD dwFlags;
} CRYPT_KEY_PROV_PARAM, *PCRYPT_KEY_PROV_PARAM;

/** Links a certificate to a CryptoAPI key container (CERT_KEY_PROV_INFO_PROP_ID). */
typedef struct _CRYPT_KEY_PROV_INFO {
    LPWSTR pwszContainerName;
    LPWSTR pwszProvName;
    DWORD dwProvType;
    DWORD dwFlags;
    DWORD cProvParam;
    PCRYPT_KEY_PROV_PARAM rgProvParam;
    DWORD dwKeySpec;
} CRYPT_KEY_PROV_INFO, *PCRYPT_KEY_PROV_INFO;

/** Whether a blob is a PKCS#12 (PFX) structure. */
BOOL WINAPI PFXIsPFXBlob(CRYPT_DATA_BLOB *pPFX);

BOOL WINAPI CertSetCertificateContextProperty(
    PCCERT_CONTEXT pCertContext, DWORD dwPropId, DWORD dwFlags, const void *pvData);
BOOL WINAPI CryptHashCertificate(
    HCRYPTPROV_LEGACY hCryptProv, ALG_ID Algid, DWORD dwFlags,
    const BYTE *pbEncoded, DWORD cbEncoded, BYTE *pbComputedHash,
    DWORD *pcbComputedHash);

/* --- CryptoAPI providers, keys and hashes (advapi32) --- */
#define PROV_RSA_FULL           1
#define PROV_RSA_SIG            2
#define PROV_DSS                3
#define PROV_FORTEZZA           4
#define PROV_MS_EXCHANGE        5
#define PROV_SSL                6
#define PROV_RSA_SCHANNEL       12
#define PROV_DSS_DH             13
#define PROV_DH_SCHANNEL        18
#define PROV_RSA_AES            24

#define MS_DEF_PROV_A               "Microsoft Base Cryptographic Provider v1.0"
#define MS_ENHANCED_PROV_A          "Microsoft Enhanced Cryptographic Provider v1.0"
#define MS_STRONG_PROV_A            "Microsoft Strong Cryptographic Provider"
#define MS_DEF_RSA_SCHANNEL_PROV_A  "Microsoft RSA SChannel Cryptographic Provider"
#define MS_ENH_RSA_AES_PROV_A       "Microsoft Enhanced RSA and AES Cryptographic Provider"
/* UTF-16 names where u"..." literals exist (C11, C++11). */
#if OPENSCHANNEL_HAVE_U16_LITERALS
#define MS_DEF_PROV_W               u"Microsoft Base Cryptographic Provider v1.0"
#define MS_ENHANCED_PROV_W          u"Microsoft Enhanced Cryptographic Provider v1.0"
#define MS_STRONG_PROV_W            u"Microsoft Strong Cryptographic Provider"
#define MS_DEF_RSA_SCHANNEL_PROV_W  u"Microsoft RSA SChannel Cryptographic Provider"
#define MS_ENH_RSA_AES_PROV_W       u"Microsoft Enhanced RSA and AES Cryptographic Provider"
#endif

#define CRYPT_VERIFYCONTEXT                 0xF0000000
#define CRYPT_NEWKEYSET                     0x00000008
#define CRYPT_DELETEKEYSET                  0x00000010
#define CRYPT_SILENT                        0x00000040
#define CRYPT_DEFAULT_CONTAINER_OPTIONAL    0x00000080

#define HP_ALGID                0x0001
#define HP_HASHVAL              0x0002
#define HP_HASHSIZE             0x0004
#define KP_ALGID                7
#define KP_BLOCKLEN             8
#define KP_KEYLEN               9

#define SIMPLEBLOB              0x1
#define PUBLICKEYBLOB           0x6
#define PRIVATEKEYBLOB          0x7
#define PLAINTEXTKEYBLOB        0x8
#define CUR_BLOB_VERSION        2

typedef struct _PUBLICKEYSTRUC {
    BYTE bType;
    BYTE bVersion;
    WORD reserved;
    ALG_ID aiKeyAlg;
} BLOBHEADER, PUBLICKEYSTRUC;

typedef struct _RSAPUBKEY {
    DWORD magic;    /**< "RSA1" (0x31415352) public, "RSA2" (0x32415352) private */
    DWORD bitlen;
    DWORD pubexp;
} RSAPUBKEY;

BOOL WINAPI CryptAcquireContextA(
    HCRYPTPROV *phProv, LPCSTR szContainer, LPCSTR szProvider,
    DWORD dwProvType, DWORD dwFlags);
BOOL WINAPI CryptAcquireContextW(
    HCRYPTPROV *phProv, LPCWSTR szContainer, LPCWSTR szProvider,
    DWORD dwProvType, DWORD dwFlags);
BOOL WINAPI CryptContextAddRef(HCRYPTPROV hProv, DWORD *pdwReserved, DWORD dwFlags);
BOOL WINAPI CryptReleaseContext(HCRYPTPROV hProv, DWORD dwFlags);
BOOL WINAPI CryptImportKey(
    HCRYPTPROV hProv, const BYTE *pbData, DWORD dwDataLen, HCRYPTKEY hPubKey,
    DWORD dwFlags, HCRYPTKEY *phKey);
BOOL WINAPI CryptGetUserKey(HCRYPTPROV hProv, DWORD dwKeySpec, HCRYPTKEY *phUserKey);
BOOL WINAPI CryptGetKeyParam(
    HCRYPTKEY hKey, DWORD dwParam, BYTE *pbData, DWORD *pdwDataLen, DWORD dwFlags);
BOOL WINAPI CryptDestroyKey(HCRYPTKEY hKey);
BOOL WINAPI CryptCreateHash(
    HCRYPTPROV hProv, ALG_ID Algid, HCRYPTKEY hKey, DWORD dwFlags, HCRYPTHASH *phHash);
BOOL WINAPI CryptHashData(
    HCRYPTHASH hHash, const BYTE *pbData, DWORD dwDataLen, DWORD dwFlags);
BOOL WINAPI CryptGetHashParam(
    HCRYPTHASH hHash, DWORD dwParam, BYTE *pbData, DWORD *pdwDataLen, DWORD dwFlags);
BOOL WINAPI CryptDestroyHash(HCRYPTHASH hHash);

/* --- kernel32 memory for what these functions allocate (LocalFree) --- */
#ifndef LMEM_FIXED
#define LMEM_FIXED              0x0000
#define LMEM_MOVEABLE           0x0002
#define LMEM_ZEROINIT           0x0040
#define LPTR                    (LMEM_FIXED | LMEM_ZEROINIT)
#endif
typedef HANDLE HLOCAL;
HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
HLOCAL WINAPI LocalFree(HLOCAL hMem);
/* crypt32's allocator (the same blocks) */
void *WINAPI CryptMemAlloc(ULONG cbSize);
void WINAPI CryptMemFree(void *pv);

#ifdef UNICODE
#define CryptStringToBinary     CryptStringToBinaryW
#define CryptBinaryToString     CryptBinaryToStringW
#define CertNameToStr           CertNameToStrW
#define CryptAcquireContext     CryptAcquireContextW
#if OPENSCHANNEL_HAVE_U16_LITERALS
#define MS_DEF_PROV             MS_DEF_PROV_W
#define MS_ENHANCED_PROV        MS_ENHANCED_PROV_W
#define MS_STRONG_PROV          MS_STRONG_PROV_W
#define MS_DEF_RSA_SCHANNEL_PROV MS_DEF_RSA_SCHANNEL_PROV_W
#define MS_ENH_RSA_AES_PROV     MS_ENH_RSA_AES_PROV_W
#endif
#else
#define CryptStringToBinary     CryptStringToBinaryA
#define CryptBinaryToString     CryptBinaryToStringA
#define CertNameToStr           CertNameToStrA
#define CryptAcquireContext     CryptAcquireContextA
#define MS_DEF_PROV             MS_DEF_PROV_A
#define MS_ENHANCED_PROV        MS_ENHANCED_PROV_A
#define MS_STRONG_PROV          MS_STRONG_PROV_A
#define MS_DEF_RSA_SCHANNEL_PROV MS_DEF_RSA_SCHANNEL_PROV_A
#define MS_ENH_RSA_AES_PROV     MS_ENH_RSA_AES_PROV_A
#endif

/* ======================== end of the decoding section ==================== */

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
/* decoding section */
OPENSCHANNEL_STATIC_ASSERT(wincrypt_ALT_NAME_ENTRY, sizeof(CERT_ALT_NAME_ENTRY) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_ALT_NAME_INFO, sizeof(CERT_ALT_NAME_INFO) == 16);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_RDN_ATTR, sizeof(CERT_RDN_ATTR) == 32);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_KEY_PROV_INFO, sizeof(CRYPT_KEY_PROV_INFO) == 48);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_KEY_PROV_INFO_spec, offsetof(CRYPT_KEY_PROV_INFO, dwKeySpec) == 40);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_DECODE_PARA, sizeof(CRYPT_DECODE_PARA) == 24);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_BC2, sizeof(CERT_BASIC_CONSTRAINTS2_INFO) == 12);
OPENSCHANNEL_STATIC_ASSERT(wincrypt_PRIVATE_KEY_INFO, sizeof(CRYPT_PRIVATE_KEY_INFO) == 56);
#endif

#endif /* OPENSCHANNEL_WINCRYPT_H */
