#include "http.hpp"

#include <cctype>
#include <stdexcept>

namespace http {
namespace {

RequestParser& self(http_parser* p) { return *static_cast<RequestParser*>(p->data); }

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
  }
  return "Unknown";
}

class HttpCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "http"; }
  std::string message(int) const override { return "client disconnected"; }
};

}  // namespace

std::error_code client_disconnected() {
  static const HttpCategory cat;
  return {1, cat};
}

std::string serialize(const Response& r, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) +
                    "\r\nContent-Type: text/plain\r\nContent-Length: " +
                    std::to_string(r.body.size()) +
                    (keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
  out += r.body;
  return out;
}

RequestParser::RequestParser() {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  http_parser_settings_init(&settings_);
  settings_.on_url = &on_url;
  settings_.on_header_field = &on_header_field;
  settings_.on_header_value = &on_header_value;
  settings_.on_headers_complete = &on_headers_complete;
  settings_.on_body = &on_body;
  settings_.on_message_complete = &on_message_complete;
}

std::size_t RequestParser::feed(const char* data, std::size_t n) {
  if (complete_) return 0;
  const std::size_t used = http_parser_execute(&parser_, &settings_, data, n);
  const auto err = HTTP_PARSER_ERRNO(&parser_);
  if (err != HPE_OK && err != HPE_PAUSED)
    throw std::runtime_error(std::string("bad request: ") + http_errno_name(err));
  return used;
}

Request RequestParser::take() {
  Request r = std::move(req_);
  req_ = Request{};
  complete_ = false;
  http_parser_pause(&parser_, 0);
  return r;
}

int RequestParser::on_url(http_parser* p, const char* at, std::size_t n) {
  self(p).req_.target.append(at, n);
  return 0;
}

int RequestParser::on_header_field(http_parser* p, const char* at, std::size_t n) {
  RequestParser& s = self(p);
  if (s.in_value_) {
    s.req_.headers[s.field_] = s.value_;
    s.field_.clear();
    s.value_.clear();
    s.in_value_ = false;
  }
  for (std::size_t i = 0; i < n; ++i)
    s.field_ += static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
  return 0;
}

int RequestParser::on_header_value(http_parser* p, const char* at, std::size_t n) {
  RequestParser& s = self(p);
  s.in_value_ = true;
  s.value_.append(at, n);
  return 0;
}

int RequestParser::on_headers_complete(http_parser* p) {
  RequestParser& s = self(p);
  if (s.in_value_) s.req_.headers[s.field_] = s.value_;
  s.field_.clear();
  s.value_.clear();
  s.in_value_ = false;
  s.req_.method = http_method_str(static_cast<http_method>(p->method));
  s.req_.keep_alive = http_should_keep_alive(p) != 0;
  const auto q = s.req_.target.find('?');
  s.req_.path = s.req_.target.substr(0, q);
  return 0;
}

int RequestParser::on_body(http_parser* p, const char* at, std::size_t n) {
  self(p).req_.body.append(at, n);
  return 0;
}

int RequestParser::on_message_complete(http_parser* p) {
  self(p).complete_ = true;
  http_parser_pause(p, 1);  // one request at a time: the rest waits for take()
  return 0;
}

}  // namespace http
