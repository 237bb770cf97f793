// <ctx/extension.hpp>: implementing your own context type.
//
// Derive from ctx::ContextImpl, then wrap an instance with ctx::make_context.
// The result is an ordinary ctx::Context: it can be passed anywhere, and
// contexts derived from it (with_cancel, with_value, after_func, ...) work as
// usual. Cancellation propagates from your context to its children through
// ContextImpl::after_end (Go 1.21's afterFuncer): the runtime registers one
// callback per child that must end when yours does; no thread is started.
//
// Example: see test/runtime/doc_examples.cpp (CustomContext) and
// docs/runtime.md#custom-contexts.
#pragma once

#include <ctx/context.hpp>

namespace ctx {

class ContextImpl {
 public:
  virtual ~ContextImpl() = default;

  // As Context::deadline().
  virtual std::optional<Clock::time_point> deadline() const = 0;
  // As Context::err(): {} while live, then an errc value forever.
  virtual std::error_code err() const = 0;
  // As ctx::cause(); defaults to err().
  virtual std::error_code cause() const { return err(); }
  // The value for `key`, or a default ValueView if absent. To delegate to a
  // parent Context, return ctx::lookup_value(parent, key).
  virtual ValueView value(const KeyView& key) const = 0;
  // Arrange for f to be called once, on any thread, after this context ends
  // (inline or soon if it already has). Returns a stop function: calling it
  // returns true if it prevented f from running, false if f already ran or
  // is running. f must be callable while the implementation holds no lock
  // that f might need; f only marks runtime contexts ended and never blocks.
  // A simple implementation is to forward to ctx::after_func on an inner
  // runtime context.
  virtual std::function<bool()> after_end(std::function<void()> f) = 0;
};

// Wraps a custom implementation into a Context. Throws std::invalid_argument
// if impl is null. done() on the result is served by a runtime-owned state
// word that after_end marks ended, so it may become ready slightly after the
// implementation's err() becomes non-empty.
Context make_context(std::shared_ptr<ContextImpl> impl);

// A lookup on any context, type-erased; for ContextImpl::value delegation.
ValueView lookup_value(const Context& c, const KeyView& key);

}  // namespace ctx
