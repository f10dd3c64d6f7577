// Allocation and library queries.
#include "tickgrad/tickgrad.h"
#include <cstdio>
#include <cstdint>
#include <cstring>

int main() {
    int64_t before = tg_allocated_bytes();
    int64_t a = tg_alloc(1000);
    if (a == 0 || a % 64 != 0) { std::printf("FAIL alloc alignment\n"); return 1; }
    if (tg_allocated_bytes() <= before) { std::printf("FAIL accounting\n"); return 1; }
    tg_free(a);
    if (tg_allocated_bytes() != before) { std::printf("FAIL leak accounting\n"); return 1; }
    if (tg_alloc(-1) != 0) { std::printf("FAIL negative size\n"); return 1; }

    // Large blocks freed are kept for the next allocation of the same size (not under AddressSanitizer): a block
    // handed out again is still zeroed, the live-bytes count ignores cached blocks, and the cache stays bounded.
    const int64_t big = int64_t(3) << 20;
    const int64_t cached0 = tg_cached_bytes();
    int64_t b = tg_alloc(big);
    if (b == 0 || b % 64 != 0) { std::printf("FAIL big alloc\n"); return 1; }
    std::memset(reinterpret_cast<void*>(b), 0x5a, size_t(big));
    tg_free(b);
    if (tg_allocated_bytes() != before) { std::printf("FAIL big leak accounting\n"); return 1; }
    const int64_t kept = tg_cached_bytes() - cached0;
    if (kept != 0 && kept < big) { std::printf("FAIL cached %lld bytes of %lld\n", (long long) kept, (long long) big); return 1; }
    int64_t c = tg_alloc(big);
    if (c == 0) { std::printf("FAIL big realloc\n"); return 1; }
    if (kept != 0 && c != b) { std::printf("FAIL cached block not reused\n"); return 1; }
    if (tg_cached_bytes() != cached0) { std::printf("FAIL cache not emptied by reuse\n"); return 1; }
    const unsigned char* p = reinterpret_cast<const unsigned char*>(c);
    for (int64_t i = 0; i < big; ++i)
        if (p[i] != 0) { std::printf("FAIL reused block not zeroed at %lld\n", (long long) i); return 1; }
    tg_free(c);
    // 40 blocks of 3 MB freed: at most 64 MB stay cached, the oldest going back first
    int64_t many[40];
    for (int64_t& m : many) m = tg_alloc(big);
    for (int64_t m : many) tg_free(m);
    if (tg_cached_bytes() > (int64_t(64) << 20)) { std::printf("FAIL cache over its bound\n"); return 1; }
    if (tg_allocated_bytes() != before) { std::printf("FAIL leak after many\n"); return 1; }
    std::printf("cached after 40 frees of 3 MB: %lld bytes\n", (long long) tg_cached_bytes());
    std::printf("test_runtime: ok\n");
    return 0;
}
