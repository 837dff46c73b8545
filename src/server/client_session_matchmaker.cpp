// client_session's matchmaker requests: spend the send budget, then hand over to the matchmaker service, which
// checks the rest on its shard (it alone knows who is online and queued).
#include "server/client_session.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;

// Both cost a post to shard 0, and an Add a search slot for minutes: they spend the user's send budget like a
// chat message, so a flood of them is refused and, kept up, closed.

void client_session::handle_matchmaker_add(std::uint32_t cid, v1::MatchmakerAdd& request) {
  if (!services_.matchmaker) return reply_error(cid, {errc::unknown_request, "this server has no matchmaker"});
  if (!within_rate(cid)) return;
  services_.matchmaker->add(*identity_, connection_, cid, std::move(request));
}

void client_session::handle_matchmaker_remove(std::uint32_t cid, const v1::MatchmakerRemove& request) {
  if (!services_.matchmaker) return reply_error(cid, {errc::unknown_request, "this server has no matchmaker"});
  if (!within_rate(cid)) return;
  services_.matchmaker->remove(*identity_, connection_, cid, request.ticket());
}

}  // namespace guildhall::server
