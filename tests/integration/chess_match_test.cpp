// Chess over real sockets: a game to checkmate in SAN and UCI with its PGN over HTTP, the stockfish bot,
// custom positions, clocks with increment, resuming after a reconnect (with the moves missed and the
// notifications stored meanwhile), and no acknowledged move lost across kill -9.
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <thread>

#include "client/http_login.hpp"
#include "match_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

struct chess_table {
  explicit chess_table(std::vector<std::string> settings = {}, std::string data = {})
      : server(std::move(settings), std::move(data)) {}
  server_process server;
  v1::AuthSession white_session = session_for("wanda");
  v1::AuthSession black_session = session_for("boris");
  std::optional<blocking_client> white_device{connect(transport::tcp, white_session)};
  std::optional<blocking_client> black_device{connect(transport::ws_binary, black_session)};
  blocking_client& white() { return *white_device; }
  blocking_client& black() { return *black_device; }

  v1::AuthSession session_for(const std::string& name) {
    v1::AuthRequest login;
    login.set_username(name);
    login.set_password("long enough");
    if (auto existing = client::call_auth("127.0.0.1", server.http_port(), "login", login)) return *existing;
    return register_user(server.http_port(), name, "long enough");
  }

  blocking_client connect(transport kind, const v1::AuthSession& session) {
    blocking_client client(kind, kind == transport::tcp ? server.tcp_port() : server.http_port());
    EXPECT_TRUE(client.authenticate(session.token()).has_authenticated());
    return client;
  }

  // Black's device goes away; returns once the server has noticed (white sees black go offline in a channel
  // both joined, and the server unsubscribes a closed connection from its matches before telling its channels).
  void black_leaves() {
    white().join("table-" + std::to_string(black_session.user_id()));
    black().join("table-" + std::to_string(black_session.user_id()));
    black_device.reset();
    while (auto push = white().next_push(5s)) {
      if (push->has_presence() && push->presence().kind() == v1::PresenceEvent::OFFLINE) return;
    }
    ADD_FAILURE() << "the server never noticed black leaving";
  }

  // White opens with `move` against the server's bot; the bot's answering event, if it came.
  std::optional<v1::MatchEvent> bot_answer_to(const std::string& move) {
    match_options options;
    options.game = "chess";
    options.bot = true;
    const auto created = create_match(white(), options);
    if (!created.has_match_snapshot()) {
      ADD_FAILURE() << created.DebugString();
      return std::nullopt;
    }
    if (const auto moved = play(white(), created.match_snapshot().info().match_id(), move); !moved.has_move_accepted()) {
      ADD_FAILURE() << moved.DebugString();
      return std::nullopt;
    }
    std::optional<v1::MatchEvent> answer;
    while ((answer = next_event(white(), 10s)) && answer->move().seat() != 1) {}
    return answer;
  }

  std::uint64_t start(match_options options = {}) {
    options.game = "chess";
    const auto created = create_match(white(), options);
    EXPECT_TRUE(created.has_match_snapshot()) << created.DebugString();
    const auto id = created.match_snapshot().info().match_id();
    EXPECT_TRUE(join_match(black(), id).has_match_snapshot());
    return id;
  }
};

TEST(ChessMatches, FoolsMateInSanAndUciEndsTheGameAndExportsPgn) {
  chess_table t;
  const auto id = t.start();
  ASSERT_TRUE(play(t.white(), id, "f3").has_move_accepted());     // SAN
  ASSERT_TRUE(play(t.black(), id, "e7e5").has_move_accepted());   // UCI
  ASSERT_TRUE(play(t.white(), id, "g2g4").has_move_accepted());
  const auto mate = play(t.black(), id, "Qh4#");
  ASSERT_TRUE(mate.has_move_accepted()) << mate.DebugString();
  EXPECT_EQ(mate.move_accepted().move().move(), "d8h4");
  EXPECT_EQ(mate.move_accepted().move().display(), "Qh4#");

  const auto final_state = open_match(t.white(), id).match_snapshot();
  EXPECT_EQ(final_state.info().status(), v1::MatchInfo::FINISHED);
  EXPECT_EQ(final_state.info().result().winner(), 1);
  EXPECT_EQ(final_state.info().result().reason(), "checkmate");
  EXPECT_EQ(final_state.view(), "rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3");

  const auto pgn = http_get(t.server.http_port(), "/v1/matches/" + std::to_string(id) + "/pgn");
  ASSERT_EQ(pgn.status, 200) << pgn.body;
  EXPECT_NE(pgn.body.find("[White \"wanda\"]"), std::string::npos) << pgn.body;
  EXPECT_NE(pgn.body.find("[Black \"boris\"]"), std::string::npos) << pgn.body;
  EXPECT_NE(pgn.body.find("[Result \"0-1\"]"), std::string::npos) << pgn.body;
  EXPECT_NE(pgn.body.find("1. f3 e5 2. g4 Qh4# 0-1"), std::string::npos) << pgn.body;
  EXPECT_NE(pgn.body.find("[TimeControl \"-\"]"), std::string::npos) << pgn.body;
  EXPECT_NE(pgn.body.find("[Termination \"boris won by checkmate\"]"), std::string::npos) << pgn.body;
  EXPECT_EQ(http_get(t.server.http_port(), "/v1/matches/12345/pgn").status, 404);
  EXPECT_EQ(http_get(t.server.http_port(), "/v1/matches/abc/pgn").status, 400);
}

// Regression: the PGN had no TimeControl tag, and its Termination ("Normal") could not tell a resignation from
// a mate.
TEST(ChessMatches, ThePgnNamesTheTimeControlAndHowTheGameEnded) {
  chess_table t;
  auto pgn_of = [&](std::uint64_t id) {
    const auto pgn = http_get(t.server.http_port(), "/v1/matches/" + std::to_string(id) + "/pgn");
    EXPECT_EQ(pgn.status, 200) << pgn.body;
    return pgn.body;
  };
  match_options blitz;
  blitz.initial_ms = 180'000;
  blitz.increment_ms = 2'000;
  const auto resigned = t.start(blitz);
  ASSERT_TRUE(play(t.white(), resigned, "e4").has_move_accepted());
  ASSERT_TRUE(act(t.black(), resigned, v1::MatchAction::RESIGN).has_match_snapshot());
  auto text = pgn_of(resigned);
  EXPECT_NE(text.find("[TimeControl \"180+2\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("[Termination \"wanda won by resignation\"]"), std::string::npos) << text;

  match_options bullet;
  bullet.initial_ms = 1'000;
  const auto flagged = t.start(bullet);
  ASSERT_TRUE(play(t.white(), flagged, "e4").has_move_accepted());
  ASSERT_TRUE(play(t.black(), flagged, "e5").has_move_accepted());  // white's clock runs now, and runs out
  std::optional<v1::MatchEvent> ended;
  while ((ended = next_event(t.black(), 5s)) &&
         (ended->kind() != v1::MatchEvent::ENDED || ended->info().match_id() != flagged)) {}
  ASSERT_TRUE(ended);
  text = pgn_of(flagged);
  EXPECT_NE(text.find("[TimeControl \"1+0\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("[Termination \"boris won on time\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("[Result \"0-1\"]"), std::string::npos) << text;
}

// Regression: protobuf-JSON leaves out empty repeated fields, so an empty board came without `entries`.
TEST(ChessMatches, AnEmptyLeaderboardAnswersAnEmptyList) {
  chess_table t;
  const auto page = http_get(t.server.http_port(), "/v1/leaderboards/chess");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("\"entries\":[]"), std::string::npos) << page.body;
}

TEST(ChessMatches, IllegalMovesAreRefusedWithTheRulesReason) {
  chess_table t;
  const auto id = t.start();
  const auto refused = play(t.white(), id, "e2e5");
  EXPECT_EQ(refused.error().code(), v1::ILLEGAL_MOVE);
  EXPECT_FALSE(refused.error().message().empty());
  EXPECT_EQ(play(t.white(), id, "Ke2").error().code(), v1::ILLEGAL_MOVE);  // blocked by its own pawn
  EXPECT_EQ(play(t.white(), id, "O-O").error().code(), v1::ILLEGAL_MOVE);  // pieces in between
  EXPECT_EQ(open_match(t.white(), id).match_snapshot().info().ply(), 0u);
}

TEST(ChessMatches, ACustomStartPositionIsPlayedFromItsFen) {
  chess_table t;
  match_options options;
  options.game_options["fen"] = "6k1/5ppp/8/8/8/8/5PPP/R5K1 w - - 0 1";
  const auto id = t.start(options);
  const auto mate = play(t.white(), id, "Ra8#");
  ASSERT_TRUE(mate.has_move_accepted()) << mate.DebugString();
  EXPECT_EQ(open_match(t.black(), id).match_snapshot().info().result().reason(), "checkmate");
  options.game_options["fen"] = "this is not a position";
  options.game = "chess";
  EXPECT_EQ(create_match(t.white(), options).error().code(), v1::INVALID_ARGUMENT);
}

TEST(ChessMatches, TheClockGainsTheIncrementAfterEachMove) {
  chess_table t;
  match_options options;
  options.initial_ms = 60'000;
  options.increment_ms = 2'000;
  const auto id = t.start(options);
  const auto moved = play(t.white(), id, "e4");
  ASSERT_TRUE(moved.has_move_accepted());
  const auto left = moved.move_accepted().move().clock_ms();
  EXPECT_GT(left, 61'000);  // 60 s, minus well under a second of thinking, plus 2 s
  EXPECT_LE(left, 62'000);
}

// Regression: a restart charged the player to move with the time the server was down.
TEST(ChessMatches, TheTimeTheServerWasDownIsNotChargedToThePlayerToMove) {
  const std::string data = make_temp_dir("guildhall-chess-clock-restart");
  constexpr std::int64_t kClockMs = 60'000;
  constexpr auto kDowntime = 3s;
  std::uint64_t id = 0;
  {
    chess_table t({}, data);
    match_options options;
    options.initial_ms = kClockMs;
    id = t.start(options);
    ASSERT_TRUE(play(t.white(), id, "e4").has_move_accepted());
    ASSERT_TRUE(play(t.black(), id, "e5").has_move_accepted());  // white's clock runs from here
    t.server.stop(SIGKILL);
    std::this_thread::sleep_for(kDowntime);  // the outage itself, not a wait for a condition
  }
  const auto restarting = std::chrono::steady_clock::now();
  chess_table t({}, data);
  const auto state = open_match(t.white(), id).match_snapshot().info();
  const auto since_restart = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - restarting);
  ASSERT_EQ(state.status(), v1::MatchInfo::ACTIVE);
  EXPECT_TRUE(state.clock_running());
  // White is charged only for the time since the server came back (its start, the logins, this request), never
  // for the outage: before the fix the charge was the 3 s outage on top of all that.
  const std::int64_t charged = kClockMs - state.clock_ms(0);
  EXPECT_GE(charged, 0);
  EXPECT_LE(charged, since_restart.count() + 50) << "white was charged for the outage";
  EXPECT_EQ(state.clock_ms(1), kClockMs);
}

TEST(ChessMatches, TheStockfishBotAnswersAMove) {
  chess_table t;
  const auto answer = t.bot_answer_to("e4");
  ASSERT_TRUE(answer) << "no answer from the bot\n" << t.server.log();
  EXPECT_EQ(answer->move().ply(), 2u);
  EXPECT_EQ(answer->legal_moves_size() > 0, true);  // white to move again, with its moves
  EXPECT_EQ(t.server.log().find("built-in engine moves instead"), std::string::npos) << "stockfish was not used";
}

TEST(ChessMatches, WithoutStockfishTheBuiltInEngineAnswers) {
  chess_table t({"turns.stockfish_path=/nonexistent/stockfish"});
  const auto answer = t.bot_answer_to("d4");
  ASSERT_TRUE(answer) << t.server.log();
  EXPECT_EQ(answer->move().ply(), 2u);
  EXPECT_NE(t.server.log().find("built-in engine moves instead"), std::string::npos);
}

// Regression: the bot ignored draw offers. It takes one in a lost position and declines it in an even one, with
// stockfish and with the built-in engine.
void expect_bot_answers_draw_offers(chess_table& t) {
  auto offer_against_bot = [&](const std::string& fen) -> std::optional<v1::MatchEvent> {
    match_options options;
    options.game = "chess";
    options.bot = true;
    if (!fen.empty()) options.game_options["fen"] = fen;
    const auto created = create_match(t.white(), options);
    EXPECT_TRUE(created.has_match_snapshot()) << created.DebugString();
    const auto id = created.match_snapshot().info().match_id();
    EXPECT_TRUE(act(t.white(), id, v1::MatchAction::OFFER_DRAW).has_match_snapshot());
    while (auto event = next_event(t.white(), 10s)) {
      if (event->kind() == v1::MatchEvent::ENDED || event->kind() == v1::MatchEvent::DRAW_DECLINED) return event;
    }
    return std::nullopt;
  };
  const auto lost = offer_against_bot("4k3/8/8/8/8/8/8/QQ2K3 w - - 0 1");  // the bot, black, has a lone king
  ASSERT_TRUE(lost) << t.server.log();
  EXPECT_EQ(lost->kind(), v1::MatchEvent::ENDED);
  EXPECT_EQ(lost->info().result().reason(), "agreement");
  EXPECT_EQ(lost->info().result().winner(), -1);
  const auto even = offer_against_bot("");
  ASSERT_TRUE(even) << t.server.log();
  EXPECT_EQ(even->kind(), v1::MatchEvent::DRAW_DECLINED);
  EXPECT_EQ(even->info().draw_offered_by(), -1);
  EXPECT_EQ(even->info().status(), v1::MatchInfo::ACTIVE);
}

TEST(ChessMatches, TheStockfishBotAnswersDrawOffers) {
  chess_table t;
  expect_bot_answers_draw_offers(t);
  EXPECT_EQ(t.server.log().find("built-in engine moves instead"), std::string::npos) << "stockfish was not used";
}

TEST(ChessMatches, TheBuiltInBotAnswersDrawOffers) {
  chess_table t({"turns.stockfish_path=/nonexistent/stockfish"});
  expect_bot_answers_draw_offers(t);
  EXPECT_NE(t.server.log().find("built-in engine moves instead"), std::string::npos);
}

TEST(ChessMatches, APlayerAwayWhenTheGameEndsIsToldAtNextLogin) {
  chess_table t;
  const auto id = t.start();
  ASSERT_TRUE(play(t.white(), id, "e4").has_move_accepted());
  t.black_leaves();
  ASSERT_TRUE(act(t.white(), id, v1::MatchAction::RESIGN).has_match_snapshot());
  t.black_device.emplace(t.connect(transport::tcp, t.black_session));
  std::optional<v1::Notification> told;
  while ((told = next_notification(t.black())) && told->kind() != v1::Notification::GAME_OVER) {}
  ASSERT_TRUE(told);
  EXPECT_EQ(told->match_id(), id);
  EXPECT_NE(told->text().find("is won"), std::string::npos) << told->text();
}

// Regression: a player leaving just as the opponent resigned was told nothing, neither on the old connection nor
// at the next login, about one trial in five. The GAME_OVER went to a connection that was going away (its
// WebSocket close had arrived, or its user's list of connections had not caught up) and was never stored.
// Each round races the leaving with the resignation; every round must end in a GAME_OVER at the next login.
TEST(ChessMatches, APlayerLeavingAsTheOpponentResignsIsToldAtNextLogin) {
  constexpr int kRounds = 16;
  chess_table t;
  std::set<std::uint64_t> seen;
  for (int round = 0; round < kRounds; ++round) {
    const auto id = t.start();
    ASSERT_TRUE(play(t.white(), id, "e4").has_move_accepted());
    v1::Envelope resign;
    resign.set_cid(static_cast<std::uint32_t>(100'000 + round));
    resign.mutable_match_action()->set_match_id(id);
    resign.mutable_match_action()->set_kind(v1::MatchAction::RESIGN);
    if (round % 2 == 0) {  // a WebSocket close, then the socket goes, as the resignation is sent
      const wire::ws::mask_key mask{1, 2, 3, 4};
      t.black().send_raw(wire::ws::make_frame(wire::ws::opcode::close, wire::ws::close_payload(1000, "bye"), mask));
      t.white().send(resign);
      t.black_device.reset();
    } else {  // the resignation, then a bare disconnect
      t.white().send(resign);
      t.black_device.reset();
    }
    std::optional<v1::Envelope> answer;
    while ((answer = t.white().next(5s)) && answer->cid() != resign.cid()) {}
    ASSERT_TRUE(answer && answer->has_match_snapshot()) << "round " << round;

    t.black_device.emplace(t.connect(transport::ws_binary, t.black_session));
    std::optional<v1::Notification> told;
    while ((told = next_notification(t.black(), 5s, &seen)) &&
           (told->kind() != v1::Notification::GAME_OVER || told->match_id() != id)) {}
    ASSERT_TRUE(told) << "round " << round << ": black was never told that match " << id << " ended";
    EXPECT_NE(told->text().find("is won"), std::string::npos) << told->text();  // white resigned
  }
}

TEST(ChessMatches, AReconnectingPlayerGetsWhatItMissedAndItsNotifications) {
  chess_table t;
  const auto id = t.start();
  ASSERT_TRUE(play(t.white(), id, "e4").has_move_accepted());
  ASSERT_TRUE(play(t.black(), id, "e5").has_move_accepted());
  t.black_leaves();  // black goes away ...
  t.white_device.emplace(t.connect(transport::ws_json, t.white_session));  // ... white moves from a new device
  ASSERT_TRUE(play(t.white(), id, "Nf3").has_move_accepted());  // works without opening the match first
  EXPECT_EQ(play(t.white(), id, "Nc3").error().code(), v1::NOT_YOUR_TURN);
  // Black, away, is told it is their move at next login.
  t.black_device.emplace(t.connect(transport::tcp, t.black_session));
  const auto told = next_notification(t.black());
  ASSERT_TRUE(told);
  EXPECT_EQ(told->kind(), v1::Notification::YOUR_TURN);
  EXPECT_EQ(told->match_id(), id);
  const auto resumed = open_match(t.black(), id, 2);
  ASSERT_TRUE(resumed.has_match_snapshot());
  ASSERT_EQ(resumed.match_snapshot().moves_size(), 1);  // only what it missed
  EXPECT_EQ(resumed.match_snapshot().moves(0).display(), "Nf3");
  EXPECT_EQ(resumed.match_snapshot().your_seat(), 1);
  EXPECT_GT(resumed.match_snapshot().legal_moves_size(), 0);
  // Stored notifications are delivered once.
  auto again = t.connect(transport::tcp, t.black_session);
  EXPECT_FALSE(next_notification(again, 500ms));
}

TEST(ChessMatches, NoAcknowledgedMoveIsLostToKillNine) {
  const std::string data = make_temp_dir("guildhall-chess-kill9");
  constexpr int kMatches = 6;
  std::vector<std::uint64_t> ids;
  std::vector<std::vector<std::string>> acknowledged(kMatches);
  const std::vector<std::string> opening = {"e4", "e5", "Nf3", "Nc6", "Bb5", "a6", "Ba4", "Nf6", "O-O", "Be7"};
  {
    chess_table t({}, data);
    for (int m = 0; m < kMatches; ++m) ids.push_back(t.start());
    // Interleave the matches so many moves are in flight in the same group commits, then kill mid-stream.
    for (std::size_t ply = 0; ply < opening.size(); ++ply) {
      auto& mover = ply % 2 == 0 ? t.white() : t.black();
      for (int m = 0; m < kMatches; ++m) {
        v1::Envelope request;
        request.set_cid(static_cast<std::uint32_t>(1000 + ply * kMatches + static_cast<std::size_t>(m)));
        request.mutable_make_move()->set_match_id(ids[static_cast<std::size_t>(m)]);
        request.mutable_make_move()->set_move(opening[ply]);
        mover.send(request);
      }
      for (int answered = 0; answered < kMatches;) {
        const auto answer = mover.next(5s);
        ASSERT_TRUE(answer);
        if (answer->has_match_event() || answer->has_notification()) continue;
        ASSERT_TRUE(answer->has_move_accepted()) << answer->DebugString();
        for (int m = 0; m < kMatches; ++m) {
          if (answer->move_accepted().match_id() == ids[static_cast<std::size_t>(m)]) {
            acknowledged[static_cast<std::size_t>(m)].push_back(answer->move_accepted().move().display());
          }
        }
        ++answered;
      }
    }
    t.server.stop(SIGKILL);
  }
  chess_table t({}, data);
  for (int m = 0; m < kMatches; ++m) {
    const auto state = open_match(t.white(), ids[static_cast<std::size_t>(m)]).match_snapshot();
    ASSERT_EQ(state.moves_size(), static_cast<int>(acknowledged[static_cast<std::size_t>(m)].size()));
    for (int i = 0; i < state.moves_size(); ++i) EXPECT_EQ(state.moves(i).display(), opening[static_cast<std::size_t>(i)]);
    EXPECT_EQ(state.info().status(), v1::MatchInfo::ACTIVE);
  }
  // The game goes on after the restart.
  EXPECT_TRUE(play(t.white(), ids[0], "Re1").has_move_accepted());
}

}  // namespace
}  // namespace guildhall::testing
