// A small persistent pool for batch GEMM (no OpenMP: the jar must carry no extra runtime).
// The caller thread always takes part; workers sleep on a condition variable between jobs.
#include "common.h"
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace tg {
namespace {

class Pool {
 public:
  ~Pool() { resize(1); }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

  // n >= 1 total threads including the caller. Serialised with run() by job_mu_.
  void resize(int n) {
    std::lock_guard<std::mutex> job(job_mu_);
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
    for (int i = 1; i < n; ++i) workers_.emplace_back([this] { worker(); });
    threads_.store(n, std::memory_order_relaxed);
  }

  void run(int tasks, void (*fn)(void*, int), void* ctx) {
    std::unique_lock<std::mutex> job(job_mu_, std::try_to_lock);
    if (!job.owns_lock() || workers_.empty()) {  // another caller holds the pool: run serially
      for (int t = 0; t < tasks; ++t) fn(ctx, t);
      return;
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      fn_ = fn;
      ctx_ = ctx;
      tasks_ = tasks;
      next_.store(0, std::memory_order_relaxed);
      busy_ = int(workers_.size());
      ++generation_;
    }
    cv_.notify_all();
    drain();
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [this] { return busy_ == 0; });
  }

 private:
  void drain() {
    for (int t; (t = next_.fetch_add(1, std::memory_order_relaxed)) < tasks_;) fn_(ctx_, t);
  }

  void worker() {
#ifdef TG_X86
    _mm_setcsr(_mm_getcsr() | 0x8040u);  // workers only run kernels: FTZ/DAZ for their whole life
#endif
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      drain();
      std::lock_guard<std::mutex> lk(mu_);
      if (--busy_ == 0) done_cv_.notify_one();
    }
  }

  std::mutex job_mu_;  // one job (or resize) at a time
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  std::atomic<int> threads_{1};
  std::atomic<int> next_{0};
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
  int tasks_ = 0;
  int busy_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void parallel_for(int tasks, void (*fn)(void* ctx, int task), void* ctx) { pool().run(tasks, fn, ctx); }

int pool_threads() { return pool().threads(); }

}  // namespace tg

extern "C" {

TG_API int32_t tg_set_num_threads(int32_t n) {
  if (n < 1 || n > 256) return TG_ERR_ARG;
  tg::pool().resize(n);
  return TG_OK;
}

TG_API int32_t tg_num_threads(void) { return tg::pool_threads(); }

}  // extern "C"
