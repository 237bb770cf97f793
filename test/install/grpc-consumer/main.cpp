#include <ctx/grpc.hpp>

#include <cstdio>

int main() {
  auto [c, cancel] = ctx::with_timeout(ctx::background(), std::chrono::seconds(10));
  ctx::grpc::ClientCall call(c);
  cancel();
  if (ctx::grpc::to_status(c).error_code() != grpc::StatusCode::CANCELLED) return 1;
  if (ctx::grpc::to_error(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "")) != ctx::errc::deadline_exceeded)
    return 1;
  std::puts("consumer ok");
  return 0;
}
