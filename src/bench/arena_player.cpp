#include "bench/arena_player.hpp"

#include <vector>

#include "cli/session_login.hpp"
#include "client/http_login.hpp"
#include "client/udp_client_connection.hpp"
#include "games/arena/arena_input.hpp"
#include "games/arena/arena_schema.hpp"
#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace guildhall::bench {
namespace v1 = wire::v1;
namespace arena = games::arena;
namespace snapshot = wire::snapshot;

namespace {

// Snapshots kept as possible baselines: 1.6 s at 20 Hz, far more than the acks' round trip on loopback. A
// baseline older than this is counted as a decode error, which a run must show as 0.
constexpr std::size_t kKeptSnapshots = 32;
// UDP: each input rides in this many messages (the SDK's client_rooms sends the same), so one lost datagram
// loses no input. The stream transports lose nothing and send each input once.
constexpr std::size_t kUdpInputCopies = 3;

bool is_udp(const client::server_url& url) { return url.kind == client::server_url::scheme::udp; }

std::string refusal(const v1::Envelope& reply, std::string_view what) {
  return std::string(what) + ": " + (reply.has_error() ? reply.error().message() : "unexpected answer");
}

}  // namespace

arena_player::arena_player(boost::asio::io_context& io, client::server_url url, std::uint64_t seed,
                           arena_player_events events)
    : io_(io), url_(std::move(url)), events_(std::move(events)), brain_(seed) {
  if (!is_udp(url_)) connection_ = std::make_shared<client::client_connection>(io, url_);
}

void arena_player::connect(const std::string& user, std::move_only_function<void(result<void>)> done) {
  auto session = cli::log_in(url_, user, "");
  if (!session) return done(fail(session.error().code, "login failed: " + session.error().message));
  if (is_udp(url_)) return connect_udp(session->token(), std::move(done));
  // The player outlives the run's io loop (the run owns every player until it returns), so `this` is safe here.
  connection_->on_push([this](const v1::Envelope& push) { on_push(push); });
  connection_->on_closed(events_.on_closed);
  connection_->connect([this, token = session->token(), done = std::move(done)](result<void> connected) mutable {
    if (!connected) return done(std::unexpected(connected.error()));
    authenticate(token, std::move(done));
  });
}

void arena_player::authenticate(const std::string& token, std::move_only_function<void(result<void>)> done) {
  v1::Envelope hello;
  hello.mutable_authenticate()->set_token(token);
  connection_->request(hello, [done = std::move(done)](const v1::Envelope& reply) mutable {
    if (!reply.has_authenticated()) return done(fail(errc::auth_failed, refusal(reply, "authenticate")));
    done({});
  });
}

// A connect token over HTTP (as `session` asks for one), then the UDP handshake; the player is ready once the
// server pushes Authenticated, which it sends unasked for a connection its token authenticated.
void arena_player::connect_udp(const std::string& access_token, std::move_only_function<void(result<void>)> done) {
  client::async_fetch_connect_token(
      io_, url_, access_token, client::kDefaultLoginTimeoutMs,
      [this, done = std::move(done)](result<v1::ConnectToken> answer) mutable {
        if (!answer) return done(fail(answer.error().code, "no UDP connect token: " + answer.error().message));
        auto token = client::to_connect_token(*answer);
        if (!token) return done(std::unexpected(token.error()));
        connection_ = std::make_shared<client::udp_client_connection>(io_, url_, std::move(*token));
        authenticated_done_ = std::move(done);
        connection_->on_push([this](const v1::Envelope& push) { on_push(push); });
        connection_->on_closed(events_.on_closed);
        connection_->connect([this](result<void> connected) {
          if (!connected && authenticated_done_) std::exchange(authenticated_done_, nullptr)(std::move(connected));
        });
      });
}

void arena_player::create_room(const room_options& options,
                               std::move_only_function<void(result<std::uint64_t>)> done) {
  v1::Envelope request;
  request.mutable_create_room()->set_type("arena");
  for (const auto& [key, value] : options) (*request.mutable_create_room()->mutable_options())[key] = value;
  connection_->request(request, [this, done = std::move(done)](const v1::Envelope& reply) mutable {
    if (!reply.has_room_joined()) return done(fail(errc::room_refused, refusal(reply, "create room")));
    sit(reply.room_joined());
    done(room_id_);
  });
}

void arena_player::join_room(std::uint64_t room_id, std::move_only_function<void(result<void>)> done) {
  v1::Envelope request;
  request.mutable_join_room()->set_room_id(room_id);
  connection_->request(request, [this, done = std::move(done)](const v1::Envelope& reply) mutable {
    if (!reply.has_room_joined()) return done(fail(errc::room_refused, refusal(reply, "join room")));
    sit(reply.room_joined());
    done({});
  });
}

void arena_player::sit(const v1::RoomJoined& joined) {
  room_id_ = joined.room().room_id();
  seat_ = joined.you().seat();
  tick_hz_ = static_cast<int>(joined.tick_hz());
}

void arena_player::on_push(const v1::Envelope& push) {
  if (push.has_authenticated()) {
    if (authenticated_done_) std::exchange(authenticated_done_, nullptr)({});
    return;
  }
  if (push.has_room_snapshot()) return on_snapshot(push.room_snapshot());
  if (push.has_room_event()) {
    ++counts_.events;
    return;
  }
  if (push.has_room_closed()) return events_.on_closed("room closed: " + push.room_closed().message());
  if (push.has_error()) error("pushed error: " + push.error().message());
}

void arena_player::error(const std::string& what) {
  if (events_.on_error) events_.on_error(what);
}

void arena_player::on_snapshot(const v1::RoomSnapshot& pushed) {
  if (pushed.room_id() != room_id_) return;
  const snapshot::entity_set* baseline = &empty_;
  if (pushed.baseline_tick() != 0) {
    baseline = nullptr;
    for (const auto& kept : kept_) {
      if (kept.tick == pushed.baseline_tick()) baseline = &kept.world;
    }
    if (!baseline) {
      ++counts_.decode_errors;
      return error("snapshot against tick " + std::to_string(pushed.baseline_tick()) + ", which this client lacks");
    }
  }
  // Reuse the oldest set's storage once enough are kept, unless it is the baseline (it is then dropped below).
  kept_snapshot next;
  if (kept_.size() >= kKeptSnapshots && baseline != &kept_.front().world) {
    next = std::move(kept_.front());
    kept_.pop_front();
  }
  const auto& data = pushed.data();
  const auto decoded = snapshot::decode_delta(
      arena::arena_world_schema(), *baseline,
      std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), next.world);
  if (!decoded) {
    ++counts_.decode_errors;
    return error("undecodable snapshot: " + std::string(snapshot::to_string(decoded.error())));
  }
  next.tick = pushed.tick();
  kept_.push_back(std::move(next));  // a deque keeps references to the others valid
  while (kept_.size() > kKeptSnapshots) kept_.pop_front();
  newest_tick_ = pushed.tick();
  ++counts_.snapshots;
}

// The brain sees what this client decoded: every player entity in the newest world, itself found by its seat.
arena::arena_input arena_player::think() {
  if (kept_.empty()) return {};
  const auto& world = kept_.back().world;
  const auto& fields = arena::arena_world_schema().types[arena::kPlayerType].fields;
  std::vector<arena::bot_body> others;
  std::optional<arena::bot_body> self;
  for (std::size_t i = 0; i < world.size(); ++i) {
    if (world.type(i) != arena::kPlayerType) continue;
    const auto values = world.fields(i);
    const auto value = [&](std::uint8_t field) { return snapshot::dequantize(fields[field], values[field]); };
    arena::bot_body body{.seat = static_cast<int>(value(arena::kPseat)),
                         .position = {value(arena::kPx), value(arena::kPy)},
                         .health = static_cast<int>(value(arena::kPhealth)),
                         .alive = value(arena::kPalive) != 0};
    if (body.seat == seat_) self = body;
    else others.push_back(body);
  }
  if (!self) return {};
  return brain_.think({.self = *self, .others = others, .tick_hz = tick_hz_});
}

void arena_player::send_input() {
  if (room_id_ == 0) return;
  const auto data = arena::encode_input(think());
  v1::Envelope message;
  auto* input = message.mutable_room_input();
  input->set_room_id(room_id_);
  input->set_ack_tick(newest_tick_);
  v1::InputFrame frame;
  frame.set_sequence(++sequence_);
  frame.set_client_tick(newest_tick_ + 1);
  frame.set_view_tick(newest_tick_);
  frame.set_data(std::string(reinterpret_cast<const char*>(data.data()), data.size()));
  if (!is_udp(url_)) {
    // One input per message: TCP and WebSocket lose nothing, so the resends the protocol suggests against loss
    // would only add bytes (and duplicates the server drops).
    *input->add_inputs() = std::move(frame);
    if (connection_->notify(std::move(message))) ++counts_.inputs_sent;
    return;
  }
  recent_inputs_.push_back(std::move(frame));
  if (recent_inputs_.size() > kUdpInputCopies) recent_inputs_.pop_front();
  for (const auto& recent : recent_inputs_) *input->add_inputs() = recent;
  if (connection_->notify_unreliable(std::move(message))) ++counts_.inputs_sent;
}

}  // namespace guildhall::bench
