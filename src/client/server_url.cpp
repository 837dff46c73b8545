#include "client/server_url.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>

namespace guildhall::client {

result<server_url> parse_server_url(const std::string& text) {
  server_url url;
  std::string_view rest = text;
  static constexpr struct {
    std::string_view prefix;
    server_url::scheme kind;
    bool secure;
  } kSchemes[] = {{"ws://", server_url::scheme::websocket, false},
                  {"wss://", server_url::scheme::websocket, true},
                  {"tcp://", server_url::scheme::tcp, false},
                  {"tls://", server_url::scheme::tcp, true},
                  {"udp://", server_url::scheme::udp, false},
                  {"udps://", server_url::scheme::udp, true}};
  const auto* scheme = std::find_if(std::begin(kSchemes), std::end(kSchemes),
                                    [&](const auto& known) { return rest.starts_with(known.prefix); });
  if (scheme == std::end(kSchemes)) {
    return fail(errc::invalid_argument, "server URL must start with ws://, wss://, tcp://, tls://, udp:// or udps://");
  }
  url.kind = scheme->kind;
  url.secure = scheme->secure;
  rest.remove_prefix(scheme->prefix.size());
  std::optional<std::uint16_t> http_port;
  if (const auto query = rest.find("?http_port="); query != std::string_view::npos) {
    const auto value = rest.substr(query + 11);
    std::uint16_t port = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
    if (ec != std::errc() || end != value.data() + value.size()) return fail(errc::invalid_argument, "bad http_port in server URL");
    http_port = port;
    rest = rest.substr(0, query);
  }
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.path = std::string(rest.substr(slash));
  const auto colon = authority.rfind(':');
  url.host = std::string(authority.substr(0, colon));
  if (url.host.empty()) return fail(errc::invalid_argument, "server URL has no host");
  url.server_name = url.host;  // resolved when connecting; the certificate must name it as written
  if (colon != std::string_view::npos) {
    const auto port_text = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), url.port);
    if (ec != std::errc() || end != port_text.data() + port_text.size()) {
      return fail(errc::invalid_argument, "bad port in server URL");
    }
  } else {
    url.port = url.kind == server_url::scheme::tcp ? 9701 : url.kind == server_url::scheme::udp ? 9702 : 9700;
  }
  url.http_port = http_port ? *http_port
                  : url.kind == server_url::scheme::tcp ? static_cast<std::uint16_t>(url.port - 1)
                  : url.kind == server_url::scheme::udp ? static_cast<std::uint16_t>(url.port - 2)
                                                        : url.port;
  return url;
}

}  // namespace guildhall::client
