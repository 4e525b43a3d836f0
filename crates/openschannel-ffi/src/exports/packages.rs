//! `EnumerateSecurityPackagesA/W`, `QuerySecurityPackageInfoA/W`, `FreeContextBuffer`
//! (contract §1.2, §4.4).

use std::ffi::{c_char, c_void};

use openschannel_core::Status;

use super::credentials::{is_our_package, PACKAGE_NAMES};
use crate::boundary::{self, guard, FfiResult};
use crate::memory;
use crate::strings::SspiChar;
use crate::types::{SecPkgInfoA, SecPkgInfoW, SECURITY_STATUS};

/// `fCapabilities` (Wine's "what Windows reports": INTEGRITY | PRIVACY | CONNECTION |
/// MULTI_REQUIRED | EXTENDED_ERROR | IMPERSONATION | ACCEPT_WIN32_NAME | STREAM).
pub(crate) const CAPABILITIES: u32 = 0x0000_07B3;
/// `cbMaxToken` (contract §1.2 recommendation).
pub(crate) const MAX_TOKEN: u32 = 0x6000;
const RPC_ID: u16 = 14;
const COMMENT: &str = "Schannel Security Package";

/// `SecPkgInfoA`/`SecPkgInfoW` over the character type (identical layouts).
#[repr(C)]
struct PkgInfo<C> {
    fCapabilities: u32,
    wVersion: u16,
    wRPCID: u16,
    cbMaxToken: u32,
    Name: *mut C,
    Comment: *mut C,
}

const _: () = assert!(std::mem::size_of::<PkgInfo<c_char>>() == std::mem::size_of::<SecPkgInfoA>());
const _: () = assert!(std::mem::size_of::<PkgInfo<u16>>() == std::mem::size_of::<SecPkgInfoW>());

/// One package allocation: the info array and the strings it points to.
struct PkgBlock<C> {
    infos: Vec<PkgInfo<C>>,
    _strings: Vec<Vec<C>>,
}

// SAFETY: the pointers in `infos` refer only to the heap buffers of `_strings`, owned by the
// same block; nothing is thread-bound.
unsafe impl<C> Send for PkgBlock<C> {}

/// Allocates a `SecPkgInfo` array for `names` (freed with `FreeContextBuffer`).
pub(crate) fn package_infos<C: SspiChar>(names: &[&str]) -> *mut c_void {
    let mut strings: Vec<Vec<C>> = Vec::new();
    let mut infos = Vec::new();
    for name in names {
        let mut n = C::encode(name);
        let mut c = C::encode(COMMENT);
        infos.push(PkgInfo {
            fCapabilities: CAPABILITIES,
            wVersion: 1,
            wRPCID: RPC_ID,
            cbMaxToken: MAX_TOKEN,
            Name: n.as_mut_ptr(),
            Comment: c.as_mut_ptr(),
        });
        strings.push(n);
        strings.push(c);
    }
    let mut block = PkgBlock {
        infos,
        _strings: strings,
    };
    let ptr = block.infos.as_mut_ptr().cast::<c_void>();
    memory::hand_out(block, ptr)
}

fn enumerate<C: SspiChar>(count: *mut u32, out: *mut *mut c_void) -> FfiResult<Status> {
    if !boundary::usable(count) || !boundary::usable(out) {
        return Err(Status::SEC_E_INVALID_PARAMETER);
    }
    let infos = package_infos::<C>(&PACKAGE_NAMES);
    // SAFETY: both out-parameters are usable (checked above).
    unsafe { boundary::write(count, PACKAGE_NAMES.len() as u32) };
    // SAFETY: as above.
    unsafe { boundary::write(out, infos) };
    Ok(Status::SEC_E_OK)
}

fn query_info<C: SspiChar>(name: Option<String>, out: *mut *mut c_void) -> FfiResult<Status> {
    let name = name
        .filter(|n| is_our_package(n))
        .ok_or(Status::SEC_E_SECPKG_NOT_FOUND)?;
    if !boundary::usable(out) {
        return Err(Status::SEC_E_INVALID_PARAMETER);
    }
    let canonical = PACKAGE_NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(&name))
        .copied()
        .unwrap_or(PACKAGE_NAMES[0]);
    // SAFETY: usable (checked above).
    unsafe { boundary::write(out, package_infos::<C>(&[canonical])) };
    Ok(Status::SEC_E_OK)
}

/// `EnumerateSecurityPackagesW`: this library's package under its three names; free the array
/// with `FreeContextBuffer`.
///
/// # Safety
/// Both pointers are writable.
#[no_mangle]
pub unsafe extern "C" fn EnumerateSecurityPackagesW(
    pcPackages: *mut u32,
    ppPackageInfo: *mut *mut SecPkgInfoW,
) -> SECURITY_STATUS {
    guard("EnumerateSecurityPackagesW", || {
        enumerate::<u16>(pcPackages, ppPackageInfo.cast())
    })
}

/// `EnumerateSecurityPackagesA`: as [`EnumerateSecurityPackagesW`].
///
/// # Safety
/// Both pointers are writable.
#[no_mangle]
pub unsafe extern "C" fn EnumerateSecurityPackagesA(
    pcPackages: *mut u32,
    ppPackageInfo: *mut *mut SecPkgInfoA,
) -> SECURITY_STATUS {
    guard("EnumerateSecurityPackagesA", || {
        enumerate::<c_char>(pcPackages, ppPackageInfo.cast())
    })
}

/// `QuerySecurityPackageInfoW`: `"Microsoft Unified Security Protocol Provider"`, `"Schannel"`
/// or `"Default TLS SSP"` (case-insensitive); anything else → `SEC_E_SECPKG_NOT_FOUND`.
/// `cbMaxToken` is 0x6000 (contract §1.2).
///
/// # Safety
/// `pszPackageName` is NULL or NUL-terminated UTF-16; `ppPackageInfo` is writable.
#[no_mangle]
pub unsafe extern "C" fn QuerySecurityPackageInfoW(
    pszPackageName: *mut u16,
    ppPackageInfo: *mut *mut SecPkgInfoW,
) -> SECURITY_STATUS {
    guard("QuerySecurityPackageInfoW", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let name = unsafe { u16::read_str(pszPackageName) };
        query_info::<u16>(name, ppPackageInfo.cast())
    })
}

/// `QuerySecurityPackageInfoA`: as [`QuerySecurityPackageInfoW`].
///
/// # Safety
/// `pszPackageName` is NULL or NUL-terminated; `ppPackageInfo` is writable.
#[no_mangle]
pub unsafe extern "C" fn QuerySecurityPackageInfoA(
    pszPackageName: *mut c_char,
    ppPackageInfo: *mut *mut SecPkgInfoA,
) -> SECURITY_STATUS {
    guard("QuerySecurityPackageInfoA", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let name = unsafe { c_char::read_str(pszPackageName) };
        query_info::<c_char>(name, ppPackageInfo.cast())
    })
}

/// `FreeContextBuffer` (contract §4.4): frees memory this package handed out. NULL →
/// `SEC_E_OK`; a pointer not handed out by this package, or already freed →
/// `SEC_E_INVALID_HANDLE`.
///
/// # Safety
/// Any pointer value is accepted; only registered allocations are freed.
#[no_mangle]
pub unsafe extern "C" fn FreeContextBuffer(pvContextBuffer: *mut c_void) -> SECURITY_STATUS {
    guard("FreeContextBuffer", || {
        let status = memory::free(pvContextBuffer);
        if status.is_error() {
            Err(status)
        } else {
            Ok(status)
        }
    })
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
    fn package_info_for_each_name() {
        for name in PACKAGE_NAMES {
            let n = c_char::encode(&name.to_uppercase());
            let mut info: *mut SecPkgInfoA = std::ptr::null_mut();
            // SAFETY: valid string and out-pointer.
            assert_eq!(
                unsafe { QuerySecurityPackageInfoA(n.as_ptr().cast_mut(), &mut info) },
                0
            );
            // SAFETY: the package returned a valid SecPkgInfoA.
            let i = unsafe { &*info };
            assert_eq!(
                (i.cbMaxToken, i.wRPCID, i.fCapabilities),
                (MAX_TOKEN, RPC_ID, CAPABILITIES)
            );
            // SAFETY: Name is a NUL-terminated string of the block.
            assert_eq!(unsafe { c_char::read_str(i.Name) }.as_deref(), Some(name));
            // SAFETY: the pointer came from the package.
            assert_eq!(unsafe { FreeContextBuffer(info.cast()) }, 0);
            // SAFETY: a second free is rejected, not performed.
            assert_eq!(
                unsafe { FreeContextBuffer(info.cast()) },
                Status::SEC_E_INVALID_HANDLE.raw()
            );
        }
        let n = u16::encode("NTLM");
        let mut info: *mut SecPkgInfoW = std::ptr::null_mut();
        // SAFETY: valid string and out-pointer.
        assert_eq!(
            unsafe { QuerySecurityPackageInfoW(n.as_ptr().cast_mut(), &mut info) },
            Status::SEC_E_SECPKG_NOT_FOUND.raw()
        );
    }

    #[test]
    fn enumerate_lists_three_names() {
        let mut count = 0;
        let mut infos: *mut SecPkgInfoW = std::ptr::null_mut();
        // SAFETY: valid out-pointers.
        assert_eq!(
            unsafe { EnumerateSecurityPackagesW(&mut count, &mut infos) },
            0
        );
        assert_eq!(count, 3);
        // SAFETY: the array has `count` entries.
        let second = unsafe { &*infos.add(1) };
        // SAFETY: NUL-terminated UTF-16 name.
        assert_eq!(
            unsafe { u16::read_str(second.Name) }.as_deref(),
            Some("Schannel")
        );
        // SAFETY: package pointer.
        assert_eq!(unsafe { FreeContextBuffer(infos.cast()) }, 0);
        // SAFETY: NULL is accepted.
        assert_eq!(unsafe { FreeContextBuffer(std::ptr::null_mut()) }, 0);
    }
}
