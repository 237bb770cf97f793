// The context tree: derivation, cancellation, values, waiting, after_func.
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "internal.hpp"
#include <ctx/debug.hpp>

namespace ctx {
namespace detail {

// An ended context's eventfd must stay readable whatever its waiters read:
// event loops read a readable eventfd, as they must a plain one. So it is a
// semaphore (a read takes 1) filled to the kernel's maximum count, which no
// number of reads empties. A second signal finds it full (EAGAIN): harmless.
int new_event_fd() noexcept { return ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE); }
void signal_fd(int fd) noexcept {
  std::uint64_t full = UINT64_MAX - 1;
  ssize_t rc;
  do {
    rc = ::write(fd, &full, sizeof full);
  } while (rc < 0 && errno == EINTR);
}

std::string ContextCategory::message(int ev) const {
  switch (static_cast<errc>(ev)) {
    case errc::canceled: return "context canceled";
    case errc::deadline_exceeded: return "context deadline exceeded";
  }
  return "unknown context error";
}

void NodeMutex::lock_slow() noexcept {
  // Spin while the holder is likely running (its critical section is short),
  // then mark the lock contended and sleep on it (Drepper, "Futexes Are
  // Tricky", mutex 3).
  std::uint32_t c = kLocked;
  for (int i = 0; i < 128; ++i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    c = s_.load(std::memory_order_relaxed);
    if (c == kFree && s_.compare_exchange_weak(c, kLocked, std::memory_order_acquire,
                                               std::memory_order_relaxed))
      return;
  }
  if (c != kContended) c = s_.exchange(kContended, std::memory_order_acquire);
  while (c != kFree) {
    s_.wait(kContended, std::memory_order_relaxed);
    c = s_.exchange(kContended, std::memory_order_acquire);
  }
}

void throw_null(const char* function) {
  throw std::invalid_argument(std::string(function) + ": null context");
}

void throw_key_not_comparable(const char* function) {
  throw std::invalid_argument(std::string(function) +
                              ": key is not comparable (it does not compare equal to itself; "
                              "use an empty struct or ctx::Key<T>)");
}

bool try_acquire(Node* n) noexcept {
  if (n->immortal) return true;
  std::size_t r = n->refs.load(std::memory_order_relaxed);
  while (r != 0) {
    if (n->refs.compare_exchange_weak(r, r + 1, std::memory_order_acq_rel,
                                      std::memory_order_relaxed))
      return true;
  }
  return false;
}

// Iterative, so that dropping the last handle to a long chain does not
// recurse once per ancestor.
void destroy(Node* n) noexcept {
  while (n != nullptr) {
    Node* p = n->parent;
    if (n->kind == Kind::cancel) {
      LinkedNode* l = as_linked(static_cast<CancelNode*>(n));
      if (l != nullptr && l->in_shard() && leave_shard(l))
        p = nullptr;  // the shard held the parent reference
    }
    free_node(n);  // destructors do not release `parent`
    if (p == nullptr || p->immortal ||
        p->refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
      return;
    n = p;
  }
}

void free_node(Node* n) noexcept {
  switch (n->kind) {
    case Kind::never:
    case Kind::cancel:
      if (n->timed) delete static_cast<TimerNode*>(n);
      else if (static_cast<CancelNode*>(n)->linkable) delete static_cast<LinkedNode*>(n);
      else delete static_cast<CancelNode*>(n);
      return;
    case Kind::value: {
      auto* v = static_cast<ValueBase*>(n);
      v->ops->destroy(v);
      return;
    }
    case Kind::without_cancel: delete static_cast<WithoutCancelNode*>(n); return;
    case Kind::custom: delete static_cast<CustomNode*>(n); return;
  }
}

// --- Causes' categories (CancelNode::cause_cat) ---
// A table the categories are added to and never removed from: a process
// has a handful (generic, system, the context's, the bridges', its own).
// Slot 1 is the context category, the cause of every plain cancel.
namespace {
constexpr unsigned kCategorySlots = kCauseInExtras;  // 2..254 stored here
std::atomic<const std::error_category*> categories[kCategorySlots];
std::atomic<unsigned> categories_used{2};  // slots 2..used-1 are set
NodeMutex categories_mu;                   // appending

// c's slot among the first `used`, or 0.
std::uint8_t find_category(const std::error_category& c, unsigned used) noexcept {
  for (unsigned i = 2; i < used; ++i)
    if (categories[i].load(std::memory_order_relaxed) == &c) return static_cast<std::uint8_t>(i);
  return 0;
}
}  // namespace

std::uint8_t cause_category_index_slow(const std::error_category& c) noexcept {
  if (std::uint8_t i = find_category(c, categories_used.load(std::memory_order_acquire))) return i;
  std::lock_guard<NodeMutex> g(categories_mu);
  const unsigned used = categories_used.load(std::memory_order_relaxed);
  if (std::uint8_t i = find_category(c, used)) return i;
  if (used == kCategorySlots) return 0;
  categories[used].store(&c, std::memory_order_relaxed);
  categories_used.store(used + 1, std::memory_order_release);
  return static_cast<std::uint8_t>(used);
}

const std::error_category& cause_category(std::uint8_t index) noexcept {
  if (index == 1) return context_category();
  return *categories[index].load(std::memory_order_relaxed);  // published before its index
}

std::error_code CancelNode::cause() const noexcept {
  switch (cause_cat) {
    case 0: return {};
    case kCauseInExtras: {
      const NodeExtras* x = extras.load(std::memory_order_acquire);
      if (x != nullptr && x->cause_cat != nullptr) return {cause_value, *x->cause_cat};
      // No memory for the category: the error the context ended with.
      return make_error_code(static_cast<errc>(state.load(std::memory_order_acquire)));
    }
    default: return {cause_value, cause_category(cause_cat)};
  }
}

void CancelNode::set_cause(std::error_code e) noexcept {
  cause_value = e.value();
  cause_cat = cause_category_index(e.category());
  if (cause_cat != 0) return;
  cause_cat = kCauseInExtras;
  try {
    get_extras().cause_cat = &e.category();
  } catch (...) {
    // Out of memory: cause() reports the context's error instead.
  }
}

std::optional<Clock::time_point> deadline_of(const Node* n) {
  for (; n != nullptr; n = n->parent) {
    switch (n->kind) {
      case Kind::never:
      case Kind::without_cancel:
        return std::nullopt;
      case Kind::custom:
        return static_cast<const CustomNode*>(n)->impl->deadline();
      case Kind::value:
        break;
      case Kind::cancel:
        if (n->timed) return static_cast<const TimerNode*>(n)->timer_at;
        break;
    }
  }
  return std::nullopt;  // a custom context's shadow
}

namespace {

CancelNode* make_root() {
  auto* n = new CancelNode();  // immortal: never freed, so safe at exit
  n->kind = Kind::never;
  n->sig.store(never_signal(), std::memory_order_relaxed);
  n->immortal = true;
  n->never = true;
  n->done_taken.store(true, std::memory_order_relaxed);
  return n;
}

// `linkable`: the parent can end, so the node will be linked into its list.
CancelNode* new_cancel_node(bool timed = false, bool linkable = false) {
  if (!timed) return linkable ? new LinkedNode() : new CancelNode();
  auto* t = new TimerNode();  // linkable, whatever the parent
  t->timed = true;
  return t;
}

std::uint32_t errc_of(std::error_code e) noexcept {
  return e == errc::deadline_exceeded ? static_cast<std::uint32_t>(errc::deadline_exceeded)
                                      : static_cast<std::uint32_t>(errc::canceled);
}

// `head`: the list child->reg names, with its lock held.
void link_child(LinkedNode*& head, LinkedNode* child) noexcept {
  child->prev = nullptr;
  child->next = head;
  if (head != nullptr) head->prev = child;
  head = child;
  child->linked.store(true, std::memory_order_relaxed);
}

void unlink_child(LinkedNode*& head, LinkedNode* child) noexcept {
  if (child->prev != nullptr) child->prev->next = child->next;
  else head = child->next;
  if (child->next != nullptr) child->next->prev = child->prev;
  child->prev = child->next = nullptr;
  child->linked.store(false, std::memory_order_release);
}

void unlink_af(CancelNode* n, AfterFuncRec* r) noexcept {
  if (r->prev != nullptr) r->prev->next = r->next;
  else n->extras_or_null()->first_af = r->next;
  if (r->next != nullptr) r->next->prev = r->prev;
  r->prev = r->next = nullptr;
  r->linked = false;
}

}  // namespace

// --- Fan-out (internal.hpp, Fanout) ---

// Shards per fan-out: the CPUs, rounded up to a power of two, 2 to 64.
static unsigned fanout_width() noexcept {
  static std::atomic<unsigned> width{0};  // not a guarded static (fork)
  unsigned w = width.load(std::memory_order_relaxed);
  if (w == 0) {
    const unsigned cpus = std::thread::hardware_concurrency();
    w = 2;
    while (w < cpus && w < 64) w *= 2;
    width.store(w, std::memory_order_relaxed);
  }
  return w;
}

Fanout* fanout_of(const CancelNode* p) noexcept {
  const NodeExtras* x = p->extras.load(std::memory_order_acquire);
  return x != nullptr ? x->fanout.load(std::memory_order_acquire) : nullptr;
}

// Folds the shards' parent references into p's count and drops the
// fan-out's own. The caller holds a reference on p. Idempotent.
static void close_fanout(CancelNode* p, Fanout* f) noexcept {
  if (!f->open.exchange(false, std::memory_order_acq_rel)) return;
  for (unsigned i = 0; i <= f->mask; ++i) {
    const std::size_t held =
        f->shards[i].refs.fetch_or(FanoutShard::kClosed, std::memory_order_acq_rel);
    if (held != 0) p->refs.fetch_add(held, std::memory_order_relaxed);
  }
  // Children that saw a closed shard may already have dropped their folded
  // reference: this one and the caller's kept the count above zero.
  p->refs.fetch_sub(kFanoutRef, std::memory_order_acq_rel);  // never the last
}

// p must have a CancelFunc: its last one going (release_func_slow) or p's
// end closes the fan-out, and nothing else would.
void maybe_fan_out(CancelNode* p, bool now) noexcept {
  if ((p->refs.load(std::memory_order_relaxed) >> 32) == 0) return;
  if (fanout_of(p) != nullptr) return;
  Fanout* f;
  NodeExtras* x;
  try {
    x = &p->get_extras();
    if (!now && x->contended.fetch_add(1, std::memory_order_relaxed) + 1 < kFanOutAfter) return;
    f = new Fanout(fanout_width());
  } catch (...) {
    return;  // out of memory: registrations stay on the parent's lock
  }
  bool published = false;
  {
    std::lock_guard<NodeMutex> g(p->mu);
    // Under mu, which release_func_slow takes after dropping a function
    // count: it sees the published fan-out, or this sees its count gone.
    if (p->state.load(std::memory_order_relaxed) == 0 &&
        x->fanout.load(std::memory_order_relaxed) == nullptr) {
      const std::size_t old = p->refs.fetch_add(kFanoutRef, std::memory_order_acq_rel);
      if ((old >> 32) != 0) {
        x->fanout.store(f, std::memory_order_release);
        published = true;
      } else {
        p->refs.fetch_sub(kFanoutRef, std::memory_order_relaxed);
      }
    }
  }
  if (!published) delete f;
}

// Takes child n's reference on its parent p: in a shard of p's open
// fan-out when n is p's direct child, else on p's count.
static void hold_parent(CancelNode* n, Node* p) noexcept {
  if (p->kind == Kind::cancel) {
    if (Fanout* f = fanout_of(static_cast<CancelNode*>(p))) {
      FanoutShard& s = f->here();
      // Counted after kClosed too, harmlessly: a closed shard's count is
      // never read again.
      if ((s.refs.fetch_add(1, std::memory_order_relaxed) & FanoutShard::kClosed) != 0)
        acquire(p);
      as_linked(n)->reg = reinterpret_cast<std::uintptr_t>(&s) | 1;  // p can end
      return;
    }
  }
  acquire(p);
}

// Moves the children linked at `head` (whose lock is held) to `kids`, each
// with a reference (see cancel()).
static void take_children(LinkedNode*& head, LinkedNode*& kids) noexcept {
  for (LinkedNode* k = head; k != nullptr;) {
    LinkedNode* next = k->next;
    k->prev = k->next = nullptr;
    if (try_acquire(k)) {  // a child whose count hit zero is being destroyed
      k->next = kids;
      kids = k;
    }
    k->linked.store(false, std::memory_order_release);  // last touch if not acquired
    k = next;
  }
  head = nullptr;
}

namespace {

// Arranges for `child` to end when `parent` ends. `fresh`: the child is not
// yet visible to any other thread (no waiters, children or callbacks), so a
// child of an already-ended parent can be born ended without locking.
void propagate(Node* parent, CancelNode* child, bool fresh = true) {
  if (CancelNode* p = cell_of(parent)) {
    if (p->never) return;
    std::uint32_t s = p->state.load(std::memory_order_acquire);
    LinkedNode* lc = as_linked(child);  // not null: p can end (new_child)
    if (s == 0 && lc->in_shard()) {
      // cancel() stores the state before it walks the shards, each under
      // its lock: it finds this child, or this sees the state.
      FanoutShard* sh = lc->shard();
      std::lock_guard<NodeMutex> g(sh->mu);
      s = p->state.load(std::memory_order_relaxed);
      if (s == 0) link_child(sh->first, lc);
    } else if (s == 0) {
      const bool contended = !p->mu.try_lock();
      if (contended) p->mu.lock();
      {
        std::lock_guard<NodeMutex> g(p->mu, std::adopt_lock);
        s = p->state.load(std::memory_order_relaxed);
        if (s == 0) {
          lc->reg = reinterpret_cast<std::uintptr_t>(p);
          link_child(p->first_child, lc);
        }
      }
      if (contended && s == 0 && child->parent == p) maybe_fan_out(p);
    }
    if (s != 0) {
      if (fresh) {
        child->set_cause(p->cause());  // published before the state
        child->state.store(static_cast<std::uint8_t>(s), std::memory_order_release);
      } else {
        cancel(child, s, p->cause());
      }
    }
    return;
  }
  // A custom context: register through its after_end hook.
  ContextImpl* impl = custom_of(parent)->impl.get();
  if (std::error_code e = impl->err()) {
    cancel(child, errc_of(e), impl->cause());
    return;
  }
  auto link = std::make_shared<CustomLink>();
  link->child = child;
  link->impl = impl;
  child->get_extras().custom_link = link;
  std::function<bool()> stop = impl->after_end([link] { link->fire(); });
  bool finished;
  {
    std::lock_guard<std::mutex> g(link->m);
    finished = link->finished;
    if (!finished) link->stop = std::move(stop);
  }
  if (finished && stop) stop();
}

CancelNode* new_child(const Context& parent, const char* fn, bool timed = false) {
  if (!parent) throw_null(fn);
  Node* p = parent.node();
  const CancelNode* pc = cell_of(p);
  CancelNode* n = new_cancel_node(timed, pc != nullptr && !pc->never);
  hold_parent(n, p);
  n->parent = p;
  return n;
}

CancelNode* shadow_of(CustomNode* cn) {
  CancelNode* s = cn->shadow.load(std::memory_order_acquire);
  if (s != nullptr) return s;
  CancelNode* n = new_cancel_node();  // no parent reference: cn owns it
  CancelNode* expected = nullptr;
  if (!cn->shadow.compare_exchange_strong(expected, n, std::memory_order_acq_rel)) {
    release(n);
    return expected;
  }
  propagate(cn, n, /*fresh=*/false);
  return n;
}

}  // namespace

namespace {
std::atomic<CancelNode*> the_background{nullptr};
std::atomic<CancelNode*> the_todo{nullptr};
}  // namespace

CancelNode* root_background() noexcept { return create_once(the_background, make_root); }

FanoutShard& Fanout::here() noexcept {
  const int cpu = ::sched_getcpu();
  return shards[static_cast<unsigned>(cpu < 0 ? 0 : cpu) & mask];
}

bool leave_shard(LinkedNode* n) noexcept {
  FanoutShard* s = n->shard();
  if (n->linked.load(std::memory_order_acquire)) {
    std::lock_guard<NodeMutex> g(s->mu);
    if (n->linked.load(std::memory_order_relaxed)) unlink_child(s->first, n);
  }
  return (s->refs.fetch_sub(1, std::memory_order_acq_rel) & FanoutShard::kClosed) == 0;
}

// Drops the function's count but keeps its reference, so that the node
// stays alive while the last function's going is acted on.
void release_func_slow(Node* node) noexcept {
  const std::size_t old = node->refs.fetch_sub(kFuncRef, std::memory_order_acq_rel);
  if ((old >> 32) == 1) {
    auto* n = static_cast<CancelNode*>(node);
    if (lost_cancel_on.load(std::memory_order_relaxed)) check_lost_cancel(n);
    if ((old & kFanoutRef) != 0) {
      Fanout* f;
      {
        std::lock_guard<NodeMutex> g(n->mu);  // see maybe_fan_out
        f = fanout_of(n);
      }
      if (f != nullptr) close_fanout(n, f);
    }
  }
  release(node);
}

NodeExtras& CancelNode::get_extras() {
  NodeExtras* x = extras.load(std::memory_order_acquire);
  if (x != nullptr) return *x;
  auto* fresh = new NodeExtras();
  if (extras.compare_exchange_strong(x, fresh, std::memory_order_seq_cst)) return *fresh;
  delete fresh;
  return *x;
}

CancelNode::~CancelNode() {
  // (A TimerNode's destructor has removed its timer entry.)
  NodeExtras* x = extras.load(std::memory_order_acquire);
  if (x != nullptr) {
    x->stop_cb.reset();  // waits for a concurrently running stop callback
    if (const std::shared_ptr<CustomLink>& link = x->custom_link) {
      {
        std::lock_guard<std::mutex> g(link->m);
        link->child = nullptr;
      }
      link->finish();
    }
  }
  if (SignalState* s = signal()) signal_release(s);
  delete x;
}

LinkedNode::~LinkedNode() {
  // (A shard child has left its shard in destroy().)
  if (linked.load(std::memory_order_acquire)) {
    std::lock_guard<NodeMutex> g(reg_mutex());
    if (linked.load(std::memory_order_relaxed)) unlink_child(reg_head(), this);
  }
}

TimerNode::~TimerNode() {
  if (has_timer) timer_remove(this);
}

CustomNode::~CustomNode() { release(shadow.load(std::memory_order_relaxed)); }

void CustomLink::finish() noexcept {
  std::function<bool()> s;
  {
    std::lock_guard<std::mutex> g(m);
    finished = true;
    s = std::move(stop);
    stop = nullptr;
  }
  if (s) {
    try {
      s();
    } catch (...) {
    }
  }
}

AfterFuncRec::~AfterFuncRec() { release(node); }

void CustomLink::fire() {
  CancelNode* c;
  {
    std::lock_guard<std::mutex> g(m);
    c = child;
    if (c == nullptr || !try_acquire(c)) return;
  }
  std::error_code e = impl->err();
  std::error_code why = impl->cause();
  cancel(c, errc_of(e ? e : make_error_code(errc::canceled)), why);
  release(c);
}

void StopTokenCancel::operator()() const noexcept {
  if (!try_acquire(n)) return;
  cancel(n, static_cast<std::uint32_t>(errc::canceled), {});
  release(n);
}

// Ends n (if live) with err and cause, then its descendants. The caller holds
// a reference on n. Never runs user code: after_func callbacks are posted.
void cancel(CancelNode* n, std::uint32_t err, std::error_code cause) noexcept {
  if (n->never) return;
  SignalState* sg;  // made under mu (take_done), if ever
  LinkedNode* kids = nullptr;  // linked through `next` (see LinkedNode)
  AfterFuncRec* afs = nullptr;
  NodeExtras* x;
  Fanout* fan = nullptr;
  bool drop_done_ref;
  {
    std::lock_guard<NodeMutex> g(n->mu);
    if (n->state.load(std::memory_order_relaxed) != 0) return;
    n->set_cause(cause ? cause : make_error_code(static_cast<errc>(err)));
    n->state.store(static_cast<std::uint8_t>(err), std::memory_order_seq_cst);
    sg = state_of(n->sig.load(std::memory_order_relaxed));
    if (sg != nullptr)
      sg->word.store(sg->word.load(std::memory_order_relaxed) | err, std::memory_order_seq_cst);
    drop_done_ref = std::exchange(n->done_ref, false);
    take_children(n->first_child, kids);
    x = n->extras_or_null();  // under mu: after_func creates it before linking
    if (x != nullptr) {
      afs = x->first_af;
      for (AfterFuncRec* r = afs; r != nullptr; r = r->next) r->linked = false;
      x->first_af = nullptr;
      fan = x->fanout.load(std::memory_order_relaxed);  // published under mu
    }
  }
  // The shards' children, after the state: a child registering now sees
  // the state under its shard's lock and is born ended (see propagate).
  if (fan != nullptr) {
    close_fanout(n, fan);
    for (unsigned i = 0; i <= fan->mask; ++i) {
      FanoutShard& s = fan->shards[i];
      std::lock_guard<NodeMutex> g(s.mu);
      take_children(s.first, kids);
    }
  }
  // Wake everything that waits on the signal. The lazy creators publish
  // before re-reading its word (seq_cst on both sides), so each resource is
  // either seen here or sees the end itself.
  if (Waiter* w = sg != nullptr ? sg->waiter.load(std::memory_order_seq_cst) : nullptr) {
    {
      std::lock_guard<std::mutex> g(w->m);
      w->cv.notify_all();
    }
    if (std::stop_source* s = w->ss.load(std::memory_order_seq_cst)) s->request_stop();
  }
  if (int f = sg != nullptr ? sg->fd.load(std::memory_order_seq_cst) : -1; f >= 0) signal_fd(f);
  // Out of the parent's list.
  if (n->linked.load(std::memory_order_acquire)) {
    LinkedNode* l = static_cast<LinkedNode*>(n);
    std::lock_guard<NodeMutex> g(l->reg_mutex());
    if (l->linked.load(std::memory_order_relaxed)) unlink_child(l->reg_head(), l);
  }
  // Suspended coroutines and asynchronous waits: resumed by one executor task
  // once the whole cascade has ended (end_wait.cpp).
  const bool end_waiting =
      sg != nullptr && sg->end_waiters.load(std::memory_order_seq_cst) != nullptr;
  const bool end_owner = (end_waiting || kids != nullptr) && end_batch_open();
  if (end_waiting) end_batch_add(n);
  // Release what this node holds on others.
  // signal_context publishes extras before on_end, and both before it looks
  // at the state (seq_cst): x is null only if it will see the end itself.
  if (x == nullptr) x = n->extras_or_null();
  if (x != nullptr) {
    if (auto* f = x->on_end.load(std::memory_order_seq_cst)) f(n);
    if (x->custom_link) x->custom_link->finish();
  }
  if (n->has_timer) timer_remove(static_cast<TimerNode*>(n));
  // Descendants.
  while (kids != nullptr) {
    LinkedNode* k = kids;
    kids = k->next;
    k->next = nullptr;
    cancel(k, err, n->cause());
    release(k);
  }
  // after_func callbacks: run on the executor, never here.
  while (afs != nullptr) {
    AfterFuncRec* r = afs;
    afs = r->next;
    r->prev = r->next = nullptr;
    std::shared_ptr<AfterFuncRec> keep = std::move(r->self);
    if (!r->claimed.exchange(true, std::memory_order_acq_rel)) {
      try {
        executor_post(std::move(r->f));
      } catch (...) {
        // Out of memory or threads: nothing sensible to do in a noexcept path.
      }
    }
    keep.reset();  // may destroy n (the record holds a reference on it)
  }
  if (end_owner) end_batch_close();
  if (drop_done_ref) release(n);
}

void cancel_node(Node* n, std::error_code cause) noexcept {
  cancel(static_cast<CancelNode*>(n), static_cast<std::uint32_t>(errc::canceled), cause);
}

Context make_value_node(const Context& parent, const char* fn, Node* n) {
  (void)fn;
  Node* p = parent.node();
  acquire(p);
  n->parent = p;
  return Context::adopt(n);
}

namespace {
// The walk toward the root. Value nodes are the common case and are tested
// first; the key comparison is a template parameter so that the loop for
// keys compared by their bytes (integers, enums, pointers, empty classes)
// reads them at ValueBase::kKeyOffset, with no indirect call. kSize: their
// number, 0 for an empty class; -1: compare with the key's operator==.
template <int kSize>
ValueView walk(const Node* n, const KeyView& key) {
  const void* const type = key.type;
  // Nodes of one (key, value) type share their ops: the last one's verdict
  // on the key type spares the dependent load through it.
  const ValueOps* seen = nullptr;
  bool seen_type = false;
  for (;;) {
    if (n->kind == Kind::value) [[likely]] {
      auto* v = static_cast<const ValueBase*>(n);
      const ValueOps* ops = v->ops;
      if (ops != seen) {
        seen = ops;
        seen_type = ops->key_type == type;
      }
      if (seen_type) {
        bool same;
        if constexpr (kSize < 0) {
          same = ops->key_equals(v, key.key);
        } else if constexpr (kSize == 0) {
          same = true;
        } else {
          std::uint64_t b = 0;
          std::memcpy(&b, reinterpret_cast<const char*>(v) + ValueBase::kKeyOffset, kSize);
          same = b == key.bits;
        }
        if (same) return ops->view(v);
      }
    } else if (n->kind == Kind::custom) {
      return static_cast<const CustomNode*>(n)->impl->value(key);
    } else if (n->kind == Kind::never) {
      return {};
    }
    n = n->parent;
    if (n == nullptr) return {};
  }
}
}  // namespace

ValueView lookup(const Node* n, const KeyView& key) {
  if (key.equal != nullptr) return walk<-1>(n, key);
  switch (key.bits_size) {
    case 0: return walk<0>(n, key);
    case 1: return walk<1>(n, key);
    case 2: return walk<2>(n, key);
    case 4: return walk<4>(n, key);
    default: return walk<8>(n, key);
  }
}

std::error_code err_of_other(const Node* n) {
  if (n->kind == Kind::without_cancel) return {};
  return custom_of(n)->impl->err();
}

const CellNode* done_cell_of_other(const Node* n) {
  if (n->kind == Kind::without_cancel) return root_background();
  return shadow_of(custom_of(n));
}

// Makes the signal a Done refers to. Under mu, as cancel() stores the
// state and then the signal's word: a context that has ended gets a signal
// that says so.
void take_done(const CellNode* c) {
  auto* n = static_cast<CancelNode*>(const_cast<CellNode*>(c));
  std::lock_guard<NodeMutex> g(n->mu);
  if (n->done_taken.load(std::memory_order_relaxed)) return;
  SignalState* s = signal_alloc();  // may throw bad_alloc: nothing changed yet
  if (const std::uint32_t st = n->state.load(std::memory_order_relaxed); st != 0) {
    s->word.store(s->word.load(std::memory_order_relaxed) | st, std::memory_order_release);
  } else {
    acquire(n);  // dropped by cancel()
    n->done_ref = true;
  }
  s->exposed = true;
  n->sig.store(s, std::memory_order_release);
  n->done_taken.store(true, std::memory_order_release);
}

namespace {

Waiter* waiter_of(SignalState* s) {
  Waiter* w = s->waiter.load(std::memory_order_seq_cst);
  if (w != nullptr) return w;
  auto* fresh = new Waiter();
  if (s->waiter.compare_exchange_strong(w, fresh, std::memory_order_seq_cst)) return fresh;
  delete fresh;
  return w;
}

// What a Done refers to: a signal and its context's live word (a default
// Done: the never-ending signal).
struct Target {
  SignalState* s;
  std::uint64_t live;
  Target(Signal* sig, std::uint64_t w) noexcept
      : s(sig != nullptr ? state_of(sig) : never_signal()), live(sig != nullptr ? w : 0) {}
  bool ended(std::memory_order o = std::memory_order_acquire) const noexcept {
    return s->word.load(o) != live;
  }
  // Whether the signal still belongs to this Done's context (ended or not).
  // Stable while s->m is held: recycling changes the generation under it.
  bool own_generation() const noexcept {
    return (s->word.load(std::memory_order_seq_cst) >> Signal::kGenShift) ==
           (live >> Signal::kGenShift);
  }
};

// For a Done whose context has ended and whose signal has moved on.
std::stop_token ended_stop_token() {
  static const std::stop_source* const s = [] {
    auto* p = new std::stop_source();
    p->request_stop();
    return p;
  }();
  return s->get_token();
}
int ended_fd() {
  static const int fd = [] {
    int f = new_event_fd();
    if (f < 0) throw std::system_error(errno, std::generic_category(), "ctx::Done::native_handle: eventfd");
    signal_fd(f);
    return f;
  }();
  return fd;
}

}  // namespace
}  // namespace detail

// ---------------------------------------------------------------------------
// Done
// ---------------------------------------------------------------------------

// Waiter objects are never freed (like their signals), so waiting needs no
// reference: a context ends, and notifies, before its signal moves on.
void Done::wait() const {
  const detail::Target t(sig_, live_);
  if (t.ended()) return;
  detail::Waiter* w = detail::waiter_of(t.s);
  std::unique_lock<std::mutex> lk(w->m);
  w->cv.wait(lk, [&t] { return t.ended(std::memory_order_seq_cst); });
}

bool Done::wait_until(Clock::time_point deadline) const {
  const detail::Target t(sig_, live_);
  if (t.ended()) return true;
  // The clock's limits: max() is "no bound" (what a saturated wait_for
  // yields), and a bound already past needs no wait at all.
  if (deadline == Clock::time_point::max()) {
    wait();
    return true;
  }
  if (deadline <= Clock::now()) return t.ended(std::memory_order_seq_cst);
  detail::Waiter* w = detail::waiter_of(t.s);
  std::unique_lock<std::mutex> lk(w->m);
  return w->cv.wait_until(lk, deadline, [&t] { return t.ended(std::memory_order_seq_cst); });
}

bool Done::wait_for(Clock::duration d) const {
  return wait_until(detail::saturating_add(Clock::now(), d));
}

std::stop_token Done::stop_token() const {
  const detail::Target t(sig_, live_);
  std::stop_source src(std::nostopstate);
  {
    std::lock_guard<detail::NodeMutex> g(t.s->m);  // excludes recycling
    if (!t.own_generation()) return detail::ended_stop_token();
    // Published after the waiter (both seq_cst): a cancel that finds no
    // waiter, or no source in it, is seen by the look at the state below.
    detail::Waiter* w = detail::waiter_of(t.s);
    std::stop_source* p = w->ss.load(std::memory_order_relaxed);
    if (p == nullptr) {
      p = new std::stop_source();
      w->ss.store(p, std::memory_order_seq_cst);
    }
    src = *p;
  }
  // A cancel that ran before the source was published did not request it.
  if (t.ended(std::memory_order_seq_cst)) src.request_stop();
  return src.get_token();
}

int Done::native_handle() const {
  const detail::Target t(sig_, live_);
  detail::SignalState* s = t.s;
  std::lock_guard<detail::NodeMutex> g(s->m);  // excludes recycling
  // The signal has moved on, or is about to: the context has ended.
  if (!t.own_generation() || !detail::signal_try_acquire(s)) return detail::ended_fd();
  int f = s->fd.load(std::memory_order_relaxed);
  if (f < 0) {
    f = detail::new_event_fd();
    if (f < 0) {
      const int e = errno;
      detail::signal_release(s);
      throw std::system_error(e, std::generic_category(), "ctx::Done::native_handle: eventfd");
    }
    s->fd.store(f, std::memory_order_seq_cst);
    // A cancel that ran before the descriptor was published did not signal it.
    if (t.ended(std::memory_order_seq_cst)) detail::signal_fd(f);
  }
  // Keep the descriptor open while this object lives, even past its context:
  // the reference just taken becomes this object's pin (once).
  detail::Signal* none = nullptr;
  if (s->immortal || !pin_.compare_exchange_strong(none, s, std::memory_order_acq_rel))
    detail::signal_release(s);
  return f;
}

// ---------------------------------------------------------------------------
// Context and factories
// ---------------------------------------------------------------------------

std::optional<Clock::time_point> Context::deadline() const {
  if (n_ == nullptr) detail::throw_null("ctx::Context::deadline");
  return detail::deadline_of(n_);
}

Context background() noexcept { return Context::adopt(detail::root_background()); }

Context todo() noexcept {
  return Context::adopt(detail::create_once(detail::the_todo, detail::make_root));
}

// The factories that return a cancel function give the new node its second
// reference (the function's) before it is shared, instead of an atomic add.
// Its CancelFunc's count is in the same store (see detail::kFuncRef).
CancelPair with_cancel(const Context& parent, std::source_location where) {
  detail::CancelNode* n = detail::new_child(parent, "ctx::with_cancel");
  n->refs.store(2 + detail::kFuncRef, std::memory_order_relaxed);
  n->created = where;
  Context c = Context::adopt(n);
  detail::propagate(parent.node(), n);
  return {std::move(c), CancelFunc(n, detail::AdoptFunc{})};
}

CancelCausePair with_cancel_cause(const Context& parent, std::source_location where) {
  detail::CancelNode* n = detail::new_child(parent, "ctx::with_cancel_cause");
  n->refs.store(2 + detail::kFuncRef, std::memory_order_relaxed);
  n->created = where;
  Context c = Context::adopt(n);
  detail::propagate(parent.node(), n);
  return {std::move(c), CancelCauseFunc(n, detail::AdoptFunc{})};
}

namespace {
CancelPair deadline_impl(const Context& parent, Clock::time_point d, std::error_code why,
                         const char* fn, std::source_location where) {
  if (!parent) detail::throw_null(fn);
  if (auto cur = parent.deadline(); cur && *cur < d) return with_cancel(parent, where);
  auto* n = static_cast<detail::TimerNode*>(detail::new_child(parent, fn, /*timed=*/true));
  n->refs.store(2 + detail::kFuncRef, std::memory_order_relaxed);
  n->created = where;
  Context c = Context::adopt(n);
  n->timer_at = d;
  if (why) n->get_extras().deadline_cause = why;
  // The end of the clock never comes (Go: WithTimeout(ctx, math.MaxInt64)
  // never fires): a deadline to report, no timer to keep.
  n->has_timer = d != Clock::time_point::max();
  n->timer_shard = detail::timer_shard_for_this_thread();
  detail::propagate(parent.node(), n);
  constexpr auto kDeadline = static_cast<std::uint32_t>(errc::deadline_exceeded);
  if (d <= Clock::now()) {
    detail::cancel(n, kDeadline, why);
  } else if (n->has_timer && n->live()) {
    detail::timer_add(n);
    // A cancel that raced with timer_add might have missed the entry.
    if (n->state.load(std::memory_order_seq_cst) != 0) detail::timer_remove(n);
  }
  return {std::move(c), CancelFunc(n, detail::AdoptFunc{})};
}
}  // namespace

CancelPair with_deadline(const Context& parent, Clock::time_point d, std::source_location where) {
  return deadline_impl(parent, d, {}, "ctx::with_deadline", where);
}
CancelPair with_deadline_cause(const Context& parent, Clock::time_point d, std::error_code cause,
                               std::source_location where) {
  return deadline_impl(parent, d, cause, "ctx::with_deadline_cause", where);
}
CancelPair with_timeout(const Context& parent, Clock::duration t, std::source_location where) {
  if (!parent) detail::throw_null("ctx::with_timeout");
  return deadline_impl(parent, detail::saturating_add(Clock::now(), t), {}, "ctx::with_timeout",
                       where);
}
CancelPair with_timeout_cause(const Context& parent, Clock::duration t, std::error_code cause,
                              std::source_location where) {
  if (!parent) detail::throw_null("ctx::with_timeout_cause");
  return deadline_impl(parent, detail::saturating_add(Clock::now(), t), cause,
                       "ctx::with_timeout_cause", where);
}

Context without_cancel(const Context& parent) {
  if (!parent) detail::throw_null("ctx::without_cancel");
  auto* n = new detail::WithoutCancelNode();
  detail::acquire(parent.node());
  n->parent = parent.node();
  return Context::adopt(n);
}

std::error_code cause(const Context& c) {
  if (!c) detail::throw_null("ctx::cause");
  detail::Node* n = c.node();
  if (const detail::CancelNode* cell = detail::cell_of(n)) {
    if (cell->live()) return {};
    return cell->cause();
  }
  return detail::custom_of(n)->impl->cause();
}

StopFunc after_func(const Context& c, std::function<void()> f) {
  if (!c) detail::throw_null("ctx::after_func");
  if (!f) throw std::invalid_argument("ctx::after_func: empty function");
  detail::Node* node = c.node();
  auto rec = std::make_shared<detail::AfterFuncRec>();
  Context private_child;
  detail::CancelNode* n;
  if (detail::CancelNode* cell = detail::cell_of(node)) {
    n = cell;
  } else {
    // A custom context: as Go does, register a private child with it (through
    // after_end), so that stopping un-registers from the custom context too.
    n = detail::new_child(c, "ctx::after_func");
    private_child = Context::adopt(n);
    detail::propagate(node, n);
    rec->owns_node = true;
  }
  rec->f = std::move(f);
  if (n->never) return StopFunc(std::move(rec));
  detail::NodeExtras& x = n->get_extras();
  bool ended;
  {
    std::lock_guard<detail::NodeMutex> g(n->mu);
    ended = n->state.load(std::memory_order_relaxed) != 0;
    if (!ended) {
      detail::acquire(n);
      rec->node = n;
      rec->self = rec;
      rec->prev = nullptr;
      rec->next = x.first_af;
      if (x.first_af != nullptr) x.first_af->prev = rec.get();
      x.first_af = rec.get();
      rec->linked = true;
    }
  }
  if (ended) {
    rec->claimed.store(true, std::memory_order_relaxed);
    detail::executor_post(std::move(rec->f));
  }
  return StopFunc(std::move(rec));
}

bool StopFunc::operator()() const {
  if (!rec_) return false;
  if (rec_->claimed.exchange(true, std::memory_order_acq_rel)) return false;
  std::shared_ptr<detail::AfterFuncRec> keep;
  if (detail::CancelNode* n = rec_->node) {  // immutable, and kept alive by rec_
    std::lock_guard<detail::NodeMutex> g(n->mu);
    if (rec_->linked) {
      detail::unlink_af(n, rec_.get());
      keep = std::move(rec_->self);
    }
  }
  rec_->f = nullptr;  // we won the claim: nobody else touches f
  if (rec_->owns_node && rec_->node != nullptr)
    detail::cancel(rec_->node, static_cast<std::uint32_t>(errc::canceled), {});
  return true;
}

Context from_stop_token(const Context& parent, std::stop_token t) {
  detail::CancelNode* n = detail::new_child(parent, "ctx::from_stop_token");
  Context c = Context::adopt(n);
  detail::propagate(parent.node(), n);
  if (t.stop_requested()) {
    detail::cancel(n, static_cast<std::uint32_t>(errc::canceled), {});
  } else if (t.stop_possible()) {
    n->get_extras().stop_cb.emplace(std::move(t), detail::StopTokenCancel{n});
  }
  return c;
}

Context make_context(std::shared_ptr<ContextImpl> impl) {
  if (!impl) throw std::invalid_argument("ctx::make_context: null implementation");
  return Context::adopt(new detail::CustomNode(std::move(impl)));
}

ValueView lookup_value(const Context& c, const KeyView& key) {
  if (!c) detail::throw_null("ctx::lookup_value");
  return detail::lookup(c.node(), key);
}

// ---------------------------------------------------------------------------
// debug
// ---------------------------------------------------------------------------
namespace debug {
namespace {
detail::CancelNode* own_cell(const Context& c) {
  if (!c) detail::throw_null("ctx::debug");
  detail::Node* n = c.node();
  if (n->kind != detail::Kind::cancel && n->kind != detail::Kind::never) return nullptr;
  return static_cast<detail::CancelNode*>(n);
}
detail::CancelNode* any_cell(const Context& c) {
  if (!c) detail::throw_null("ctx::debug");
  detail::Node* n = c.node();
  if (detail::CancelNode* cell = detail::cell_of(n)) return cell;
  return detail::custom_of(n)->shadow.load();
}
// The signal c's Done reads, if one was made yet.
detail::SignalState* any_signal(const Context& c) {
  detail::CancelNode* n = any_cell(c);
  return n != nullptr ? n->signal() : nullptr;
}
}  // namespace

std::size_t child_count(const Context& c) {
  detail::CancelNode* n = own_cell(c);
  if (n == nullptr) return 0;
  std::size_t k = 0;
  {
    std::lock_guard<detail::NodeMutex> g(n->mu);
    for (auto* ch = n->first_child; ch != nullptr; ch = ch->next) ++k;
  }
  if (detail::Fanout* f = detail::fanout_of(n)) {
    for (unsigned i = 0; i <= f->mask; ++i) {
      std::lock_guard<detail::NodeMutex> g(f->shards[i].mu);
      for (auto* ch = f->shards[i].first; ch != nullptr; ch = ch->next) ++k;
    }
  }
  return k;
}
std::size_t fan_out_shards(const Context& c) {
  detail::CancelNode* n = own_cell(c);
  detail::Fanout* f = n != nullptr ? detail::fanout_of(n) : nullptr;
  return f != nullptr && f->open.load() ? f->mask + 1 : 0;
}
bool fan_out(const Context& c) {
  detail::CancelNode* n = own_cell(c);
  if (n == nullptr || n->never) return false;
  detail::maybe_fan_out(n, /*now=*/true);
  return fan_out_shards(c) != 0;
}
std::size_t after_func_count(const Context& c) {
  detail::CancelNode* n = any_cell(c);
  if (n == nullptr) return 0;
  std::lock_guard<detail::NodeMutex> g(n->mu);
  std::size_t k = 0;
  if (detail::NodeExtras* x = n->extras_or_null())
    for (auto* r = x->first_af; r != nullptr; r = r->next) ++k;
  return k;
}
std::size_t pending_timers() { return detail::timer_pending(); }
bool has_native_handle(const Context& c) {
  detail::SignalState* s = any_signal(c);
  return s != nullptr && s->fd.load() >= 0;
}
bool has_stop_source(const Context& c) {
  detail::SignalState* s = any_signal(c);
  detail::Waiter* w = s != nullptr ? s->waiter.load() : nullptr;
  return w != nullptr && w->ss.load() != nullptr;
}
std::size_t references(const Context& c) {
  if (!c) detail::throw_null("ctx::debug");
  return c.node()->immortal ? 0 : c.node()->refs.load() & (detail::kFanoutRef - 1);
}
std::size_t pooled_signals() { return detail::signal_pool_size(); }
std::size_t executor_threads() { return detail::executor_thread_count(); }
bool timer_thread_started() { return detail::timer_started(); }
}  // namespace debug

}  // namespace ctx
