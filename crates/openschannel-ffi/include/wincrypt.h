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
