// `guildhall play` before the first move: resume, join or create the match the command line asks for. Each step
// is one request whose answer picks the next; match_requests.cpp makes the choices, this file sends them.
#include "cli/match_render.hpp"
#include "cli/play_session.hpp"

namespace guildhall::cli {

using matches_answer = client::client_result<std::vector<client::match_info>>;
using snapshot_answer = client::client_result<client::match_snapshot>;

void play_session::start() {
  notice("logged in as " + my_username_);
  if (plan_.match_id != 0) return open_by_id(plan_.match_id);
  switch (plan_.against.is) {
    case opponent::kind::bot: return resume_or([this] { create(); });
    case opponent::kind::user: return resume_or([this] { look_for_invitation(); });
    case opponent::kind::open: break;
  }
  notice("looking for an open " + plan_.game + " match...");
  net_->list_open_matches(plan_.game, [this](const matches_answer& open) {
    if (report_error(open)) return finish(1, "");
    seek_open_match(*open);
  });
}

// --match: open_match answers with the whole match. An open match with a seat for us is joined: that is what
// "come and play match 123" means.
void play_session::open_by_id(std::uint64_t match_id) {
  net_->open_match(match_id, 0, [this, match_id](const snapshot_answer& snapshot) {
    if (report_error(snapshot)) return finish(1, "");
    if (snapshot->your_seat < 0 && may_join(snapshot->info, my_user_id_, my_username_)) {
      return join(match_id, [this] { finish(1, ""); });
    }
    enter(*snapshot);
  });
}

// --vs bot and --vs USER first look for an unfinished match against that opponent: a player who comes back
// expects the game they left, not a second one.
void play_session::resume_or(std::function<void()> otherwise) {
  net_->list_my_matches(false, [this, otherwise = std::move(otherwise)](const matches_answer& mine) mutable {
    if (report_error(mine)) return finish(1, "");
    const auto found = find_resumable(*mine, plan_.game, my_user_id_, plan_.against, plan_.clock);
    if (!found) return otherwise();
    notice("resuming your " + plan_.game + " match " + std::to_string(found->match_id) + " (" +
           format_time_control(time_control_of(*found)) +
           (found->state == client::match_info::status::open ? ", still open" : "") + "; /resign or /abort ends it)");
    open_by_id(found->match_id);
  });
}

// --vs open: join the oldest fitting match someone else created; if another player took it first, try the next.
void play_session::seek_open_match(match_list candidates) {
  const seek wanted{plan_.game, plan_.clock, plan_.rated};
  const auto best = pick_open_match(candidates, wanted, my_user_id_, my_username_);
  if (!best) return after_seek_failed();
  const std::uint64_t id = best->match_id;
  join(id, [this, id, candidates = std::move(candidates)]() mutable {
    std::erase_if(candidates, [id](const client::match_info& match) { return match.match_id == id; });
    seek_open_match(std::move(candidates));
  });
}

// Nobody is waiting: wait in our own open match left from an earlier run, or create one.
void play_session::after_seek_failed() {
  resume_or([this] { create(); });
}

// --vs USER: when USER has invited us already, accept by joining; else invite them.
void play_session::look_for_invitation() {
  net_->list_open_matches(plan_.game, [this](const matches_answer& open) {
    if (report_error(open)) return finish(1, "");
    const auto invitation = find_invitation(*open, plan_.game, plan_.against.username, my_username_);
    if (!invitation) return create();
    notice("accepting " + plan_.against.username + "'s invitation");
    join(invitation->match_id, [this] { create(); });
  });
}

void play_session::join(std::uint64_t match_id, std::function<void()> on_refused) {
  net_->join_match(match_id, [this, on_refused = std::move(on_refused)](const snapshot_answer& snapshot) mutable {
    if (report_error(snapshot)) return on_refused();
    enter(*snapshot);
  });
}

void play_session::create() {
  const auto clock = plan_.clock.value_or(default_time_control(plan_.game));
  net_->create_match(create_match_settings(plan_.game, plan_.against, clock, plan_.seat, plan_.rated),
                     [this](const snapshot_answer& snapshot) {
                       if (report_error(snapshot)) return finish(1, "");
                       enter(*snapshot);
                     });
}

void play_session::enter(const client::match_snapshot& snapshot) {
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
