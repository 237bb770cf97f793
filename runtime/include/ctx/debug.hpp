// <ctx/debug.hpp>: introspection for tests and diagnostics. Not a stable API.
#pragma once

#include <cstddef>
#include <functional>
#include <source_location>

#include <ctx/context.hpp>

namespace ctx::debug {

// Number of children currently registered with c itself (0 for contexts
// that cannot end on their own, such as with_value or background()).
std::size_t child_count(const Context& c);
// A context that threads derive from at once registers its children per
// CPU (a fan-out), from the 8th time derivations meet on its lock until it
// ends or its last CancelFunc goes. fan_out_shards: the number of
// per-CPU lists while that lasts, else 0. fan_out: makes c fan out now, as
// contention would (for tests); false if c cannot (it has no CancelFunc
// left, has ended, or is not a with_cancel/with_deadline context itself).
std::size_t fan_out_shards(const Context& c);
bool fan_out(const Context& c);
// Number of deadlines currently pending in the shared timer service.
std::size_t pending_timers();
// Whether c's Done has created its eventfd / std::stop_source yet.
bool has_native_handle(const Context& c);
bool has_stop_source(const Context& c);
// Number of after_func callbacks currently registered on the context whose
// end c reports (c itself, or its nearest cancellable ancestor).
std::size_t after_func_count(const Context& c);
// Worker threads the after_func executor has started so far (alive now).
std::size_t executor_threads();
// Whether the timer thread has been started.
bool timer_thread_started();
// References held on c's own node (handles, CancelFuncs, children, the
// tree's hold after done()); 0 for background() and todo().
std::size_t references(const Context& c);
// State words kept for reuse by later contexts (see runtime/src/signal.cpp).
std::size_t pooled_signals();

// The run-time half of the context-lost-cancel check. When on, the last copy
// of a CancelFunc (or CancelCauseFunc) destroyed without having been called,
// while its context is live and registered with its parent, is reported
// once per call site, naming where the context was created (the factory's
// caller). Off unless the environment has CTX_DEBUG_LOST_CANCEL=1 (any value
// but empty or 0) when the program starts, or it is turned on here; off, it
// costs one relaxed load per CancelFunc destroyed.
void set_lost_cancel_detection(bool on) noexcept;
bool lost_cancel_detection() noexcept;
// Where reports go. Empty (the default): one line on stderr. Called on the
// thread that destroyed the CancelFunc, with no runtime lock held; what it
// throws is dropped. Returns the previous handler.
using LostCancelHandler = std::function<void(const std::source_location& created)>;
LostCancelHandler set_lost_cancel_handler(LostCancelHandler h);
// Forgets which call sites have been reported (each is reported once).
void clear_lost_cancel_reports();

}  // namespace ctx::debug
