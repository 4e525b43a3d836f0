/*
 * openschannel_wintypes.h - basic Windows data types used by the
 * openschannel SSPI/Schannel headers (internal helper header).
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation; it is not
 * a copy of any Windows SDK or mingw-w64 header.
 *
 * Windows is an LLP64 platform: LONG/ULONG/DWORD are 32-bit there, while
 * Linux is LP64 (`long` is 64-bit).  Every 32-bit Windows integer type is
 * therefore defined here through <stdint.h> fixed-width types, never through
 * `long`.  WCHAR is a 16-bit UTF-16 code unit, never the 32-bit Linux
 * wchar_t.
 *
 * If your program already gets these basic types from another Windows
 * compatibility layer, define OPENSCHANNEL_WINTYPES_DEFINED before including
 * any openschannel header and the typedef block below is skipped (the layout
 * assertions in the other headers will still check that your types have the
 * Windows sizes).
 */
#ifndef OPENSCHANNEL_WINTYPES_H
#define OPENSCHANNEL_WINTYPES_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Language helpers
 * ------------------------------------------------------------------------ */

#ifdef __cplusplus
#define OPENSCHANNEL_EXTERN_C_BEGIN extern "C" {
#define OPENSCHANNEL_EXTERN_C_END }
#else
#define OPENSCHANNEL_EXTERN_C_BEGIN
#define OPENSCHANNEL_EXTERN_C_END
#endif

/* 1 when the compiler understands u"..." (char16_t) string literals. */
#if (defined(__cplusplus) && __cplusplus >= 201103L) || \
    (!defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L)
#define OPENSCHANNEL_HAVE_U16_LITERALS 1
#else
#define OPENSCHANNEL_HAVE_U16_LITERALS 0
#endif

/*
 * OPENSCHANNEL_STATIC_ASSERT(name, expr): compile-time check.
 * `name` must be a unique identifier fragment; it is only used by the C99
 * fallback (a typedef of a negative-size array when `expr` is false).
 */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define OPENSCHANNEL_STATIC_ASSERT(name, expr) static_assert((expr), #name ": " #expr)
#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define OPENSCHANNEL_STATIC_ASSERT(name, expr) _Static_assert((expr), #name ": " #expr)
#else
#define OPENSCHANNEL_STATIC_ASSERT(name, expr) \
    typedef char openschannel_static_assert_##name[(expr) ? 1 : -1]
#endif

/* 1 on LP64 targets with 8-byte pointers (x86_64, aarch64, ...): the layout
 * assertions use the x64 Windows sizes and offsets, which are the same. */
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 8
#define OPENSCHANNEL_PTR64 1
#else
#define OPENSCHANNEL_PTR64 0
#endif

/* Used for the C99 fallback string arrays only. */
#if defined(__GNUC__) || defined(__clang__)
#define OPENSCHANNEL_MAYBE_UNUSED __attribute__((unused))
#else
#define OPENSCHANNEL_MAYBE_UNUSED
#endif

/* Anonymous struct members (LARGE_INTEGER) are C11; GCC/Clang accept them
 * in C99/C++ when marked __extension__. */
#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define OPENSCHANNEL_ANON_STRUCT 1
#define OPENSCHANNEL_EXTENSION
#elif defined(__GNUC__) || defined(__clang__)
#define OPENSCHANNEL_ANON_STRUCT 1
#define OPENSCHANNEL_EXTENSION __extension__
#else
#define OPENSCHANNEL_ANON_STRUCT 0
#define OPENSCHANNEL_EXTENSION
#endif

/*
 * 32-bit Windows status value from its unsigned hexadecimal spelling, e.g.
 * OPENSCHANNEL_STATUS_FROM_U32(0x80090308u) == -2146893048.
 * Written with well-defined arithmetic only (no out-of-range conversion);
 * the result has type int32_t and is usable in constant expressions.
 */
#define OPENSCHANNEL_STATUS_FROM_U32(u)                                      \
    ((int32_t)(((uint32_t)(u) >= 0x80000000u)                                \
                   ? ((int32_t)((uint32_t)(u) - 0x80000000u) - 0x7FFFFFFF - 1) \
                   : (int32_t)(uint32_t)(u)))

/* ------------------------------------------------------------------------
 * Calling-convention and misc. macros (empty on Linux)
 * ------------------------------------------------------------------------ */

#ifndef WINAPI
#define WINAPI
#endif
#ifndef CONST
#define CONST const
#endif
#ifndef VOID
#define VOID void
#endif
#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* ------------------------------------------------------------------------
 * Basic types
 * ------------------------------------------------------------------------ */

#ifndef OPENSCHANNEL_WINTYPES_DEFINED
#define OPENSCHANNEL_WINTYPES_DEFINED

typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef unsigned char UCHAR, *PUCHAR;
typedef unsigned char BOOLEAN, *PBOOLEAN;
typedef char CHAR, *PCHAR;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t WORD, *PWORD, *LPWORD;
typedef uint16_t USHORT, *PUSHORT;
typedef int INT, *PINT;
typedef unsigned int UINT, *PUINT;
/* LLP64: these are 32-bit, NOT `long`. */
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef int32_t BOOL, *PBOOL, *LPBOOL;
typedef int64_t LONGLONG, *PLONGLONG;
typedef uint64_t ULONGLONG, *PULONGLONG;
/* Pointer-sized integers. */
typedef intptr_t INT_PTR, *PINT_PTR;
typedef uintptr_t UINT_PTR, *PUINT_PTR;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef uintptr_t DWORD_PTR, *PDWORD_PTR;
typedef ULONG_PTR SIZE_T, *PSIZE_T;

/*
 * WCHAR: one UTF-16 code unit.  In C++11 and later it is char16_t (so that
 * u"..." literals convert without casts; the ABI is identical to uint16_t,
 * and this is what Wine's headers do too); otherwise uint16_t.
 * Define OPENSCHANNEL_WCHAR_IS_UINT16 to force uint16_t in C++ as well.
 */
#if defined(__cplusplus) && __cplusplus >= 201103L && !defined(OPENSCHANNEL_WCHAR_IS_UINT16)
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR;
#endif
typedef WCHAR *PWCHAR, *LPWCH, *PWCH;

typedef CHAR *LPSTR, *PSTR;
typedef const CHAR *LPCSTR, *PCSTR;
typedef WCHAR *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR;

typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef void *HANDLE, **PHANDLE;

typedef LONG HRESULT;

/* 64-bit integer with 32-bit halves, as on Windows (8-byte aligned). */
typedef union _LARGE_INTEGER {
#if OPENSCHANNEL_ANON_STRUCT
    OPENSCHANNEL_EXTENSION struct {
        DWORD LowPart;
        LONG HighPart;
    };
#endif
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
#if OPENSCHANNEL_ANON_STRUCT
    OPENSCHANNEL_EXTENSION struct {
        DWORD LowPart;
        DWORD HighPart;
    };
#endif
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

#ifndef _FILETIME_
#define _FILETIME_
/* 100-nanosecond intervals since 1601-01-01 (UTC). */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
#endif

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
#endif

#endif /* OPENSCHANNEL_WINTYPES_DEFINED */

/* Size checks valid on every target (LLP64 integer model). */
OPENSCHANNEL_STATIC_ASSERT(wintypes_ULONG, sizeof(ULONG) == 4);
OPENSCHANNEL_STATIC_ASSERT(wintypes_LONG, sizeof(LONG) == 4);
OPENSCHANNEL_STATIC_ASSERT(wintypes_DWORD, sizeof(DWORD) == 4);
OPENSCHANNEL_STATIC_ASSERT(wintypes_BOOL, sizeof(BOOL) == 4);
OPENSCHANNEL_STATIC_ASSERT(wintypes_WORD, sizeof(WORD) == 2);
OPENSCHANNEL_STATIC_ASSERT(wintypes_WCHAR, sizeof(WCHAR) == 2);
OPENSCHANNEL_STATIC_ASSERT(wintypes_ULONG_PTR, sizeof(ULONG_PTR) == sizeof(void *));
OPENSCHANNEL_STATIC_ASSERT(wintypes_LARGE_INTEGER, sizeof(LARGE_INTEGER) == 8);
OPENSCHANNEL_STATIC_ASSERT(wintypes_FILETIME, sizeof(FILETIME) == 8);
OPENSCHANNEL_STATIC_ASSERT(wintypes_GUID, sizeof(GUID) == 16);

/* ------------------------------------------------------------------------
 * kernel32: the thread's last-error code (set by the crypt32/CryptoAPI
 * functions on failure). A program that links its own implementation of
 * these names takes precedence over libopenschannel's.
 * ------------------------------------------------------------------------ */
OPENSCHANNEL_EXTERN_C_BEGIN
DWORD GetLastError(void);
void SetLastError(DWORD dwErrCode);
OPENSCHANNEL_EXTERN_C_END

#endif /* OPENSCHANNEL_WINTYPES_H */
