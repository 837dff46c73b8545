#include "arena_connection.hpp"

#include <algorithm>
#include <chrono>

#include "cli/session_login.hpp"
#include "client/session.hpp"
#include "client/udp_client_connection.hpp"
#include "games/arena/arena_schema.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace guildhall::arena_sdl {

namespace v1 = wire::v1;

namespace {
std::string refusal(const v1::Envelope& reply, const std::string& what) {
  return what + ": " + (reply.has_error() ? reply.error().message() : "unexpected answer");
}
}  // namespace

double steady_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

result<client::server_url> connection_url(const std::string& server, transport_choice transport) {
  auto url = client::parse_server_url(server);
  if (!url || url->secure) return url;  // wss:// and tls:// stay TLS; udps:// is left as written
  using scheme = client::server_url::scheme;
  if (transport == transport_choice::udp && url->kind == scheme::websocket) {
    url->kind = scheme::udp;
    url->http_port = url->port;
    url->port = static_cast<std::uint16_t>(url->port + 2);  // the default layout: HTTP 9700, TCP 9701, UDP 9702
  } else if (transport == transport_choice::websocket && url->kind == scheme::udp) {
    url->kind = scheme::websocket;
    url->port = url->http_port;
    url->path = "/ws";
  }
  return url;
}

arena_connection::arena_connection(boost::asio::io_context& io, connection_settings settings,
                                   connection_events events)
    : io_(io), settings_(std::move(settings)), events_(std::move(events)), ping_timer_(io) {}

arena_connection::~arena_connection() { close(); }

void arena_connection::close() {
  ping_timer_.cancel();
  closed_ = true;
  if (session_) session_->close();
}

void arena_connection::closed(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  ping_timer_.cancel();
  if (session_) session_->close();
  if (events_.on_closed) events_.on_closed(reason);
}

void arena_connection::start() {
  auto url = connection_url(settings_.server, settings_.transport);
  if (!url) return closed("bad server URL: " + url.error().message);
  if (events_.on_status) events_.on_status("logging in as " + settings_.user);
  auto auth = cli::log_in(*url, settings_.user, settings_.password);
  if (!auth) return closed("login failed: " + auth.error().message);
  client::session_options options;
  options.udp_fallback = settings_.udp_fallback;
  options.udp_impairment = settings_.udp_impairment;
  // The session is owned here and closed in the destructor, so `this` outlives every callback.
  client::session_events events{
      .on_ready =
          [this](const v1::Authenticated&, bool reconnected) {
            if (closed_) return;
            if (!reconnected) schedule_ping();
            if (reconnected && room_id_ != 0) return join_room(room_id_, "");
            join();
          },
      .on_lost =
          [this](const client::retry_notice& notice) {
            if (events_.on_status) events_.on_status("reconnecting: " + notice.reason);
          },
      .on_gave_up = [this](const std::string& reason) { closed("connection closed: " + reason); },
      .on_push = [this](const v1::Envelope& push) { on_push(push); },
  };
  session_ = std::make_shared<client::session>(io_, *url, std::move(*auth), options, std::move(events));
  if (events_.on_status) events_.on_status(url->kind == client::server_url::scheme::udp ? "connecting over UDP"
                                                                                        : "connecting");
  session_->start();
}

void arena_connection::join() {
  if (settings_.room_id != 0) return join_room(settings_.room_id, "");
  if (!settings_.matchmake) return join_room(0, "");
  v1::Envelope queue;
  auto* add = queue.mutable_matchmaker_add();
  add->set_room_type("arena");
  (*add->mutable_string_properties())["mode"] = "ffa";
  (*add->mutable_query()->mutable_equal())["mode"] = "ffa";
  add->set_min_count(2);
  add->set_max_count(8);
  session_->request(queue, [this](const v1::Envelope& reply) {
    if (!reply.has_matchmaker_ticket()) return closed(refusal(reply, "matchmaker"));
    if (events_.on_status) events_.on_status("waiting for a match");
  });
}

void arena_connection::join_room(std::uint64_t room_id, const std::string& reservation) {
  v1::Envelope request;
  auto* join = request.mutable_join_room();
  join->set_room_id(room_id);
  join->set_reservation(reservation);
  if (room_id == 0) {
    join->set_type("arena");
    (*join->mutable_options())["bots"] = std::to_string(settings_.bots);
  }
  if (events_.on_status) events_.on_status("joining");
  session_->request(request, [this](const v1::Envelope& reply) {
    if (!reply.has_room_joined()) return closed(refusal(reply, "join room"));
    const auto& joined = reply.room_joined();
    room_id_ = joined.room().room_id();
    const int seat = joined.you().spectator() ? -1 : int(joined.you().seat());
    if (events_.on_joined) events_.on_joined({room_id_, seat, int(std::max(1u, joined.tick_hz()))});
  });
}

void arena_connection::request(v1::Envelope message, std::function<void(const v1::Envelope&)> on_reply) {
  if (!session_) return;
  session_->request(std::move(message), [on_reply = std::move(on_reply)](const v1::Envelope& reply) {
    if (on_reply) on_reply(reply);
  });
}

void arena_connection::on_push(const v1::Envelope& push) {
  if (push.has_room_snapshot()) {
    const auto& s = push.room_snapshot();
    if (s.room_id() == room_id_) on_snapshot(s.tick(), s.baseline_tick(), s.data());
  } else if (push.has_room_event()) {
    if (events_.on_event) events_.on_event(push.room_event().type(), push.room_event().payload());
  } else if (push.has_room_closed()) {
    closed("room closed: " + push.room_closed().message());
  } else if (push.has_matchmaker_matched()) {
    join_room(push.matchmaker_matched().room_id(), push.matchmaker_matched().reservation());
  } else if (push.has_matchmaker_cancelled()) {
    closed("matchmaking cancelled: " + push.matchmaker_cancelled().reason());
  }
  if (events_.on_push) events_.on_push(push);
}

void arena_connection::on_snapshot(std::uint32_t tick, std::uint32_t baseline_tick, const std::string& data) {
  static const wire::snapshot::entity_set empty;
  const wire::snapshot::entity_set* baseline = &empty;
  if (baseline_tick != 0) {
    const auto it = std::find_if(kept_.begin(), kept_.end(), [&](const auto& k) { return k.tick == baseline_tick; });
    if (it == kept_.end()) {
      ++decode_errors_;  // the next snapshot is encoded against a newer ack and decodes
      return;
    }
    baseline = &it->world;
  }
  if (std::any_of(kept_.begin(), kept_.end(), [tick](const auto& k) { return k.tick == tick; })) return;
  kept_snapshot next;
  const auto decoded = wire::snapshot::decode_delta(
      games::arena::arena_world_schema(), *baseline,
      std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), next.world);
  if (!decoded) {
    ++decode_errors_;
    return;
  }
  next.tick = tick;
  kept_.push_back(std::move(next));  // a deque keeps `baseline` valid
  while (kept_.size() > kKeptSnapshots) kept_.pop_front();
  received_ticks_.insert(std::upper_bound(received_ticks_.begin(), received_ticks_.end(), tick), tick);
  while (!received_ticks_.empty() && received_ticks_.front() + kLossWindowTicks <= received_ticks_.back()) {
    received_ticks_.pop_front();
  }
  if (events_.on_snapshot) events_.on_snapshot(tick, kept_.back().world);
}

double arena_connection::snapshot_loss() const {
  if (received_ticks_.size() < 2) return 0;
  const double span = double(received_ticks_.back() - received_ticks_.front() + 1);
  return std::clamp(1.0 - double(received_ticks_.size()) / span, 0.0, 1.0);
}

bool arena_connection::over_udp() const {
  return session_ && session_->connected() && session_->transport() == client::server_url::scheme::udp;
}

// The session's connection is a udp_client_connection whenever the transport in use is udp.
double arena_connection::rtt_ms() const {
  if (!over_udp()) return rtt_ms_;
  return static_cast<const client::udp_client_connection&>(*session_->connection()).rtt_ms();
}

double arena_connection::loss() const {
  if (!over_udp()) return snapshot_loss();
  return static_cast<const client::udp_client_connection&>(*session_->connection()).packet_loss();
}

void arena_connection::send_inputs(const outgoing_inputs& inputs) {
  if (!session_ || room_id_ == 0 || closed_) return;
  v1::Envelope message;
  auto* input = message.mutable_room_input();
  input->set_room_id(room_id_);
  input->set_ack_tick(inputs.ack_tick);
  for (const auto& f : inputs.frames) {
    auto* frame = input->add_inputs();
    frame->set_sequence(f.sequence);
    frame->set_client_tick(f.client_tick);
    frame->set_view_tick(f.view_tick);
    const auto bytes = games::arena::encode_input(f.input);
    frame->set_data(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  session_->notify_unreliable(std::move(message));
}

// The round trip feeds the game's clock sync on every transport: a Ping each second (over UDP rtt_ms() prefers
// the message layer's smoothed estimate for the display).
void arena_connection::schedule_ping() {
  ping_timer_.expires_after(std::chrono::milliseconds(kPingIntervalMs));
  ping_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || closed_) return;
    v1::Envelope ping;
    const double sent = steady_ms();
    ping.mutable_ping()->set_client_time_ms(std::int64_t(sent));
    session_->request(ping, [this, sent](const v1::Envelope& reply) {
      if (!reply.has_pong() || closed_) return;
      rtt_ms_ = steady_ms() - sent;
      if (events_.on_round_trip) events_.on_round_trip(rtt_ms_);
    });
    schedule_ping();
  });
}

}  // namespace guildhall::arena_sdl
