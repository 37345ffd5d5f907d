/* A stand-in bcryptprimitives.dll for running kmdiag.exe under wine 8 (Debian 12), used only by
 * scripts/dist.sh inside its throw-away wine prefix and never shipped.
 *
 * Rust's standard library (1.78 and later) draws its random seeds (HashMap keys) from
 * ProcessPrng in bcryptprimitives.dll, which every supported Windows (10 and later) has but
 * wine gained only in version 9. Without it the .exe does not start under wine 8 at all. This
 * DLL exports that one function on top of RtlGenRandom (advapi32's SystemFunction036), which
 * wine 8 has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Fills `data` with `len` random bytes; always succeeds, as the real ProcessPrng does. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a 32-bit length: feed it in chunks of at most 1 GiB. */
    const SIZE_T chunk_max = (SIZE_T)1 << 30;
    while (len > 0) {
        ULONG chunk = (ULONG)(len < chunk_max ? len : chunk_max);
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
