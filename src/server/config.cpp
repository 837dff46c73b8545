#include "server/config.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <toml++/toml.h>

namespace guildhall::server {
namespace {

using setter = std::function<result<void>(server_config&, const std::string&)>;

result<void> parse_setting(const std::string& text, std::string& out) {
  out = text;
  return {};
}

result<void> parse_setting(const std::string& text, bool& out) {
  if (text == "1" || text == "true" || text == "on" || text == "yes") return out = true, result<void>{};
  if (text == "0" || text == "false" || text == "off" || text == "no") return out = false, result<void>{};
  return fail(errc::invalid_argument, "not a boolean (true or false): " + text);
}

template <typename Number>
result<void> parse_setting(const std::string& text, Number& out) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return fail(errc::invalid_argument, "not a number: " + text);
  out = value;
  return {};
}

template <typename Value>
setter field(Value server_config::*member) {
  return [member](server_config& config, const std::string& text) { return parse_setting(text, config.*member); };
}

template <typename Value, typename Section>
setter nested(Section server_config::*section, Value Section::*field) {
  return [section, field](server_config& config, const std::string& text) {
    return parse_setting(text, config.*section.*field);
  };
}

const std::map<std::string, setter>& settings() {
  static const std::map<std::string, setter> table = {
      {"data_dir", field(&server_config::data_dir)},
      {"host", field(&server_config::host)},
      {"http_port", field(&server_config::http_port)},
      {"tcp_port", field(&server_config::tcp_port)},
      {"udp_port", field(&server_config::udp_port)},
      {"log_level", field(&server_config::log_level)},
      {"log_format", field(&server_config::log_format)},
      {"slow_commit_ms", field(&server_config::slow_commit_ms)},
      {"readyz_timeout_ms", field(&server_config::readyz_timeout_ms)},
      {"shards", field(&server_config::shards)},
      {"database_readers", field(&server_config::database_readers)},
      {"sqlite_synchronous", field(&server_config::sqlite_synchronous)},
      {"web_root", field(&server_config::web_root)},
      {"token_key_file", field(&server_config::token_key_file)},
      {"shutdown_grace_ms", field(&server_config::shutdown_grace_ms)},
      {"limits.max_bad_frames", field(&server_config::max_bad_frames)},
      {"limits.max_frame_bytes", nested(&server_config::limits, &net::connection_limits::max_frame_bytes)},
      {"limits.max_unauthenticated_frame_bytes",
       nested(&server_config::limits, &net::connection_limits::max_unauthenticated_frame_bytes)},
      {"limits.max_outbound_bytes", nested(&server_config::limits, &net::connection_limits::max_outbound_bytes)},
      {"limits.idle_timeout_ms", nested(&server_config::limits, &net::connection_limits::idle_timeout_ms)},
      {"limits.auth_timeout_ms", nested(&server_config::limits, &net::connection_limits::auth_timeout_ms)},
      {"limits.close_linger_ms", nested(&server_config::limits, &net::connection_limits::close_linger_ms)},
      {"limits.write_batch_window_us", nested(&server_config::limits, &net::connection_limits::write_batch_window_us)},
      {"http.max_body_bytes", nested(&server_config::http, &net::http_limits::max_body_bytes)},
      {"http.request_timeout_ms", nested(&server_config::http, &net::http_limits::request_timeout_ms)},
      {"tls.cert_file", nested(&server_config::tls, &tls_config::cert_file)},
      {"tls.key_file", nested(&server_config::tls, &tls_config::key_file)},
      {"chat.max_message_bytes", nested(&server_config::chat, &services::chat_config::max_message_bytes)},
      {"chat.messages_per_second", nested(&server_config::chat, &services::chat_config::messages_per_second)},
      {"chat.message_burst", nested(&server_config::chat, &services::chat_config::message_burst)},
      {"chat.max_rate_limited_in_a_row",
       nested(&server_config::chat, &services::chat_config::max_rate_limited_in_a_row)},
      {"chat.max_channels_per_connection",
       nested(&server_config::chat, &services::chat_config::max_channels_per_connection)},
      {"chat.presence_grace_ms", nested(&server_config::chat, &services::chat_config::presence_grace_ms)},
      {"chat.store_batch_ms", nested(&server_config::chat, &services::chat_config::store_batch_ms)},
      {"turns.move_deadline_ms", nested(&server_config::turns, &services::turns_config::move_deadline_ms)},
      {"turns.first_move_deadline_ms", nested(&server_config::turns, &services::turns_config::first_move_deadline_ms)},
      {"turns.open_match_ttl_ms", nested(&server_config::turns, &services::turns_config::open_match_ttl_ms)},
      {"turns.open_match_offline_ttl_ms", nested(&server_config::turns, &services::turns_config::open_match_offline_ttl_ms)},
      {"turns.sweep_interval_ms", nested(&server_config::turns, &services::turns_config::sweep_interval_ms)},
      {"turns.max_initial_ms", nested(&server_config::turns, &services::turns_config::max_initial_ms)},
      {"turns.max_live_matches_per_user",
       nested(&server_config::turns, &services::turns_config::max_live_matches_per_user)},
      {"turns.notifications_per_login",
       nested(&server_config::turns, &services::turns_config::notifications_per_login)},
      {"turns.bot_threads", nested(&server_config::turns, &services::turns_config::bot_threads)},
      {"turns.stockfish_path", nested(&server_config::turns, &services::turns_config::stockfish_path)},
      {"turns.bot_skill_level", nested(&server_config::turns, &services::turns_config::bot_skill_level)},
      {"turns.bot_move_time_ms", nested(&server_config::turns, &services::turns_config::bot_move_time_ms)},
      {"turns.max_bot_move_time_ms", nested(&server_config::turns, &services::turns_config::max_bot_move_time_ms)},
      {"udp.enabled", nested(&server_config::udp, &net::udp_config::enabled)},
      {"udp.public_address", nested(&server_config::udp, &net::udp_config::public_address)},
      {"udp.max_clients_per_shard", nested(&server_config::udp, &net::udp_config::max_clients_per_shard)},
      {"udp.token_lifetime_s", nested(&server_config::udp, &net::udp_config::token_lifetime_s)},
      {"udp.timeout_s", nested(&server_config::udp, &net::udp_config::timeout_s)},
      {"udp.sim_latency_ms", nested(&server_config::udp, &net::udp_config::sim_latency_ms)},
      {"udp.sim_jitter_ms", nested(&server_config::udp, &net::udp_config::sim_jitter_ms)},
      {"udp.sim_loss_percent", nested(&server_config::udp, &net::udp_config::sim_loss_percent)},
      {"udp.sim_duplicate_percent", nested(&server_config::udp, &net::udp_config::sim_duplicate_percent)},
      {"udp.sim_reorder_percent", nested(&server_config::udp, &net::udp_config::sim_reorder_percent)},
      {"udp.sim_bandwidth_kbps", nested(&server_config::udp, &net::udp_config::sim_bandwidth_kbps)},
      {"udp.sim_seed", nested(&server_config::udp, &net::udp_config::sim_seed)},
      {"rooms.reconnect_grace_ms", nested(&server_config::rooms, &services::rooms_config::reconnect_grace_ms)},
      {"rooms.empty_dispose_ms", nested(&server_config::rooms, &services::rooms_config::empty_dispose_ms)},
      {"rooms.reservation_ttl_ms", nested(&server_config::rooms, &services::rooms_config::reservation_ttl_ms)},
      {"rooms.max_rooms", nested(&server_config::rooms, &services::rooms_config::max_rooms)},
      {"rooms.max_rooms_per_user", nested(&server_config::rooms, &services::rooms_config::max_rooms_per_user)},
      {"rooms.max_rooms_per_connection",
       nested(&server_config::rooms, &services::rooms_config::max_rooms_per_connection)},
      {"auth.access_ttl_ms", nested(&server_config::auth, &services::auth_config::access_ttl_ms)},
      {"auth.refresh_ttl_ms", nested(&server_config::auth, &services::auth_config::refresh_ttl_ms)},
      {"auth.refresh_reuse_grace_ms", nested(&server_config::auth, &services::auth_config::refresh_reuse_grace_ms)},
      {"auth.password_ops_limit",
       [](server_config& config, const std::string& value) { return parse_setting(value, config.auth.password.ops_limit); }},
      {"auth.max_queued_hashes", nested(&server_config::auth, &services::auth_config::max_queued_hashes)},
      {"auth.logins_per_ip_per_minute", nested(&server_config::auth, &services::auth_config::logins_per_ip_per_minute)},
      {"http.reads_per_ip_per_minute", field(&server_config::http_reads_per_ip_per_minute)},
      {"database.max_queued_reads", nested(&server_config::database, &store::database_limits::max_queued_reads)},
      {"database.max_queued_writes", nested(&server_config::database, &store::database_limits::max_queued_writes)},
      {"limits.max_connections", nested(&server_config::limits, &net::connection_limits::max_connections)},
      {"limits.max_connections_per_ip", nested(&server_config::limits, &net::connection_limits::max_connections_per_ip)},
      {"matchmaker.interval_ms", nested(&server_config::matchmaker, &services::matchmaker_config::interval_ms)},
      {"matchmaker.widen_per_second", nested(&server_config::matchmaker, &services::matchmaker_config::widen_per_second)},
      {"matchmaker.max_widen", nested(&server_config::matchmaker, &services::matchmaker_config::max_widen)},
      {"matchmaker.max_tickets", nested(&server_config::matchmaker, &services::matchmaker_config::max_tickets)},
      {"matchmaker.fill_wait_ms", nested(&server_config::matchmaker, &services::matchmaker_config::fill_wait_ms)},
      {"auth.password_mem_limit",
       [](server_config& config, const std::string& value) { return parse_setting(value, config.auth.password.mem_limit); }},
  };
  return table;
}

result<void> apply(server_config& config, const std::string& name, const std::string& value, const std::string& source) {
  const auto it = settings().find(name);
  if (it == settings().end()) return fail(errc::invalid_argument, source + ": unknown setting '" + name + "'");
  if (auto set = it->second(config, value); !set) {
    return fail(errc::invalid_argument, source + ": " + name + ": " + set.error().message);
  }
  return {};
}

std::string env_name(const std::string& setting) {
  std::string name = "GUILDHALL_";
  for (char c : setting) name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return name;
}

std::optional<std::string> toml_value_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) return std::to_string(f->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "1" : "0";
  return std::nullopt;  // arrays, dates: no setting takes them
}

result<void> apply_toml(server_config& config, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& failure) {
    return fail(errc::invalid_argument, path + ": " + std::string(failure.description()));
  }
  result<void> outcome;
  std::function<void(const toml::table&, const std::string&)> walk = [&](const toml::table& table, const std::string& prefix) {
    for (const auto& [key, node] : table) {
      const std::string name = prefix + std::string(key.str());
      if (const auto* inner = node.as_table()) {
        walk(*inner, name + ".");
      } else if (outcome) {
        const auto text = toml_value_text(node);
        outcome = text ? apply(config, name, *text, path)
                       : fail(errc::invalid_argument, path + ": " + name + ": unsupported TOML value type");
      }
    }
  };
  walk(root, "");
  return outcome;
}

}  // namespace

namespace {

// Frame limits. Below 64 bytes not even an Authenticate fits; above 64 MiB a frame is no longer a message but a
// file transfer, and the protobuf decoder takes sizes as `int` (a limit near 2 GiB would overflow it).
constexpr std::size_t kMinFrameBytes = 64;
constexpr std::size_t kMaxFrameBytes = 64 * 1024 * 1024;

result<void> check_frame_limit(const char* name, std::size_t bytes) {
  if (bytes >= kMinFrameBytes && bytes <= kMaxFrameBytes) return {};
  return fail(errc::invalid_argument, std::string("frame limits must be ") + std::to_string(kMinFrameBytes) + ".." +
                                          std::to_string(kMaxFrameBytes) + " bytes (64 MiB): " + name + " is " +
                                          std::to_string(bytes));
}

// Two listeners on one port would make the second fail to bind at start-up; say which settings clash instead.
result<void> check_ports_differ(const server_config& config) {
  const std::pair<const char*, std::uint16_t> ports[] = {
      {"http_port", config.http_port}, {"tcp_port", config.tcp_port}, {"udp_port", config.udp_port}};
  for (std::size_t i = 0; i < std::size(ports); ++i) {
    for (std::size_t j = i + 1; j < std::size(ports); ++j) {
      if (ports[i].second == 0 || ports[i].second != ports[j].second) continue;  // 0: each picks a free port
      return fail(errc::invalid_argument, std::string(ports[i].first) + " and " + ports[j].first + " are both " +
                                              std::to_string(ports[i].second) + ": each port must differ");
    }
  }
  return {};
}

}  // namespace

result<void> server_config::validate() const {
  if (auto valid = check_frame_limit("limits.max_frame_bytes", limits.max_frame_bytes); !valid) return valid;
  if (auto valid = check_frame_limit("limits.max_unauthenticated_frame_bytes", limits.max_unauthenticated_frame_bytes);
      !valid) {
    return valid;
  }
  if (auto valid = check_ports_differ(*this); !valid) return valid;
  if (auto valid = udp.validate(); !valid) return valid;
  if (limits.max_unauthenticated_frame_bytes > limits.max_frame_bytes) {
    return fail(errc::invalid_argument, "limits.max_unauthenticated_frame_bytes cannot exceed limits.max_frame_bytes");
  }
  if (limits.max_outbound_bytes < limits.max_frame_bytes) {
    return fail(errc::invalid_argument, "limits.max_outbound_bytes must hold at least one frame");
  }
  if (limits.idle_timeout_ms == 0 || limits.auth_timeout_ms == 0) {
    return fail(errc::invalid_argument, "timeouts must be positive");
  }
  if (sqlite_synchronous != "NORMAL" && sqlite_synchronous != "FULL") {
    return fail(errc::invalid_argument, "sqlite_synchronous must be NORMAL or FULL");
  }
  if (shards > 64) return fail(errc::invalid_argument, "shards must be at most 64");
  if (log_format != "text" && log_format != "json") return fail(errc::invalid_argument, "log_format must be text or json");
  if (readyz_timeout_ms == 0 || readyz_timeout_ms > 60'000) {
    return fail(errc::invalid_argument, "readyz_timeout_ms must be 1..60000");
  }
  if (auth.max_queued_hashes == 0 || database.max_queued_reads == 0 || database.max_queued_writes == 0) {
    return fail(errc::invalid_argument, "auth.max_queued_hashes and database.max_queued_* must be positive");
  }
  if (auth.logins_per_ip_per_minute < 0 || http_reads_per_ip_per_minute < 0) {
    return fail(errc::invalid_argument, "per-address rates must be 0 (no limit) or positive");
  }
  if (limits.max_connections == 0) return fail(errc::invalid_argument, "limits.max_connections must be positive");
  if (auth.refresh_reuse_grace_ms < 0 || auth.refresh_reuse_grace_ms > 300'000) {
    return fail(errc::invalid_argument, "auth.refresh_reuse_grace_ms must be 0..300000");
  }
  if (tls.enabled()) {
    if (tls.cert_file.empty() || tls.key_file.empty()) {
      return fail(errc::invalid_argument, "TLS needs both tls.cert_file and tls.key_file");
    }
    for (const std::string* file : {&tls.cert_file, &tls.key_file}) {
      if (!std::ifstream(*file).good()) {
        return fail(errc::invalid_argument, "cannot read " + std::string(file == &tls.cert_file ? "tls.cert_file" : "tls.key_file") +
                                                " '" + *file + "'");
      }
    }
  }
  if (auto valid = turns.validate(); !valid) return valid;
  if (auto valid = rooms.validate(); !valid) return valid;
  if (auto valid = matchmaker.validate(); !valid) return valid;
  return chat.validate();
}

result<server_config> load_config(const std::string& toml_path, const std::map<std::string, std::string>& explicit_settings) {
  server_config config;
  if (!toml_path.empty()) {
    if (auto loaded = apply_toml(config, toml_path); !loaded) return std::unexpected(loaded.error());
  }
  for (const auto& [name, set] : settings()) {
    if (const char* value = std::getenv(env_name(name).c_str())) {
      if (auto applied = apply(config, name, value, env_name(name)); !applied) return std::unexpected(applied.error());
    }
  }
  for (const auto& [name, value] : explicit_settings) {
    if (auto applied = apply(config, name, value, "--set"); !applied) return std::unexpected(applied.error());
  }
  if (auto valid = config.validate(); !valid) return std::unexpected(valid.error());
  return config;
}

std::vector<std::string> setting_names() {
  std::vector<std::string> names;
  for (const auto& [name, set] : settings()) names.push_back(name);
  return names;
}

}  // namespace guildhall::server
