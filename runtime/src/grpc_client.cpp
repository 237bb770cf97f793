// ctx::grpc client side: ClientCall ties a context to the ClientContext it owns.
#include <ctx/grpc.hpp>

#include <algorithm>
#include <mutex>
#include <string>

namespace ctx::grpc {

// Shared by the ClientCall and the after_func callback, which may run on a
// runtime thread at any moment until release(): the mutex makes "released"
// and "TryCancel running" exclusive, so after release() returns the callback
// never touches the ClientContext.
struct ClientCall::Tie {
  std::mutex mu;
  ::grpc::ClientContext* cc;
  StopFunc stop;
};

ClientCall::ClientCall(const Context& c, std::initializer_list<const MetadataKey*> keys) {
  if (const auto d = c.deadline()) {
    ctx_deadline_ = to_grpc_deadline(*d);
    cc_.set_deadline(ctx_deadline_);
    // Rounded down, and 1 us off: the conversions on both sides never make
    // the callee's deadline later than this context's.
    const auto us = std::chrono::floor<std::chrono::microseconds>(ctx_deadline_.time_since_epoch()) -
                    std::chrono::microseconds(1);
    cc_.AddMetadata(kDeadlineHeader, std::to_string(us.count()));
  }
  for (const MetadataKey* k : keys) k->inject(c, cc_);
  if (c.err()) {
    // Ended already: the call must not go out. TryCancel before the call
    // starts makes gRPC cancel it as it is created, before anything is sent.
    cc_.TryCancel();
    return;
  }
  tie_ = std::make_shared<Tie>();
  tie_->cc = &cc_;
  // A context ended by its deadline leaves the call alone: the call has
  // that deadline too, and gRPC ending it says DEADLINE_EXCEEDED, where a
  // TryCancel racing it would say CANCELLED.
  tie_->stop = after_func(c, [c, weak = std::weak_ptr<Tie>(tie_)] {
    if (c.err() == errc::deadline_exceeded) return;
    if (const auto tie = weak.lock()) {
      std::lock_guard lock(tie->mu);
      if (tie->cc != nullptr) tie->cc->TryCancel();
    }
  });
}

ClientCall::~ClientCall() { release(); }

void ClientCall::set_deadline(std::chrono::system_clock::time_point d) {
  cc_.set_deadline(std::min(d, ctx_deadline_));
}

void ClientCall::release() noexcept {
  if (!tie_) return;
  {
    std::lock_guard lock(tie_->mu);
    tie_->cc = nullptr;
  }
  tie_->stop();
  tie_.reset();
}

}  // namespace ctx::grpc
