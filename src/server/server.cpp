#include "server/server.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "net/shard_pool.hpp"
#include "net/transport.hpp"
#include "net/udp/udp_transport.hpp"
#include "server/connect_token_issuer.hpp"
#include "server/client_session.hpp"
#include "server/http_api.hpp"
#include "server/readiness.hpp"
#include "server/room_allocation.hpp"
#include "server/room_types.hpp"
#include "server/server_metrics.hpp"
#include "server/static_files.hpp"
#include "server/token_key.hpp"
#include "server/turn_games.hpp"
#include "services/bots/brains.hpp"
#include "store/database.hpp"
#include "store/sqlite/sqlite_backend.hpp"

namespace guildhall::server {
namespace {

// Blocks the stop signals in this thread and every thread it starts afterwards, so that only `wait_for_stop`
// sees them.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return signals;
}

int wait_for_stop(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

}  // namespace

result<void> initialize_libraries() {
  // libsodium picks its argon2 and random implementations here and is only thread-safe once this has run: call it
  // on the main thread before any worker exists (password hashing runs on its own thread).
  if (sodium_init() < 0) return fail(errc::internal, "libsodium failed to initialize (sodium_init)");
  return {};
}

result<void> run_server(const server_config& config) {
  if (auto initialized = initialize_libraries(); !initialized) return initialized;
  const sigset_t stop_signals = block_stop_signals();
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return fail(errc::internal, "cannot create data directory " + config.data_dir + ": " + ec.message());

  auto key = load_or_create_token_key(config.key_path());
  if (!key) return std::unexpected(key.error());

  const store::sqlite::sqlite_options sqlite{config.database_path(), config.sqlite_synchronous};
  auto db = store::database::open(
      [&sqlite]() -> result<std::unique_ptr<store::backend>> {
        auto backend = store::sqlite::sqlite_backend::open(sqlite);
        if (!backend) return std::unexpected(backend.error());
        return std::unique_ptr<store::backend>(std::move(*backend));
      },
      config.database_readers, config.database);
  if (!db) return std::unexpected(db.error());
  (*db)->set_slow_commit_ms(config.slow_commit_ms);
  register_metrics();

  const unsigned shard_count = config.shards ? config.shards : std::max(1u, std::thread::hardware_concurrency());
  net::shard_pool shards(shard_count);
  services::auth_service auth(**db, services::token_signer(*key), config.auth);
  services::chat_service chat(shards, **db, config.chat);
  services::game_registry games;
  register_games(games);
  auto bot_player = ensure_bot_player(**db);
  if (!bot_player) return std::unexpected(bot_player.error());
  services::bot_runner bots(config.turns.bot_threads, services::make_brain_factory(config.turns.stockfish_path));
  services::turn_service turns(
      shards, **db, games, bots, *bot_player,
      [&chat](std::uint64_t user_id, wire::v1::Envelope message, std::move_only_function<void()> when_offline) {
        chat.push_to_user(user_id, std::move(message), std::move(when_offline));
      },
      config.turns);
  if (auto loaded = turns.load(); !loaded) return loaded;
  services::room_registry room_types;
  register_room_types(room_types);
  services::rooms_service rooms(shards, room_types, config.rooms);
  room_allocation allocation(rooms, room_types);
  services::matchmaker_service matchmaker(
      shards, &allocation, [&allocation](std::string_view type) { return allocation.seats(type); },
      [&chat](std::uint64_t user_id, wire::v1::Envelope message, std::move_only_function<void()> when_offline) {
        chat.push_to_user(user_id, std::move(message), std::move(when_offline));
      },
      config.matchmaker);
  session_services session_deps{auth, chat, turns, rooms, **db, config.max_bad_frames};
  session_deps.matchmaker = &matchmaker;
  const static_files files(config.web_root);
  match_routes match_pages(**db, games);
  readiness ready(**db, shards, config.readyz_timeout_ms);
  http_api api(auth, match_pages, files, ready, config.auth.logins_per_ip_per_minute,
               config.http_reads_per_ip_per_minute);

  net::transport_config network{config.host, config.http_port, config.tcp_port, config.limits, config.http, nullptr};
  if (config.tls.enabled()) {
    // Loaded before anything listens: a key that does not match its certificate stops the start with the reason.
    auto tls = net::tls_context::load(config.tls.cert_file, config.tls.key_file);
    if (!tls) return std::unexpected(tls.error());
    network.tls = std::move(*tls);
  }
  const net::handler_factory make_session =
      [&session_deps](std::shared_ptr<net::connection> connection) -> std::unique_ptr<net::connection_handler> {
    return std::make_unique<client_session>(std::move(connection), session_deps);
  };
  net::transport transport(shards, network, make_session, api);
  if (auto listening = transport.listen(); !listening) return listening;
  std::optional<net::udp_transport> udp;
  std::optional<connect_token_issuer> connect_tokens;
  if (config.udp.enabled) {
    const auto sealing_key = derive_connect_token_key(*key);
    udp.emplace(shards,
                net::udp_transport_config{config.host, config.udp_port, config.udp, sealing_key,
                                          config.limits.close_linger_ms, config.limits.max_frame_bytes,
                                          config.limits.idle_timeout_ms},
                make_session);
    if (auto listening = udp->listen(); !listening) return listening;
    connect_tokens.emplace(sealing_key, config.udp, udp->port());
    api.set_connect_tokens(&*connect_tokens);
  }

  shards.start();
  turns.start();
  matchmaker.start();
  transport.start();
  if (udp) udp->start();
  ready.set_state(readiness::state::serving);
  const std::string shown_host = config.host == "0.0.0.0" ? "127.0.0.1" : config.host;
  std::printf("guildhall serving on %u shards, database %s\n", shard_count, config.database_path().c_str());
  const bool tls = network.tls != nullptr;
  std::printf("  web + WebSocket: %s://%s:%u/  (%s://%s:%u/ws)\n", tls ? "https" : "http", shown_host.c_str(),
              transport.http_port(), tls ? "wss" : "ws", shown_host.c_str(), transport.http_port());
  std::printf("  native TCP:      %s:%u%s\n", shown_host.c_str(), transport.tcp_port(), tls ? "  (TLS)" : "");
  if (udp) {
    std::printf("  UDP:             %s:%u%s\n", shown_host.c_str(), udp->port(),
                config.udp.impaired() ? "  (simulated bad network: udp.sim_*)" : "");
  } else {
    std::printf("  UDP:             off (udp.enabled=false)\n");
  }
  std::fflush(stdout);
  spdlog::info("ready: http={} tcp={} udp={} shards={} web files={} tls={}", transport.http_port(),
               transport.tcp_port(), udp ? udp->port() : 0, shard_count, files.size(), tls ? "on" : "off");

  const int signal = wait_for_stop(stop_signals);
  spdlog::info("signal {}: draining {} connections", signal,
               transport.connection_count() + (udp ? udp->connection_count() : 0));
  ready.set_state(readiness::state::draining);
  // In dependency order, each stage after those that feed it: clients (no new requests), lookups (they post to
  // the shards and queue writes), the shards' chat batches, the shards, bots, then the writer, which thereby
  // stores everything accepted before it.
  rooms.close_all_for_shutdown();  // its RoomClosed messages go out before the connections' goodbyes
  // UDP first: its clients acknowledge their Closing within a round trip, so it takes little of the grace.
  if (udp) udp->drain(std::chrono::milliseconds(config.shutdown_grace_ms));
  transport.drain(std::chrono::milliseconds(config.shutdown_grace_ms));
  (*db)->stop_reads();
  chat.store_waiting_messages();
  shards.stop();
  bots.stop();
  (*db)->stop();
  spdlog::info("stopped cleanly");
  return {};
}

}  // namespace guildhall::server
