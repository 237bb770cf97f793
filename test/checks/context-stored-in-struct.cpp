// RUN: %check_clang_tidy %s context-stored-in-struct %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <ctx_system.h>
#include <array>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

struct Direct {
  ctx::Context c;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'c' stores a context in a field of type 'ctx::Context'; pass the context as the first parameter of the functions that need it instead [context-stored-in-struct]
  int other;
  static ctx::Context shared; // static members are globals, not per-object state
};

class RefAndPtr {
  const ctx::Context &ref;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: member 'ref' stores a context in a field of type 'const ctx::Context &'
  // CHECK-MESSAGES: :[[@LINE-2]]:23: note: the context type it holds is 'ctx::Context'
  ctx::Context *ptr;
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: member 'ptr' stores a context in a field of type 'ctx::Context *'
  ctx::Context arr[2];
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'arr' stores a context in a field of type 'ctx::Context[2]'
public:
  RefAndPtr(const ctx::Context &r) : ref(r), ptr(nullptr) {}
};

struct Wrappers {
  std::optional<ctx::Context> opt;
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: member 'opt' stores a context in a field of type 'std::optional<ctx::Context>'
  std::shared_ptr<ctx::Context> sp;
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: member 'sp'
  std::unique_ptr<ctx::Context> up;
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: member 'up'
  std::weak_ptr<ctx::Context> wp;
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: member 'wp'
  std::vector<ctx::Context> vec;
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: member 'vec'
  std::array<ctx::Context, 3> arr;
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: member 'arr'
  std::deque<ctx::Context> dq;
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: member 'dq'
  std::list<ctx::Context> li;
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: member 'li'
  std::map<int, ctx::Context> m;
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: member 'm'
  std::unordered_map<std::string, std::vector<ctx::Context>> um;
  // CHECK-MESSAGES: :[[@LINE-1]]:62: warning: member 'um'
  std::set<ctx::Context *> s;
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: member 's'
  std::pair<ctx::Context, int> p;
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: member 'p'
  ctx::CancelPair cp;
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: member 'cp' stores a context in a field of type 'ctx::CancelPair'
  std::tuple<int, std::string, ctx::Context> t;
  // CHECK-MESSAGES: :[[@LINE-1]]:46: warning: member 't'
  std::variant<int, ctx::Context> v;
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: member 'v'
};

// Not contexts: a function that takes one, the runtime's other types, and a
// user's class template (checked where it declares its own members).
template <class T> struct Box { T value; };
struct NotStored {
  std::function<void(ctx::Context)> callback;
  std::function<ctx::Context()> factory;
  void (*fp)(const ctx::Context &);
  ctx::CancelFunc cancel;
  ctx::Done done;
  ctx::Key<int> key;
  Box<ctx::Context> boxed; // documented limitation: user templates are not looked into
  std::vector<int> ints;
  // Standard templates that do not store their argument.
  std::less<ctx::Context> less;
  std::hash<ctx::Context *> hash;
  std::equal_to<ctx::Context> eq;
  std::allocator<ctx::Context> alloc;
  std::set<int, std::less<ctx::Context>> ordered_ints;
  std::default_delete<ctx::Context> deleter;
};
// Keys are stored too; so is the element of a container adaptor.
struct StoredKeys {
  std::map<ctx::Context *, int> by_context;
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: member 'by_context'
  std::queue<ctx::Context> pending;
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: member 'pending'
  std::unique_ptr<ctx::Context[]> many;
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: member 'many'
};

// Aliases and templates resolve to the canonical type.
using Ctx = ctx::Context;
typedef std::optional<Ctx> MaybeCtx;
struct ThroughAliases {
  Ctx a;
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: member 'a' stores a context in a field of type 'Ctx'
  MaybeCtx b;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: member 'b' stores a context in a field of type 'MaybeCtx'
};

// One report on the template's field, none per instantiation.
template <class T> struct Templ {
  T payload;
  ctx::Context c;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'c' stores a context
};
Templ<int> ti;
Templ<double> td;
template struct Templ<char>;

// Unions, local and anonymous records.
union U {
  ctx::Context *c;
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: member 'c'
  int i;
};
struct WithAnon {
  struct {
    ctx::Context inner;
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: member 'inner'
  } anon_member;
  union {
    ctx::Context *in_anon_union;
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: member 'in_anon_union'
    int alt;
  };
};
void local_struct(const ctx::Context &c) {
  struct Local {
    ctx::Context c;
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: member 'c'
  };
  // A lambda capturing the context is not a struct the user wrote.
  auto by_copy = [c] { return c.err(); };
  auto by_ref = [&c] { return c.err(); };
  auto init = [held = c] { return held.err(); };
  (void)by_copy; (void)by_ref; (void)init;
}

// Macros: reported where the member is declared.
#define CONTEXT_MEMBER(name) ctx::Context name
struct FromMacro {
  CONTEXT_MEMBER(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: member 'm'
};

// NOLINT.
struct Suppressed {
  ctx::Context a; // NOLINT(context-stored-in-struct)
  // NOLINTNEXTLINE(context-stored-in-struct)
  ctx::Context b;
};

// Dependent member types are decided per instantiation and never reported
// (one report per template, and the template itself holds no context).
template <class T> struct Dependent {
  std::optional<T> maybe;
};
Dependent<ctx::Context> dep;

// An implementation of a context (derived from ctx::ContextImpl, at any
// depth) holds its parent: not flagged. A class of that name elsewhere is.
namespace ctx {
class ContextImpl {
public:
  virtual ~ContextImpl();
};
} // namespace ctx
class MyContext : public ctx::ContextImpl {
  ctx::Context parent_;
};
class Deeper : public MyContext {
  ctx::Context other_;
};
namespace app {
class ContextImpl {};
class NotAnImplementation : public app::ContextImpl {
  ctx::Context parent_;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'parent_' stores a context
};
} // namespace app
