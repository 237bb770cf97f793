// The HTTP/1.1 layer of the example server: requests parsed by Debian's
// http_parser (no parser of our own), responses, and the handler type.
#pragma once

#include <http_parser.h>

#include <functional>
#include <map>
#include <string>
#include <system_error>

#include <asio/awaitable.hpp>

#include <ctx/context.hpp>

namespace http {

struct Request {
  std::string method;
  std::string target;                          // path and query, as sent
  std::string path;                            // without the query
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool keep_alive = false;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string body;
};

// Serialises a response (Content-Length framing; text/plain).
std::string serialize(const Response& r, bool keep_alive);

// Go's http.Handler, with Go's r.Context() as the first parameter.
using Handler = std::function<asio::awaitable<Response>(ctx::Context, const Request&)>;

// Feeds bytes to http_parser one request at a time (pipelined bytes after
// a complete request stay unconsumed until take()).
class RequestParser {
 public:
  RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;
  // Returns the number of bytes consumed; throws std::runtime_error on a
  // malformed request.
  std::size_t feed(const char* data, std::size_t n);
  bool complete() const { return complete_; }
  Request take();  // the completed request; the parser moves on to the next

 private:
  static int on_url(http_parser* p, const char* at, std::size_t n);
  static int on_header_field(http_parser* p, const char* at, std::size_t n);
  static int on_header_value(http_parser* p, const char* at, std::size_t n);
  static int on_headers_complete(http_parser* p);
  static int on_body(http_parser* p, const char* at, std::size_t n);
  static int on_message_complete(http_parser* p);
  http_parser parser_{};
  http_parser_settings settings_{};
  Request req_;
  std::string field_, value_;
  bool in_value_ = false;
  bool complete_ = false;
};

// The cause of a request context that ended because its client went away.
std::error_code client_disconnected();

}  // namespace http
