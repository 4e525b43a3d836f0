//! The `SECBUFFER_APPLICATION_PROTOCOLS` parser of the C ABI, directly and through the first
//! InitializeSecurityContext / AcceptSecurityContext call.
//!
//! Checked: the parser never panics; what it accepts is a non-empty list of names of 1..=255
//! bytes that re-encodes to a buffer parsing to the same list; what it rejects is
//! SEC_E_INVALID_TOKEN. ISC with the buffer succeeds (SEC_I_CONTINUE_NEEDED, every offered name
//! in the ClientHello) exactly when the parser accepts it, else returns SEC_E_INVALID_TOKEN; ASC
//! with the buffer and a genuine ClientHello offering the same names returns a known status.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel::Status;
use openschannel_fuzz::cabi::{self, consume_allocation, fixture, known, raw, OK};
use openschannel_fuzz::exports::context::{
    AcceptSecurityContext, DeleteSecurityContext, InitializeSecurityContextA,
};
use openschannel_fuzz::types::*;

fn encode(list: &[Vec<u8>]) -> Vec<u8> {
    let mut wire = Vec::new();
    for name in list {
        wire.push(name.len() as u8);
        wire.extend_from_slice(name);
    }
    let mut body = 2u32.to_le_bytes().to_vec();
    body.extend_from_slice(&(wire.len() as u16).to_le_bytes());
    body.extend_from_slice(&wire);
    let mut out = (body.len() as u32).to_le_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}

/// First ISC (tls13 credentials) or ASC call with an APPLICATION_PROTOCOLS input buffer.
/// Returns the status and the produced token.
fn first_call(server: bool, token_in: &mut [u8], alpn: &mut [u8]) -> (i32, Vec<u8>) {
    let f = fixture(true);
    let mut cred = if server { f.server } else { f.client };
    let mut inb = [
        SecBuffer {
            cbBuffer: token_in.len() as u32,
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: token_in.as_mut_ptr().cast(),
        },
        SecBuffer {
            cbBuffer: alpn.len() as u32,
            BufferType: SECBUFFER_APPLICATION_PROTOCOLS,
            pvBuffer: alpn.as_mut_ptr().cast(),
        },
        cabi::empty(),
    ];
    let mut outb = [SecBuffer {
        cbBuffer: 0,
        BufferType: SECBUFFER_TOKEN,
        pvBuffer: std::ptr::null_mut(),
    }];
    let mut ind = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 3,
        pBuffers: inb.as_mut_ptr(),
    };
    let mut outd = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 1,
        pBuffers: outb.as_mut_ptr(),
    };
    let mut ctx = SecHandle::default();
    let mut attrs = 0u32;
    // SAFETY: valid descriptors, handles and out-parameters.
    let s = unsafe {
        if server {
            AcceptSecurityContext(
                &mut cred,
                std::ptr::null_mut(),
                &mut ind,
                ASC_REQ_ALLOCATE_MEMORY,
                0,
                &mut ctx,
                &mut outd,
                &mut attrs,
                std::ptr::null_mut(),
            )
        } else {
            InitializeSecurityContextA(
                &mut cred,
                std::ptr::null_mut(),
                c"localhost".as_ptr().cast_mut(),
                ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MANUAL_CRED_VALIDATION,
                0,
                0,
                &mut ind,
                0,
                &mut ctx,
                &mut outd,
                &mut attrs,
                std::ptr::null_mut(),
            )
        }
    };
    let mut token = Vec::new();
    if !outb[0].pvBuffer.is_null() {
        // SAFETY: a package allocation of cbBuffer bytes.
        token = unsafe {
            std::slice::from_raw_parts(outb[0].pvBuffer.cast::<u8>(), outb[0].cbBuffer as usize)
        }
        .to_vec();
        // SAFETY: as above.
        unsafe { consume_allocation(outb[0].pvBuffer, 0) };
    }
    if s == OK || s == raw(Status::SEC_I_CONTINUE_NEEDED) {
        // SAFETY: the context just created.
        assert_eq!(unsafe { DeleteSecurityContext(&mut ctx) }, OK);
    }
    (s, token)
}

fuzz_target!(|data: &[u8]| {
    let parsed = cabi::parse_alpn(data);
    match &parsed {
        Ok(Some(list)) => {
            assert!(!list.is_empty());
            for name in list {
                assert!(!name.is_empty() && name.len() <= 255, "{name:?}");
            }
            assert_eq!(cabi::parse_alpn(&encode(list)), Ok(Some(list.clone())));
        }
        Ok(None) => {}
        Err(s) => assert_eq!(*s, Status::SEC_E_INVALID_TOKEN),
    }

    let mut alpn = data.to_vec();
    let (s, hello) = first_call(false, &mut [], &mut alpn);
    match &parsed {
        Ok(list) => {
            assert_eq!(
                s,
                raw(Status::SEC_I_CONTINUE_NEEDED),
                "ISC with an accepted ALPN buffer"
            );
            for name in list.iter().flatten() {
                let mut wire = vec![name.len() as u8];
                wire.extend_from_slice(name);
                assert!(
                    hello.windows(wire.len()).any(|w| w == wire.as_slice()),
                    "offered protocol missing from the ClientHello"
                );
            }
            // The server side, with the same buffer and the genuine ClientHello.
            let mut hello = hello;
            let mut alpn = data.to_vec();
            let (s, _) = first_call(true, &mut hello, &mut alpn);
            assert!(known(s), "ASC: unknown status {s:#x}");
            assert_ne!(s, raw(Status::SEC_E_INTERNAL_ERROR));
        }
        Err(_) => assert_eq!(
            s,
            raw(Status::SEC_E_INVALID_TOKEN),
            "ISC with a rejected ALPN buffer"
        ),
    }
});
