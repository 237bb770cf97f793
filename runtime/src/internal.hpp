// Internal structures of the runtime. Not installed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

#include <ctx/context.hpp>
#include <ctx/extension.hpp>

namespace ctx::detail {

struct Waiter {
  std::mutex m;
  std::condition_variable cv;
};

struct CancelNode;

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

// The state-owning node: with_cancel*, with_deadline*, from_stop_token,
// custom-context shadows, and the immortal roots (never == true).
struct CancelNode final : CellNode {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  CancelNode() noexcept : CellNode(Kind::cancel) { cell = this; }
  ~CancelNode() override;

  std::mutex mu;
  // --- guarded by mu ---
  CancelNode* first_child = nullptr;
  AfterFuncRec* first_af = nullptr;
  // --- guarded by reg_parent->mu ---
  CancelNode* prev = nullptr;
  CancelNode* next = nullptr;
  bool linked = false;
  // --- owned by whoever detached this node from its parent's list ---
  CancelNode* cancel_next = nullptr;
  // --- written once before the state word is published ---
  std::error_code cause_;
  // --- immutable after construction ---
  bool never = false;
  bool has_timer = false;
  CancelNode* reg_parent = nullptr;            // the cell this node is linked into
  std::optional<Clock::time_point> deadline;   // effective deadline
  Clock::time_point timer_at{};                // own deadline (has_timer)
  std::error_code deadline_cause;
  std::shared_ptr<CustomLink> custom_link;
  std::optional<std::stop_callback<StopTokenCancel>> stop_cb;
  // --- guarded by the timer service's mutex ---
  std::size_t heap_index = npos;
  std::uint8_t timer_shard = 0;                // set before the node is inserted
  // --- lazily created, published with CAS ---
  std::atomic<Waiter*> waiter{nullptr};
  std::atomic<int> fd{-1};
  std::atomic<std::stop_source*> ss{nullptr};
};

struct WithoutCancelNode final : Node {
  WithoutCancelNode() noexcept : Node(Kind::without_cancel) {}
};

struct CustomNode final : Node {
  explicit CustomNode(std::shared_ptr<ContextImpl> i) noexcept
      : Node(Kind::custom), impl(std::move(i)) { custom = this; }
  ~CustomNode() override;
  std::shared_ptr<ContextImpl> impl;
  std::atomic<CancelNode*> shadow{nullptr};
};

bool try_acquire(Node* n) noexcept;
void cancel(CancelNode* n, std::uint32_t err, std::error_code cause) noexcept;
CancelNode* root_background() noexcept;

// The shared timer service: a binary min-heap with index tracking.
void timer_add(CancelNode* n);  // n->timer_shard must be set before n is shared
std::uint8_t timer_shard_for_this_thread() noexcept;
void timer_remove(CancelNode* n) noexcept;
std::size_t timer_pending() noexcept;
bool timer_started() noexcept;

// The shared after_func executor: an elastic pool of worker threads.
void executor_post(std::function<void()> f);
std::size_t executor_thread_count() noexcept;

}  // namespace ctx::detail
