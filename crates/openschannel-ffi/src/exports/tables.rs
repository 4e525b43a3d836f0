//! `InitSecurityInterfaceA/W` and the table entries this package does not implement.

use std::ffi::{c_char, c_void};

use openschannel_core::Status;

use super::context::{
    AcceptSecurityContext, ApplyControlToken, DeleteSecurityContext, InitializeSecurityContextA,
    InitializeSecurityContextW,
};
use super::credentials::{
    AcquireCredentialsHandleA, AcquireCredentialsHandleW, FreeCredentialsHandle,
    QueryCredentialsAttributesA, QueryCredentialsAttributesW, SetCredentialsAttributesA,
    SetCredentialsAttributesW,
};
use super::messages::{DecryptMessage, EncryptMessage};
use super::packages::{
    EnumerateSecurityPackagesA, EnumerateSecurityPackagesW, FreeContextBuffer,
    QuerySecurityPackageInfoA, QuerySecurityPackageInfoW,
};
use super::query::{
    QueryContextAttributesA, QueryContextAttributesW, SetContextAttributesA, SetContextAttributesW,
};
use crate::boundary::guard;
use crate::types::*;

macro_rules! unsupported {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?); )*) => { $(
        $(#[$doc])*
        /// Always `SEC_E_UNSUPPORTED_FUNCTION` (not part of Schannel's TLS use).
        ///
        /// # Safety
        /// No argument is dereferenced.
        #[no_mangle]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> SECURITY_STATUS {
            let _ = ($($arg,)*);
            guard(stringify!($name), || Err(Status::SEC_E_UNSUPPORTED_FUNCTION))
        }
    )* };
}

unsupported! {
    /// `ImpersonateSecurityContext`.
    fn ImpersonateSecurityContext(phContext: *mut SecHandle);
    /// `RevertSecurityContext`.
    fn RevertSecurityContext(phContext: *mut SecHandle);
    /// `MakeSignature`.
    fn MakeSignature(phContext: *mut SecHandle, fQOP: u32, pMessage: *mut SecBufferDesc, MessageSeqNo: u32);
    /// `VerifySignature`.
    fn VerifySignature(phContext: *mut SecHandle, pMessage: *mut SecBufferDesc, MessageSeqNo: u32, pfQOP: *mut u32);
    /// `CompleteAuthToken`.
    fn CompleteAuthToken(phContext: *mut SecHandle, pToken: *mut SecBufferDesc);
    /// `ExportSecurityContext`.
    fn ExportSecurityContext(phContext: *mut SecHandle, fFlags: u32, pPackedContext: *mut SecBuffer, pToken: *mut *mut c_void);
    /// `ImportSecurityContextW`.
    fn ImportSecurityContextW(pszPackage: *mut u16, pPackedContext: *mut SecBuffer, Token: *mut c_void, phContext: *mut SecHandle);
    /// `ImportSecurityContextA`.
    fn ImportSecurityContextA(pszPackage: *mut c_char, pPackedContext: *mut SecBuffer, Token: *mut c_void, phContext: *mut SecHandle);
    /// `AddCredentialsW`.
    fn AddCredentialsW(hCredentials: *mut SecHandle, pszPrincipal: *mut u16, pszPackage: *mut u16, fCredentialUse: u32, pAuthData: *mut c_void, pGetKeyFn: SEC_GET_KEY_FN, pvGetKeyArgument: *mut c_void, ptsExpiry: *mut TimeStamp);
    /// `AddCredentialsA`.
    fn AddCredentialsA(hCredentials: *mut SecHandle, pszPrincipal: *mut c_char, pszPackage: *mut c_char, fCredentialUse: u32, pAuthData: *mut c_void, pGetKeyFn: SEC_GET_KEY_FN, pvGetKeyArgument: *mut c_void, ptsExpiry: *mut TimeStamp);
    /// `QuerySecurityContextToken`.
    fn QuerySecurityContextToken(phContext: *mut SecHandle, Token: *mut *mut c_void);
    /// `QueryContextAttributesExW`.
    fn QueryContextAttributesExW(phContext: *mut SecHandle, ulAttribute: u32, pBuffer: *mut c_void, cbBuffer: u32);
    /// `QueryContextAttributesExA`.
    fn QueryContextAttributesExA(phContext: *mut SecHandle, ulAttribute: u32, pBuffer: *mut c_void, cbBuffer: u32);
    /// `QueryCredentialsAttributesExW`.
    fn QueryCredentialsAttributesExW(phCredential: *mut SecHandle, ulAttribute: u32, pBuffer: *mut c_void, cbBuffer: u32);
    /// `QueryCredentialsAttributesExA`.
    fn QueryCredentialsAttributesExA(phCredential: *mut SecHandle, ulAttribute: u32, pBuffer: *mut c_void, cbBuffer: u32);
}

/// The `dwVersion` Windows' `InitSecurityInterface` reports:
/// `SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION` (Wine's `test_InitSecurityInterface`, run on
/// Windows). Every slot up to the Ex ones is filled all the same.
const TABLE_VERSION: u32 = 1;

static TABLE_W: SecurityFunctionTableW = SecurityFunctionTableW {
    dwVersion: TABLE_VERSION,
    EnumerateSecurityPackagesW: Some(EnumerateSecurityPackagesW),
    QueryCredentialsAttributesW: Some(QueryCredentialsAttributesW),
    AcquireCredentialsHandleW: Some(AcquireCredentialsHandleW),
    FreeCredentialsHandle: Some(FreeCredentialsHandle),
    Reserved2: 0,
    InitializeSecurityContextW: Some(InitializeSecurityContextW),
    AcceptSecurityContext: Some(AcceptSecurityContext),
    CompleteAuthToken: Some(CompleteAuthToken),
    DeleteSecurityContext: Some(DeleteSecurityContext),
    ApplyControlToken: Some(ApplyControlToken),
    QueryContextAttributesW: Some(QueryContextAttributesW),
    ImpersonateSecurityContext: Some(ImpersonateSecurityContext),
    RevertSecurityContext: Some(RevertSecurityContext),
    MakeSignature: Some(MakeSignature),
    VerifySignature: Some(VerifySignature),
    FreeContextBuffer: Some(FreeContextBuffer),
    QuerySecurityPackageInfoW: Some(QuerySecurityPackageInfoW),
    Reserved3: Some(EncryptMessage),
    Reserved4: Some(DecryptMessage),
    ExportSecurityContext: Some(ExportSecurityContext),
    ImportSecurityContextW: Some(ImportSecurityContextW),
    AddCredentialsW: Some(AddCredentialsW),
    Reserved8: 0,
    QuerySecurityContextToken: Some(QuerySecurityContextToken),
    EncryptMessage: Some(EncryptMessage),
    DecryptMessage: Some(DecryptMessage),
    SetContextAttributesW: Some(SetContextAttributesW),
    SetCredentialsAttributesW: Some(SetCredentialsAttributesW),
    ChangeAccountPasswordW: 0,
    QueryContextAttributesExW: Some(QueryContextAttributesExW),
    QueryCredentialsAttributesExW: Some(QueryCredentialsAttributesExW),
};

static TABLE_A: SecurityFunctionTableA = SecurityFunctionTableA {
    dwVersion: TABLE_VERSION,
    EnumerateSecurityPackagesA: Some(EnumerateSecurityPackagesA),
    QueryCredentialsAttributesA: Some(QueryCredentialsAttributesA),
    AcquireCredentialsHandleA: Some(AcquireCredentialsHandleA),
    FreeCredentialsHandle: Some(FreeCredentialsHandle),
    Reserved2: 0,
    InitializeSecurityContextA: Some(InitializeSecurityContextA),
    AcceptSecurityContext: Some(AcceptSecurityContext),
    CompleteAuthToken: Some(CompleteAuthToken),
    DeleteSecurityContext: Some(DeleteSecurityContext),
    ApplyControlToken: Some(ApplyControlToken),
    QueryContextAttributesA: Some(QueryContextAttributesA),
    ImpersonateSecurityContext: Some(ImpersonateSecurityContext),
    RevertSecurityContext: Some(RevertSecurityContext),
    MakeSignature: Some(MakeSignature),
    VerifySignature: Some(VerifySignature),
    FreeContextBuffer: Some(FreeContextBuffer),
    QuerySecurityPackageInfoA: Some(QuerySecurityPackageInfoA),
    Reserved3: Some(EncryptMessage),
    Reserved4: Some(DecryptMessage),
    ExportSecurityContext: Some(ExportSecurityContext),
    ImportSecurityContextA: Some(ImportSecurityContextA),
    AddCredentialsA: Some(AddCredentialsA),
    Reserved8: 0,
    QuerySecurityContextToken: Some(QuerySecurityContextToken),
    EncryptMessage: Some(EncryptMessage),
    DecryptMessage: Some(DecryptMessage),
    SetContextAttributesA: Some(SetContextAttributesA),
    SetCredentialsAttributesA: Some(SetCredentialsAttributesA),
    ChangeAccountPasswordA: 0,
    QueryContextAttributesExA: Some(QueryContextAttributesExA),
    QueryCredentialsAttributesExA: Some(QueryCredentialsAttributesExA),
};

/// `InitSecurityInterfaceW`: the static wide dispatch table (contract §1.1 slot order; the
/// reserved and `ChangeAccountPassword` slots are NULL). Never freed; do not write to it.
#[no_mangle]
pub extern "C" fn InitSecurityInterfaceW() -> *mut SecurityFunctionTableW {
    std::ptr::addr_of!(TABLE_W).cast_mut()
}

/// `InitSecurityInterfaceA`: the static ANSI dispatch table.
#[no_mangle]
pub extern "C" fn InitSecurityInterfaceA() -> *mut SecurityFunctionTableA {
    std::ptr::addr_of!(TABLE_A).cast_mut()
}

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;

    #[test]
    fn tables_point_at_the_exports() {
        // SAFETY: the table is static and valid.
        let w = unsafe { &*InitSecurityInterfaceW() };
        assert_eq!(w.dwVersion, TABLE_VERSION);
        assert_eq!(
            w.EncryptMessage.map(|f| f as usize),
            Some(EncryptMessage as *const () as usize)
        );
        assert_eq!(w.Reserved2, 0);
        // Reserved3/4 repeat EncryptMessage/DecryptMessage, as on Windows.
        assert_eq!(
            w.Reserved3.map(|f| f as usize),
            Some(EncryptMessage as *const () as usize)
        );
        assert_eq!(
            w.Reserved4.map(|f| f as usize),
            Some(DecryptMessage as *const () as usize)
        );
        // SAFETY: as above.
        let a = unsafe { &*InitSecurityInterfaceA() };
        assert_eq!(
            a.FreeContextBuffer.map(|f| f as usize),
            Some(FreeContextBuffer as *const () as usize)
        );
        let mut h = SecHandle::default();
        // SAFETY: stubs dereference nothing.
        assert_eq!(
            unsafe { MakeSignature(&mut h, 0, std::ptr::null_mut(), 0) },
            Status::SEC_E_UNSUPPORTED_FUNCTION.raw()
        );
    }
}
