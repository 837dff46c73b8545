#include "client/websocket_upgrade.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "wire/websocket_accept.hpp"

namespace guildhall::client {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The value of header `name` in `head` (names are case-insensitive, RFC 9110 section 5.1).
std::optional<std::string_view> header(std::string_view head, std::string_view name) {
  std::size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at + 2 < head.size()) {
    const std::size_t start = at + 2;
    const std::size_t end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, end == std::string_view::npos ? end : end - start);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && equal_ignoring_case(trim(line.substr(0, colon)), name)) {
      return trim(line.substr(colon + 1));
    }
    at = end;
  }
  return std::nullopt;
}

}  // namespace

std::string new_websocket_key() {
  std::array<unsigned char, 16> nonce{};
  RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
  std::array<unsigned char, 25> encoded{};
  const int length = EVP_EncodeBlock(encoded.data(), nonce.data(), static_cast<int>(nonce.size()));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length));
}

std::string upgrade_request(const server_url& url, std::string_view key) {
  return "GET " + url.path + " HTTP/1.1\r\nHost: " + url.host + ":" + std::to_string(url.port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + std::string(key) +
         "\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

result<void> check_upgrade_answer(std::string_view head, std::string_view key) {
  const std::string_view status = head.substr(0, head.find("\r\n"));
  if (!status.starts_with("HTTP/1.1 101")) {
    return fail(errc::internal, "the server refused the WebSocket upgrade: " + std::string(status));
  }
  const auto upgrade = header(head, "Upgrade");
  if (!upgrade || !equal_ignoring_case(*upgrade, "websocket")) {
    return fail(errc::internal, "the server's upgrade answer has no Upgrade: websocket");
  }
  const auto accept = header(head, "Sec-WebSocket-Accept");
  if (!accept) return fail(errc::internal, "the server's upgrade answer has no Sec-WebSocket-Accept");
  if (*accept != wire::ws::accept_key(key)) {
    return fail(errc::internal, "the server's Sec-WebSocket-Accept does not match our key: not a WebSocket server");
  }
  return {};
}

}  // namespace guildhall::client
