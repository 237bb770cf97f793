// Context classes of other code bases, for the ContextTypes option tests.
#pragma once
namespace grpc {
class ServerContext {
public:
  ServerContext();
  bool IsCancelled() const;
};
class Status {};
} // namespace grpc

namespace my {
// A templated context: ContextTypes names the template.
template <class Tag> class BasicCtx {
public:
  BasicCtx();
  BasicCtx(decltype(nullptr));
};
struct DefaultTag {};
using Ctx = BasicCtx<DefaultTag>;
Ctx root();
} // namespace my
