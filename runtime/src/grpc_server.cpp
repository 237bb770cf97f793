// ctx::grpc server side: ServerCall (one incoming RPC's context), SyncCall
// and the one thread that polls IsCancelled() for every sync call.
#include <ctx/grpc.hpp>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace ctx::grpc {
namespace {

// gRPC's deadline, or the caller's exact one (see kDeadlineHeader).
std::optional<Clock::time_point> deadline_of(const ::grpc::ServerContextBase& sc) {
  const auto grpc_deadline = sc.deadline();
  auto result = from_grpc_deadline(grpc_deadline);
  if (!result) return result;
  const auto& md = sc.client_metadata();
  const auto it = md.find(kDeadlineHeader);
  if (it == md.end()) return result;
  long long us = 0;
  const char* first = it->second.data();
  const char* last = first + it->second.size();
  if (std::from_chars(first, last, us).ptr != last) return result;
  const std::chrono::system_clock::time_point exact{std::chrono::microseconds(us)};
  if (exact < grpc_deadline && grpc_deadline - exact <= kDeadlineSkew) return from_grpc_deadline(exact);
  return result;
}

}  // namespace

ServerCall::ServerCall(const Context& parent, const ::grpc::ServerContextBase& sc,
                       std::initializer_list<const MetadataKey*> keys)
    : sc_(&sc) {
  Context base = parent;
  for (const MetadataKey* k : keys) base = k->extract(base, sc);
  auto [live, end] = with_cancel_cause(base);
  end_ = end;
  ctx_ = live;
  deadline_ = deadline_of(sc);
  if (deadline_) {
    // The deadline as a node of its own, so that its cause is rpc_end::deadline.
    auto [timed, stop] = with_deadline_cause(live, *deadline_, rpc_end::deadline);
    ctx_ = timed;
    stop_deadline_ = stop;
  }
}

ServerCall::~ServerCall() {
  end_(rpc_end::completed);   // no-op if it ended before
  stop_deadline_();           // releases the timer; its context has ended already
}

void ServerCall::on_cancel() noexcept {
  // gRPC cancels an RPC whose deadline passed at about the moment our own
  // timer ends the context with rpc_end::deadline: let the timer say so
  // rather than call it a cancel. The timer is due, so this waits for as
  // long as the runtime's timer thread takes to run (well under a
  // millisecond when the machine has a core free; the bound is for a
  // starved machine, such as a TSan build sharing two cores with others).
  constexpr auto kSlack = std::chrono::milliseconds(2);
  if (deadline_ && Clock::now() + kSlack >= *deadline_) {
    if (ctx_.done().wait_until(*deadline_ + std::chrono::milliseconds(250))) return;
  }
  end_(rpc_end::cancelled);
}

void ServerCall::on_done() noexcept {
  if (sc_->IsCancelled())
    on_cancel();
  else
    end_(rpc_end::completed);
}

// ---------------------------------------------------------------------------
// The sync API's poller: one thread for all sync calls, sleeping while there
// are none. Calls are added and removed under its mutex, and polled under it,
// so a SyncCall's destructor returning means the poller no longer sees it.
// ---------------------------------------------------------------------------
namespace {

class Poller {
 public:
  static Poller& get() {
    static Poller* p = new Poller;   // never destroyed: its thread may outlive main's statics
    return *p;
  }
  void add(ServerCall* call, const ::grpc::ServerContextBase* sc) {
    std::lock_guard lock(mu_);
    calls_.push_back({call, sc});
    if (!started_) {
      started_ = true;
      std::thread([this] { run(); }).detach();
    }
    if (calls_.size() == 1) cv_.notify_one();
  }
  void remove(ServerCall* call) {
    std::lock_guard lock(mu_);
    std::erase_if(calls_, [call](const Entry& e) { return e.call == call; });
  }
  void set_period(std::chrono::milliseconds p) {
    std::lock_guard lock(mu_);
    period_ = p;
  }
  std::chrono::milliseconds period() {
    std::lock_guard lock(mu_);
    return period_;
  }

 private:
  struct Entry {
    ServerCall* call;
    const ::grpc::ServerContextBase* sc;
  };
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return !calls_.empty(); });
      std::erase_if(calls_, [](const Entry& e) {
        if (!e.sc->IsCancelled()) return false;
        e.call->on_cancel();
        return true;
      });
      cv_.wait_for(lock, period_);
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Entry> calls_;
  std::chrono::milliseconds period_{5};
  bool started_ = false;
};

}  // namespace

SyncCall::SyncCall(const Context& parent, const ::grpc::ServerContextBase& sc,
                   std::initializer_list<const MetadataKey*> keys)
    : call_(parent, sc, keys) {
  Poller::get().add(&call_, &sc);
}

SyncCall::~SyncCall() {
  Poller::get().remove(&call_);
  call_.on_done();
}

void set_sync_poll_interval(std::chrono::milliseconds period) {
  Poller::get().set_period(std::max(period, std::chrono::milliseconds(1)));
}
std::chrono::milliseconds sync_poll_interval() { return Poller::get().period(); }

}  // namespace ctx::grpc
