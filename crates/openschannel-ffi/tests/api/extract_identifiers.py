#!/usr/bin/env python3
"""Extract the SSPI / Schannel / crypt32 / CryptoAPI identifiers a C source uses.

Usage: extract_identifiers.py FILE... > identifiers.txt

Reads public Schannel client sources (curl's lib/vtls/schannel*.c, lib/curl_sspi.c,
libgit2's src/libgit2/streams/schannel.c, the SDK web-client sample) and prints one
"NAME" per line: the identifiers that belong to the Windows security headers (by prefix
or by name), minus those the sources define themselves unconditionally. Fallback
definitions guarded by "#ifndef NAME" are Windows names and are kept. Only names are
extracted, never code. Needs no network: fetch the sources yourself first.

Part of openschannel, licensed under MIT OR Apache-2.0.
"""
import re
import sys

PREFIXES = (
    "SEC_", "SECPKG_", "SECBUFFER_", "SECURITY_", "SCH_", "SCHANNEL_", "SP_PROT_", "UNISP_",
    "ISC_REQ_", "ISC_RET_", "ASC_REQ_", "ASC_RET_", "CERT_", "CRYPT_", "CALG_", "X509_",
    "PKCS_", "PKCS12_", "szOID_", "PROV_", "HP_", "AT_", "TLS1_", "SSL_", "AUTHTYPE_",
    "USAGE_MATCH_", "NTE_", "TRUST_E_", "HCCE_", "MS_", "PCCERT_", "PCERT_", "HCERT",
    "HCRYPT", "PCRYPT_", "PSec", "Sec", "Cert", "Crypt", "PFX", "SP_", "SZ_ALG_",
    "ALG_", "TLS_PARAMETERS", "CRYPTO_SETTINGS", "PCRYPTO_SETTINGS", "PTLS_PARAMETERS",
    "eTls", "TlsParametersCngAlgUsage", "KERB_", "NEGOSSP_", "NTLMSP_", "NEGO_",
    "DEFAULT_TLS_SSP_", "SP_NAME", "CERT_E_", "CRYPT_E_", "AUTH_", "UNICODE_STRING",
    "PUNICODE_STRING", "HTTPSPolicyCallbackData", "SSL_EXTRA_CERT_CHAIN_POLICY_PARA",
    "SEC_WINNT_AUTH_", "ERROR_", "SCHANNEL_CRED", "SCH_CREDENTIALS", "CredHandle",
    "CtxtHandle", "PCredHandle", "PCtxtHandle", "TimeStamp", "PTimeStamp", "ALG_ID",
)

NAMES = {
    "AcquireCredentialsHandle", "AcquireCredentialsHandleA", "AcquireCredentialsHandleW",
    "FreeCredentialsHandle", "InitializeSecurityContext", "InitializeSecurityContextA",
    "InitializeSecurityContextW", "AcceptSecurityContext", "DeleteSecurityContext",
    "ApplyControlToken", "CompleteAuthToken", "QueryContextAttributes",
    "QueryContextAttributesA", "QueryContextAttributesW", "QueryCredentialsAttributes",
    "QueryCredentialsAttributesA", "QueryCredentialsAttributesW", "SetContextAttributes",
    "SetContextAttributesA", "SetContextAttributesW", "FreeContextBuffer", "EncryptMessage",
    "DecryptMessage", "MakeSignature", "VerifySignature", "QuerySecurityPackageInfo",
    "QuerySecurityPackageInfoA", "QuerySecurityPackageInfoW", "EnumerateSecurityPackages",
    "EnumerateSecurityPackagesA", "EnumerateSecurityPackagesW", "InitSecurityInterface",
    "InitSecurityInterfaceA", "InitSecurityInterfaceW", "ImpersonateSecurityContext",
    "RevertSecurityContext", "QuerySecurityContextToken", "ExportSecurityContext",
    "ImportSecurityContext", "LocalFree", "LocalAlloc", "GetLastError", "SetLastError",
    "PFXImportCertStore", "PFXIsPFXBlob", "PFXVerifyPassword", "SECURITY_STATUS",
    "SEC_CHAR", "SEC_WCHAR", "SECURITY_PSTR", "SECURITY_PCSTR", "SecurityFunctionTable",
    "SecurityFunctionTableA", "SecurityFunctionTableW", "PSecurityFunctionTable",
    "PSecurityFunctionTableA", "PSecurityFunctionTableW", "INIT_SECURITY_INTERFACE",
    "INIT_SECURITY_INTERFACE_A", "INIT_SECURITY_INTERFACE_W", "SECURITY_ENTRYPOINT",
    "SECURITY_ENTRYPOINTA", "SECURITY_ENTRYPOINTW", "SECURITY_ENTRYPOINT_ANSI",
    "SECURITY_ENTRYPOINT_UNICODE", "SECURITY_NATIVE_DREP", "SECURITY_NETWORK_DREP",
    "UNISP_NAME", "UNISP_NAME_A", "UNISP_NAME_W", "HCRYPTPROV", "HCRYPTKEY", "HCRYPTHASH",
    "HCERTSTORE", "HCERTCHAINENGINE", "HCRYPTMSG", "HCRYPTPROV_LEGACY", "NCRYPT_KEY_HANDLE",
    "DATA_BLOB", "PDATA_BLOB", "CERT_BLOB", "CRL_BLOB", "FILETIME", "GetSystemTimeAsFileTime",
    "CompareFileTime", "SecInvalidateHandle", "SecIsValidHandle", "SEC_E_OK",
}

# Names that match a prefix but are the sources' own (checked by hand).
NOT_WINDOWS = re.compile(
    r"^(SCH_DEV|SCHANNEL_USE_BLACKLISTS|SCHANNEL_SHUTDOWN|SCHANNEL_RENEGOTIATE|"
    r"SECBUFFER_APPLICATION_PROTOCOLS_|SSL_CONN_|SSL_CF_|SSL_SET_|SSL_HOST_|SSL_IS_|"
    r"SSL_CONFIG|SSL_PRIMARY|SSL_FILETYPE|SSL_SYSTEM|ERROR_ALLOCATION|CERT_THUMBPRINT_|"
    r"SP_PROT_ALL$|SCH_RENEG_|Curl|CURL)"
)


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    text = re.sub(r"'(\\.|[^'\\\n])*'", "''", text)
    return text


def main(paths):
    used, defined, guarded = set(), set(), set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = strip(f.read())
        lines = text.split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)", line)
            if m:
                name = m.group(1)
                prev = "\n".join(lines[max(0, i - 3):i])
                if re.search(r"#\s*(ifndef\s+%s\b|if\s+!defined\(\s*%s\s*\))" % (name, name), prev):
                    guarded.add(name)
                else:
                    defined.add(name)
        for tok in re.findall(r"\b[A-Za-z_]\w*\b", text):
            used.add(tok)
    out = []
    for name in sorted(used):
        if name in defined and name not in guarded and name not in NAMES:
            continue
        if NOT_WINDOWS.match(name):
            continue
        if name in NAMES or name.startswith(PREFIXES):
            out.append(name)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
