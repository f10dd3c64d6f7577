// Library-level entry points: ABI version, ISA detection, threads, aligned allocation.
#include "tickgrad/tickgrad.h"
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <cstddef>
#include <cerrno>
#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {
std::atomic<int64_t> g_allocated{0};
constexpr size_t kAlign = 64;
constexpr size_t kHeader = 64;  // keeps the user pointer 64-byte aligned; holds the size
}

extern "C" {

TG_API int32_t tg_abi_version(void) { return 2; }

TG_API int64_t tg_alloc(int64_t bytes) {
    if (bytes < 0 || bytes > (int64_t(1) << 46)) return 0;
    size_t total = kHeader + ((size_t(bytes) + kAlign - 1) & ~(kAlign - 1));
    void* base = std::aligned_alloc(kAlign, total);
    if (!base) return 0;
    std::memset(base, 0, total);
    *static_cast<int64_t*>(base) = int64_t(total);
    g_allocated.fetch_add(int64_t(total), std::memory_order_relaxed);
    return int64_t(reinterpret_cast<uintptr_t>(base) + kHeader);
}

TG_API int32_t tg_free(int64_t address) {
    if (address == 0) return TG_OK;
    if (address % int64_t(kAlign) != 0) return TG_ERR_ARG;
    void* base = reinterpret_cast<void*>(uintptr_t(address) - kHeader);
    g_allocated.fetch_sub(*static_cast<int64_t*>(base), std::memory_order_relaxed);
    std::free(base);
    return TG_OK;
}

TG_API int64_t tg_allocated_bytes(void) { return g_allocated.load(std::memory_order_relaxed); }

TG_API int32_t tg_file_reserve(const char* path, int64_t offset, int64_t length) {
    if (path == nullptr || offset < 0 || length <= 0) return EINVAL;
#if defined(__linux__)
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, off_t(offset), off_t(length));
    int err = rc == 0 ? 0 : errno;
    ::close(fd);
    return err;
#else
    (void) offset;
    (void) length;
    return EOPNOTSUPP;
#endif
}

}  // extern "C"
