// RUN: %check_clang_tidy %s context-not-passed %t -- \
// RUN:   -config="{CheckOptions: {context-not-passed.ContextSuffixes: 'Ctx', context-not-passed.AllowedFunctions: '::log::write;.*_startup', ContextTypes: '::grpc::ServerContext'}}" -- -isystem %ctx_inputs/system
// RUN: %clang_tidy --load %plugin %s -checks='-*,context-not-passed' --quiet \
// RUN:   -config="{CheckOptions: {context-not-passed.AllowedFunctions: '(unclosed'}}" \
// RUN:   -- -std=c++20 -I %ctx_inputs -isystem %ctx_inputs/system 2>&1 | FileCheck %s --check-prefix=BAD-REGEX
// BAD-REGEX: invalid regular expression in option 'AllowedFunctions' ('(unclosed')

#include <custom_context.h>

namespace db {
int Query(const char *sql);
int QueryCtx(grpc::ServerContext *c, const char *sql);
int Exec(const char *sql);
int ExecContext(grpc::ServerContext *c, const char *sql); // not a suffix here
} // namespace db
namespace log {
void write(const char *m);
void write(grpc::ServerContext *c, const char *m);
} // namespace log

void handle(grpc::ServerContext *ctx) {
  db::Query("select 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'db::Query' is called without the context in scope, but 'QueryCtx' takes one
  // CHECK-FIXES: {{^}}  db::QueryCtx(ctx, "select 1");{{$}}
  db::Exec("delete");
  log::write("allowed callee");
}
void run_startup(grpc::ServerContext *ctx) { db::Query("allowed caller"); }
