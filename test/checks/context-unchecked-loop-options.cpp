// RUN: %check_clang_tidy %s context-unchecked-loop %t -- \
// RUN:   -config="{CheckOptions: {context-unchecked-loop.BlockingFunctions: '::net::Conn::read_frame;::net::wait_any', ContextTypes: '::grpc::ServerContext'}}" -- -isystem %ctx_inputs/system

#include <custom_context.h>
#include <thread>

namespace net {
struct Base {
  int read_frame();
};
// The member is declared in a base the list does not name: it matches
// through the class of the object it is called on.
struct Conn : Base {};
struct Other : Base {};
void wait_any();
} // namespace net

void serve(grpc::ServerContext *ctx, net::Conn &conn, net::Other &other) {
  while (conn.read_frame() > 0) {
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:10: note: blocking call of 'net::Base::read_frame'
  }
  for (;;)
    net::wait_any();
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of 'net::wait_any'
  // Not listed: the default list is replaced.
  while (other.read_frame() > 0)
    std::this_thread::yield();
  // The custom context, looked at.
  while (!ctx->IsCancelled())
    net::wait_any();
}
