// The chat operations of guildhall::client::client.
#include "client/sdk/client_state.hpp"

namespace guildhall::client {

namespace {

message_sent sent_from(const v1::Envelope& reply) {
  return {reply.message_accepted().message_id(), reply.message_accepted().sent_at_ms()};
}

}  // namespace

void client::join_channel(std::string channel, callback<channel_joined> done) {
  v1::Envelope request;
  request.mutable_join_channel()->set_channel(channel);
  auto& self = *state_;
  // Remembered once joined, so a reconnection joins it again.
  callback<channel_joined> remember = [&self, done = std::move(done)](client_result<channel_joined> joined) {
    if (joined) self.channels.insert(joined->channel);
    if (done) done(std::move(joined));
  };
  self.call<channel_joined>(
      std::move(request), std::move(remember),
      expect<channel_joined>("JoinChannel", [](auto& r) { return r.has_channel_joined(); }, [](auto& r) {
        std::vector<channel_member> members;
        for (const auto& member : r.channel_joined().members()) members.push_back(sdk::member_from(member));
        return channel_joined{r.channel_joined().channel(), std::move(members)};
      }));
}

void client::leave_channel(std::string channel, callback<void> done) {
  state_->channels.erase(channel);
  v1::Envelope request;
  request.mutable_leave_channel()->set_channel(std::move(channel));
  state_->call<void>(std::move(request), std::move(done),
                     expect<void>("LeaveChannel", [](auto& r) { return r.has_channel_left(); }, [](auto&) {}));
}

void client::send_message(std::string channel, std::string text, callback<message_sent> done) {
  v1::Envelope request;
  request.mutable_send_message()->set_channel(std::move(channel));
  request.mutable_send_message()->set_text(std::move(text));
  state_->call<message_sent>(std::move(request), std::move(done),
                             expect<message_sent>("SendMessage", [](auto& r) { return r.has_message_accepted(); },
                                                  sent_from));
}

void client::send_direct(std::string to_username, std::string text, callback<message_sent> done) {
  v1::Envelope request;
  request.mutable_send_direct()->set_to_username(std::move(to_username));
  request.mutable_send_direct()->set_text(std::move(text));
  state_->call<message_sent>(std::move(request), std::move(done),
                             expect<message_sent>("SendDirect", [](auto& r) { return r.has_message_accepted(); },
                                                  sent_from));
}

void client::channel_history(std::string channel, std::uint64_t before_id, std::uint32_t limit,
                             callback<history_page> done) {
  v1::Envelope request;
  auto* history = request.mutable_channel_history();
  history->set_channel(std::move(channel));
  history->set_before_id(before_id);
  history->set_limit(limit);
  state_->call<history_page>(std::move(request), std::move(done),
                             expect<history_page>("ChannelHistory", [](auto& r) { return r.has_history_page(); },
                                                  [](auto& r) { return sdk::history_from(r.history_page()); }));
}

void client::direct_history(std::string with_username, std::uint64_t before_id, std::uint32_t limit,
                            callback<history_page> done) {
  v1::Envelope request;
  auto* history = request.mutable_direct_history();
  history->set_with_username(std::move(with_username));
  history->set_before_id(before_id);
  history->set_limit(limit);
  state_->call<history_page>(std::move(request), std::move(done),
                             expect<history_page>("DirectHistory", [](auto& r) { return r.has_history_page(); },
                                                  [](auto& r) { return sdk::history_from(r.history_page()); }));
}

void client::channel_members(std::string channel, callback<std::vector<channel_member>> done) {
  v1::Envelope request;
  request.mutable_list_members()->set_channel(std::move(channel));
  state_->call<std::vector<channel_member>>(
      std::move(request), std::move(done),
      expect<std::vector<channel_member>>("ListMembers", [](auto& r) { return r.has_member_list(); }, [](auto& r) {
        std::vector<channel_member> members;
        for (const auto& member : r.member_list().members()) members.push_back(sdk::member_from(member));
        return members;
      }));
}

}  // namespace guildhall::client
