// PKCS#11 v2.40 types and function list, from p11-kit's pkcs11.h (libp11-kit-dev).
// The module itself is loaded at run time with dlopen; nothing here links a PKCS#11 library.
#include <p11-kit/pkcs11.h>
#include <dlfcn.h>
