// `guildhall play` before the first move: resume, join or create the match the command line asks for. Each step
// is one request whose answer picks the next; match_requests.cpp makes the choices, this file sends them.
#include "cli/match_render.hpp"
#include "cli/play_session.hpp"

namespace guildhall::cli {

void play_session::start(const v1::Authenticated& me) {
  my_user_id_ = me.user_id();
  my_username_ = me.username();
  notice("logged in as " + my_username_);
  if (plan_.match_id != 0) return open_by_id(plan_.match_id);
  switch (plan_.against.is) {
    case opponent::kind::bot: return resume_or([this] { create(); });
    case opponent::kind::user: return resume_or([this] { look_for_invitation(); });
    case opponent::kind::open: break;
  }
  notice("looking for an open " + plan_.game + " match...");
  v1::Envelope request;
  request.mutable_list_open_matches()->set_game(plan_.game);
  session_->request(request, [this](const v1::Envelope& reply) {
    if (report_error(reply)) return finish(1, "");
    seek_open_match(reply.match_list());
  });
}

// --match: OpenMatch answers with the whole match. An open match with a seat for us is joined: that is what
// "come and play match 123" means.
void play_session::open_by_id(std::uint64_t match_id) {
  v1::Envelope request;
  request.mutable_open_match()->set_match_id(match_id);
  session_->request(request, [this, match_id](const v1::Envelope& reply) {
    if (report_error(reply)) return finish(1, "");
    const auto& snapshot = reply.match_snapshot();
    if (snapshot.your_seat() < 0 && may_join(snapshot.info(), my_user_id_, my_username_)) {
      return join(match_id, [this](const v1::Error&) { finish(1, ""); });
    }
    begin(snapshot);
  });
}

// --vs bot and --vs USER first look for an unfinished match against that opponent: a player who comes back
// expects the game they left, not a second one.
void play_session::resume_or(std::move_only_function<void()> otherwise) {
  v1::Envelope request;
  request.mutable_list_my_matches()->set_include_finished(false);
  session_->request(request, [this, otherwise = std::move(otherwise)](const v1::Envelope& reply) mutable {
    if (report_error(reply)) return finish(1, "");
    const auto found = find_resumable(reply.match_list(), plan_.game, my_user_id_, plan_.against, plan_.time_control);
    if (!found) return otherwise();
    notice("resuming your " + plan_.game + " match " + std::to_string(found->match_id()) + " (" +
           format_time_control(found->time_control()) +
           (found->status() == v1::MatchInfo::OPEN ? ", still open" : "") + "; /resign or /abort ends it)");
    open_by_id(found->match_id());
  });
}

// --vs open: join the oldest fitting match someone else created; if another player took it first, try the next.
void play_session::seek_open_match(v1::MatchList candidates) {
  const seek wanted{plan_.game, plan_.time_control, plan_.rated};
  const auto best = pick_open_match(candidates, wanted, my_user_id_, my_username_);
  if (!best) return after_seek_failed();
  const std::uint64_t id = best->match_id();
  join(id, [this, id, candidates = std::move(candidates)](const v1::Error&) mutable {
    auto* matches = candidates.mutable_matches();
    for (int i = 0; i < matches->size(); ++i) {
      if (matches->Get(i).match_id() == id) {
        matches->DeleteSubrange(i, 1);
        break;
      }
    }
    seek_open_match(std::move(candidates));
  });
}

// Nobody is waiting: wait in our own open match left from an earlier run, or create one.
void play_session::after_seek_failed() {
  resume_or([this] { create(); });
}

// --vs USER: when USER has invited us already, accept by joining; else invite them.
void play_session::look_for_invitation() {
  v1::Envelope request;
  request.mutable_list_open_matches()->set_game(plan_.game);
  session_->request(request, [this](const v1::Envelope& reply) {
    if (report_error(reply)) return finish(1, "");
    const auto invitation = find_invitation(reply.match_list(), plan_.game, plan_.against.username, my_username_);
    if (!invitation) return create();
    notice("accepting " + plan_.against.username + "'s invitation");
    join(invitation->match_id(), [this](const v1::Error&) { create(); });
  });
}

void play_session::join(std::uint64_t match_id, std::move_only_function<void(const v1::Error&)> on_refused) {
  v1::Envelope request;
  request.mutable_join_match()->set_match_id(match_id);
  session_->request(request, [this, on_refused = std::move(on_refused)](const v1::Envelope& reply) mutable {
    if (report_error(reply)) return on_refused(reply.error());
    begin(reply.match_snapshot());
  });
}

void play_session::create() {
  const auto time_control = plan_.time_control.value_or(default_time_control(plan_.game));
  auto request = create_match_request(plan_.game, plan_.against, time_control, plan_.seat, plan_.rated);
  session_->request(std::move(request), [this](const v1::Envelope& reply) {
    if (report_error(reply)) return finish(1, "");
    begin(reply.match_snapshot());
  });
}

void play_session::begin(const v1::MatchSnapshot& snapshot) {
  absorb(snapshot);
  const int seat = state_.your_seat();
  if (state_.open()) {
    const auto invited = invited_names(state_.info());
    if (invited.empty()) {
      notice("match " + std::to_string(state_.match_id()) + " is open: anyone may join (--vs open, or --match " +
             std::to_string(state_.match_id()) + ")");
    } else {
      notice("invited " + invited + ": they accept with guildhall play " + state_.game() + " --vs " + my_username_);
    }
  } else if (state_.active() && seat >= 0) {
    notice("you play " + seat_label(state_.game(), seat) + " against " + player_name(state_, 1 - seat));
  } else if (state_.spectating()) {
    notice("watching match " + std::to_string(state_.match_id()) + ": /quit leaves");
  }
  render();
}

}  // namespace guildhall::cli
