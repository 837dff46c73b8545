#pragma once
// Protocol messages built from matches: the one place that maps the engine's records onto guildhall.v1.
// Pure functions.
#include <cstdint>

#include "services/turns/match.hpp"
#include "store/records.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

// Clocks are given as of `now_ms` (the running one, if `clock_running`, already counted down), so a client just
// counts on from when it received them.
void fill_match_info(wire::v1::MatchInfo& info, const store::match_record& record, std::int64_t now_ms,
                     bool clock_running);
// For a record read without its moves: whether the seat to move has had a first move, judged by the ply
// (every seat has moved once after as many moves as seats in the turn-taking games built in). Lists only;
// the live match knows exactly (`match::clock_running`).
bool clock_probably_running(const store::match_record& record);
// A live match: its clock and, when open, whether its creator is connected, exactly.
void fill_match_info(wire::v1::MatchInfo& info, const match& game, std::int64_t now_ms);
void fill_move(wire::v1::MoveRecord& out, const store::move_record& move);

// What `seat` (-1: a spectator) sees: the view, the moves after `after_ply`, and the legal moves on its turn.
wire::v1::Envelope make_snapshot(const match& game, int seat, std::uint32_t after_ply, std::int64_t now_ms,
                                 std::uint32_t cid);
// One event per audience, index seat + 1 (0: spectators): the match info is built once and shared; each
// audience gets its own view, and the player to move its legal moves. None for KIND_UNSPECIFIED.
std::vector<wire::v1::Envelope> make_events(wire::v1::MatchEvent::Kind kind, const match& game,
                                            const store::move_record* move, std::int64_t now_ms);

}  // namespace guildhall::services
