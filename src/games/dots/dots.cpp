#include "games/dots/dots.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>

namespace guildhall::games {
namespace {

constexpr std::uint8_t kDot = 0, kClock = 1;  // entity types, in schema order
constexpr std::uint32_t kClockId = 1;          // dots use 100 + seat

class dots_room final : public room {
 public:
  dots_room(room_context& context, std::uint32_t end_after) : context_(context), end_after_(end_after) {}

  std::expected<void, room_refusal> on_join(const room_member& member) override {
    if (member.username.starts_with("nodots")) return std::unexpected("no dots for you");  // for refusal tests
    if (!member.spectator) dots_[member.seat] = {member.user_id, 50, 50, 0};
    context_.broadcast("hello", "{\"user_id\":" + std::to_string(member.user_id) + "}");
    return {};
  }
  void on_leave(const room_member& member, leave_kind why) override {
    if (why == leave_kind::left && !member.spectator) dots_.erase(member.seat);
    static constexpr const char* kinds[] = {"dropped", "returned", "left"};
    context_.broadcast("bye", std::string("{\"user_id\":") + std::to_string(member.user_id) + ",\"why\":\"" +
                                  kinds[static_cast<int>(why)] + "\"}");
  }
  void on_input(const room_member& member, const player_input& input) override {
    auto it = dots_.find(member.seat);
    if (it == dots_.end() || input.data.size() != 1) return;  // malformed: ignored
    it->second.keys = input.data[0];
  }
  void on_message(const room_member& member, std::string_view type, std::string_view payload) override {
    if (type == "say") context_.broadcast("said", payload);
    if (type == "kick_me") context_.kick(member.user_id, "asked for it");
    if (type == "whisper") context_.send(member.user_id, "whispered", payload);
  }
  void on_tick() override {
    for (auto& [seat, dot] : dots_) {
      const double dx = ((dot.keys & kDotsRight) ? 1 : 0) - ((dot.keys & kDotsLeft) ? 1 : 0);
      const double dy = ((dot.keys & kDotsDown) ? 1 : 0) - ((dot.keys & kDotsUp) ? 1 : 0);
      dot.x = std::clamp(dot.x + dx * kDotsSpeed, 0.0, 100.0);
      dot.y = std::clamp(dot.y + dy * kDotsSpeed, 0.0, 100.0);
    }
    if (end_after_ != 0 && context_.tick() >= end_after_) context_.end("time is up");
  }
  void write_world(world_writer& out) const override {
    out.entity(kClockId, kClock, {static_cast<double>(context_.tick())}, relevance{.always = true});
    for (const auto& [seat, dot] : dots_) {
      out.entity(100 + static_cast<std::uint32_t>(seat), kDot, {dot.x, dot.y, static_cast<double>(seat)},
                 relevance{.x = static_cast<float>(dot.x), .y = static_cast<float>(dot.y)});
    }
  }
  std::optional<viewpoint> viewpoint_for(const room_member& member) const override {
    const auto it = dots_.find(member.seat);
    if (member.spectator || it == dots_.end()) return std::nullopt;
    return viewpoint{static_cast<float>(it->second.x), static_cast<float>(it->second.y), kDotsViewRadius};
  }

 private:
  struct dot {
    std::uint64_t user_id;
    double x, y;
    std::uint8_t keys;
  };
  room_context& context_;
  std::uint32_t end_after_;
  std::map<int, dot> dots_;  // by seat
};

}  // namespace

dots_type::dots_type() {
  schema_.types = {
      {"dot", {field_spec::fixed("x", 0, 100, 0.25), field_spec::fixed("y", 0, 100, 0.25), field_spec::whole("seat", 0, 15)}},
      {"clock", {field_spec::whole("tick", 0, (1 << 24) - 1)}},
  };
}

room_settings dots_type::settings() const {
  // Small numbers, so the engine's limits are reachable in tests: 4 seats, 2 inputs a tick, 8-byte inputs.
  return room_settings{.tick_hz = 20, .max_players = 4, .max_spectators = 4, .max_inputs_per_tick = 2,
                       .max_input_bytes = 8, .snapshot_budget_bytes = 256};
}

std::expected<std::unique_ptr<room>, room_refusal> dots_type::create(const room_options& options,
                                                                     room_context& context) const {
  std::uint32_t end_after = 0;
  if (auto it = options.find("end_after_ticks"); it != options.end()) {
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), end_after);
    if (ec != std::errc() || end != text.data() + text.size()) return std::unexpected("end_after_ticks must be a number");
  }
  std::string mode = "classic";
  if (auto it = options.find("mode"); it != options.end()) {
    if (it->second.empty() || it->second.size() > 16 ||
        !std::all_of(it->second.begin(), it->second.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
      return std::unexpected("mode must be 1..16 letters or digits");
    }
    mode = it->second;
  }
  context.set_label("{\"mode\":\"" + mode + "\"}");
  return std::make_unique<dots_room>(context, end_after);
}

}  // namespace guildhall::games
