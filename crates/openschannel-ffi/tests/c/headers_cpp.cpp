/*
 * headers_cpp.cpp - the openschannel headers must compile as C++11
 * (extern "C" linkage, static_assert layout checks, char16_t WCHAR).
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 *
 * Uses only types and macros: nothing from libopenschannel is referenced.
 */
#define SECURITY_WIN32
#include <security.h>
#include <sspi.h>
#include <schannel.h>
#include <wincrypt.h>
#include <openschannel.h>

#include <cstddef>
#include <cstring>
#include <type_traits>

// The exported functions must have C linkage and the Windows signatures.
static_assert(std::is_same<decltype(&EncryptMessage), ENCRYPT_MESSAGE_FN>::value,
              "EncryptMessage signature");
static_assert(std::is_same<decltype(&DecryptMessage), DECRYPT_MESSAGE_FN>::value,
              "DecryptMessage signature");
static_assert(std::is_same<decltype(&AcceptSecurityContext), ACCEPT_SECURITY_CONTEXT_FN>::value,
              "AcceptSecurityContext signature");
static_assert(std::is_same<decltype(&InitializeSecurityContextW),
                           INITIALIZE_SECURITY_CONTEXT_FN_W>::value,
              "InitializeSecurityContextW signature");
static_assert(std::is_same<decltype(&AcquireCredentialsHandleA),
                           ACQUIRE_CREDENTIALS_HANDLE_FN_A>::value,
              "AcquireCredentialsHandleA signature");
static_assert(std::is_same<decltype(&InitSecurityInterfaceW), INIT_SECURITY_INTERFACE_W>::value,
              "InitSecurityInterfaceW signature");
static_assert(std::is_same<decltype(&ApplyControlToken), APPLY_CONTROL_TOKEN_FN>::value,
              "ApplyControlToken signature");
static_assert(std::is_same<decltype(&FreeContextBuffer), FREE_CONTEXT_BUFFER_FN>::value,
              "FreeContextBuffer signature");

static_assert(sizeof(ULONG) == 4 && sizeof(DWORD) == 4 && sizeof(LONG) == 4, "LLP64 integers");
static_assert(sizeof(WCHAR) == 2, "UTF-16 WCHAR");
static_assert(std::is_signed<SECURITY_STATUS>::value, "SECURITY_STATUS is signed");
static_assert(SEC_E_INVALID_TOKEN == -2146893048, "SEC_E_INVALID_TOKEN");
static_assert(SEC_I_CONTEXT_EXPIRED == 0x00090317, "SEC_I_CONTEXT_EXPIRED");
static_assert(ISC_REQ_STREAM == 0x8000 && ASC_REQ_STREAM == 0x10000, "ISC vs ASC");
static_assert(SCHANNEL_SHUTDOWN == 1, "SCHANNEL_SHUTDOWN");
static_assert(sizeof(UNISP_NAME_W) == 45 * sizeof(WCHAR), "UNISP_NAME_W length");
#if OPENSCHANNEL_PTR64
static_assert(sizeof(SCHANNEL_CRED) == 80, "SCHANNEL_CRED");
static_assert(sizeof(SCH_CREDENTIALS) == 72, "SCH_CREDENTIALS");
static_assert(sizeof(CERT_CONTEXT) == 40, "CERT_CONTEXT");
#endif

int main()
{
    // A wide literal converts to the WCHAR types without a cast.
    const WCHAR *name = UNISP_NAME_W;
    const SEC_WCHAR *schannel = SCHANNEL_NAME_W;
    if (name[0] != u'M' || schannel[0] != u'S')
        return 1;
    if (std::strcmp(UNISP_NAME_A, "Microsoft Unified Security Protocol Provider") != 0)
        return 1;

    CtxtHandle ctx;
    SecInvalidateHandle(&ctx);
    if (SecIsValidHandle(&ctx))
        return 1;

    SecBuffer buf = {0, SECBUFFER_EMPTY, nullptr};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &buf};
    SCHANNEL_CRED sc;
    std::memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    SecurityFunctionTable *table = nullptr;
    (void)table;
    (void)desc;
    return 0;
}
