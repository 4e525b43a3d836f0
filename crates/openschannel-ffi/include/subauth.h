/*
 * subauth.h - the counted string types of the Windows subauthentication
 * header (UNICODE_STRING, STRING), as SSPI callers include it.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation; it is not a
 * copy of any Windows SDK or mingw-w64 header.
 */
#ifndef OPENSCHANNEL_SUBAUTH_H
#define OPENSCHANNEL_SUBAUTH_H

#include "openschannel_wintypes.h"

OPENSCHANNEL_EXTERN_C_BEGIN

/* Shared with schannel.h: whichever comes first declares it (define
 * OPENSCHANNEL_UNICODE_STRING_DEFINED to use another header's). */
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

#if !defined(OPENSCHANNEL_STRING_DEFINED) && !defined(_NTDEF_)
#define OPENSCHANNEL_STRING_DEFINED
/** Counted 8-bit string; Length/MaximumLength are in bytes. */
typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING;
typedef STRING ANSI_STRING, *PANSI_STRING;
typedef STRING OEM_STRING, *POEM_STRING;
typedef const STRING *PCSTRING;
#endif

OPENSCHANNEL_EXTERN_C_END

#if OPENSCHANNEL_PTR64
OPENSCHANNEL_STATIC_ASSERT(subauth_UNICODE_STRING, sizeof(UNICODE_STRING) == 16);
OPENSCHANNEL_STATIC_ASSERT(subauth_STRING, sizeof(STRING) == 16);
#endif

#endif /* OPENSCHANNEL_SUBAUTH_H */
