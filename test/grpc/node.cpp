#include "node.hpp"

#include <stdexcept>

namespace ctxtest {

using namespace std::chrono_literals;

const ctx::grpc::MetadataKey kRequestId{"x-request-id"};

const char* name(Style s) {
  switch (s) {
    case Style::sync: return "sync";
    case Style::callback: return "callback";
    case Style::async: return "async";
  }
  return "?";
}

bool Seen::wait_ended(std::chrono::milliseconds limit) {
  std::unique_lock lock(mu);
  return cv.wait_for(lock, limit, [this] { return ended.has_value(); });
}
void Seen::reset() {
  std::lock_guard lock(mu);
  calls = 0;
  deadline.reset();
  request_id.clear();
  ended.reset();
  err = cause = {};
  work_stopped = false;
}
bool Seen::wait_work_stopped(std::chrono::milliseconds limit) {
  std::unique_lock lock(mu);
  return cv.wait_for(lock, limit, [this] { return work_stopped; });
}
bool Seen::wait_calls(int n, std::chrono::milliseconds limit) {
  std::unique_lock lock(mu);
  return cv.wait_for(lock, limit, [&] { return calls >= n; });
}

grpc::Status Node::hop(const ctx::Context& c, const HopRequest& req, HopReply* reply) {
  {
    std::lock_guard lock(seen_->mu);
    ++seen_->calls;
    seen_->deadline = c.deadline();
    const std::string* id = c.value(kRequestId.key());
    seen_->request_id = id != nullptr ? *id : "";
    seen_->ended.reset();
    seen_->work_stopped = false;
  }
  seen_->cv.notify_all();
  // When the RPC's context ends, record when and why (on a runtime thread).
  (void)ctx::after_func(c, [c, seen = seen_] {
    {
      std::lock_guard lock(seen->mu);
      seen->ended = ctx::Clock::now();
      seen->err = c.err();
      seen->cause = ctx::cause(c);
    }
    seen->cv.notify_all();
  });

  if (next_) {
    ctx::grpc::ClientCall call(c, {&kRequestId});
    HopReply r;
    const grpc::Status s = next_->Call(&call.client_context(), req, &r);
    if (!s.ok()) return ctx::grpc::to_status(ctx::grpc::to_error(s), name_ + ": " + s.error_message());
    reply->set_path(name_ + ">" + r.path());
    return grpc::Status::OK;
  }
  ctx::Context work = c;
  ctx::CancelFunc cancel;
  if (req.leaf_timeout_ms() > 0)
    std::tie(work, cancel) = ctx::with_timeout(c, std::chrono::milliseconds(req.leaf_timeout_ms()));
  auto release = ctx::defer(cancel);
  if (work.done().wait_for(std::chrono::milliseconds(req.work_ms()))) {
    {
      std::lock_guard lock(seen_->mu);
      seen_->work_stopped = true;
    }
    seen_->cv.notify_all();
    return ctx::grpc::to_status(work);
  }
  reply->set_path(name_);
  return grpc::Status::OK;
}

// Sync API: the handler runs on gRPC's thread; SyncCall polls for cancels.
struct Node::SyncService : Hop::Service {
  explicit SyncService(Node& n) : node(n) {}
  grpc::Status Call(grpc::ServerContext* sc, const HopRequest* req, HopReply* reply) override {
    ctx::grpc::SyncCall call(node.serving_, *sc, {&kRequestId});
    return node.hop(call.context(), *req, reply);
  }
  Node& node;
};

// Callback API: a reactor whose OnCancel ends the context; the work runs on
// the node's own thread and Finish()es the reactor.
namespace {
class HopReactor : public ctx::grpc::UnaryReactor {
 public:
  HopReactor(Node& n, grpc::CallbackServerContext* sc, const HopRequest* req, HopReply* reply)
      : ctx::grpc::UnaryReactor(n.serving(), sc, {&kRequestId}) {
    n.spawn([this, &n, req, reply] { Finish(n.hop(context(), *req, reply)); });
  }
};
}  // namespace

struct Node::CallbackService : Hop::CallbackService {
  explicit CallbackService(Node& n) : node(n) {}
  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* sc, const HopRequest* req,
                                 HopReply* reply) override {
    return new HopReactor(node, sc, req, reply);
  }
  Node& node;
};

// Async API: one RPC's state. Three tags come out of the completion queue
// (all handled on the node's one queue thread): the request arrived, the
// RPC is done (AsyncNotifyWhenDone), the reply was sent.
class Node::AsyncCall {
 public:
  struct Tag {
    AsyncCall* call;
    void (AsyncCall::*on)(bool ok);
  };
  explicit AsyncCall(Node& n) : node_(n) {
    sc_.AsyncNotifyWhenDone(&done_tag_);   // before the RPC starts, as gRPC requires
    static_cast<Hop::AsyncService*>(n.service_.get())
        ->RequestCall(&sc_, &req_, &responder_, n.cq_.get(), n.cq_.get(), &request_tag_);
  }

 private:
  void on_request(bool ok) {
    if (!ok) {   // shutting down; the done tag never comes for an RPC that did not start
      delete this;
      return;
    }
    new AsyncCall(node_);   // accept the next RPC
    call_.emplace(node_.serving_, sc_, std::initializer_list<const ctx::grpc::MetadataKey*>{&kRequestId});
    node_.spawn([this] {
      std::lock_guard lock(worker_);
      const grpc::Status s = node_.hop(call_->context(), req_, &reply_);
      responder_.Finish(reply_, s, &finish_tag_);
    });
  }
  void on_done(bool) {
    call_->on_done();   // ends the context now if the client cancelled
    done_ = true;
    if (finished_) destroy();
  }
  void on_finish(bool) {
    finished_ = true;
    if (done_) destroy();
  }
  // The finish tag comes out of the queue once the worker has called
  // Finish, which orders the two; the mutex says so to ThreadSanitizer,
  // which cannot see inside gRPC.
  void destroy() {
    { std::lock_guard lock(worker_); }
    delete this;
  }

  Node& node_;
  grpc::ServerContext sc_;
  HopRequest req_;
  HopReply reply_;
  grpc::ServerAsyncResponseWriter<HopReply> responder_{&sc_};
  std::optional<ctx::grpc::ServerCall> call_;
  bool done_ = false, finished_ = false;
  std::mutex worker_;
  Tag request_tag_{this, &AsyncCall::on_request};
  Tag done_tag_{this, &AsyncCall::on_done};
  Tag finish_tag_{this, &AsyncCall::on_finish};

  friend class Node;
};

Node::Node(std::string name, Style style, Node* next) : name_(std::move(name)), style_(style) {
  if (next != nullptr) next_ = next->stub();
  std::tie(serving_, stop_serving_) = ctx::with_cancel_cause(ctx::background());
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  switch (style) {
    case Style::sync: service_ = std::make_unique<SyncService>(*this); break;
    case Style::callback: service_ = std::make_unique<CallbackService>(*this); break;
    case Style::async: service_ = std::make_unique<Hop::AsyncService>(); break;
  }
  builder.RegisterService(service_.get());
  if (style == Style::async) cq_ = builder.AddCompletionQueue();
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) throw std::runtime_error("cannot start a gRPC server on 127.0.0.1");
  address_ = "127.0.0.1:" + std::to_string(port);
  if (style == Style::async) {
    new AsyncCall(*this);
    cq_thread_ = std::thread([this] {
      void* tag = nullptr;
      bool ok = false;
      while (cq_->Next(&tag, &ok)) {
        auto* t = static_cast<AsyncCall::Tag*>(tag);
        (t->call->*(t->on))(ok);
      }
    });
  }
}

std::unique_ptr<Hop::Stub> Node::stub() const {
  return Hop::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}

void Node::shutdown(std::optional<std::error_code> why, std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  if (why) stop_serving_(*why);
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  // Every handler has returned or Finish()ed; the workers end with them (an
  // async RPC's context ends when its done tag comes out of the queue, whose
  // thread still runs).
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  // Only now: ended before the workers, the serving context would race
  // gRPC's own cancel of the RPCs still running at the grace deadline (an
  // async done tag not yet taken from the queue), and the RPC's context would
  // end with the server's cause instead of rpc_end::cancelled.
  stop_serving_(ctx::errc::canceled);
  if (cq_) {
    cq_->Shutdown();
    cq_thread_.join();
  }
}

Node::~Node() { shutdown(ctx::errc::canceled); }

}  // namespace ctxtest
