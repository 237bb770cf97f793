// RUN: %check_clang_tidy %s context-stored-in-struct,context-first-parameter,context-null %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContext;alt::Ctx;::tmpl::Alias;::usedecl::Other;::missing::Name'}}"
// ContextTypes names may be aliases: a typedef, a `using` alias (of a class
// or of one specialization), an alias template (for every specialization
// of the class template it names) or a using-declaration. Each stands for
// the class it denotes, however the code spells it.

namespace impl {
class ServerContext {
public:
  ServerContext();
  ServerContext(decltype(nullptr));
};
template <class T> class Basic {};
template <class T> class Single {};
class Other {};
class NotListed {};
} // namespace impl
namespace grpc {
typedef ::impl::ServerContext ServerContext;
}
namespace alt {
using Ctx = impl::Single<int>;
}
namespace tmpl {
template <class T> using Alias = impl::Basic<T>;
}
namespace usedecl {
using impl::Other;
}

struct Holder {
  impl::ServerContext *by_target;
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: member 'by_target' stores a context in a field of type 'impl::ServerContext *'
  grpc::ServerContext by_alias;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: member 'by_alias' stores a context in a field of type 'grpc::ServerContext' (aka '{{(::)?}}impl::ServerContext')
  impl::Single<int> specialization;
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: member 'specialization' stores a context
  impl::Single<char> other_specialization;
  impl::Basic<char> from_alias_template;
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: member 'from_alias_template' stores a context
  impl::Other from_using_declaration;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: member 'from_using_declaration' stores a context
  impl::NotListed not_listed;
};

void late(int x, impl::ServerContext &c);
// CHECK-MESSAGES: :[[@LINE-1]]:39: warning: context 'c' of type 'impl::ServerContext &' is not the first parameter of 'late'; move it before 'x' [context-first-parameter]

void take(const grpc::ServerContext &c);
void calls() {
  take(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr' passed for parameter 'c' of 'take'
  take(impl::ServerContext());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'impl::ServerContext()' passed
}
