// A small persistent pool for batch GEMM (no OpenMP: the jar must carry no extra runtime).
// The caller thread always takes part. Between jobs a worker spins for a short while before it sleeps on a
// condition variable, as OpenMP runtimes do: a training step issues a GEMM every few tens of microseconds, and a
// futex wake-up on a virtual machine costs about as much as half a 256x256x256 GEMM (measured: with sleeping
// workers the batch-256 chart-network step ran slower on 2 threads than on 1).
#include "common.h"
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace tg {
namespace {

// How long a worker waits for the next job, and the caller for the workers, before sleeping. Longer than the
// serial work between two GEMMs of a training step (bias, activation and loss kernels, the JNI crossings), short
// enough that an idle pool gives its cores back well within a millisecond.
constexpr std::chrono::microseconds kSpin{200};

inline void cpu_relax() {
#ifdef TG_X86
  _mm_pause();
#endif
}

// Spins until done() or kSpin has passed; returns done().
template <typename Done>
bool spin_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return done();
  }
}

class Pool {
 public:
  ~Pool() { resize(1); }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

  // n >= 1 total threads including the caller. Serialised with run() by job_mu_.
  void resize(int n) {
    std::lock_guard<std::mutex> job(job_mu_);
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_.store(true);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_.store(false);
    // The generation is read here, not in the new thread: a job started before that thread runs is still its job.
    const uint64_t current = generation_.load();
    for (int i = 1; i < n; ++i) workers_.emplace_back([this, current] { worker(current); });
    threads_.store(n, std::memory_order_relaxed);
  }

  void run(int tasks, void (*fn)(void*, int), void* ctx) {
    std::unique_lock<std::mutex> job(job_mu_, std::try_to_lock);
    if (!job.owns_lock() || workers_.empty()) {  // another caller holds the pool: run serially
      for (int t = 0; t < tasks; ++t) fn(ctx, t);
      return;
    }
    fn_ = fn;
    ctx_ = ctx;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    busy_.store(int(workers_.size()), std::memory_order_relaxed);
    {
      // The new generation publishes the job; taking mu_ orders it against a worker about to sleep.
      std::lock_guard<std::mutex> lk(mu_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();  // no system call when every worker is still spinning
    drain();
    if (spin_until([this] { return busy_.load(std::memory_order_acquire) == 0; })) return;
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [this] { return busy_.load(std::memory_order_acquire) == 0; });
  }

 private:
  void drain() {
    for (int t; (t = next_.fetch_add(1, std::memory_order_relaxed)) < tasks_;) fn_(ctx_, t);
  }

  void worker(uint64_t seen) {
#ifdef TG_X86
    _mm_setcsr(_mm_getcsr() | 0x8040u);  // workers only run kernels: FTZ/DAZ for their whole life
#endif
    for (;;) {
      auto ready = [&] { return stop_.load(std::memory_order_relaxed) || generation_.load(std::memory_order_acquire) != seen; };
      if (!spin_until(ready)) {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, ready);
      }
      if (stop_.load()) return;
      seen = generation_.load(std::memory_order_acquire);
      drain();
      if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lk(mu_);  // the caller may be between its check and its wait
        done_cv_.notify_one();
      }
    }
  }

  std::mutex job_mu_;  // one job (or resize) at a time
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  std::atomic<int> threads_{1};
  std::atomic<int> next_{0};
  std::atomic<int> busy_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
  int tasks_ = 0;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void parallel_for(int tasks, void (*fn)(void* ctx, int task), void* ctx) { pool().run(tasks, fn, ctx); }

int pool_threads() { return pool().threads(); }

namespace {
thread_local bool t_last_gemm_split = false;
}  // namespace

void set_last_gemm_split(bool split) { t_last_gemm_split = split; }

bool last_gemm_split() { return t_last_gemm_split; }

}  // namespace tg

extern "C" {

TG_API int32_t tg_set_num_threads(int32_t n) {
  if (n < 1 || n > 256) return TG_ERR_ARG;
  tg::pool().resize(n);
  return TG_OK;
}

TG_API int32_t tg_num_threads(void) { return tg::pool_threads(); }

}  // extern "C"
