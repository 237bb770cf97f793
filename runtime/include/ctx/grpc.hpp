// <ctx/grpc.hpp>: the gRPC bridge (target ctx::grpc). Carries a ctx::Context's
// deadline, cancellation and chosen request-scoped values across a gRPC hop,
// and back out of it on the other side. docs/grpc.md has the patterns.
//
//  * Server side: a ServerCall is the context of one incoming RPC, derived
//    from a parent the server gives (so server-wide shutdown and values flow
//    in), with the RPC's deadline, ending when the client cancels, the
//    deadline passes or the RPC completes; cause() says which (rpc_end).
//    Each API style tells gRPC's news to it in its own way:
//      callback API  Reactor<Base>: OnCancel/OnDone end the context at once;
//      async API     ServerCall::on_done() when the AsyncNotifyWhenDone tag
//                    comes out of the completion queue;
//      sync API      SyncCall: one shared thread polls IsCancelled() for all
//                    sync calls (gRPC offers nothing else), every
//                    sync_poll_interval() (default 5 ms).
//  * Client side: a ClientCall owns the grpc::ClientContext of one outgoing
//    call, tied to a ctx::Context: the call gets the earlier of the two
//    deadlines and is cancelled (TryCancel) when the context ends. The tie is
//    released by release() or the destructor, before the ClientContext dies.
//  * Status mapping both ways: to_status(context or error) for a handler to
//    return, to_error(status) for a caller to compare with ctx::errc.
//  * MetadataKey: a typed key whose value travels as request metadata.
//
// Clocks: gRPC's deadlines are system_clock time points, ctx's are
// steady_clock ones; the bridge converts the remaining time, not the time
// point, so a wall-clock step does not move a deadline.
//
// Deadlines across the hop: gRPC sends a deadline as a timeout in whole
// milliseconds, measured from the caller's cached clock, which the callee
// adds to its own clock on arrival, so the callee's deadline comes out a
// few milliseconds (more under load) plus the transit time later than the
// caller's. A ClientCall therefore also sends the context's deadline as
// wall-clock time (metadata kDeadlineHeader, microseconds since the epoch),
// and a ServerCall takes it when it is earlier than gRPC's by at most
// kDeadlineSkew: on one host (and between hosts whose clocks agree) the
// callee's deadline is then exactly the caller's; a callee whose clock runs
// ahead sees up to kDeadlineSkew less, one behind falls back to gRPC's.
#pragma once

#include <ctx/context.hpp>

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace ctx::grpc {

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

// Why a server call's context ended (its cause(); a cause from the parent,
// such as the server's shutdown, is passed through unchanged).
enum class rpc_end {
  cancelled = 1,   // the client cancelled, or gRPC cancelled the RPC (shutdown)
  deadline = 2,    // the RPC's deadline passed (err() == errc::deadline_exceeded)
  completed = 3,   // the RPC finished: the handler returned or Finish()ed
};
const std::error_category& rpc_end_category() noexcept;   // name() == "grpc.rpc_end"
std::error_code make_error_code(rpc_end e) noexcept;

// gRPC status codes as std::error_code values: value() is the
// grpc::StatusCode, message() its name ("UNAVAILABLE").
const std::error_category& status_category() noexcept;    // name() == "grpc.status"

// A failed call's status as an error: {} for OK; errc::canceled for
// CANCELLED and errc::deadline_exceeded for DEADLINE_EXCEEDED (so
// to_error(s) == ctx::errc::deadline_exceeded holds); any other code in
// status_category().
std::error_code to_error(const ::grpc::Status& s);

// The status a handler returns for an error: the inverse of to_error (an
// error of no known category is UNKNOWN); message() becomes the status
// message, unless `message` is given.
::grpc::Status to_status(std::error_code e, std::string message = {});
// The status for an ended context: CANCELLED or DEADLINE_EXCEEDED, the
// message naming cause(c); OK while c is live.
::grpc::Status to_status(const Context& c);

// ---------------------------------------------------------------------------
// Clocks
// ---------------------------------------------------------------------------

// A gRPC deadline as a ctx deadline: nullopt for gRPC's "no deadline"
// (system_clock::time_point::max()).
std::optional<Clock::time_point> from_grpc_deadline(std::chrono::system_clock::time_point d);
// A ctx deadline as a gRPC deadline.
std::chrono::system_clock::time_point to_grpc_deadline(Clock::time_point d);

inline constexpr const char* kDeadlineHeader = "ctx-deadline-us";
inline constexpr std::chrono::milliseconds kDeadlineSkew{100};

// ---------------------------------------------------------------------------
// Request-scoped values as metadata
// ---------------------------------------------------------------------------

// A ctx::Key<std::string> whose value a ClientCall sends as the metadata
// entry `header`, and a ServerCall puts back into the callee's context under
// the same key. Define one per value, once, shared by both sides:
//   inline const ctx::grpc::MetadataKey request_id{"x-request-id"};
// `header` must be a valid gRPC metadata key: lower case, not "grpc-...",
// not ending in "-bin" (values are text).
class MetadataKey {
 public:
  explicit MetadataKey(std::string header);
  const std::string& header() const noexcept { return header_; }
  const Key<std::string>& key() const noexcept { return key_; }
  // The value in c, if any, as an entry of cc's outgoing metadata.
  void inject(const Context& c, ::grpc::ClientContext& cc) const;
  // parent with the value of the incoming entry (the first, if several),
  // or parent itself when the RPC has none.
  Context extract(const Context& parent, const ::grpc::ServerContextBase& sc) const;

 private:
  std::string header_;
  Key<std::string> key_;
};

// ---------------------------------------------------------------------------
// Server side
// ---------------------------------------------------------------------------

// The context of one incoming RPC. Construct it once the RPC has arrived
// (in a sync or callback handler; in the async API after the Request...
// tag), destroy it when the RPC is over; it ends its context then, if
// nothing did before (cause rpc_end::completed).
class ServerCall {
 public:
  // Reads sc's deadline and the metadata of `keys` now.
  ServerCall(const Context& parent, const ::grpc::ServerContextBase& sc,
             std::initializer_list<const MetadataKey*> keys = {});
  ServerCall(const ServerCall&) = delete;
  ServerCall& operator=(const ServerCall&) = delete;
  ~ServerCall();

  // The RPC's context: hand it to the business logic, ctx first.
  const Context& context() const noexcept { return ctx_; }

  // gRPC says the RPC was cancelled (a reactor's OnCancel, IsCancelled()):
  // ends the context with cause rpc_end::cancelled, or rpc_end::deadline if
  // the deadline has passed (gRPC cancels a call whose deadline passed).
  void on_cancel() noexcept;
  // The RPC is over (OnDone, the AsyncNotifyWhenDone tag, a sync handler
  // returning): ends the context with rpc_end::cancelled if sc.IsCancelled()
  // (only then safe to ask in the async API), else rpc_end::completed.
  void on_done() noexcept;

 private:
  // A ServerCall is the RPC's context for the RPC's lifetime, as gRPC's
  // own call-data classes hold their ServerContext: stored by design.
  const ::grpc::ServerContextBase* sc_;   // NOLINT(context-stored-in-struct): see above
  Context ctx_;                           // NOLINT(context-stored-in-struct): see above
  CancelCauseFunc end_;
  CancelFunc stop_deadline_;
  std::optional<Clock::time_point> deadline_;
};

// Callback API: a reactor (Base is ::grpc::ServerUnaryReactor,
// ServerReadReactor<Req>, ServerWriteReactor<Resp> or
// ServerBidiReactor<Req, Resp>) whose context() is the RPC's. OnCancel ends
// the context at once; OnDone ends it and deletes the reactor (as gRPC's own
// examples do). A subclass overriding either calls this class's version.
template <class Base>
class Reactor : public Base {
 public:
  Reactor(const Context& parent, ::grpc::CallbackServerContext* sc,
          std::initializer_list<const MetadataKey*> keys = {})
      : call_(parent, *sc, keys) {}
  const Context& context() const noexcept { return call_.context(); }
  void OnCancel() override { call_.on_cancel(); }
  void OnDone() override {
    call_.on_done();
    delete this;
  }

 protected:
  ~Reactor() override = default;

 private:
  ServerCall call_;
};
using UnaryReactor = Reactor<::grpc::ServerUnaryReactor>;

// Sync API: a ServerCall for the handler's scope. gRPC tells a sync handler
// of a cancellation only through IsCancelled(), so one thread (shared by all
// SyncCalls, started on first use) polls every live SyncCall each
// sync_poll_interval(): the context ends within that interval of the cancel.
class SyncCall {
 public:
  SyncCall(const Context& parent, const ::grpc::ServerContextBase& sc,
           std::initializer_list<const MetadataKey*> keys = {});
  SyncCall(const SyncCall&) = delete;
  SyncCall& operator=(const SyncCall&) = delete;
  ~SyncCall();   // stops polling, then ends the context (rpc_end::completed)
  const Context& context() const noexcept { return call_.context(); }

 private:
  ServerCall call_;
};
// The sync poller's period (default 5 ms); a shorter one notices sooner and
// costs one IsCancelled() per live sync call per period.
void set_sync_poll_interval(std::chrono::milliseconds period);
std::chrono::milliseconds sync_poll_interval();

// ---------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------

// The grpc::ClientContext of one outgoing call, tied to c: its deadline is
// the earlier of c's and any set on client_context() later by set_deadline
// below, and the call is cancelled (TryCancel) when c ends, including when c
// has already ended: the call then fails at once with CANCELLED or
// DEADLINE_EXCEEDED and nothing goes out. The values of `keys` in c are sent
// as metadata. Pass &call.client_context() to the stub.
//
// The tie holds no reference to the ClientContext after release() (call it
// when an asynchronous call completes, to free the registration early) or
// the destructor, which runs before the ClientContext's own.
class ClientCall {
 public:
  explicit ClientCall(const Context& c, std::initializer_list<const MetadataKey*> keys = {});
  ClientCall(const ClientCall&) = delete;
  ClientCall& operator=(const ClientCall&) = delete;
  ~ClientCall();

  ::grpc::ClientContext& client_context() noexcept { return cc_; }
  // A deadline of the call's own; the earlier of it and the context's wins.
  void set_deadline(std::chrono::system_clock::time_point d);
  // Stop watching the context: no TryCancel after this returns. Idempotent.
  void release() noexcept;

 private:
  struct Tie;
  // Owned so that it outlives the tie (destroyed after it): gRPC needs one
  // per call, kept until the call completes.
  ::grpc::ClientContext cc_;   // NOLINT(context-stored-in-struct): see above
  std::chrono::system_clock::time_point ctx_deadline_ = std::chrono::system_clock::time_point::max();
  std::shared_ptr<Tie> tie_;
};

}  // namespace ctx::grpc

template <>
struct std::is_error_code_enum<ctx::grpc::rpc_end> : std::true_type {};
