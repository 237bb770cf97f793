#include "worker_pool.hpp"

namespace shop {

WorkerPool::WorkerPool(const ctx::Context& c, int workers, Handler handler)
    : handler_(std::move(handler)) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this, c] { run(c); });
}

WorkerPool::~WorkerPool() {
  for (auto& t : threads_) t.join();
}

std::future<Response> WorkerPool::submit(const ctx::Context& c, Request request) {
  std::promise<Response> reply;
  auto result = reply.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Job{c, std::move(request), std::move(reply)});
  }
  ready_.notify_one();
  return result;
}

void WorkerPool::run(const ctx::Context& c) {
  // The pool's context ends the wait: a condition_variable_any wakes on the
  // context's stop token, so shutdown needs no extra flag.
  std::stop_token stop = c.done().stop_token();
  for (;;) {
    std::unique_lock lock(mu_);
    if (!ready_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job.reply.set_value(handler_(job.ctx, job.request));
  }
}

}  // namespace shop
