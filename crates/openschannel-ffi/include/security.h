/*
 * security.h - umbrella header for the Security Support Provider Interface.
 *
 * Part of openschannel, licensed under MIT OR Apache-2.0.
 * Written for Linux from the public Windows API documentation; it is not a
 * copy of any Windows SDK or mingw-w64 header.
 *
 * On Windows, programs define SECURITY_WIN32 (user mode), SECURITY_KERNEL
 * or SECURITY_MAC before including <security.h>, which then pulls in
 * <sspi.h>.  openschannel only provides user mode: SECURITY_WIN32 is the
 * expected definition, but if none of the three is defined the header still
 * works (user mode is assumed) instead of failing as Windows' does.
 * SECURITY_KERNEL is rejected by <sspi.h>.
 */
#ifndef OPENSCHANNEL_SECURITY_H
#define OPENSCHANNEL_SECURITY_H

#include "sspi.h"

#endif /* OPENSCHANNEL_SECURITY_H */
