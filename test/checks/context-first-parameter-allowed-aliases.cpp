// RUN: %check_clang_tidy %s context-first-parameter %t -- \
// RUN:   -config="{CheckOptions: {context-first-parameter.AllowedTypesBefore: '::std::string_view;::std::string;std::uint64_t;::app::Handle'}}"
// AllowedTypesBefore names types as the code spells them, aliases included:
// each level of a parameter type's sugar is compared (the alias names as
// written), and its canonical type.

#include <ctx/context.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace app {
struct Conn {};
using Handle = Conn *;
typedef std::string Name;
} // namespace app

void view(std::string_view s, ctx::Context c);
void string_ref(const std::string &s, ctx::Context c);
void string_value(std::string s, const ctx::Context &c);
void number(std::uint64_t n, ctx::Context c);
void handle(app::Handle h, ctx::Context c);
// An alias of a listed alias: its sugar reaches std::string.
void name(const app::Name &n, ctx::Context c);
// The listed alias's target spelled directly: its canonical name is not
// the listed one.
void raw_pointer(app::Conn *h, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:45: warning: context 'c' of type 'ctx::Context' is not the first parameter of 'raw_pointer'; move it before 'h' [context-first-parameter]
void other(int n, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:32: warning: context 'c' {{.*}} move it before 'n'
void wide(std::wstring s, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:40: warning: context 'c' {{.*}} move it before 's'
