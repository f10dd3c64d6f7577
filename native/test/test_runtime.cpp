// Allocation and library queries.
#include "tickgrad/tickgrad.h"
#include <cstdio>
#include <cstdint>

int main() {
    int64_t before = tg_allocated_bytes();
    int64_t a = tg_alloc(1000);
    if (a == 0 || a % 64 != 0) { std::printf("FAIL alloc alignment\n"); return 1; }
    if (tg_allocated_bytes() <= before) { std::printf("FAIL accounting\n"); return 1; }
    tg_free(a);
    if (tg_allocated_bytes() != before) { std::printf("FAIL leak accounting\n"); return 1; }
    if (tg_alloc(-1) != 0) { std::printf("FAIL negative size\n"); return 1; }
    std::printf("test_runtime: ok\n");
    return 0;
}
