/*
 * port.h - what a Windows Schannel program needs from <windows.h>, <winsock2.h> and <tchar.h>
 * that openschannel does not provide, mapped onto POSIX.  This is the "compatibility header"
 * pattern of docs/porting.md: the SSPI, Schannel and crypt32 declarations come from
 * openschannel's headers unchanged; only the operating-system layer is shimmed, in one place,
 * so that the program's own code keeps its Windows shape.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 */
#ifndef WEBCLIENT_PORT_H
#define WEBCLIENT_PORT_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#else

/* The SSPI/Schannel/crypt32 types (ULONG, DWORD, BOOL, LPSTR, ...) come with these. */
#define SECURITY_WIN32
#include <sspi.h>
#include <schannel.h>
#include <wincrypt.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- winsock -> BSD sockets ------------------------------------------------------------ */
typedef int SOCKET;
#define INVALID_SOCKET (-1)
#define SOCKET_ERROR (-1)
#define closesocket(s) close(s)
#define WSAGetLastError() (errno)
typedef struct {
    unsigned short wVersion;
} WSADATA;
#define MAKEWORD(lo, hi) ((unsigned short)(((unsigned)(lo) & 0xff) | (((unsigned)(hi) & 0xff) << 8)))
/* No winsock library to start or stop. */
static inline int WSAStartup(unsigned short version, WSADATA *data) {
    data->wVersion = version;
    return 0;
}
static inline int WSACleanup(void) { return 0; }
/* send() on a socket the peer closed must fail with EPIPE, not raise SIGPIPE. */
#ifdef MSG_NOSIGNAL
#define WEBCLIENT_SEND_FLAGS MSG_NOSIGNAL
#else
#define WEBCLIENT_SEND_FLAGS 0
#endif

/* ---- windows.h basics -------------------------------------------------------------------- */
#define ZeroMemory(p, n) memset((p), 0, (n))
#define CopyMemory(d, s, n) memcpy((d), (s), (n))
#define MoveMemory(d, s, n) memmove((d), (s), (n))
/* LocalAlloc/LocalFree (and LMEM_FIXED) come with libopenschannel (<wincrypt.h>). */

/* ---- tchar: this program is ANSI (no UNICODE), so TCHAR is char ------------------------- */
#ifdef UNICODE
#error "port.h maps only the ANSI tchar names; build without UNICODE (see docs/porting.md)"
#endif
typedef char TCHAR;
#define TEXT(s) s
#define _T(s) s
#define _tprintf printf
#define _tcslen strlen

#endif /* _WIN32 */
#endif /* WEBCLIENT_PORT_H */
