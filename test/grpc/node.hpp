// A node of the test chains: a real gRPC server on 127.0.0.1 serving Hop in
// one API style (sync, callback, async), whose handler forwards the request
// to the next node through the bridge, or, being the last, works until its
// context ends or work_ms pass. Each node records what its handler saw.
#pragma once

#include "hop.grpc.pb.h"

#include <ctx/grpc.hpp>

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ctxtest {

enum class Style { sync, callback, async };
const char* name(Style s);

// The request id travels A -> B -> C as metadata.
extern const ctx::grpc::MetadataKey kRequestId;

// What a node's handler saw of the RPCs it served (the last one's values).
struct Seen {
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  std::optional<ctx::Clock::time_point> deadline;   // its RPC context's
  std::string request_id;
  std::optional<ctx::Clock::time_point> ended;      // when its RPC context ended
  std::error_code err, cause;
  bool work_stopped = false;                        // the leaf's work ended early
  // Blocks until the handler's context has ended (true) or `limit` passed.
  bool wait_ended(std::chrono::milliseconds limit);
  bool wait_calls(int n, std::chrono::milliseconds limit);
  bool wait_work_stopped(std::chrono::milliseconds limit);
  void reset();   // forget what was seen
};

class Node {
 public:
  // next: the node this one forwards to (null: the last of the chain).
  Node(std::string name, Style style, Node* next = nullptr);
  ~Node();   // shutdown(): stops serving, waits for the handlers
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const std::string& name() const { return name_; }
  Style style() const { return style_; }
  const std::string& address() const { return address_; }
  Seen& seen() { return *seen_; }
  std::unique_ptr<Hop::Stub> stub() const;

  // Ends the server-wide context (with `why`; when `why` is empty, only
  // after the server has shut down) and shuts the server down, giving
  // in-flight RPCs up to `grace`, after which gRPC cancels them. Idempotent.
  void shutdown(std::optional<std::error_code> why,
                std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  // The business logic: ctx first, as the handlers of every style call it.
  grpc::Status hop(const ctx::Context& c, const HopRequest& req, HopReply* reply);

  // Runs f on a thread of the node's own (joined by shutdown): the test's
  // stand-in for an application's executor.
  template <class F> void spawn(F f) {
    std::lock_guard lock(mu_);
    workers_.emplace_back(std::move(f));
  }
  const ctx::Context& serving() const { return serving_; }

 private:
  struct SyncService;
  struct CallbackService;
  class AsyncCall;

  std::string name_;
  Style style_;
  std::unique_ptr<Hop::Stub> next_;
  std::shared_ptr<Seen> seen_ = std::make_shared<Seen>();
  ctx::Context serving_;
  ctx::CancelCauseFunc stop_serving_;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<grpc::ServerCompletionQueue> cq_;
  std::unique_ptr<grpc::Server> server_;
  std::thread cq_thread_;
  std::string address_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  bool shut_down_ = false;
};

}  // namespace ctxtest
