// Internal structures of the runtime. Not installed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <stop_token>
#include <cstdint>

#include <ctx/context.hpp>
#include <ctx/extension.hpp>

namespace ctx::detail {

struct CancelNode;
struct LinkedNode;

// What a signal creates on first need and keeps across recycling (never
// freed, like the signal): what blocking waits sleep on, and the
// std::stop_source of Done::stop_token (of the current generation; deleted
// and cleared when the signal is recycled). Out of SignalState, which every
// cancellable context pays for, because few contexts ever need them.
struct Waiter {
  std::mutex m;
  std::condition_variable cv;
  std::atomic<std::stop_source*> ss{nullptr};
};

// The lock of a node's child and after_func lists. Its critical sections are
// a few pointer writes, and a busy parent is locked by every thread deriving
// from or cancelling its children, so it spins briefly before sleeping (as
// Go's sync.Mutex does); std::mutex goes to the kernel at once and turned
// two threads sharing a parent into a futex ping-pong. Also 4 bytes, not 40.
class NodeMutex {
 public:
  void lock() noexcept {
    std::uint32_t c = 0;
    if (s_.compare_exchange_strong(c, kLocked, std::memory_order_acquire,
                                   std::memory_order_relaxed))
      return;
    lock_slow();
  }
  bool try_lock() noexcept {
    std::uint32_t c = 0;
    return s_.compare_exchange_strong(c, kLocked, std::memory_order_acquire,
                                      std::memory_order_relaxed);
  }
  void unlock() noexcept {
    if (s_.exchange(kFree, std::memory_order_release) == kContended) s_.notify_one();
  }

 private:
  static constexpr std::uint32_t kFree = 0, kLocked = 1, kContended = 2;
  void lock_slow() noexcept;
  std::atomic<std::uint32_t> s_{kFree};
};

// A Signal with what is created lazily for its Done: waiters, a
// std::stop_source, an eventfd. Never freed (see Signal): a Done may read it
// after its context is gone. Made for a context by its first done()
// (take_done); owned by that CancelNode and by Dones pinned by
// native_handle(); recycled when the last owner lets go.
// A cache line of its own: the word and the count are written on every
// cancel of a context with a Done, and two threads' signals on one line
// (each thread's recycled signals) ping-pong that line: it halved what two
// threads deriving from one parent got done per thread (ParentDeriveCancel,
// 4.4 M against 8.9 M per second, when every context had a signal).
struct alignas(64) SignalState final : Signal {
  std::atomic<std::uint32_t> refs{0};
  NodeMutex m;                               // lazy creation vs recycling
  std::atomic<int> fd{-1};
  bool immortal = false;                     // never_signal()
  bool exposed = false;                      // a Done may refer to it (take_done)
  std::atomic<Waiter*> waiter{nullptr};      // created once, kept across recycling
  std::atomic<EndWaiter*> end_waiters{nullptr};  // list head; changed under m
  SignalState* next_free = nullptr;          // guarded by the pool
  // The owning node's link in this thread's end batch (end_wait.cpp): only
  // a node with a signal has waiters to fire.
  CancelNode* end_next = nullptr;
};
static_assert(sizeof(SignalState) == 64);

inline SignalState* state_of(Signal* s) noexcept { return static_cast<SignalState*>(s); }

// A live signal with one reference, for a new CancelNode.
SignalState* signal_alloc();
// Drops a reference; the last one recycles the signal for a later context.
void signal_release(SignalState* s) noexcept;
// Adds a reference unless the signal has already been let go of.
bool signal_try_acquire(SignalState* s) noexcept;
// The immortal signal of background(), todo() and a default Done: never ends.
SignalState* never_signal() noexcept;
// Pooled signals that are not in use (for tests).
std::size_t signal_pool_size() noexcept;

// Shared between a CancelNode and the callback it registered with a custom
// parent's after_end, so neither outlives what it points to.
struct CustomLink {
  std::mutex m;
  CancelNode* child = nullptr;  // cleared by the child's destructor
  ContextImpl* impl = nullptr;
  std::function<bool()> stop;   // what after_end returned
  bool finished = false;        // the child ended or died: call stop at once
  void fire();
  void finish() noexcept;       // un-register from the custom parent
};

struct StopTokenCancel {
  CancelNode* n;
  void operator()() const noexcept;
};

// after_func registration. Linked into its node's list while pending; the
// list owns it through `self`, and while linked it holds a reference on node.
struct AfterFuncRec {
  std::function<void()> f;
  std::atomic<bool> claimed{false};
  CancelNode* node = nullptr;  // strong reference for the record's lifetime
  ~AfterFuncRec();
  AfterFuncRec* prev = nullptr;
  AfterFuncRec* next = nullptr;
  bool linked = false;
  bool owns_node = false;  // node is a private child made for a custom context
  std::shared_ptr<AfterFuncRec> self;
};

// A busy parent's child registrations, split per CPU (issue 15: every
// thread deriving from one server-wide parent otherwise writes the parent's
// one cache line, its lock and its reference count, twice per child). Made
// once derivations have met on the parent's lock kFanOutAfter times
// (maybe_fan_out): a parent many threads derive from, not one that saw a
// race once (a fan-out is a cache line per CPU, up to 4 KiB). Only for a
// parent with a live CancelFunc: what closes it is the parent's end or the
// loss of its last CancelFunc.
//
// While the fan-out is open, a direct child registered in a shard holds its
// parent reference in the shard's `refs` instead of the parent's count, and
// the fan-out holds the parent alive with one kFanoutRef. Closing sets each
// shard's kClosed bit and folds the count it had into the parent's count
// (one atomic operation, so a child's count was either folded or is seen
// as closed: then its reference is on the parent's count), then drops
// kFanoutRef. Closed shards keep their lists: cancel() still walks them.
struct alignas(64) FanoutShard {
  static constexpr std::size_t kClosed = std::size_t{1} << 63;
  NodeMutex mu;
  LinkedNode* first = nullptr;  // guarded by mu: linked children
  std::atomic<std::size_t> refs{0};  // children's parent references | kClosed
};
inline constexpr std::uint32_t kFanOutAfter = 8;
struct alignas(64) Fanout {  // read by every derive: a line of its own
  explicit Fanout(unsigned n) : mask(n - 1), shards(new FanoutShard[n]) {}
  std::atomic<bool> open{true};
  unsigned mask;  // shards - 1 (a power of two)
  std::unique_ptr<FanoutShard[]> shards;
  FanoutShard& here() noexcept;  // this thread's CPU's shard
};

// What only some cancellable contexts use, allocated on first need and
// freed with the node (issue 15: kept inline, it tripled every context's
// size). Published once (extras, a CAS) and never replaced.
struct NodeExtras {
  AfterFuncRec* first_af = nullptr;  // guarded by the node's mu
  // Runtime code (never user code) run by cancel() once this node has ended,
  // with no lock held: signal_context's unregistration.
  std::atomic<void (*)(CancelNode*) noexcept> on_end{nullptr};
  std::shared_ptr<CustomLink> custom_link;
  std::optional<std::stop_callback<StopTokenCancel>> stop_cb;
  std::error_code deadline_cause;  // a TimerNode's, set before it is shared
  // A cause's category when the table of categories is full (kCauseInExtras).
  const std::error_category* cause_cat = nullptr;
  // Published once under the node's mu, freed with the node.
  std::atomic<Fanout*> fanout{nullptr};
  std::atomic<std::uint32_t> contended{0};  // derivations that found mu taken
  ~NodeExtras() { delete fanout.load(std::memory_order_relaxed); }
};

// A cause's category is kept as a byte (CancelNode::cause_cat): an index
// into a process-wide table of the categories seen, 0 for none. Past 254
// categories, the category goes to the node's extras (kCauseInExtras).
inline constexpr std::uint8_t kCauseInExtras = 255;
std::uint8_t cause_category_index_slow(const std::error_category& c) noexcept;
// c's index; 0: the table is full. Slot 1 is the context category, the
// cause of every plain cancel and deadline, without a look-up.
inline std::uint8_t cause_category_index(const std::error_category& c) noexcept {
  return &c == &context_category() ? 1 : cause_category_index_slow(c);
}
const std::error_category& cause_category(std::uint8_t index) noexcept;  // 1..254

// The state-owning node: with_cancel*, from_stop_token, custom-context
// shadows, the immortal roots (never == true). A child of a context that can
// end is a LinkedNode (the links of its parent's child list), one with a
// deadline a TimerNode. Bytes per context are part of the contract (issue 15,
// test/runtime/memory_test.cpp): what most contexts never use lives in
// NodeExtras, and the small fields fill CellNode's tail padding.
struct CancelNode : CellNode {
  CancelNode() noexcept : CellNode(Kind::cancel) {}
  ~CancelNode();  // not virtual: free_node() deletes each kind as itself
  // Per-thread cache of freed nodes, one list per node size (node_cache.cpp).
  static void* operator new(std::size_t size);
  static void operator delete(void* p, std::size_t size) noexcept;
  // Its signal, or null if no Done was ever taken (see CellNode::sig).
  SignalState* signal() const noexcept {
    return static_cast<SignalState*>(sig.load(std::memory_order_acquire));
  }
  bool live() const noexcept { return state.load(std::memory_order_acquire) == 0; }
  NodeExtras* extras_or_null() const noexcept { return extras.load(std::memory_order_seq_cst); }
  NodeExtras& get_extras();  // creates them on first use (may throw bad_alloc)
  // The next node in this thread's end batch (end_wait.cpp); only nodes
  // with a signal join one.
  CancelNode*& end_link() const noexcept { return signal()->end_next; }

  NodeMutex mu;
  // --- written once, before the state is published ---
  std::int32_t cause_value = 0;
  // Whether this node is in its parent's list (only a LinkedNode ever is).
  // Also read without the lock: once false it stays false, and clearing it
  // is the parent's last touch of this node, so false means "no need to
  // lock". (Guarded by LinkedNode::reg_mutex().)
  std::atomic<bool> linked{false};
  bool done_ref = false;   // guarded by mu: holds a reference on itself for its Dones
  bool never = false;      // immutable
  bool linkable = false;   // immutable: this is a LinkedNode (or a TimerNode)
  std::uint8_t cause_cat = 0;  // written once, before the state is published
  std::atomic<NodeExtras*> extras{nullptr};
  // The factory's caller, for lost-cancel reports. Every node records it:
  // the detector also reports contexts made before it was turned on.
  std::source_location created;
  LinkedNode* first_child = nullptr;  // guarded by mu

  std::error_code cause() const noexcept;
  void set_cause(std::error_code e) noexcept;
};

// A child of a context that can end: linked into its parent's child list
// (or a shard of its fan-out) while both live. A child of background(),
// todo() or a without_cancel context never is, and is a plain CancelNode,
// 24 bytes smaller (Go's cancelCtx needs no links: its parent keeps a map).
struct LinkedNode : CancelNode {
  LinkedNode() noexcept { linkable = true; }
  ~LinkedNode();  // unlinks it from its parent's list
  // --- guarded by reg_mutex() while linked. Once unlinked, `next` is
  // owned by whoever detached this node (cancel()'s list of children to
  // end). ---
  LinkedNode* prev = nullptr;
  LinkedNode* next = nullptr;
  // --- immutable after construction ---
  // Where this node is linked (or, for a shard, will be): its parent cell's
  // own list (a CancelNode*) or a FanoutShard of it (low bit set). A shard
  // also holds this node's parent reference until the fan-out closes. Set
  // before the node is shared, then immutable.
  std::uintptr_t reg = 0;
  bool in_shard() const noexcept { return (reg & 1) != 0; }
  FanoutShard* shard() const noexcept { return reinterpret_cast<FanoutShard*>(reg & ~std::uintptr_t{1}); }
  CancelNode* reg_node() const noexcept { return reinterpret_cast<CancelNode*>(reg); }
  NodeMutex& reg_mutex() const noexcept { return in_shard() ? shard()->mu : reg_node()->mu; }
  LinkedNode*& reg_head() const noexcept { return in_shard() ? shard()->first : reg_node()->first_child; }
};

inline LinkedNode* as_linked(CancelNode* n) noexcept {
  return n->linkable ? static_cast<LinkedNode*>(n) : nullptr;
}

// with_deadline*: a CancelNode with its own deadline and timer entry.
struct TimerNode final : LinkedNode {
  static constexpr std::uint32_t npos = UINT32_MAX;
  Clock::time_point timer_at{};            // immutable: the deadline
  // --- guarded by the timer service's mutex ---
  std::uint32_t heap_index = npos;
  std::uint8_t timer_shard = 0;            // set before the node is inserted
  // with_deadline_cause's cause, in the extras (rare), else {}.
  std::error_code deadline_cause() const noexcept {
    const NodeExtras* x = extras.load(std::memory_order_acquire);
    return x != nullptr ? x->deadline_cause : std::error_code{};
  }
  ~TimerNode();
};

// The deadline of the context n: the nearest TimerNode's at or above it
// (one is made only when it is earlier than its parent's deadline), or a
// custom context's. No node stores it: Go's contexts also ask their parent.
std::optional<Clock::time_point> deadline_of(const Node* n);

struct WithoutCancelNode final : Node {
  WithoutCancelNode() noexcept : Node(Kind::without_cancel) {}
};

struct CustomNode final : Node {
  explicit CustomNode(std::shared_ptr<ContextImpl> i) noexcept
      : Node(Kind::custom), impl(std::move(i)) {}
  ~CustomNode();
  std::shared_ptr<ContextImpl> impl;
  std::atomic<CancelNode*> shadow{nullptr};
};

// The custom context that n (whose cell is null) derives from.
inline CustomNode* custom_of(const Node* n) noexcept {
  while (n->kind != Kind::custom) n = n->parent;
  return static_cast<CustomNode*>(const_cast<Node*>(n));
}

// t + d clamped to the clock's range: with_timeout(p, Clock::duration::max()),
// the usual spelling of "no timeout", is the end of the clock (never fires),
// not a signed overflow; a hugely negative d is the start of the clock.
inline Clock::time_point saturating_add(Clock::time_point t, Clock::duration d) noexcept {
  Clock::rep r;
  if (__builtin_add_overflow(t.time_since_epoch().count(), d.count(), &r))
    return d.count() > 0 ? Clock::time_point::max() : Clock::time_point::min();
  return Clock::time_point(Clock::duration(r));
}

CancelNode* root_background() noexcept;

// The CancelNode whose state a context and its children follow: n's
// nearest cancellable ancestor-or-self past value nodes, background's for a
// without_cancel node; null when that is a custom context (custom_of).
inline CancelNode* cell_of(const Node* n) noexcept {
  n = skip_values(n);
  if (n->is_cell()) return static_cast<CancelNode*>(const_cast<Node*>(n));
  return n->kind == Kind::without_cancel ? root_background() : nullptr;
}

// Deletes n as what its kind says it is (nodes have no virtual destructor).
void free_node(Node* n) noexcept;

bool try_acquire(Node* n) noexcept;
// A reference on its parent that child n took in a shard and now gives back
// (destroy()): true if the shard held it, false if the parent's count does.
bool leave_shard(LinkedNode* n) noexcept;
// n's fan-out, if it has one (open or closed).
Fanout* fanout_of(const CancelNode* n) noexcept;
// A derivation found n's lock taken: spreads n's child registrations per CPU
// the kFanOutAfter-th time (`now`: at once), if n has a CancelFunc and is
// live (no-op otherwise). The caller holds a reference on n.
void maybe_fan_out(CancelNode* n, bool now = false) noexcept;
// n's last CancelFunc went uncalled: reports n if it is live and registered
// (lost_cancel.cpp; only while the detector is on). The caller holds a
// reference on n.
void check_lost_cancel(CancelNode* n) noexcept;
void cancel(CancelNode* n, std::uint32_t err, std::error_code cause) noexcept;

// The shared timer service: a binary min-heap with index tracking.
void timer_add(TimerNode* n);  // n->timer_shard must be set before n is shared
std::uint8_t timer_shard_for_this_thread() noexcept;
void timer_remove(TimerNode* n) noexcept;
std::size_t timer_pending() noexcept;
bool timer_started() noexcept;

// A process-wide object created on first use. Not a function-local static:
// a thread inside such an initialization when another forks leaves its guard
// taken forever in the child, which then hangs on first use. Here the loser
// of a creation race deletes its copy.
template <class T, class Make>
T* create_once(std::atomic<T*>& slot, Make make) {
  T* p = slot.load(std::memory_order_acquire);
  if (p != nullptr) [[likely]] return p;
  T* fresh = make();
  if (slot.compare_exchange_strong(p, fresh, std::memory_order_acq_rel)) return fresh;
  delete fresh;
  return p;
}

// fork(): one pthread_atfork registration (at load time, signal.cpp) calls
// each service's handlers: prepare takes its locks (so no thread that the
// child will not have holds one), parent releases them, child makes the
// service work again in a process that has only the forking thread. Prepare
// creates a service that does not exist yet: left alone, it could be created
// by another thread between prepare and the fork, its lock taken there and
// inherited held by the child (seen under TSan: a child blocked for good in
// Executor::post, Fork.ForkWhileOtherThreadsUseTheRuntime).
void timer_fork_prepare() noexcept;
void timer_fork_parent() noexcept;
void timer_fork_child() noexcept;
void executor_fork_prepare() noexcept;
void executor_fork_parent() noexcept;
void executor_fork_child() noexcept;
void os_signal_fork_prepare() noexcept;  // signal_context's registry (os_signal.cpp)
void os_signal_fork_parent() noexcept;
void os_signal_fork_child() noexcept;

// An eventfd for Done::native_handle() (see signal_fd in context.cpp).
int new_event_fd() noexcept;
void signal_fd(int fd) noexcept;

// Resuming what waits without a thread (EndWaiter) after a cancel. The
// outermost cancel() of a cascade opens this thread's batch, every ended node
// with waiters joins it (holding a reference), and closing it hands the batch
// to one executor task, which fires the waiters node by node.
bool end_batch_open() noexcept;               // true: the caller owns the batch
void end_batch_add(CancelNode* n) noexcept;
void end_batch_close() noexcept;

// The shared after_func executor: an elastic pool of worker threads.
void executor_post(std::function<void()> f);
std::size_t executor_thread_count() noexcept;

}  // namespace ctx::detail
