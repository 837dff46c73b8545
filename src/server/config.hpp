#pragma once
// Everything `guildhall serve` can be told. Each setting has a dotted name (`limits.max_frame_bytes`) and comes
// from, in order of precedence: a flag (`--http-port`, or `--set name=value`), an environment variable
// (GUILDHALL_ + the name upper-cased with dots as underscores: GUILDHALL_LIMITS_MAX_FRAME_BYTES), the TOML file
// (`[limits] max_frame_bytes = ...`), then the default written here.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "net/transport.hpp"
#include "net/udp/udp_config.hpp"
#include "services/auth/auth_service.hpp"
#include "services/chat/chat_config.hpp"
#include "services/rooms/rooms_config.hpp"
#include "services/turns/turns_config.hpp"
#include "services/matchmaker/matchmaker_config.hpp"

namespace guildhall::server {

// TLS on both ports (https + wss on the HTTP port, TLS on the native TCP port): set both files, or neither.
struct tls_config {
  std::string cert_file;  // PEM certificate chain, leaf first (a CA-signed one, or self-signed for development)
  std::string key_file;   // PEM private key of that certificate
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct server_config {
  std::string data_dir = "./data";        // SQLite database and the token key live here
  std::string host = "0.0.0.0";           // address every listener binds
  std::uint16_t http_port = 9700;         // HTTP API, web client and WebSocket (/ws); 0 picks a free port
  std::uint16_t tcp_port = 9701;          // native TCP protocol; 0 picks a free port
  std::uint16_t udp_port = 9702;          // UDP transport (udp.*); 0 picks a free port
  std::string log_level = "info";         // trace, debug, info, warn, error, off
  std::string log_format = "text";        // text, or json (one object per line) for log shippers
  std::uint32_t slow_commit_ms = 100;     // a database commit slower than this is logged (0: never)
  std::uint32_t readyz_timeout_ms = 1000; // /readyz answers 503 when the database takes longer to answer
  unsigned shards = 0;                    // network threads; 0 = one per core
  unsigned database_readers = 1;          // reader threads (connections) for history and lookups
  std::string sqlite_synchronous = "NORMAL";  // NORMAL survives kill -9; FULL also survives power loss
  std::string web_root = GUILDHALL_DEFAULT_WEB_ROOT;  // folder of the web client
  std::string token_key_file;             // default: <data_dir>/token.key (created on first start)
  std::uint32_t shutdown_grace_ms = 5000; // how long a stopping server waits for clients to take their goodbyes
  std::uint32_t max_bad_frames = 10;      // undecodable frames a connection may send before it is closed (4002)
  // Leaderboard and PGN reads over HTTP per client address a minute (burst: a tenth of it); 0 disables.
  double http_reads_per_ip_per_minute = 600;
  store::database_limits database;        // bounds of the database queues (UNAVAILABLE past them)
  net::connection_limits limits;
  net::http_limits http;
  tls_config tls;
  net::udp_config udp;
  services::chat_config chat;
  services::turns_config turns;
  services::rooms_config rooms;
  services::matchmaker_config matchmaker;
  services::auth_config auth;

  std::string database_path() const { return data_dir + "/guildhall.db"; }
  std::string key_path() const { return token_key_file.empty() ? data_dir + "/token.key" : token_key_file; }
  result<void> validate() const;
};

// Builds the configuration from the TOML file (may be empty: none), the environment and explicit settings
// (name -> value, from flags), in that order of increasing precedence.
result<server_config> load_config(const std::string& toml_path, const std::map<std::string, std::string>& explicit_settings);

// Every setting's name, for `--set` help and error messages.
std::vector<std::string> setting_names();

}  // namespace guildhall::server
