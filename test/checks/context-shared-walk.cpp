// The checks share one walk of the code (checks/UserCodeWalk.h). Run
// together, each still sees what it would see alone: instantiations only if
// it asks for them (context-null does; the others report on the template,
// once), and "a context in scope" by its own ContextTypes.
// RUN: %check_clang_tidy %s context-null,context-stored-in-struct,context-unchecked-loop,context-not-passed,context-todo %t -- \
// RUN:   -config="{CheckOptions: {context-not-passed.ContextTypes: '::ctx::Context;::app::Token'}}" \
// RUN:   -- -isystem %ctx_inputs/system
// Each check alone finds the same as in the shared run:
// RUN: %check_clang_tidy -check-suffix=NULL %s context-null %t -- -- -isystem %ctx_inputs/system
// RUN: %check_clang_tidy -check-suffix=STRUCT %s context-stored-in-struct %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

namespace app {
struct Token {};
void fetch(int id);
void fetch(Token t, int id);
} // namespace app

void take(ctx::Context c);

// Only the instantiation knows that the argument is a context.
template <typename T> void forward(T arg) { take(arg); }
void callsForward() { forward(nullptr); }
// CHECK-MESSAGES: :[[@LINE-2]]:50: warning: null context 'arg' passed
// CHECK-MESSAGES-NULL: :[[@LINE-3]]:50: warning: null context 'arg' passed

// The pattern's field is dependent; its instantiation with a context is
// not reported (stored-in-struct reports on what the user wrote).
template <typename T> struct Box {
  T value;
};
Box<ctx::Context> boxed;

// A loop in a template: reported once, from the pattern, although the
// walk also goes through its instantiations for context-null.
template <typename T> void poll(const ctx::Context &c, T n) {
  for (T i = 0; i < n; ++i) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: this loop blocks but never looks at the context in scope
    std::this_thread::sleep_for(1ms);
  }
}
void callsPoll(const ctx::Context &c) {
  poll(c, 3);
  poll(c, 4L);
}

// Only the instantiation has a context in scope: context-unchecked-loop and
// context-not-passed do not look there.
template <typename C> void pollAny(C c) {
  while (true)
    std::this_thread::sleep_for(1ms);
}
template <typename C> void fetchAny(C c) { app::fetch(2); }
void callsAny(const ctx::Context &c, app::Token t) {
  pollAny(c);
  fetchAny(t);
}

// app::Token is a context for context-not-passed only.
void withToken(app::Token t) {
  app::fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'app::fetch' is called without the context in scope, but an overload of it takes one
  // CHECK-MESSAGES: :21:6: note: the variant that takes a context
  for (int i = 0; i < 3; ++i)
    std::this_thread::sleep_for(1ms); // no context in scope for context-unchecked-loop
}

// context-todo reports once per template, not once per instantiation.
template <typename T> ctx::Context start(T) { return ctx::todo(); }
// CHECK-MESSAGES: :[[@LINE-1]]:54: warning: {{.*}}todo
ctx::Context a = start(1);
ctx::Context b = start(2.0);
