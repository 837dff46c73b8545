#include "services/turns/match_messages.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;

void fill_match_info(v1::MatchInfo& info, const store::match_record& record, std::int64_t now_ms, bool clock_running) {
  info.set_match_id(record.id);
  info.set_game(record.game);
  info.set_status(static_cast<v1::MatchInfo::Status>(record.status));
  for (const auto& seat : record.seats) {
    auto* player = info.add_players();
    player->set_user_id(seat.user_id);
    player->set_username(seat.username);
    player->set_bot(seat.bot);
    player->set_rating(seat.rating);
    for (const auto& name : seat.invited) player->add_invited(name);
  }
  const bool running = clock_running && record.status == store::match_status::active && record.initial_ms > 0;
  info.set_to_move(record.to_move);
  info.set_ply(record.ply);
  info.mutable_time_control()->set_initial_ms(static_cast<std::uint32_t>(record.initial_ms));
  info.mutable_time_control()->set_increment_ms(static_cast<std::uint32_t>(record.increment_ms));
  for (std::size_t seat = 0; seat < record.clock_ms.size(); ++seat) {
    std::int64_t left = record.clock_ms[seat];
    if (running && static_cast<int>(seat) == record.to_move) {
      left = std::max<std::int64_t>(0, left - (now_ms - record.turn_started_at_ms));
    }
    info.add_clock_ms(left);
  }
  info.set_clock_at_ms(now_ms);
  info.set_clock_running(running);
  info.set_rated(record.rated);
  if (record.status == store::match_status::finished || record.status == store::match_status::aborted) {
    info.mutable_result()->set_winner(record.winner);
    info.mutable_result()->set_reason(record.result_reason);
  }
  info.set_draw_offered_by(record.draw_offered_by);
  for (const auto& [key, value] : record.options) (*info.mutable_options())[key] = value;
  info.set_created_at_ms(record.created_at_ms);
}

void fill_match_info(v1::MatchInfo& info, const match& game, std::int64_t now_ms) {
  fill_match_info(info, game.record(), now_ms, game.clock_running());
  if (game.record().status == store::match_status::open) info.set_creator_online(game.seated_players_present());
}

bool clock_probably_running(const store::match_record& record) {
  return record.status == store::match_status::active && record.initial_ms > 0 && record.to_move >= 0 &&
         record.ply >= record.seats.size();
}

void fill_move(v1::MoveRecord& out, const store::move_record& move) {
  out.set_ply(move.ply);
  out.set_seat(move.seat);
  out.set_move(move.move);
  out.set_display(move.display);
  out.set_at_ms(move.at_ms);
  out.set_clock_ms(move.clock_ms);
}

v1::Envelope make_snapshot(const match& game, int seat, std::uint32_t after_ply, std::int64_t now_ms,
                           std::uint32_t cid) {
  v1::Envelope envelope;
  envelope.set_cid(cid);
  auto* snapshot = envelope.mutable_match_snapshot();
  fill_match_info(*snapshot->mutable_info(), game, now_ms);
  snapshot->set_your_seat(seat);
  snapshot->set_view(game.view_for(seat));
  for (const auto& move : game.moves()) {
    if (move.ply > after_ply) fill_move(*snapshot->add_moves(), move);
  }
  if (seat >= 0 && seat == game.record().to_move) {
    for (auto& move : game.legal_moves()) snapshot->add_legal_moves(std::move(move));
  }
  return envelope;
}

std::vector<v1::Envelope> make_events(v1::MatchEvent::Kind kind, const match& game, const store::move_record* move,
                                      std::int64_t now_ms) {
  if (kind == v1::MatchEvent::KIND_UNSPECIFIED) return {};
  v1::Envelope shared;
  auto* common = shared.mutable_match_event();
  common->set_kind(kind);
  fill_match_info(*common->mutable_info(), game, now_ms);
  if (move) fill_move(*common->mutable_move(), *move);
  const int seats = static_cast<int>(game.record().seats.size());
  std::vector<v1::Envelope> events(static_cast<std::size_t>(seats + 1), shared);
  for (int seat = -1; seat < seats; ++seat) {
    auto* event = events[static_cast<std::size_t>(seat + 1)].mutable_match_event();
    event->set_view(game.view_for(seat));
    if (seat >= 0 && seat == game.record().to_move) {
      for (auto& legal : game.legal_moves()) event->add_legal_moves(std::move(legal));
    }
  }
  return events;
}

}  // namespace guildhall::services
