// ctx::grpc: error categories, status mapping both ways, clock conversion
// and metadata keys (see <ctx/grpc.hpp>).
#include <ctx/grpc.hpp>

#include <array>
#include <stdexcept>

namespace ctx::grpc {
namespace {

class RpcEndCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "grpc.rpc_end"; }
  std::string message(int ev) const override {
    switch (static_cast<rpc_end>(ev)) {
      case rpc_end::cancelled: return "the RPC was cancelled";
      case rpc_end::deadline: return "the RPC's deadline passed";
      case rpc_end::completed: return "the RPC completed";
    }
    return "unknown rpc_end " + std::to_string(ev);
  }
};

constexpr std::array<const char*, 17> kStatusNames = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED"};

class StatusCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "grpc.status"; }
  std::string message(int ev) const override {
    if (ev >= 0 && ev < static_cast<int>(kStatusNames.size())) return kStatusNames[ev];
    return "gRPC status " + std::to_string(ev);
  }
};

const RpcEndCategory rpc_end_instance;
const StatusCategory status_instance;

::grpc::StatusCode code_of(std::error_code e) {
  if (e.category() == status_category()) return static_cast<::grpc::StatusCode>(e.value());
  if (e == errc::deadline_exceeded || e == rpc_end::deadline || e == std::errc::timed_out)
    return ::grpc::StatusCode::DEADLINE_EXCEEDED;
  if (e.category() == context_category() || e.category() == rpc_end_category() ||
      e == std::errc::operation_canceled)
    return ::grpc::StatusCode::CANCELLED;
  return ::grpc::StatusCode::UNKNOWN;
}

}  // namespace

const std::error_category& rpc_end_category() noexcept { return rpc_end_instance; }
std::error_code make_error_code(rpc_end e) noexcept {
  return {static_cast<int>(e), rpc_end_category()};
}
const std::error_category& status_category() noexcept { return status_instance; }

std::error_code to_error(const ::grpc::Status& s) {
  switch (s.error_code()) {
    case ::grpc::StatusCode::OK: return {};
    case ::grpc::StatusCode::CANCELLED: return errc::canceled;
    case ::grpc::StatusCode::DEADLINE_EXCEEDED: return errc::deadline_exceeded;
    default: return {static_cast<int>(s.error_code()), status_category()};
  }
}

::grpc::Status to_status(std::error_code e, std::string message) {
  if (!e) return ::grpc::Status::OK;
  if (message.empty()) message = e.message();
  return {code_of(e), std::move(message)};
}

::grpc::Status to_status(const Context& c) {
  const std::error_code err = c.err();
  if (!err) return ::grpc::Status::OK;
  const std::error_code why = cause(c);
  std::string message = "context " + err.message();
  if (why != err) message += ": " + why.message();
  return {code_of(err), std::move(message)};
}

// gRPC's "no deadline" is system_clock's max (its infinite future); a
// deadline further away than this is treated as none, so that adding it to
// steady_clock's now cannot overflow.
namespace {
constexpr auto kFar = std::chrono::hours(24 * 365 * 100);
}

// Each conversion reads the clock it converts to first: time passing
// between the two reads then makes the result earlier, never later, so a
// deadline carried across a hop never grows.
std::optional<Clock::time_point> from_grpc_deadline(std::chrono::system_clock::time_point d) {
  const auto steady_now = Clock::now();
  const auto sys_now = std::chrono::system_clock::now();
  if (d >= sys_now + kFar) return std::nullopt;
  return steady_now + std::chrono::duration_cast<Clock::duration>(d - sys_now);
}

std::chrono::system_clock::time_point to_grpc_deadline(Clock::time_point d) {
  const auto sys_now = std::chrono::system_clock::now();
  const auto steady_now = Clock::now();
  if (d >= steady_now + kFar) return std::chrono::system_clock::time_point::max();
  return sys_now + std::chrono::duration_cast<std::chrono::system_clock::duration>(d - steady_now);
}

MetadataKey::MetadataKey(std::string header) : header_(std::move(header)) {
  const bool bad_char = header_.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
                        std::string::npos;
  const bool binary = header_.size() >= 4 && header_.compare(header_.size() - 4, 4, "-bin") == 0;
  if (header_.empty() || bad_char || header_.rfind("grpc-", 0) == 0 || binary)
    throw std::invalid_argument("ctx::grpc::MetadataKey: '" + header_ +
                                "' is not a text metadata key (lower case, not grpc-*, not *-bin)");
}

void MetadataKey::inject(const Context& c, ::grpc::ClientContext& cc) const {
  if (const std::string* v = c.value(key_)) cc.AddMetadata(header_, *v);
}

Context MetadataKey::extract(const Context& parent, const ::grpc::ServerContextBase& sc) const {
  const auto& md = sc.client_metadata();
  const auto it = md.find(::grpc::string_ref(header_));
  if (it == md.end()) return parent;
  return with_value(parent, key_, std::string(it->second.data(), it->second.size()));
}

}  // namespace ctx::grpc
