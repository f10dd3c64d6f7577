// Library-level entry points: ABI version, ISA detection, threads, aligned allocation.
#include "tickgrad/tickgrad.h"
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <cstddef>
#include <cerrno>
#include <mutex>
#include <new>
#include <vector>
#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {
std::atomic<int64_t> g_allocated{0};
constexpr size_t kAlign = 64;
constexpr size_t kHeader = 64;  // keeps the user pointer 64-byte aligned; holds the size

// Freed large blocks kept for the next allocation of the same size. A sweep worker loads a model, trains and frees
// it once per task; glibc handed such blocks back to the kernel (munmap, or trimming a thread's arena) and the next
// task's memset faulted every page in again: up to 9 MB of page faults a task, the most of what a second worker
// cost the first. Small blocks are left to malloc, which keeps them anyway. Not under AddressSanitizer, which must
// see every free to catch a use after it.
#if defined(__SANITIZE_ADDRESS__)
#  define TG_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define TG_ADDRESS_SANITIZER 1
#  endif
#endif
#if defined(TG_ADDRESS_SANITIZER)
constexpr size_t kCacheMin = ~size_t(0);  // nothing is kept
#else
constexpr size_t kCacheMin = size_t(256) << 10;
#endif
constexpr size_t kCacheMax = size_t(64) << 20;  // bytes kept at most; beyond, the oldest blocks go back to malloc

class BlockCache {
 public:
  // A cached block of exactly total bytes, or null.
  void* take(size_t total) {
    if (total < kCacheMin) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = blocks_.size(); i-- > 0;) {
      if (blocks_[i].total == total) {
        void* base = blocks_[i].base;
        blocks_.erase(blocks_.begin() + std::ptrdiff_t(i));
        cached_ -= total;
        return base;
      }
    }
    return nullptr;
  }

  // Keeps the block (true) or leaves it to the caller to free (false).
  bool keep(void* base, size_t total) {
    if (total < kCacheMin || total > kCacheMax) return false;
    std::lock_guard<std::mutex> lock(mutex_);  // cold path (loading and closing models): free under the lock
    while (cached_ + total > kCacheMax && !blocks_.empty()) {
      std::free(blocks_.front().base);
      cached_ -= blocks_.front().total;
      blocks_.erase(blocks_.begin());
    }
    try {
      blocks_.push_back({base, total});
      cached_ += total;
    } catch (const std::bad_alloc&) {  // no room to remember it: nothing may escape tg_free, so free it now
      std::free(base);
    }
    return true;
  }

  int64_t cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    return int64_t(cached_);
  }

 private:
  struct Block {
    void* base;
    size_t total;
  };
  std::mutex mutex_;
  std::vector<Block> blocks_;  // oldest first
  size_t cached_ = 0;
};

BlockCache& block_cache() {
  static BlockCache* cache = new BlockCache();  // never destroyed: tg_free may run during static destruction
  return *cache;
}
}

extern "C" {

TG_API int32_t tg_abi_version(void) { return 2; }

TG_API int64_t tg_alloc(int64_t bytes) {
    if (bytes < 0 || bytes > (int64_t(1) << 46)) return 0;
    size_t total = kHeader + ((size_t(bytes) + kAlign - 1) & ~(kAlign - 1));
    void* base = block_cache().take(total);
    if (!base) base = std::aligned_alloc(kAlign, total);
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
    const int64_t total = *static_cast<int64_t*>(base);
    g_allocated.fetch_sub(total, std::memory_order_relaxed);
    if (!block_cache().keep(base, size_t(total))) std::free(base);
    return TG_OK;
}

TG_API int64_t tg_cached_bytes(void) { return block_cache().cached(); }

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
