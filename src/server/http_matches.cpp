#include "server/http_matches.hpp"

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <ctime>

#include "games/chess/pgn.hpp"
#include "server/http_errors.hpp"
#include "services/turns/leaderboard.hpp"

namespace guildhall::server {
namespace {

// The value of `key` in a query string (no percent-decoding: usernames and numbers never need it).
std::string query_value(const std::string& query, std::string_view key) {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto end = rest.find('&');
    const auto pair = rest.substr(0, end);
    if (pair.starts_with(key) && pair.size() > key.size() && pair[key.size()] == '=') {
      return std::string(pair.substr(key.size() + 1));
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return {};
}

std::string pgn_date(std::int64_t unix_ms) {
  const std::time_t seconds = unix_ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y.%m.%d", &utc);
  return text;
}

// How the game ended, in words, as the big sites write it ("alice won by resignation", "bob won on time",
// "Drawn by agreement"): PGN's own Termination values ("normal", "time forfeit") cannot tell a resignation from
// a mate. Empty while the game goes on.
std::string pgn_termination(const store::match_record& match) {
  const std::string& reason = match.result_reason;
  if (match.status == store::match_status::aborted) return "Aborted (" + reason + ")";
  if (match.status != store::match_status::finished) return "";
  if (match.winner < 0) {
    if (reason.starts_with("time")) return "Drawn on time: the opponent cannot win";
    return "Drawn by " + reason;
  }
  const auto winner = static_cast<std::size_t>(match.winner);
  const std::string name = winner < match.seats.size() && !match.seats[winner].username.empty()
                               ? match.seats[winner].username
                               : (match.winner == 0 ? "White" : "Black");
  if (reason == "time") return name + " won on time";
  if (reason == "abandoned") return name + " won: the opponent abandoned the game";
  return name + " won by " + reason;
}

std::string pgn_text_result(const store::match_record& match) {
  if (match.status != store::match_status::finished) return "*";
  if (match.winner < 0) return "1/2-1/2";
  return match.winner == 0 ? "1-0" : "0-1";
}

}  // namespace

bool match_routes::handle(const std::string& path, const std::string& query, net::http_responder& respond) {
  constexpr std::string_view kBoards = "/v1/leaderboards/";
  constexpr std::string_view kMatches = "/v1/matches/";
  if (path.starts_with(kBoards)) {
    leaderboard(path.substr(kBoards.size()), query, std::move(respond));
    return true;
  }
  if (path.starts_with(kMatches) && path.ends_with("/pgn")) {
    pgn(path.substr(kMatches.size(), path.size() - kMatches.size() - 4), std::move(respond));
    return true;
  }
  return false;
}

void match_routes::leaderboard(const std::string& game, const std::string& query, net::http_responder respond) {
  if (!games_.find(game)) return respond(error_response({errc::not_found, "no game called '" + game + "'"}));
  std::uint32_t limit = 0;
  if (const auto text = query_value(query, "limit"); !text.empty()) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return respond(error_response({errc::invalid_argument, "limit must be a number"}));
    }
  }
  if (auto admitted = db_.admit_read(); !admitted) return respond(error_response(admitted.error()));
  db_.read([game, around = query_value(query, "around"), limit, respond = std::move(respond)](store::backend& store) mutable {
    auto page = services::read_leaderboard(store, game, around, limit);
    if (!page) return respond(error_response(page.error()));
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;  // an empty board is "entries": [], not a missing field
    std::string json;
    google::protobuf::util::MessageToJsonString(*page, &json, options);
    respond({200, "application/json", std::move(json), {}});
  });
}

void match_routes::pgn(const std::string& match_id, net::http_responder respond) {
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(match_id.data(), match_id.data() + match_id.size(), id);
  if (ec != std::errc() || end != match_id.data() + match_id.size()) {
    return respond(error_response({errc::invalid_argument, "not a match id: " + match_id}));
  }
  if (auto admitted = db_.admit_read(); !admitted) return respond(error_response(admitted.error()));
  db_.read([id, respond = std::move(respond)](store::backend& store) mutable {
    auto match = store.find_match(id);
    if (!match) return respond(error_response(match.error()));
    if (match->game != "chess") return respond(error_response({errc::invalid_argument, "PGN is for chess matches"}));
    auto moves = store.match_moves(id, 0);
    if (!moves) return respond(error_response(moves.error()));
    games::chess::pgn_game game;
    game.event = "Guildhall match " + std::to_string(id);
    game.site = "Guildhall";
    game.date = pgn_date(match->created_at_ms);
    game.white = match->seats.size() > 0 && !match->seats[0].username.empty() ? match->seats[0].username : "?";
    game.black = match->seats.size() > 1 && !match->seats[1].username.empty() ? match->seats[1].username : "?";
    game.result = pgn_text_result(*match);
    game.termination = pgn_termination(*match);
    game.time_control = games::chess::pgn_time_control(match->initial_ms, match->increment_ms);
    for (const auto& [key, value] : match->options) {
      if (key == "fen") game.start_fen = value;
    }
    for (const auto& move : *moves) game.san_moves.push_back(move.display);
    auto text = games::chess::write_pgn(game);
    if (!text) return respond(error_response({errc::internal, text.error()}));
    respond({200, "application/x-chess-pgn",  std::move(*text),
             {{"Content-Disposition", "inline; filename=\"guildhall-" + std::to_string(id) + ".pgn\""}}});
  });
}

}  // namespace guildhall::server
