#include "bench/metrics_scrape.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace guildhall::bench {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {
// Our server's /metrics is tens of KB; a body past this is not one.
constexpr std::uint64_t kMaxMetricsBytes = 4 * 1024 * 1024;
}  // namespace

result<std::string> fetch_metrics(const client::server_url& server) {
  if (server.secure) return fail(errc::invalid_argument, "metrics: https is not spoken by the load generator");
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    asio::ip::tcp::socket socket(io);
    asio::connect(socket, resolver.resolve(server.host, std::to_string(server.http_port)));
    http::request<http::empty_body> request{http::verb::get, "/metrics", 11};
    request.set(http::field::host, server.host + ":" + std::to_string(server.http_port));
    request.keep_alive(false);
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxMetricsBytes);
    http::read(socket, buffer, parser);
    if (parser.get().result() != http::status::ok) {
      return fail(errc::internal, "metrics: HTTP " + std::to_string(parser.get().result_int()));
    }
    return std::move(parser.get().body());
  } catch (const boost::system::system_error& error) {
    // Asio's blocking calls report by exception; here it is an expected outcome, so it becomes a value.
    return fail(errc::internal, std::string("metrics: ") + error.what());
  }
}

}  // namespace guildhall::bench
