// RUN: %check_clang_tidy %s context-first-parameter %t -- \
// RUN:   -config="{CheckOptions: {context-first-parameter.AllowedTypesBefore: '::testing::Test *; const  logging::Logger&;  ::Tag'}}"
// RUN: %check_clang_tidy -check-suffix=CUSTOM %s context-first-parameter %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContext;::my::BasicCtx'}}"

#include <ctx/context.hpp>
#include <custom_context.h>

namespace testing { class Test {}; }
namespace logging { class Logger {}; }
struct Tag {};

// Allowed before the context: exactly the listed types, however spaced or
// qualified; a bare class name also admits references to it.
void t1(testing::Test *t, ctx::Context c);
void t2(const logging::Logger &log, ctx::Context c);
void t3(Tag tag, const ctx::Context &c);
void t4(const Tag &tag, testing::Test *t, ctx::Context c);
using TestPtr = testing::Test *;
void t5(TestPtr t, ctx::Context c);

// Not listed: a reference where a pointer is listed, other classes.
void n1(testing::Test &t, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:40: warning: context 'c' of type 'ctx::Context' is not the first parameter of 'n1'; move it before 't'
void n2(testing::Test *t, int x, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:47: warning: context 'c' {{.*}} move it before 'x'
void n3(logging::Logger *log, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:44: warning: context 'c'

// Custom context types; ctx::Context is then an ordinary class.
void grpc_handler(grpc::Status *s, grpc::ServerContext *server);
// CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:57: warning: context 'server' of type 'grpc::ServerContext *' is not the first parameter of 'grpc_handler'; move it before 's'
void grpc_first(grpc::ServerContext *server, grpc::Status *s);
void mine(int x, my::Ctx c);
// CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:26: warning: context 'c' of type 'my::Ctx' {{.*}}is not the first parameter
typedef grpc::ServerContext SC;
template <class T> void through_typedef(T x, SC &c);
// CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:50: warning: context 'c' of type 'SC &' {{.*}}is not the first parameter
