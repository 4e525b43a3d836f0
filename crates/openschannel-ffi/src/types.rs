//! `#[repr(C)]` mirrors of the structures and constants declared in `include/*.h`.
//!
//! Windows is LLP64: every `ULONG`/`DWORD`/`LONG` is `u32`/`i32` here, never `c_ulong`;
//! `WCHAR` is `u16`. Each structure's x64 size is asserted at compile time against the same
//! numbers the headers assert with `_Static_assert`, and the C conformance program prints the C
//! side's `sizeof`s, so both halves are checked.
#![allow(
    non_snake_case,
    non_camel_case_types,
    non_upper_case_globals,
    dead_code,
    clippy::upper_case_acronyms
)]

use std::ffi::{c_char, c_void};
use std::mem::size_of;

/// `SECURITY_STATUS`.
pub type SECURITY_STATUS = i32;
/// `TimeStamp` (`LARGE_INTEGER`, 100 ns units).
pub type TimeStamp = i64;
/// `HCERTSTORE`.
pub type HCERTSTORE = *mut c_void;
/// `PCCERT_CONTEXT`.
pub type PCCERT_CONTEXT = *const CERT_CONTEXT;
/// `SEC_GET_KEY_FN` (unused by Schannel).
pub type SEC_GET_KEY_FN = Option<unsafe extern "C" fn()>;

/// `SecHandle` = `CredHandle` = `CtxtHandle`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SecHandle {
    /// Lower word (slot index and kind).
    pub dwLower: usize,
    /// Upper word (generation mixed with the process secret).
    pub dwUpper: usize,
}

/// `SecBuffer`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SecBuffer {
    /// `cbBuffer`.
    pub cbBuffer: u32,
    /// `BufferType` (type in the low 28 bits, attribute bits on top).
    pub BufferType: u32,
    /// `pvBuffer`.
    pub pvBuffer: *mut c_void,
}

/// `SecBufferDesc`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SecBufferDesc {
    /// `ulVersion` (`SECBUFFER_VERSION` = 0).
    pub ulVersion: u32,
    /// `cBuffers`.
    pub cBuffers: u32,
    /// `pBuffers`.
    pub pBuffers: *mut SecBuffer,
}

/// `SecPkgInfoA`.
#[repr(C)]
pub struct SecPkgInfoA {
    pub fCapabilities: u32,
    pub wVersion: u16,
    pub wRPCID: u16,
    pub cbMaxToken: u32,
    pub Name: *mut c_char,
    pub Comment: *mut c_char,
}

/// `SecPkgInfoW`.
#[repr(C)]
pub struct SecPkgInfoW {
    pub fCapabilities: u32,
    pub wVersion: u16,
    pub wRPCID: u16,
    pub cbMaxToken: u32,
    pub Name: *mut u16,
    pub Comment: *mut u16,
}

/// `SCHANNEL_CRED` (version 4).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SCHANNEL_CRED {
    pub dwVersion: u32,
    pub cCreds: u32,
    pub paCred: *const PCCERT_CONTEXT,
    pub hRootStore: HCERTSTORE,
    pub cMappers: u32,
    pub aphMappers: *mut c_void,
    pub cSupportedAlgs: u32,
    pub palgSupportedAlgs: *mut u32,
    pub grbitEnabledProtocols: u32,
    pub dwMinimumCipherStrength: u32,
    pub dwMaximumCipherStrength: u32,
    pub dwSessionLifespan: u32,
    pub dwFlags: u32,
    pub dwCredFormat: u32,
}

/// `UNICODE_STRING`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct UNICODE_STRING {
    pub Length: u16,
    pub MaximumLength: u16,
    pub Buffer: *mut u16,
}

/// `CRYPTO_SETTINGS`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CRYPTO_SETTINGS {
    pub eAlgorithmUsage: i32,
    pub strCngAlgId: UNICODE_STRING,
    pub cChainingModes: u32,
    pub rgstrChainingModes: *mut UNICODE_STRING,
    pub dwMinBitLength: u32,
    pub dwMaxBitLength: u32,
}

/// `TLS_PARAMETERS`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TLS_PARAMETERS {
    pub cAlpnIds: u32,
    pub rgstrAlpnIds: *mut UNICODE_STRING,
    pub grbitDisabledProtocols: u32,
    pub cDisabledCrypto: u32,
    pub pDisabledCrypto: *mut CRYPTO_SETTINGS,
    pub dwFlags: u32,
}

/// `SCH_CREDENTIALS` (version 5).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SCH_CREDENTIALS {
    pub dwVersion: u32,
    pub dwCredFormat: u32,
    pub cCreds: u32,
    pub paCred: *const PCCERT_CONTEXT,
    pub hRootStore: HCERTSTORE,
    pub cMappers: u32,
    pub aphMappers: *mut c_void,
    pub dwSessionLifespan: u32,
    pub dwFlags: u32,
    pub cTlsParameters: u32,
    pub pTlsParameters: *mut TLS_PARAMETERS,
}

/// `SecPkgContext_StreamSizes`.
#[repr(C)]
pub struct SecPkgContext_StreamSizes {
    pub cbHeader: u32,
    pub cbTrailer: u32,
    pub cbMaximumMessage: u32,
    pub cBuffers: u32,
    pub cbBlockSize: u32,
}

/// `SecPkgContext_Sizes`.
#[repr(C)]
pub struct SecPkgContext_Sizes {
    pub cbMaxToken: u32,
    pub cbMaxSignature: u32,
    pub cbBlockSize: u32,
    pub cbSecurityTrailer: u32,
}

/// `SecPkgContext_ConnectionInfo`.
#[repr(C)]
pub struct SecPkgContext_ConnectionInfo {
    pub dwProtocol: u32,
    pub aiCipher: u32,
    pub dwCipherStrength: u32,
    pub aiHash: u32,
    pub dwHashStrength: u32,
    pub aiExch: u32,
    pub dwExchStrength: u32,
}

/// `SZ_ALG_MAX_SIZE`.
pub const SZ_ALG_MAX_SIZE: usize = 64;

/// `SecPkgContext_CipherInfo`.
#[repr(C)]
pub struct SecPkgContext_CipherInfo {
    pub dwVersion: u32,
    pub dwProtocol: u32,
    pub dwCipherSuite: u32,
    pub dwBaseCipherSuite: u32,
    pub szCipherSuite: [u16; SZ_ALG_MAX_SIZE],
    pub szCipher: [u16; SZ_ALG_MAX_SIZE],
    pub dwCipherLen: u32,
    pub dwCipherBlockLen: u32,
    pub szHash: [u16; SZ_ALG_MAX_SIZE],
    pub dwHashLen: u32,
    pub szExchange: [u16; SZ_ALG_MAX_SIZE],
    pub dwMinExchangeLen: u32,
    pub dwMaxExchangeLen: u32,
    pub szCertificate: [u16; SZ_ALG_MAX_SIZE],
    pub dwKeyType: u32,
}

/// `SecPkgContext_SessionInfo`.
#[repr(C)]
pub struct SecPkgContext_SessionInfo {
    pub dwFlags: u32,
    pub cbSessionId: u32,
    pub rgbSessionId: [u8; 32],
}

/// `SecPkgContext_ApplicationProtocol`.
#[repr(C)]
pub struct SecPkgContext_ApplicationProtocol {
    pub ProtoNegoStatus: i32,
    pub ProtoNegoExt: i32,
    pub ProtocolIdSize: u8,
    pub ProtocolId: [u8; 255],
}

/// `SecPkgContext_KeyInfoA` / `W` (the name pointers are `char*` or `WCHAR*`).
#[repr(C)]
pub struct SecPkgContext_KeyInfo {
    pub sSignatureAlgorithmName: *mut c_void,
    pub sEncryptAlgorithmName: *mut c_void,
    pub KeySize: u32,
    pub SignatureAlgorithm: u32,
    pub EncryptAlgorithm: u32,
}

/// `SecPkgContext_PackageInfoA` / `W`.
#[repr(C)]
pub struct SecPkgContext_PackageInfo {
    pub PackageInfo: *mut c_void,
}

/// `SecPkgCred_SupportedProtocols`.
#[repr(C)]
pub struct SecPkgCred_SupportedProtocols {
    pub grbitProtocol: u32,
}

/// `SecPkgCred_SupportedAlgs` (`palgSupportedAlgs` is a package allocation).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SecPkgCred_SupportedAlgs {
    pub cSupportedAlgs: u32,
    pub palgSupportedAlgs: *mut u32,
}

/// `SecPkgCred_CipherStrengths`.
#[repr(C)]
pub struct SecPkgCred_CipherStrengths {
    pub dwMinimumCipherStrength: u32,
    pub dwMaximumCipherStrength: u32,
}

/// `SEC_CHANNEL_BINDINGS` (the header of a bindings allocation).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct SEC_CHANNEL_BINDINGS {
    pub dwInitiatorAddrType: u32,
    pub cbInitiatorLength: u32,
    pub dwInitiatorOffset: u32,
    pub dwAcceptorAddrType: u32,
    pub cbAcceptorLength: u32,
    pub dwAcceptorOffset: u32,
    pub cbApplicationDataLength: u32,
    pub dwApplicationDataOffset: u32,
}

/// `SecPkgContext_Bindings`.
#[repr(C)]
pub struct SecPkgContext_Bindings {
    pub BindingsLength: u32,
    pub Bindings: *mut SEC_CHANNEL_BINDINGS,
}

/// `SecPkgContext_KeyingMaterialInfo` (set with `SetContextAttributes`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SecPkgContext_KeyingMaterialInfo {
    pub cbLabel: u16,
    pub pszLabel: *mut c_char,
    pub cbContextValue: u16,
    pub pbContextValue: *mut u8,
    pub cbKeyingMaterial: u32,
}

/// `SecPkgContext_KeyingMaterial`.
#[repr(C)]
pub struct SecPkgContext_KeyingMaterial {
    pub cbKeyingMaterial: u32,
    pub pbKeyingMaterial: *mut u8,
}

/// `SecPkgContext_IssuerListInfoEx`.
#[repr(C)]
pub struct SecPkgContext_IssuerListInfoEx {
    pub aIssuers: *mut CRYPT_BLOB,
    pub cIssuers: u32,
}

/// `CRYPTOAPI_BLOB` (`CRYPT_DATA_BLOB`, `CERT_NAME_BLOB`, ...).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CRYPT_BLOB {
    pub cbData: u32,
    pub pbData: *mut u8,
}

/// `CRYPT_ALGORITHM_IDENTIFIER`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CRYPT_ALGORITHM_IDENTIFIER {
    pub pszObjId: *mut c_char,
    pub Parameters: CRYPT_BLOB,
}

/// `CRYPT_BIT_BLOB`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CRYPT_BIT_BLOB {
    pub cbData: u32,
    pub pbData: *mut u8,
    pub cUnusedBits: u32,
}

/// `CERT_PUBLIC_KEY_INFO`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CERT_PUBLIC_KEY_INFO {
    pub Algorithm: CRYPT_ALGORITHM_IDENTIFIER,
    pub PublicKey: CRYPT_BIT_BLOB,
}

/// `CERT_EXTENSION`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CERT_EXTENSION {
    pub pszObjId: *mut c_char,
    pub fCritical: i32,
    pub Value: CRYPT_BLOB,
}

/// `FILETIME`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct FILETIME {
    pub dwLowDateTime: u32,
    pub dwHighDateTime: u32,
}

/// `CERT_INFO`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CERT_INFO {
    pub dwVersion: u32,
    pub SerialNumber: CRYPT_BLOB,
    pub SignatureAlgorithm: CRYPT_ALGORITHM_IDENTIFIER,
    pub Issuer: CRYPT_BLOB,
    pub NotBefore: FILETIME,
    pub NotAfter: FILETIME,
    pub Subject: CRYPT_BLOB,
    pub SubjectPublicKeyInfo: CERT_PUBLIC_KEY_INFO,
    pub IssuerUniqueId: CRYPT_BIT_BLOB,
    pub SubjectUniqueId: CRYPT_BIT_BLOB,
    pub cExtension: u32,
    pub rgExtension: *mut CERT_EXTENSION,
}

/// `CERT_CONTEXT`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CERT_CONTEXT {
    pub dwCertEncodingType: u32,
    pub pbCertEncoded: *mut u8,
    pub cbCertEncoded: u32,
    pub pCertInfo: *mut CERT_INFO,
    pub hCertStore: HCERTSTORE,
}

/// `SecurityFunctionTableW`: slot order of contract §1.1; `None` is a NULL slot.
#[repr(C)]
pub struct SecurityFunctionTableW {
    pub dwVersion: u32,
    pub EnumerateSecurityPackagesW:
        Option<unsafe extern "C" fn(*mut u32, *mut *mut SecPkgInfoW) -> i32>,
    pub QueryCredentialsAttributesW:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void) -> i32>,
    pub AcquireCredentialsHandleW: Option<AchFn<u16>>,
    pub FreeCredentialsHandle: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub Reserved2: usize,
    pub InitializeSecurityContextW: Option<IscFn<u16>>,
    pub AcceptSecurityContext: Option<AscFn>,
    pub CompleteAuthToken: Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc) -> i32>,
    pub DeleteSecurityContext: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub ApplyControlToken: Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc) -> i32>,
    pub QueryContextAttributesW:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void) -> i32>,
    pub ImpersonateSecurityContext: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub RevertSecurityContext: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub MakeSignature:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBufferDesc, u32) -> i32>,
    pub VerifySignature:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc, u32, *mut u32) -> i32>,
    pub FreeContextBuffer: Option<unsafe extern "C" fn(*mut c_void) -> i32>,
    pub QuerySecurityPackageInfoW:
        Option<unsafe extern "C" fn(*mut u16, *mut *mut SecPkgInfoW) -> i32>,
    /// `EncryptMessage` again (the slot's old name was `SealMessage`), as Windows fills it.
    pub Reserved3:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBufferDesc, u32) -> i32>,
    /// `DecryptMessage` again (the slot's old name was `UnsealMessage`), as Windows fills it.
    pub Reserved4:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc, u32, *mut u32) -> i32>,
    pub ExportSecurityContext:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBuffer, *mut *mut c_void) -> i32>,
    pub ImportSecurityContextW:
        Option<unsafe extern "C" fn(*mut u16, *mut SecBuffer, *mut c_void, *mut SecHandle) -> i32>,
    pub AddCredentialsW: Option<AddCredFn<u16>>,
    pub Reserved8: usize,
    pub QuerySecurityContextToken:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut *mut c_void) -> i32>,
    pub EncryptMessage:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBufferDesc, u32) -> i32>,
    pub DecryptMessage:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc, u32, *mut u32) -> i32>,
    pub SetContextAttributesW:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
    pub SetCredentialsAttributesW:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
    pub ChangeAccountPasswordW: usize,
    pub QueryContextAttributesExW:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
    pub QueryCredentialsAttributesExW:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
}

/// `SecurityFunctionTableA`: same slots with ANSI strings.
#[repr(C)]
pub struct SecurityFunctionTableA {
    pub dwVersion: u32,
    pub EnumerateSecurityPackagesA:
        Option<unsafe extern "C" fn(*mut u32, *mut *mut SecPkgInfoA) -> i32>,
    pub QueryCredentialsAttributesA:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void) -> i32>,
    pub AcquireCredentialsHandleA: Option<AchFn<c_char>>,
    pub FreeCredentialsHandle: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub Reserved2: usize,
    pub InitializeSecurityContextA: Option<IscFn<c_char>>,
    pub AcceptSecurityContext: Option<AscFn>,
    pub CompleteAuthToken: Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc) -> i32>,
    pub DeleteSecurityContext: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub ApplyControlToken: Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc) -> i32>,
    pub QueryContextAttributesA:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void) -> i32>,
    pub ImpersonateSecurityContext: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub RevertSecurityContext: Option<unsafe extern "C" fn(*mut SecHandle) -> i32>,
    pub MakeSignature:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBufferDesc, u32) -> i32>,
    pub VerifySignature:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc, u32, *mut u32) -> i32>,
    pub FreeContextBuffer: Option<unsafe extern "C" fn(*mut c_void) -> i32>,
    pub QuerySecurityPackageInfoA:
        Option<unsafe extern "C" fn(*mut c_char, *mut *mut SecPkgInfoA) -> i32>,
    /// `EncryptMessage` again (the slot's old name was `SealMessage`), as Windows fills it.
    pub Reserved3:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBufferDesc, u32) -> i32>,
    /// `DecryptMessage` again (the slot's old name was `UnsealMessage`), as Windows fills it.
    pub Reserved4:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc, u32, *mut u32) -> i32>,
    pub ExportSecurityContext:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBuffer, *mut *mut c_void) -> i32>,
    pub ImportSecurityContextA: Option<
        unsafe extern "C" fn(*mut c_char, *mut SecBuffer, *mut c_void, *mut SecHandle) -> i32,
    >,
    pub AddCredentialsA: Option<AddCredFn<c_char>>,
    pub Reserved8: usize,
    pub QuerySecurityContextToken:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut *mut c_void) -> i32>,
    pub EncryptMessage:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut SecBufferDesc, u32) -> i32>,
    pub DecryptMessage:
        Option<unsafe extern "C" fn(*mut SecHandle, *mut SecBufferDesc, u32, *mut u32) -> i32>,
    pub SetContextAttributesA:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
    pub SetCredentialsAttributesA:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
    pub ChangeAccountPasswordA: usize,
    pub QueryContextAttributesExA:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
    pub QueryCredentialsAttributesExA:
        Option<unsafe extern "C" fn(*mut SecHandle, u32, *mut c_void, u32) -> i32>,
}

/// `AcquireCredentialsHandle{A,W}` signature over the character type `C`.
pub type AchFn<C> = unsafe extern "C" fn(
    *mut C,
    *mut C,
    u32,
    *mut c_void,
    *mut c_void,
    SEC_GET_KEY_FN,
    *mut c_void,
    *mut SecHandle,
    *mut TimeStamp,
) -> i32;

/// `AddCredentials{A,W}` signature.
pub type AddCredFn<C> = unsafe extern "C" fn(
    *mut SecHandle,
    *mut C,
    *mut C,
    u32,
    *mut c_void,
    SEC_GET_KEY_FN,
    *mut c_void,
    *mut TimeStamp,
) -> i32;

/// `InitializeSecurityContext{A,W}` signature.
pub type IscFn<C> = unsafe extern "C" fn(
    *mut SecHandle,
    *mut SecHandle,
    *mut C,
    u32,
    u32,
    u32,
    *mut SecBufferDesc,
    u32,
    *mut SecHandle,
    *mut SecBufferDesc,
    *mut u32,
    *mut TimeStamp,
) -> i32;

/// `AcceptSecurityContext` signature.
pub type AscFn = unsafe extern "C" fn(
    *mut SecHandle,
    *mut SecHandle,
    *mut SecBufferDesc,
    u32,
    u32,
    *mut SecHandle,
    *mut SecBufferDesc,
    *mut u32,
    *mut TimeStamp,
) -> i32;

// ---- constants -------------------------------------------------------------------------

pub const SECBUFFER_EMPTY: u32 = 0;
pub const SECBUFFER_DATA: u32 = 1;
pub const SECBUFFER_TOKEN: u32 = 2;
pub const SECBUFFER_MISSING: u32 = 4;
pub const SECBUFFER_EXTRA: u32 = 5;
pub const SECBUFFER_STREAM_TRAILER: u32 = 6;
pub const SECBUFFER_STREAM_HEADER: u32 = 7;
pub const SECBUFFER_ALERT: u32 = 17;
pub const SECBUFFER_APPLICATION_PROTOCOLS: u32 = 18;
pub const SECBUFFER_ATTRMASK: u32 = 0xF000_0000;
pub const SECBUFFER_READONLY: u32 = 0x8000_0000;

pub const SECPKG_CRED_INBOUND: u32 = 1;
pub const SECPKG_CRED_OUTBOUND: u32 = 2;

pub const ISC_REQ_DELEGATE: u32 = 0x1;
pub const ISC_REQ_MUTUAL_AUTH: u32 = 0x2;
pub const ISC_REQ_PROMPT_FOR_CREDS: u32 = 0x40;
pub const ISC_REQ_USE_SUPPLIED_CREDS: u32 = 0x80;
pub const ISC_REQ_ALLOCATE_MEMORY: u32 = 0x100;
pub const ISC_REQ_DATAGRAM: u32 = 0x400;
pub const ISC_REQ_EXTENDED_ERROR: u32 = 0x4000;
pub const ISC_REQ_MANUAL_CRED_VALIDATION: u32 = 0x80000;
pub const ISC_RET_USED_SUPPLIED_CREDS: u32 = 0x80;
pub const ISC_RET_REPLAY_DETECT: u32 = 0x4;
pub const ISC_RET_SEQUENCE_DETECT: u32 = 0x8;
pub const ISC_RET_CONFIDENTIALITY: u32 = 0x10;
pub const ISC_RET_STREAM: u32 = 0x8000;

pub const ASC_REQ_MUTUAL_AUTH: u32 = 0x2;
pub const ASC_REQ_ALLOCATE_MEMORY: u32 = 0x100;
pub const ASC_REQ_DATAGRAM: u32 = 0x400;
pub const ASC_REQ_EXTENDED_ERROR: u32 = 0x8000;
pub const ASC_RET_REPLAY_DETECT: u32 = 0x4;
pub const ASC_RET_SEQUENCE_DETECT: u32 = 0x8;
pub const ASC_RET_CONFIDENTIALITY: u32 = 0x10;
pub const ASC_RET_STREAM: u32 = 0x10000;

pub const SECPKG_ATTR_SIZES: u32 = 0;
pub const SECPKG_ATTR_STREAM_SIZES: u32 = 4;
pub const SECPKG_ATTR_KEY_INFO: u32 = 5;
pub const SECPKG_ATTR_PACKAGE_INFO: u32 = 10;
pub const SECPKG_ATTR_NEGOTIATION_INFO: u32 = 12;
pub const SECPKG_ATTR_UNIQUE_BINDINGS: u32 = 25;
pub const SECPKG_ATTR_ENDPOINT_BINDINGS: u32 = 26;
pub const SECPKG_ATTR_APPLICATION_PROTOCOL: u32 = 35;
pub const SECPKG_ATTR_REMOTE_CERT_CONTEXT: u32 = 0x53;
pub const SECPKG_ATTR_LOCAL_CERT_CONTEXT: u32 = 0x54;
pub const SECPKG_ATTR_ISSUER_LIST_EX: u32 = 0x59;
pub const SECPKG_ATTR_SUPPORTED_PROTOCOLS: u32 = 0x58;
pub const SECPKG_ATTR_SUPPORTED_ALGS: u32 = 0x56;
pub const SECPKG_ATTR_CIPHER_STRENGTHS: u32 = 0x57;
pub const SECPKG_ATTR_CONNECTION_INFO: u32 = 0x5A;
pub const SECPKG_ATTR_SESSION_INFO: u32 = 0x5D;
pub const SECPKG_ATTR_CIPHER_INFO: u32 = 0x64;
pub const SECPKG_ATTR_KEYING_MATERIAL_INFO: u32 = 0x6A;
pub const SECPKG_ATTR_KEYING_MATERIAL: u32 = 0x6B;
/// openschannel extension (`openschannel.h`): a credential attribute, set with
/// `SetCredentialsAttributes`, that makes an inbound credential require a common ALPN protocol.
pub const OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED: u32 = 0x4F53_0001;
/// `SCHANNEL_CRED.dwFlags` bit (an openschannel extension) that lets a legacy `SCHANNEL_CRED`
/// negotiate TLS 1.3 as `SCH_CREDENTIALS` does (Windows stops such credentials at TLS 1.2).
pub const OPENSCHANNEL_SCH_CRED_ENABLE_TLS13: u32 = 0x4000_0000;
pub const SECPKG_CRED_ATTR_NAMES: u32 = 1;

pub const SCHANNEL_RENEGOTIATE: u32 = 0;
pub const SCHANNEL_SHUTDOWN: u32 = 1;
pub const SCHANNEL_ALERT: u32 = 2;
pub const SCHANNEL_SESSION: u32 = 3;

pub const SCHANNEL_CRED_VERSION: u32 = 4;
/// `SCH_CRED_V3`: the older `SCHANNEL_CRED` layout.
pub const SCH_CRED_V3: u32 = 3;
pub const SCH_CREDENTIALS_VERSION: u32 = 5;
pub const SCH_CRED_FORMAT_CERT_CONTEXT: u32 = 0;

pub const SCH_CRED_NO_SERVERNAME_CHECK: u32 = 0x4;
pub const SCH_CRED_MANUAL_CRED_VALIDATION: u32 = 0x8;
pub const SCH_CRED_NO_DEFAULT_CREDS: u32 = 0x10;
pub const SCH_CRED_DISABLE_RECONNECTS: u32 = 0x80;

pub const SP_PROT_TLS1_2_SERVER: u32 = 0x400;
pub const SP_PROT_TLS1_2_CLIENT: u32 = 0x800;
pub const SP_PROT_TLS1_3_SERVER: u32 = 0x1000;
pub const SP_PROT_TLS1_3_CLIENT: u32 = 0x2000;
/// Every server-direction bit (PCT, SSL, TLS, DTLS, UNI).
pub const SP_PROT_SERVERS_ALL: u32 =
    0x1 | 0x4 | 0x10 | 0x40 | 0x100 | 0x400 | 0x1000 | 0x10000 | 0x40000 | 0x4000_0000;
/// Every client-direction bit.
pub const SP_PROT_CLIENTS_ALL: u32 = SP_PROT_SERVERS_ALL << 1;
/// The DTLS bits.
pub const SP_PROT_DTLS_ALL: u32 = 0x10000 | 0x20000 | 0x40000 | 0x80000;
/// The UNI bits.
pub const SP_PROT_UNI: u32 = 0x4000_0000 | 0x8000_0000;
pub const SP_PROT_ALL: u32 = 0xFFFF_FFFF;

pub const CALG_SHA_256: u32 = 0x800C;
pub const CALG_SHA_384: u32 = 0x800D;
pub const CALG_AES_128: u32 = 0x660E;
pub const CALG_AES_256: u32 = 0x6610;
pub const CALG_RSA_SIGN: u32 = 0x2400;
pub const CALG_ECDSA: u32 = 0x2203;
pub const CALG_ECDH_EPHEM: u32 = 0xAE06;
pub const CALG_AES: u32 = 0x6611;
pub const CALG_ECDH: u32 = 0xAA05;
/// `GET_ALG_CLASS` mask and the two classes `palgSupportedAlgs` restricts.
pub const ALG_CLASS_MASK: u32 = 7 << 13;
pub const ALG_CLASS_DATA_ENCRYPT: u32 = 3 << 13;
pub const ALG_CLASS_KEY_EXCHANGE: u32 = 5 << 13;
pub const SCH_CRED_MAX_SUPPORTED_ALGS: u32 = 256;

pub const SCH_CRED_MAX_SUPPORTED_PARAMETERS: u32 = 16;
pub const SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS: u32 = 16;
pub const SCH_CRED_MAX_SUPPORTED_CHAINING_MODES: u32 = 16;
/// `eTlsAlgorithmUsage` values (`CRYPTO_SETTINGS.eAlgorithmUsage`).
pub const TlsParametersCngAlgUsageKeyExchange: i32 = 0;
pub const TlsParametersCngAlgUsageSignature: i32 = 1;
pub const TlsParametersCngAlgUsageCipher: i32 = 2;
pub const TlsParametersCngAlgUsageDigest: i32 = 3;
pub const TlsParametersCngAlgUsageCertSig: i32 = 4;

pub const X509_ASN_ENCODING: u32 = 1;
pub const PKCS_7_ASN_ENCODING: u32 = 0x10000;

// ---- layout checks (the same numbers the headers assert) -------------------------------

const _: () = assert!(size_of::<SecHandle>() == 16);
const _: () = assert!(size_of::<SecBuffer>() == 16);
const _: () = assert!(size_of::<SecBufferDesc>() == 16);
const _: () = assert!(size_of::<SecPkgInfoA>() == 32);
const _: () = assert!(size_of::<SecPkgInfoW>() == 32);
const _: () = assert!(size_of::<SCHANNEL_CRED>() == 80);
const _: () = assert!(std::mem::offset_of!(SCHANNEL_CRED, grbitEnabledProtocols) == 56);
const _: () = assert!(std::mem::offset_of!(SCHANNEL_CRED, dwFlags) == 72);
const _: () = assert!(size_of::<SCH_CREDENTIALS>() == 72);
const _: () = assert!(std::mem::offset_of!(SCH_CREDENTIALS, pTlsParameters) == 64);
const _: () = assert!(size_of::<TLS_PARAMETERS>() == 40);
const _: () = assert!(std::mem::offset_of!(TLS_PARAMETERS, grbitDisabledProtocols) == 16);
const _: () = assert!(size_of::<UNICODE_STRING>() == 16);
const _: () = assert!(size_of::<CRYPTO_SETTINGS>() == 48);
const _: () = assert!(size_of::<SecPkgContext_StreamSizes>() == 20);
const _: () = assert!(size_of::<SecPkgContext_Sizes>() == 16);
const _: () = assert!(size_of::<SecPkgContext_ConnectionInfo>() == 28);
const _: () = assert!(size_of::<SecPkgContext_CipherInfo>() == 680);
const _: () = assert!(std::mem::offset_of!(SecPkgContext_CipherInfo, dwKeyType) == 676);
const _: () = assert!(size_of::<SecPkgContext_SessionInfo>() == 40);
const _: () = assert!(size_of::<SecPkgContext_ApplicationProtocol>() == 264);
const _: () = assert!(std::mem::offset_of!(SecPkgContext_ApplicationProtocol, ProtocolId) == 9);
const _: () = assert!(size_of::<SecPkgContext_KeyInfo>() == 32);
const _: () = assert!(size_of::<SEC_CHANNEL_BINDINGS>() == 32);
const _: () = assert!(size_of::<SecPkgContext_Bindings>() == 16);
const _: () = assert!(size_of::<SecPkgContext_KeyingMaterialInfo>() == 40);
const _: () =
    assert!(std::mem::offset_of!(SecPkgContext_KeyingMaterialInfo, cbKeyingMaterial) == 32);
const _: () = assert!(size_of::<SecPkgContext_KeyingMaterial>() == 16);
const _: () = assert!(size_of::<SecPkgContext_IssuerListInfoEx>() == 16);
const _: () = assert!(size_of::<CERT_CONTEXT>() == 40);
const _: () = assert!(std::mem::offset_of!(CERT_CONTEXT, hCertStore) == 32);
const _: () = assert!(size_of::<CERT_INFO>() == 208);
const _: () = assert!(std::mem::offset_of!(CERT_INFO, Subject) == 80);
const _: () = assert!(std::mem::offset_of!(CERT_INFO, cExtension) == 192);
const _: () = assert!(size_of::<CERT_EXTENSION>() == 32);
const _: () = assert!(size_of::<CERT_PUBLIC_KEY_INFO>() == 48);
const _: () = assert!(size_of::<SecurityFunctionTableW>() == 32 * 8);
const _: () = assert!(size_of::<SecurityFunctionTableA>() == 32 * 8);
const _: () = assert!(std::mem::offset_of!(SecurityFunctionTableW, EncryptMessage) == 25 * 8);
