// A fixed pool of worker threads that runs queued requests. Closing the
// pool's context stops the workers after the request each is running.
#pragma once
#include <ctx/context.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "handlers.hpp"

namespace shop {

// One queued request and where its response goes.
struct Job {
  ctx::Context ctx;  // MISTAKE(context-stored-in-struct): the request context rides in the queue item; pass it to the call that runs the job instead
  Request request;
  std::promise<Response> reply;
};

class WorkerPool {
 public:
  WorkerPool(const ctx::Context& c, int workers, Handler handler);
  ~WorkerPool();
  std::future<Response> submit(const ctx::Context& c, Request request);

 private:
  void run(const ctx::Context& c);

  Handler handler_;
  std::mutex mu_;
  std::condition_variable_any ready_;
  std::deque<Job> queue_;
  std::vector<std::jthread> threads_;
};

}  // namespace shop
