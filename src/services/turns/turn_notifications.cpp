// Notifications (your turn, game over, invited), delivered at least once: each is stored before it is pushed,
// so a push that a closing connection swallows is not the only copy; it is pushed again after every
// Authenticate until the client acknowledges it, and clients drop ids they have already shown.
#include <spdlog/spdlog.h>

#include "services/delivery.hpp"
#include "services/turns/turn_service.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

v1::Envelope notification_push(const store::notification_record& stored) {
  v1::Envelope push;
  auto* note = push.mutable_notification();
  note->set_notification_id(stored.id);
  note->set_kind(static_cast<v1::Notification::Kind>(stored.kind));
  note->set_match_id(stored.match_id);
  note->set_game(stored.game);
  note->set_text(stored.text);
  note->set_created_at_ms(stored.created_at_ms);
  return push;
}

}  // namespace

void turn_service::notify(std::uint64_t user_id, const match& game, int kind, std::string text) {
  auto stored = std::make_shared<store::notification_record>(
      store::notification_record{0, user_id, kind, game.id(), game.record().game, std::move(text), unix_now_ms()});
  db_.write_grouped(
      [stored](store::backend& store) -> result<void> {
        auto id = store.add_notification(*stored);
        if (!id) return std::unexpected(id.error());
        stored->id = *id;
        return {};
      },
      [this, stored](const result<void>& written) {
        if (!written) return spdlog::error("notification for user {} not stored: {}", stored->user_id,
                                           written.error().message);
        // Stored: a user with no connection now gets it after their next Authenticate.
        push_to_user_(stored->user_id, notification_push(*stored), [] {});
      });
}

void turn_service::deliver_stored_notifications(const identity& who, const connection_ptr& connection) {
  // On the writer, so that it reads every notification committed before it; one committed later is pushed to
  // this connection by notify, since the connection was registered with its user before this was queued.
  db_.write([this, who, connection](store::backend& store) {
    auto pending = store.pending_notifications(who.user_id, config_.notifications_per_login);
    if (!pending) return spdlog::error("notifications of user {} not read: {}", who.user_id, pending.error().message);
    for (const auto& stored : *pending) reply(connection, notification_push(stored));
  });
}

void turn_service::acknowledge_notifications(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                             std::vector<std::uint64_t> ids) {
  auto deleted = std::make_shared<std::uint32_t>(0);
  db_.write_grouped(
      [user_id = who.user_id, ids = std::move(ids), deleted](store::backend& store) -> result<void> {
        auto gone = store.delete_notifications(user_id, ids);
        if (!gone) return std::unexpected(gone.error());
        *deleted = *gone;
        return {};
      },
      [this, connection, cid, deleted](const result<void>& written) {
        if (!written) return reply_error(connection, cid, {errc::internal, "not acknowledged: try again"});
        v1::Envelope answer;
        answer.set_cid(cid);
        answer.mutable_notifications_acknowledged()->set_deleted(*deleted);
        reply(connection, std::move(answer));
      });
}

}  // namespace guildhall::services
