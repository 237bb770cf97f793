// <ctx/context.hpp>: Go's `context` package for C++20.
//
// A Context carries a cancellation signal, an optional deadline and
// request-scoped values across API boundaries and between threads. Contexts
// form a tree: every context except background()/todo() is derived from a
// parent, and ending a parent ends all of its descendants.
//
// Invariants (stated once, relied on everywhere):
//  * A context ends at most once. Its err() is {} while live and then
//    errc::canceled or errc::deadline_exceeded forever; cause() likewise.
//  * Ending a context ends every descendant (with the same err and cause),
//    removes the context from its parent's child list, stops its timer and
//    releases everything it registered (nothing is retained after cancel).
//  * Cancelling a child never affects its parent.
//  * err(), done().ready() and cause() on a live or ended context never block.
//    err() is one acquire load of the state of the nearest cancellable
//    ancestor-or-self (found past with_value nodes, as Go's Err does), and
//    done().ready() one acquire load of its Done's word: no lock, no
//    allocation, no read-modify-write (a Done holds no reference; see Done).
//  * Once done() has been called on a live context, that context stays
//    registered with its parent until it ends, as every Go context does:
//    a Done outlives its Context and still sees the parent's cancellation.
//  * All members and free functions are thread-safe; a Context, Done,
//    CancelFunc or StopFunc may be copied and used from any thread.
//
// Threads: the runtime starts at most one timer thread (lazily, on the first
// future deadline) and a small pool of worker threads (lazily, on the first
// after_func callback that has to run). No thread is started per context or
// per deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <concepts>
#include <coroutine>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <source_location>
#include <stop_token>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace ctx {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

// The two ways a context can end. Compare with c.err() == ctx::errc::canceled.
enum class errc { canceled = 1, deadline_exceeded = 2 };

namespace detail {
class ContextCategory final : public std::error_category {
 public:
  constexpr ContextCategory() noexcept = default;
  const char* name() const noexcept override { return "context"; }
  std::string message(int ev) const override;
};
inline constinit const ContextCategory context_category_instance{};
}  // namespace detail

// The error category of errc; name() == "context".
inline const std::error_category& context_category() noexcept {
  return detail::context_category_instance;
}
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), context_category()};
}

}  // namespace ctx

template <>
struct std::is_error_code_enum<ctx::errc> : std::true_type {};

namespace ctx {

class Context;
class Done;
class ContextImpl;
template <class T> class Key;

// ---------------------------------------------------------------------------
// Internals the inline fast paths need. Not part of the API.
// ---------------------------------------------------------------------------
namespace detail {

enum class Kind : std::uint8_t { never, cancel, value, without_cancel, custom };

struct CellNode;
struct CustomNode;

// What a Done reads: a cancellable context's state (errc, 0 while live) in
// a word with a generation, generation << 8 | errc. A context gets one with
// its first done(). Signals live in type-stable memory: the runtime never
// frees one, it recycles it for a later context with the generation
// incremented, and only after the context that owned it has ended or can
// no longer be observed.
// So a Done can hold (Signal*, its context's live word) and no reference:
// the word differing from the live word means "ended", whether because the
// state was set or because the signal moved on to another context.
struct Signal {
  static constexpr std::uint64_t kStateMask = 0xff;
  static constexpr unsigned kGenShift = 8;
  std::atomic<std::uint64_t> word{0};
};

// Every context is a Node, reference counted intrusively. background() and
// todo() are immortal: copying them costs no atomic operation. No vtable:
// `kind` says what a node is (destroy() and the walks switch on it), and a
// value node's per-type operations are in its ValueOps (bytes per context,
// issue 15: a vtable pointer in every node made a value node 8 bytes
// bigger, and its key type and bits 16 more).
struct Node {
  mutable std::atomic<std::size_t> refs{1};
  Node* parent = nullptr;        // strong reference (null for roots)
  Kind kind;
  bool immortal = false;
  // A cancellable node's kind of timer: a TimerNode, and one whose deadline
  // is not the end of the clock. (The last bytes: derived classes' small
  // fields fill the 4 after them.)
  bool timed = false;
  bool has_timer = false;
  explicit Node(Kind k) noexcept : kind(k) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  // A node with a state of its own: a CellNode (Kind::never, Kind::cancel).
  bool is_cell() const noexcept { return kind <= Kind::cancel; }
};

// A node with a state of its own: Kind::cancel and the immortal roots
// (Kind::never). `state` is what err() reads; `sig`, the type-stable
// Signal a Done refers to, is made by the first done() (take_done): a
// context nobody takes a Done of never has one (bytes per context, issue
// 15). A value or without_cancel node keeps no pointer to its nearest
// CellNode: err() and done() walk up to it, past the value nodes between
// (Go's valueCtx does the same).
struct CellNode : Node {
  // 0 while live, then the errc it ended with (a Signal's state bits).
  // Stored under the node's lock (or before the node is shared), before
  // the signal's word.
  std::atomic<std::uint8_t> state{0};
  std::atomic<bool> done_taken{false};   // done() was called: stay alive until ended
  // Set once, under the node's lock, before done_taken (release).
  std::atomic<Signal*> sig{nullptr};
  using Node::Node;
};

// Past value nodes: the node whose state n's err() reports (a CellNode, a
// without_cancel node or a custom context).
inline const Node* skip_values(const Node* n) noexcept {
  while (n->kind == Kind::value) n = n->parent;
  return n;
}

void destroy(Node* n) noexcept;  // refcount reached zero

inline void acquire(const Node* n) noexcept {
  if (n != nullptr && !n->immortal) n->refs.fetch_add(1, std::memory_order_relaxed);
}
inline void release(const Node* n) noexcept {
  if (n != nullptr && !n->immortal &&
      n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    destroy(const_cast<Node*>(n));
}

[[noreturn]] void throw_null(const char* function);

inline std::error_code state_to_error(std::uint64_t word) noexcept {
  const auto s = static_cast<int>(word & Signal::kStateMask);
  return s == 0 ? std::error_code{} : make_error_code(static_cast<errc>(s));
}

// The first done() on a live context: keep it alive until it ends.
void take_done(const CellNode* c);
void unpin(Signal* s) noexcept;  // a Done's hold on its signal (native_handle)

// Per-type tag: its address identifies a type (cheaper than typeid compares).
template <class T> struct TypeTag { static constexpr char id = 0; };
template <class T> inline constexpr const void* type_id = &TypeTag<T>::id;

// Go's comparable keys: copyable, and either an empty class or equality
// comparable. nullptr is Go's nil key, which WithValue rejects.
template <class K>
concept KeyType = std::copy_constructible<std::decay_t<K>> &&
                  !std::is_same_v<std::decay_t<K>, std::nullptr_t> &&
                  (std::is_empty_v<std::decay_t<K>> ||
                   std::equality_comparable<std::decay_t<K>>);

// A key that compares unequal to itself (a NaN, a broken operator==) could
// never be looked up: Go's "key is not comparable" at run time.
[[noreturn]] void throw_key_not_comparable(const char* function);

// Keys compared by their bytes instead of an indirect operator== call:
// integral, enum and pointer types of 1, 2, 4 or 8 bytes, and empty classes
// (all alike). The lookup walk reads a stored key's bytes at a fixed offset
// of its node (ValueBase::kKeyOffset), so it needs only their number.
template <class K>
inline constexpr bool bits_key =
    std::is_empty_v<K> ||
    ((std::is_integral_v<K> || std::is_enum_v<K> || std::is_pointer_v<K>) &&
     (sizeof(K) == 1 || sizeof(K) == 2 || sizeof(K) == 4 || sizeof(K) == 8));

// A bits_key's bytes, zero-extended: equal keys, equal bits.
template <class K>
std::uint64_t key_bits(const K& k) noexcept {
  std::uint64_t b = 0;
  if constexpr (!std::is_empty_v<K>) std::memcpy(&b, &k, sizeof(K));
  return b;
}

template <class K>
bool key_equal(const void* a, const void* b) {
  if constexpr (std::equality_comparable<K>) {
    return *static_cast<const K*>(a) == *static_cast<const K*>(b);
  } else {
    static_assert(std::is_empty_v<K>);
    return true;
  }
}

// For what skip_values found when it is not a CellNode (a without_cancel
// node, which never ends, or a custom context): its err(), and the CellNode
// whose state its done() reports (background's, or the custom context's
// shadow, made on first use).
std::error_code err_of_other(const Node* n);
const CellNode* done_cell_of_other(const Node* n);

// Something waiting for a context's end without a thread of its own: a
// suspended coroutine (Done's awaiter) or an asynchronous operation
// (<ctx/asio.hpp>). Linked into its signal's list while it waits; when the
// context ends, a runtime worker thread unlinks it and calls fire(), once,
// with no lock held. fire() may destroy the waiter. A waiter whose fire only
// hands work to an executor (runs no user code) sets fire_inline: the
// cancelling thread fires it itself, sparing a thread hop.
struct EndWaiter {
  void (*fire)(EndWaiter*) noexcept = nullptr;
  bool fire_inline = false;
  EndWaiter* prev = nullptr;  // guarded by the signal's lock
  EndWaiter* next = nullptr;
  std::atomic<bool> linked{false};
};
// Links w (fire set) unless the context of (s, live) has ended; false: it
// has, w is not linked and fire will not be called. Never allocates.
bool end_wait(Signal* s, std::uint64_t live, EndWaiter* w) noexcept;
// Unlinks w: true if it was still linked (fire will not be called); false if
// fire has been or is being called.
bool end_unwait(Signal* s, EndWaiter* w) noexcept;
// Reads a Done's (signal, live word), for the bridges' waiters.
struct DoneAccess;

}  // namespace detail

// ---------------------------------------------------------------------------
// Type-erased keys and values (used by lookups and by custom contexts).
// ---------------------------------------------------------------------------

// A key being looked up: its type's identity, its address and its equality.
struct KeyView {
  const void* type = nullptr;  // detail::type_id<K>
  const void* key = nullptr;   // points to a K
  bool (*equal)(const void*, const void*) = nullptr;  // nullptr: compare `bits`
  std::uint64_t bits = 0;      // the key's bytes, for detail::bits_key types
  std::uint8_t bits_size = 0;  // how many (sizeof(K); 0 for an empty class)

  template <class K>
  static KeyView of(const K& k) noexcept {
    if constexpr (detail::bits_key<K>) {
      return {detail::type_id<K>, &k, nullptr, detail::key_bits(k),
              static_cast<std::uint8_t>(std::is_empty_v<K> ? 0 : sizeof(K))};
    } else {
      return {detail::type_id<K>, &k, &detail::key_equal<K>, 0, 0};
    }
  }
  // True when `stored` (a K) is the same key.
  template <class K>
  bool matches(const K& stored) const {
    if (type != detail::type_id<K>) return false;
    if constexpr (detail::bits_key<K>) {
      return detail::key_bits(stored) == bits;
    } else {
      return equal(&stored, key);
    }
  }
};

// The result of a lookup: found iff type != nullptr. ptr points to a value of
// the type identified by `type` (detail::type_id<V>), owned by the context.
struct ValueView {
  const void* type = nullptr;
  const void* ptr = nullptr;
  template <class V>
  static ValueView of(const V& v) noexcept { return {detail::type_id<V>, &v}; }
  explicit operator bool() const noexcept { return type != nullptr; }
};

namespace detail {
ValueView lookup(const Node* n, const KeyView& key);
}

// A typed key: each constructed Key<T> is a distinct key; copies are the same
// key. ctx.value(key) returns const T*.
template <class T>
class Key {
 public:
  Key() noexcept : id_(next_id()) {}
  friend bool operator==(const Key& a, const Key& b) noexcept { return a.id_ == b.id_; }
 private:
  static std::uint64_t next_id() noexcept {
    static std::atomic<std::uint64_t> n{1};
    return n.fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t id_;
};

// ---------------------------------------------------------------------------
// Done
// ---------------------------------------------------------------------------

// A copyable handle to "this context has ended" (Go's Done channel).
//
// A Done holds no reference to its context: taking one, copying it and
// ready() are plain loads. It stays valid after every Context of it is gone:
// a context whose done() has been called stays alive (registered with its
// parent, its deadline pending) until it ends, and afterwards its Done keeps
// reporting "ended". A default-constructed Done never becomes ready.
class Done {
 public:
  Done() noexcept = default;
  Done(const Done& o) noexcept : sig_(o.sig_), live_(o.live_) {}
  // A move carries native_handle()'s hold over; a copy does not need it.
  Done(Done&& o) noexcept : sig_(o.sig_), live_(o.live_), pin_(o.take_pin()) {}
  Done& operator=(const Done& o) noexcept {
    if (this != &o) *this = Done(o);
    return *this;
  }
  Done& operator=(Done&& o) noexcept {
    if (this != &o) {
      sig_ = o.sig_;
      live_ = o.live_;
      if (detail::Signal* p = take_pin()) detail::unpin(p);
      pin_.store(o.take_pin(), std::memory_order_relaxed);
    }
    return *this;
  }
  ~Done() {
    if (detail::Signal* p = pin_.load(std::memory_order_relaxed)) detail::unpin(p);
  }

  // Non-blocking: has the context ended? One acquire load.
  bool ready() const noexcept {
    return sig_ != nullptr && sig_->word.load(std::memory_order_acquire) != live_;
  }
  // Blocks until the context has ended (forever for background()/todo()).
  void wait() const;
  // Block with a bound; return true if the context has ended.
  bool wait_for(Clock::duration d) const;
  bool wait_until(Clock::time_point t) const;
  // A stop token that is requested when the context ends. The underlying
  // std::stop_source is created on first call. Note: std::stop_callbacks
  // registered on it run on the thread that ends the context.
  std::stop_token stop_token() const;
  // A file descriptor (an eventfd) that becomes readable when the context
  // ends. Created on first call and owned by the context; it stays open while
  // the context or this Done object lives. Do not close it. Once readable it
  // stays readable, whatever any waiter reads from it.
  // Throws std::system_error if the descriptor cannot be created.
  int native_handle() const;

  // `co_await c.done();` in any C++20 coroutine: suspends until the context
  // ends, or not at all if it has ended (then it costs two loads and no
  // allocation). The coroutine is resumed on a runtime worker thread, never
  // on the thread that ends the context (cancel() runs no user code): the
  // coroutines ended by one cancel are resumed one after another on one
  // worker, so a resumed coroutine that blocks delays the others; move to
  // your own executor after the co_await if that matters (<ctx/asio.hpp>'s
  // async_wait completes on the operation's executor). Destroying a
  // coroutine suspended here unregisters it: it is not resumed and nothing
  // is leaked. Destroying it on one thread while the context ends on another
  // races with its resumption, as any destroy with a concurrent resume does.
  class Awaiter : detail::EndWaiter {
   public:
    explicit Awaiter(const Done& d) noexcept : sig_(d.sig_), live_(d.live_) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      if (linked.load(std::memory_order_acquire)) detail::end_unwait(sig_, this);
    }
    bool await_ready() const noexcept {
      return sig_ != nullptr && sig_->word.load(std::memory_order_acquire) != live_;
    }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
      h_ = h;
      fire = &resume;
      return detail::end_wait(sig_, live_, this);
    }
    void await_resume() const noexcept {}

   private:
    static void resume(detail::EndWaiter* w) noexcept { static_cast<Awaiter*>(w)->h_.resume(); }
    detail::Signal* sig_;
    std::uint64_t live_;
    std::coroutine_handle<> h_;
  };
  Awaiter operator co_await() const noexcept { return Awaiter(*this); }

 private:
  friend class Context;
  friend struct detail::DoneAccess;
  Done(detail::Signal* s, std::uint64_t live) noexcept : sig_(s), live_(live) {}
  // Moving from an object is not concurrent with other uses of it.
  detail::Signal* take_pin() noexcept {
    detail::Signal* p = pin_.load(std::memory_order_relaxed);
    pin_.store(nullptr, std::memory_order_relaxed);
    return p;
  }
  detail::Signal* sig_ = nullptr;
  std::uint64_t live_ = 0;
  // Set by native_handle(): keeps the signal (and so the fd) from being
  // recycled while this object lives.
  mutable std::atomic<detail::Signal*> pin_{nullptr};
};

// ---------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------

// A cheap, copyable handle; safe to share across threads. The default
// (and nullptr) Context is the null context, Go's nil: every member throws
// std::invalid_argument on it, as does deriving from it.
class Context {
 public:
  Context() noexcept = default;
  Context(std::nullptr_t) noexcept {}  // NOLINT: implicit on purpose
  Context(const Context& o) noexcept : n_(o.n_) { detail::acquire(n_); }
  Context(Context&& o) noexcept : n_(std::exchange(o.n_, nullptr)) {}
  Context& operator=(const Context& o) noexcept {
    Context tmp(o);
    std::swap(n_, tmp.n_);
    return *this;
  }
  Context& operator=(Context&& o) noexcept {
    Context tmp(std::move(o));
    std::swap(n_, tmp.n_);
    return *this;
  }
  ~Context() { detail::release(n_); }

  // False only for the null context.
  explicit operator bool() const noexcept { return n_ != nullptr; }

  // The time at which this context will be ended with deadline_exceeded, if
  // any (the earliest of its own and its ancestors' deadlines).
  std::optional<Clock::time_point> deadline() const;

  // A handle that becomes ready when this context ends. From the second
  // call on a context, plain loads only.
  Done done() const {
    if (n_ == nullptr) detail::throw_null("ctx::Context::done");
    const detail::Node* n = n_;
    if (!n->is_cell()) [[unlikely]] {
      n = detail::skip_values(n);
      if (!n->is_cell()) n = detail::done_cell_of_other(n);
    }
    auto* c = static_cast<const detail::CellNode*>(n);
    if (!c->done_taken.load(std::memory_order_acquire)) [[unlikely]] detail::take_done(c);
    detail::Signal* s = c->sig.load(std::memory_order_relaxed);
    // The signal's generation while it is this context's (it cannot change
    // while the node owns it), whether the context has ended or not.
    return Done(s, s->word.load(std::memory_order_relaxed) & ~detail::Signal::kStateMask);
  }

  // {} while live; errc::canceled or errc::deadline_exceeded once ended.
  std::error_code err() const {
    if (n_ == nullptr) detail::throw_null("ctx::Context::err");
    const detail::Node* n = n_;
    if (!n->is_cell()) [[unlikely]] {  // laid out apart: a cancellable context's err() is
      n = detail::skip_values(n);      // a load, a test and the state's load
      if (!n->is_cell()) return detail::err_of_other(n);
    }
    return detail::state_to_error(
        static_cast<const detail::CellNode*>(n)->state.load(std::memory_order_acquire));
  }

  // The value stored under `key` by the nearest with_value whose key matches
  // (same type, equal), or nullptr if there is none or its value is not a V.
  template <class V, class K>
  const V* value(const K& key) const {
    if (n_ == nullptr) detail::throw_null("ctx::Context::value");
    ValueView v = detail::lookup(n_, KeyView::of(key));
    return v.type == detail::type_id<V> ? static_cast<const V*>(v.ptr) : nullptr;
  }
  template <class T>
  const T* value(const Key<T>& key) const { return value<T, Key<T>>(key); }

  // Identity: two handles to the same context compare equal.
  friend bool operator==(const Context& a, const Context& b) noexcept { return a.n_ == b.n_; }

  // Internal: adopt a node reference (no increment).
  static Context adopt(detail::Node* n) noexcept { Context c; c.n_ = n; return c; }
  detail::Node* node() const noexcept { return n_; }

 private:
  detail::Node* n_ = nullptr;
};

// ---------------------------------------------------------------------------
// Roots and cancel functions
// ---------------------------------------------------------------------------

// Never canceled, no values, no deadline. Copying it costs no atomic op.
Context background() noexcept;
// Same behaviour as background(); a placeholder for "not decided yet".
Context todo() noexcept;

namespace detail {
void cancel_node(Node* n, std::error_code cause) noexcept;
struct AfterFuncRec;

// Copies of a node's CancelFunc (or CancelCauseFunc) are counted in the high
// half of its reference count, in the same atomic operation as the
// reference itself: the lost-cancel detector needs to know when the last one
// goes, and off it must cost nothing. Contexts and children count 1.
inline constexpr std::size_t kFuncRef = std::size_t{1} << 32;
inline constexpr std::size_t kRefMask = kFuncRef - 1;
// The reference a busy parent's per-CPU child registrations hold on it
// (runtime/src/internal.hpp, Fanout) while they are open. They close when
// the node ends or its last CancelFunc goes, which release_func must then
// see: the bit sends it to release_func_slow.
inline constexpr std::size_t kFanoutRef = std::size_t{1} << 31;
static_assert(sizeof(std::size_t) == 8, "the count of CancelFuncs lives in the high 32 bits");
// A factory's node, created with a reference and a function count for the
// CancelFunc it returns (refs == 2 + kFuncRef: the Context's and this one).
struct AdoptFunc {};
// The run-time lost-cancel detector (debug.hpp): on or off.
extern std::atomic<bool> lost_cancel_on;
// What the last CancelFunc's going may have to do (a lost-cancel report, a
// fan-out to close), with a reference kept while it does.
void release_func_slow(Node* n) noexcept;

inline void acquire_func(Node* n) noexcept {
  if (n != nullptr) n->refs.fetch_add(1 + kFuncRef, std::memory_order_relaxed);
}
inline void release_func(Node* n) noexcept {
  if (n == nullptr) return;
  if (lost_cancel_on.load(std::memory_order_relaxed)) [[unlikely]] {
    release_func_slow(n);
    return;
  }
  std::size_t r = n->refs.load(std::memory_order_relaxed);
  do {
    if ((r & kFanoutRef) != 0) [[unlikely]] {
      release_func_slow(n);
      return;
    }
  } while (!n->refs.compare_exchange_weak(r, r - 1 - kFuncRef, std::memory_order_acq_rel,
                                          std::memory_order_relaxed));
  if ((r & kRefMask) == 1) destroy(n);
}
}  // namespace detail

// Cancels its context with errc::canceled. Copyable; operator() is
// idempotent, thread-safe and noexcept. Default-constructed: a no-op.
class CancelFunc {
 public:
  CancelFunc() noexcept = default;
  CancelFunc(const CancelFunc& o) noexcept : n_(o.n_) { detail::acquire_func(n_); }
  CancelFunc(CancelFunc&& o) noexcept : n_(std::exchange(o.n_, nullptr)) {}
  CancelFunc& operator=(CancelFunc o) noexcept { std::swap(n_, o.n_); return *this; }
  ~CancelFunc() { detail::release_func(n_); }
  void operator()() const noexcept {
    if (n_ != nullptr) detail::cancel_node(n_, {});
  }
  CancelFunc(detail::Node* adopt, detail::AdoptFunc) noexcept : n_(adopt) {}
 private:
  detail::Node* n_ = nullptr;
};

// Cancels its context with errc::canceled and the given cause (a {} cause
// means errc::canceled, as Go's nil cause means Canceled).
class CancelCauseFunc {
 public:
  CancelCauseFunc() noexcept = default;
  CancelCauseFunc(const CancelCauseFunc& o) noexcept : n_(o.n_) { detail::acquire_func(n_); }
  CancelCauseFunc(CancelCauseFunc&& o) noexcept : n_(std::exchange(o.n_, nullptr)) {}
  CancelCauseFunc& operator=(CancelCauseFunc o) noexcept { std::swap(n_, o.n_); return *this; }
  ~CancelCauseFunc() { detail::release_func(n_); }
  void operator()(std::error_code cause) const noexcept {
    if (n_ != nullptr) detail::cancel_node(n_, cause);
  }
  CancelCauseFunc(detail::Node* adopt, detail::AdoptFunc) noexcept : n_(adopt) {}
 private:
  detail::Node* n_ = nullptr;
};

// Returned by after_func: operator()() stops the callback from running and
// returns true, or returns false if it had already been started (or stopped).
class StopFunc {
 public:
  StopFunc() noexcept = default;
  bool operator()() const;
  explicit StopFunc(std::shared_ptr<detail::AfterFuncRec> r) noexcept : rec_(std::move(r)) {}
 private:
  std::shared_ptr<detail::AfterFuncRec> rec_;
};

using CancelPair = std::pair<Context, CancelFunc>;
using CancelCausePair = std::pair<Context, CancelCauseFunc>;

// The factories that return a cancel function take `where` (defaulted: the
// caller's line) for the run-time lost-cancel detector (debug.hpp), which
// names it in its report. Nothing else reads it.
//
// A child of `parent` that ends when parent ends or when the CancelFunc is
// called, whichever is first. Call the CancelFunc when done with the child:
// until then the parent keeps it registered.
[[nodiscard]] CancelPair with_cancel(
    const Context& parent,
    std::source_location where = std::source_location::current());
// Like with_cancel; the cause given to the CancelCauseFunc is what cause()
// reports.
[[nodiscard]] CancelCausePair with_cancel_cause(
    const Context& parent,
    std::source_location where = std::source_location::current());
// A child that also ends, with errc::deadline_exceeded, at `d`. A deadline
// later than the parent's keeps the parent's; one already past yields a
// context that has already ended. Clock::time_point::max() never comes.
[[nodiscard]] CancelPair with_deadline(
    const Context& parent, Clock::time_point d,
    std::source_location where = std::source_location::current());
// Like with_deadline; when the deadline fires, cause() is `cause`.
[[nodiscard]] CancelPair with_deadline_cause(
    const Context& parent, Clock::time_point d, std::error_code cause,
    std::source_location where = std::source_location::current());
// with_deadline(parent, now + t), the sum saturating at the clock's limits:
// Clock::duration::max() never fires (Go's WithTimeout(ctx, math.MaxInt64)).
[[nodiscard]] CancelPair with_timeout(
    const Context& parent, Clock::duration t,
    std::source_location where = std::source_location::current());
[[nodiscard]] CancelPair with_timeout_cause(
    const Context& parent, Clock::duration t, std::error_code cause,
    std::source_location where = std::source_location::current());
// A context with parent's values, no deadline, that never ends.
Context without_cancel(const Context& parent);
// {} while c is live; the cause given to the first cancel; otherwise c.err().
// A context ended by its parent reports the parent's cause.
std::error_code cause(const Context& c);
// Runs f once, on a runtime worker thread (never the cancelling caller's),
// after c ends; immediately (still on a worker) if c has already ended. The
// returned StopFunc un-registers f. cancel does not wait for f.
StopFunc after_func(const Context& c, std::function<void()> f);
// A child that ends (errc::canceled) when parent ends or `t` is requested.
Context from_stop_token(const Context& parent, std::stop_token t);

// Go's signal.NotifyContext: a child of parent that ends (errc::canceled) on
// the first of `signals` (SIGINT, SIGTERM, ...) to arrive, or when parent
// ends, or when the returned function (Go's stop) is called. cause(c) is then
// a std::error_code of signal_category() whose value is the signal number
// and whose message names it ("terminated signal received (SIGTERM)").
// While the context is live the process catches those signals (their
// previous disposition is restored once no signal context is listening);
// when it ends, by any of the three, it stops listening before cancel
// returns. The handler only writes to a pipe; a runtime thread, started on
// the first call, does the cancelling. Several may be active at once, on
// the same signals or not: each listens. Throws std::invalid_argument for a
// signal that cannot be caught (SIGKILL, SIGSTOP, out of range).
[[nodiscard]] CancelPair signal_context(const Context& parent, std::initializer_list<int> signals);
// The category of signal_context's causes; name() == "signal".
const std::error_category& signal_category() noexcept;

namespace detail {
Context make_value_node(const Context& parent, const char* fn, Node* n);
// A with_value node's operations, one constant table per (key, value) type
// pair: what a vtable would hold, plus the key's type, so that the node
// itself is four words and its key and value (bytes per context, issue 15:
// 40 bytes with an empty key and an int, a 48-byte malloc chunk; Go's is 56).
struct ValueBase;
struct ValueOps {
  const void* key_type;                                     // type_id<K>
  bool (*key_equals)(const ValueBase*, const void* key);    // the key is not a bits_key
  ValueView (*view)(const ValueBase*) noexcept;
  void (*destroy)(ValueBase*) noexcept;
};
struct ValueBase : Node {
  const ValueOps* ops;
  explicit ValueBase(const ValueOps* o) noexcept : Node(Kind::value), ops(o) {}
  // Where every ValueNode keeps its key (checked in with_value), so that the
  // lookup walk compares a bits_key's bytes with one load and no call.
  static constexpr std::size_t kKeyOffset = 4 * sizeof(void*);
};
template <class K, class V>
struct ValueNode final : ValueBase {
  K key;
  V val;
  ValueNode(K k, V v) : ValueBase(&ops_table), key(std::move(k)), val(std::move(v)) {}
  static bool equals(const ValueBase* n, const void* k) {
    return key_equal<K>(&static_cast<const ValueNode*>(n)->key, k);
  }
  static ValueView view_of(const ValueBase* n) noexcept {
    return ValueView::of(static_cast<const ValueNode*>(n)->val);
  }
  static void destroy(ValueBase* n) noexcept { delete static_cast<ValueNode*>(n); }
  static constexpr ValueOps ops_table{type_id<K>, &equals, &view_of, &destroy};
};
}  // namespace detail

// A child of parent carrying (key, value). Any copyable, equality-comparable
// key type works; an empty class needs no operator==. Prefer an empty struct
// or a ctx::Key<T> as the key. Throws std::invalid_argument for a null parent
// or a key that is not equal to itself.
template <class K, class V>
  requires detail::KeyType<K>
Context with_value(const Context& parent, K key, V value) {
  if (!parent) detail::throw_null("ctx::with_value");
  using SK = std::decay_t<K>;
  if constexpr (!detail::bits_key<SK>) {
    if (!(key == key)) detail::throw_key_not_comparable("ctx::with_value");
  }
  using SV = std::decay_t<V>;
  using N = detail::ValueNode<SK, SV>;
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#endif
  static_assert(!detail::bits_key<SK> || std::is_empty_v<SK> ||
                    offsetof(N, key) == detail::ValueBase::kKeyOffset,
                "the lookup walk reads a bits_key at ValueBase::kKeyOffset");
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  auto* n = new N(std::move(key), std::move(value));
  return detail::make_value_node(parent, "ctx::with_value", n);
}

// Scope guard: calls f() at scope exit (Go's `defer cancel()`).
template <class F>
class [[nodiscard]] Deferred {
 public:
  explicit Deferred(F f) : f_(std::move(f)) {}
  Deferred(const Deferred&) = delete;
  Deferred& operator=(const Deferred&) = delete;
  ~Deferred() { f_(); }
 private:
  F f_;
};
template <class F>
[[nodiscard]] Deferred<F> defer(F f) { return Deferred<F>(std::move(f)); }

}  // namespace ctx
