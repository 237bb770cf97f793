// RUN: %check_clang_tidy %s context-stored-in-struct,context-stored-in-global,context-first-parameter %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContextBase;::grpc::ClientContext', \
// RUN:     context-stored-in-struct.AllowedClasses: '::grpc::ClientBidiReactor;::app::run::Local', \
// RUN:     context-first-parameter.AllowedTypesBefore: '::grpc::Service *;::app::run::Tag'}}"
// The general rules of 2026-12-07: a class publicly derived from a listed
// context type is a context type; AllowedClasses and AllowedTypesBefore
// match the classes derived from a listed one, and name a function's local
// class precisely; an implementation of a context (ctx::ContextImpl) holds
// its parent.

#include <ctx/context.hpp>

namespace grpc {
class ServerContextBase {};
class ServerContext : public ServerContextBase {};
class CallbackServerContext : public ServerContextBase {};
class GenericServerContext final : public ServerContext {};
class ClientContext {};
class Service {};
template <class Req, class Resp> class ClientBidiReactor {};
} // namespace grpc
class NotAContext : grpc::ServerContextBase {}; // private base: not a context

// Derived context types count, at any depth.
grpc::ServerContext *g_server;
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: global variable 'g_server' stores a context
// CHECK-MESSAGES: :[[@LINE-2]]:22: note: the context type it holds is 'grpc::ServerContext'
struct Holder {
  grpc::GenericServerContext *generic;
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: member 'generic' stores a context
  // CHECK-MESSAGES: :[[@LINE-2]]:31: note: the context type it holds is 'grpc::GenericServerContext'
  NotAContext *other;
};
void handle(int request, grpc::CallbackServerContext *context);
// CHECK-MESSAGES: :[[@LINE-1]]:55: warning: context 'context' of type '{{.*}}' is not the first parameter
void handle_private(int request, NotAContext *not_a_context);

// AllowedClasses: every reactor, whatever its arguments, and the local
// class of one function named precisely.
struct Req {};
struct Resp {};
class Reactor : public grpc::ClientBidiReactor<Req, Resp> {
  grpc::ClientContext context_; // allowed: derived from a listed class
};
class Unlisted {
  grpc::ClientContext context_;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: member 'context_' stores a context
};
namespace app {
void run() {
  struct Local {
    grpc::ClientContext context; // allowed: ::app::run::Local
  };
  struct Tag {};
  struct Other {
    grpc::ClientContext context;
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: member 'context' stores a context
  };
  // A local class named in AllowedTypesBefore.
  auto f = [](Tag, grpc::ClientContext *c) {};
  (void)f;
}
void other() {
  struct Local {
    grpc::ClientContext context;
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: member 'context' stores a context
  };
}
} // namespace app

// AllowedTypesBefore: one entry covers every generated service.
namespace helloworld {
class Greeter {
public:
  class Service : public grpc::Service {};
};
} // namespace helloworld
void dispatch(helloworld::Greeter::Service *service, grpc::ServerContext *context);
void dispatch_const(const helloworld::Greeter::Service *service, grpc::ServerContext *context);
void dispatch_other(Req *request, grpc::ServerContext *context);
// CHECK-MESSAGES: :[[@LINE-1]]:56: warning: context 'context' of type '{{.*}}' is not the first parameter
