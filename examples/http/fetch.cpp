// The outgoing call of the /fetch route: libcurl's multi interface, polled
// together with the context's Done descriptor, so the transfer stops (and
// its connection closes: the upstream sees the disconnect) the moment the
// context ends, by a cancel or by its deadline: the deadline bounds the
// whole transfer through the context alone. (A libcurl timeout set to the
// same instant raced the context's timer: when libcurl's fired first, the
// budget's end looked like the upstream's failure, a 502.)
#include <curl/curl.h>
#include <poll.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "handlers.hpp"

namespace app {
namespace {

std::size_t append(char* p, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

struct Multi {
  CURLM* m = curl_multi_init();
  CURL* e = curl_easy_init();
  ~Multi() {
    curl_multi_remove_handle(m, e);
    curl_easy_cleanup(e);  // closes the connection
    curl_multi_cleanup(m);
  }
};

}  // namespace

std::string fetch(const ctx::Context& c, const std::string& url) {
  if (auto e = c.err()) throw std::system_error(e);
  Multi t;
  if (t.m == nullptr || t.e == nullptr) throw std::runtime_error("libcurl: out of memory");
  std::string body;
  curl_easy_setopt(t.e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(t.e, CURLOPT_WRITEFUNCTION, &append);
  curl_easy_setopt(t.e, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(t.e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t.e, CURLOPT_FORBID_REUSE, 1L);
  curl_multi_add_handle(t.m, t.e);
  curl_waitfd done{};
  done.fd = c.done().native_handle();  // readable once c ends
  done.events = CURL_WAIT_POLLIN;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(t.m, &running) != CURLM_OK) throw std::runtime_error("libcurl: multi_perform");
    if (running == 0) break;
    int ready = 0;
    curl_multi_poll(t.m, &done, 1, 1000, &ready);
    if (auto e = c.err()) throw std::system_error(e);  // ~Multi aborts the transfer
  }
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(t.m, &left)) {
    if (msg->msg != CURLMSG_DONE || msg->data.result == CURLE_OK) continue;
    if (auto e = c.err()) throw std::system_error(e);
    throw std::runtime_error(std::string("upstream: ") + curl_easy_strerror(msg->data.result));
  }
  return body;
}

}  // namespace app
