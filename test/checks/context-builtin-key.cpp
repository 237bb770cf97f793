// RUN: %check_clang_tidy %s context-builtin-key %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <ctx_system.h>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace api {
enum class Keys { identity };
enum Plain { request_id };
struct IdentityKey {};
inline constexpr IdentityKey identity_key{};
} // namespace api
struct UserKey {};
struct Payload {};

void builtin(const ctx::Context &c) {
  (void)ctx::with_value(c, "request-id", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'const char *', a pointer to characters that other code can use as a key too; define a key type of your own (e.g. 'struct FooKey {};') or use 'ctx::Key<T>' [context-builtin-key]
  (void)ctx::with_value(c, 42, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'int', a built-in type
  (void)ctx::with_value(c, 'k', 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'char', a built-in type
  (void)ctx::with_value(c, true, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'bool'
  (void)ctx::with_value(c, 1.5, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'double'
  (void)ctx::with_value(c, nullptr, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::nullptr_t'
  (void)ctx::with_value(c, u8"k", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'const char8_t *', a pointer to characters
  (void)ctx::with_value(c, L"k", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'const wchar_t *'
  (void)ctx::with_value(c, std::string("k"), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::string' {{.*}}a standard string type
  (void)ctx::with_value(c, std::string_view("k"), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::string_view' {{.*}}a standard string type
  std::wstring ws;
  (void)ctx::with_value(c, ws, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type '{{std::wstring|std::basic_string<wchar_t>}}'
  const std::size_t n = 3;
  (void)ctx::with_value(c, n, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::size_t'
  char buf[8] = "k";
  (void)ctx::with_value(c, buf, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'char *', a pointer to characters
  (void)ctx::with_value(c, (std::uint64_t)7, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::uint64_t'
}

// Through the user's own aliases: say so.
using UserId = int;
typedef std::string Name;
template <class T> using Same = T;
void aliases(const ctx::Context &c) {
  UserId id = 1;
  (void)ctx::with_value(c, id, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'int' via alias 'UserId', a built-in type
  (void)ctx::with_value(c, Name("n"), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::basic_string<char>' via alias 'Name', a standard string type
  Same<long> l = 0;
  (void)ctx::with_value(c, l, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'long' via alias 'Same', a built-in type
}

// Not flagged: enums (SA1029 once flagged a constant of a user-defined type
// from another package), user classes, ctx::Key, pointers to user types.
ctx::Key<int> user_id_key;
void fine(const ctx::Context &c) {
  (void)ctx::with_value(c, api::Keys::identity, 1);
  (void)ctx::with_value(c, api::request_id, 1);
  (void)ctx::with_value(c, api::identity_key, 1);
  (void)ctx::with_value(c, UserKey{}, 1);
  (void)ctx::with_value(c, user_id_key, 1);
  (void)ctx::with_value(c, &user_id_key, 1);
  static Payload p;
  (void)ctx::with_value(c, &p, 1);
  // The value may be anything.
  (void)ctx::with_value(c, UserKey{}, "value");
}

// Templates: reported once on the template, even when the key's type
// differs per instantiation.
template <class K> ctx::Context set(const ctx::Context &c, K k) {
  return ctx::with_value(c, k, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: with_value key has type '{{int|const char \*}}'
}
template <class V> ctx::Context set_value(const ctx::Context &c, V v) {
  return ctx::with_value(c, "fixed", v);
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: with_value key has type 'const char *'
}
void use_templates(const ctx::Context &c) {
  set(c, 1);
  set(c, "s");
  set(c, UserKey{});
  set_value(c, 1);
  set_value(c, 2.0);
}

// Macros and NOLINT.
#define WITH_STRING_KEY(c, v) ctx::with_value(c, "macro-key", v)
void macros(const ctx::Context &c) {
  (void)WITH_STRING_KEY(c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: with_value key '"macro-key"' from macro 'WITH_STRING_KEY' has type 'const char *'
  (void)ctx::with_value(c, "k", 1); // NOLINT(context-builtin-key)
  // NOLINTNEXTLINE(context-builtin-key)
  (void)ctx::with_value(c, 1, 1);
}

// Two keys in one macro expansion are two reports, each naming its key.
#define TWO_KEYS(c) ctx::with_value(ctx::with_value(c, "a", 1), "b", 2)
#define KEY_CONSTANT "constant"
void nested_macro(const ctx::Context &c) {
  (void)TWO_KEYS(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: with_value key '"a"' from macro 'TWO_KEYS' has type 'const char *'
  // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: with_value key '"b"' from macro 'TWO_KEYS' has type 'const char *'
  (void)ctx::with_value(c, KEY_CONSTANT, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'const char *'
}

// A variable's type as declared: sugar kept, references and const dropped.
void variables(const ctx::Context &c, const std::string &ref, std::string_view view) {
  (void)ctx::with_value(c, ref, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::string' (aka '{{.*}}basic_string<char{{.*}}>'), a standard string type
  std::string local;
  (void)ctx::with_value(c, local, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::string' (aka
  (void)ctx::with_value(c, view, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::string_view' (aka
  // What a call returns: without the standard library's member typedefs.
  (void)ctx::with_value(c, std::move(local), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: with_value key has type 'std::{{(__cxx11::)?}}basic_string<char{{.*}}>', a standard string type
}
