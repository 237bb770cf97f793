// signal_context: Go's signal.NotifyContext.
//
// The handler is async-signal-safe: it writes the signal's number to a pipe
// and restores errno. A watcher thread (started on the first registration)
// reads the pipe and cancels the contexts registered for that signal, outside
// the registry's lock. A context leaves the registry when it ends, by
// whatever cause (its CancelNode's on_end hook), and the signal's previous
// disposition comes back when nobody listens to it any more.
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "internal.hpp"

namespace ctx {
namespace detail {
namespace {

class SignalCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "signal"; }
  // Go's text ("interrupt signal received"), then the signal's name.
  std::string message(int sig) const override {
    std::string what = ::strsignal(sig);
    for (char& ch : what) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string m = what + " signal received";
    if (const char* abbrev = ::sigabbrev_np(sig)) m += std::string(" (SIG") + abbrev + ")";
    return m;
  }
};

volatile sig_atomic_t g_write_fd = -1;  // read by the handler

extern "C" void on_signal(int sig) {
  const int saved = errno;
  const auto b = static_cast<unsigned char>(sig);
  // A full pipe drops the byte: the watcher has plenty queued to wake on.
  const int fd = g_write_fd;
  if (fd >= 0) {
    [[maybe_unused]] ssize_t rc = ::write(fd, &b, 1);
  }
  errno = saved;
}

struct Registration {
  CancelNode* node;        // a strong reference, dropped on unregistration
  std::vector<int> sigs;
};

class Registry {
 public:
  void add(CancelNode* n, const std::vector<int>& sigs) {
    std::lock_guard<std::mutex> g(m_);
    start_locked();
    regs_.push_back({n, sigs});
    acquire(n);
    for (int s : sigs) {
      if (listeners_[s]++ != 0) continue;
      struct sigaction sa {};
      sa.sa_handler = &on_signal;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = SA_RESTART;
      ::sigaction(s, &sa, &old_[s]);
    }
  }
  // Idempotent: the on_end hook and signal_context may both call it.
  void remove(CancelNode* n) noexcept {
    CancelNode* dropped = nullptr;
    {
      std::lock_guard<std::mutex> g(m_);
      auto it = std::find_if(regs_.begin(), regs_.end(),
                             [n](const Registration& r) { return r.node == n; });
      if (it == regs_.end()) return;
      for (int s : it->sigs)
        if (--listeners_[s] == 0) ::sigaction(s, &old_[s], nullptr);
      dropped = it->node;
      regs_.erase(it);
    }
    release(dropped);  // the caller holds its own reference
  }

  // fork(): prepare takes the lock (registrations are whole in the child),
  // parent releases it. The child has the parent's pipe, whose reader is the
  // parent's watcher (a signal to the child would end the parent's contexts),
  // and no watcher of its own: it gets a pipe and a watcher thread of its own,
  // so the contexts it inherited end on the child's signals, as new ones do.
  void fork_prepare() noexcept { m_.lock(); }
  void fork_parent() noexcept { m_.unlock(); }
  void fork_child() noexcept {
    if (started_) {
      ::close(read_fd_);
      ::close(g_write_fd);
      g_write_fd = -1;
      started_ = false;
      try {
        start_locked();
      } catch (...) {
        // No pipe or thread: the signals are dropped (the handler sees -1).
      }
    }
    m_.unlock();
  }

 private:
  void start_locked() {
    if (started_) return;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "ctx::signal_context: pipe");
    ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
    std::thread([this, rfd = fds[0]] { watch(rfd); }).detach();
    read_fd_ = fds[0];
    g_write_fd = fds[1];
    started_ = true;
  }

  [[noreturn]] void watch(int rfd) {
    unsigned char buf[64];
    std::vector<CancelNode*> hit;
    for (;;) {
      const ssize_t n = ::read(rfd, buf, sizeof buf);
      if (n <= 0) continue;  // EINTR
      for (ssize_t i = 0; i < n; ++i) {
        const int sig = buf[i];
        {
          std::lock_guard<std::mutex> g(m_);
          for (const Registration& r : regs_)
            if (std::find(r.sigs.begin(), r.sigs.end(), sig) != r.sigs.end() &&
                try_acquire(r.node))
              hit.push_back(r.node);
        }
        // Unregister first, then cancel (outside the lock: cancel() takes
        // it again through on_end, a no-op by then): whoever sees the end
        // also sees the signal's previous disposition back.
        for (CancelNode* c : hit) remove(c);
        for (CancelNode* c : hit) {
          cancel(c, static_cast<std::uint32_t>(errc::canceled), {sig, signal_category()});
          release(c);
        }
        hit.clear();
      }
    }
  }

  std::mutex m_;
  bool started_ = false;
  int read_fd_ = -1;
  std::vector<Registration> regs_;
  int listeners_[NSIG] = {};
  struct sigaction old_[NSIG] = {};
};

std::atomic<Registry*> the_registry{nullptr};

Registry& registry() {
  // Immortal (its thread outlives statics); no function-local static, whose
  // guard a fork could leave taken in the child.
  return *create_once(the_registry, [] { return new Registry(); });
}

void unregister(CancelNode* n) noexcept { registry().remove(n); }

Registry* forking_registry = nullptr;  // what os_signal_fork_prepare locked

}  // namespace

void os_signal_fork_prepare() noexcept {
  forking_registry = &registry();  // created now if need be (internal.hpp, fork)
  forking_registry->fork_prepare();
}
void os_signal_fork_parent() noexcept {
  if (forking_registry != nullptr) forking_registry->fork_parent();
}
void os_signal_fork_child() noexcept {
  if (forking_registry != nullptr) forking_registry->fork_child();
}
}  // namespace detail

const std::error_category& signal_category() noexcept {
  static const detail::SignalCategory c;
  return c;
}

CancelPair signal_context(const Context& parent, std::initializer_list<int> signals) {
  if (!parent) detail::throw_null("ctx::signal_context");
  std::vector<int> sigs;
  for (int s : signals) {
    if (s <= 0 || s >= NSIG || s == SIGKILL || s == SIGSTOP)
      throw std::invalid_argument("ctx::signal_context: signal " + std::to_string(s) +
                                  " cannot be caught");
    if (std::find(sigs.begin(), sigs.end(), s) == sigs.end()) sigs.push_back(s);
  }
  CancelPair p = with_cancel(parent);
  auto* n = static_cast<detail::CancelNode*>(p.first.node());
  // on_end first, then the registration, then a look at the state: a cancel
  // racing with this either sees on_end or is seen here (both seq_cst).
  n->get_extras().on_end.store(&detail::unregister, std::memory_order_seq_cst);
  detail::registry().add(n, sigs);
  if (n->state.load(std::memory_order_seq_cst) != 0) detail::unregister(n);
  return p;
}

}  // namespace ctx
