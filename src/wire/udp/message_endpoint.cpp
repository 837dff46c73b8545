#include "wire/udp/message_endpoint.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace guildhall::wire::udp {
namespace {

// A bound on one write_packets call, whatever the queues hold: the shard's timer must come back to other work.
constexpr int kMaxPacketsPerWrite = 1024;
constexpr std::uint64_t kMaxAckDelayMs = kNoAckDelay - 1;

const endpoint_config& checked(const endpoint_config& config) {
  if (auto ok = config.validate(); !ok) throw std::invalid_argument(ok.error().message);
  return config;
}

}  // namespace

message_endpoint::message_endpoint(const endpoint_config& config)
    : config_(checked(config)),
      link_(config_),
      reliable_out_(config_),
      reliable_in_(config_),
      unreliable_out_(config_),
      unreliable_in_(config_),
      writer_(config_.max_packet_bytes),
      sent_(config_.sent_packets_window),
      received_(config_.received_packets_window) {}

send_result message_endpoint::send(channel on, std::span<const std::uint8_t> message) {
  if (on == channel::unreliable) return send_latest(message, 0);
  if (message.size() > config_.max_message_bytes) return send_result::too_large;
  if (!reliable_out_.push(message)) return send_result::over_limit;
  ++messages_sent_;
  return send_result::queued;
}

send_result message_endpoint::send_latest(std::span<const std::uint8_t> message, std::uint64_t slot) {
  if (message.size() > config_.max_message_bytes) return send_result::too_large;
  switch (unreliable_out_.push(message, slot)) {
    case unreliable_sender::push_result::over_limit: return send_result::over_limit;
    case unreliable_sender::push_result::replaced: count(drop_reason::unreliable_replaced); break;
    case unreliable_sender::push_result::queued: break;
  }
  ++messages_sent_;
  return send_result::queued;
}

message_packet_header message_endpoint::next_header(std::uint16_t sequence, std::uint64_t now_ms) const {
  message_packet_header header{sequence, 0, 0, kNoAckDelay};
  if (!received_any_) return header;
  header.ack = newest_received_;
  for (std::uint16_t i = 0; i < 32; ++i) {
    if (received_.exists(static_cast<std::uint16_t>(newest_received_ - 1 - i))) header.ack_bits |= 1u << i;
  }
  header.ack_delay_ms = static_cast<std::uint16_t>(std::min(now_ms - newest_received_ms_, kMaxAckDelayMs));
  return header;
}

void message_endpoint::write_packets(std::uint64_t now_ms, packet_sink& sink) {
  now_ms = std::max(now_ms, last_now_ms_);  // a clock step backwards must not read as hours of silence
  last_now_ms_ = now_ms;
  link_.update(now_ms);
  decide_lost(now_ms);
  reliable_out_.begin_pass();
  bool budget_limited = false;
  for (int i = 0; i < kMaxPacketsPerWrite && write_one(now_ms, sink, budget_limited); ++i) {
  }
  if (budget_limited) link_.note_budget_limited();
}

// Writes one packet: unreliable messages first (never delayed by the budget), then due reliable fragments while
// the budget lasts. Returns false when nothing was written with messages (an ack-only packet may have gone).
bool message_endpoint::write_one(std::uint64_t now_ms, packet_sink& sink, bool& budget_limited) {
  std::uint16_t sequence = next_sequence_;
  if (config_.sequence_from_transport) {
    const auto transport = sink.next_sequence();
    if (!transport) return false;  // the transport cannot send now: everything waits in its queue
    sequence = static_cast<std::uint16_t>(*transport);
  }
  writer_.begin(next_header(sequence, now_ms), !config_.sequence_from_transport);
  carried_.clear();
  std::uint64_t over_budget = 0;
  const bool unreliable_waits = unreliable_out_.fill(writer_, link_, over_budget, unreliable_written_);
  drops_[static_cast<std::size_t>(drop_reason::unreliable_over_budget)] += over_budget;
  if (!unreliable_waits) {
    const auto budget = static_cast<std::size_t>(std::max(0.0, link_.budget_bytes()));
    const auto status = reliable_out_.fill(writer_, carried_, now_ms, link_.resend_delay_ms(), budget);
    if (status == reliable_sender::fill_status::budget_limited) budget_limited = true;
  }
  if (writer_.message_count() == 0) {
    if (ack_owed_ && now_ms - last_sent_ms_ >= config_.ack_interval_ms) flush(sequence, now_ms, sink, true);
    return false;
  }
  flush(sequence, now_ms, sink, false);
  return true;
}

// `sequence`: the packet's, which the transport's may leave gaps before (its keep-alives): a gap is a packet that
// was never ours, so it has no record and its missing ack means nothing.
void message_endpoint::flush(std::uint16_t sequence, std::uint64_t now_ms, packet_sink& sink, bool ack_only) {
  writer_.finish();
  next_sequence_ = static_cast<std::uint16_t>(sequence + 1);
  // The slot about to be reused must be decided first: a packet unacked for a whole window is lost.
  while (sequence_distance(sequence, oldest_undecided_) >= sent_.size()) {
    if (sent_packet* old = sent_.find(oldest_undecided_); old && !old->decided) {
      old->decided = true;
      if (!old->ack_only) {
        link_.on_packet_decided(true);
        ++packets_lost_;
      }
    }
    ++oldest_undecided_;
  }
  sent_packet* record = sent_.insert(sequence, true);
  record->sent_ms = now_ms;
  record->bytes = writer_.size();
  record->acked = record->decided = false;
  record->ack_only = ack_only;
  record->newest_unreliable = ack_only ? std::nullopt : unreliable_written_;
  record->carried.assign(carried_.begin(), carried_.end());
  link_.spend(writer_.size());
  link_.on_packet_sent(writer_.size(), now_ms);
  ack_owed_ = false;
  last_sent_ms_ = now_ms;
  ++packets_sent_;
  sink.packet(writer_.bytes());
}

// Packets are decided in send order: the oldest undecided one is lost once loss_timeout passes without its ack.
void message_endpoint::decide_lost(std::uint64_t now_ms) {
  const std::uint64_t timeout = link_.loss_timeout_ms();
  while (oldest_undecided_ != next_sequence_) {
    sent_packet* packet = sent_.find(oldest_undecided_);
    if (packet && !packet->decided) {
      if (now_ms - packet->sent_ms < timeout) return;
      packet->decided = true;
      if (!packet->ack_only) {
        link_.on_packet_decided(true);
        ++packets_lost_;
      }
    }
    ++oldest_undecided_;
  }
}

bool message_endpoint::wants_to_send(std::uint64_t now_ms) const {
  if (!unreliable_out_.empty()) return true;
  if (reliable_out_.in_flight() > 0 && now_ms >= reliable_out_.next_due_ms() && link_.budget_at(now_ms) > 0) {
    return true;
  }
  return ack_owed_ && now_ms - last_sent_ms_ >= config_.ack_interval_ms;
}

std::expected<void, message_error> message_endpoint::receive_packet(std::span<const std::uint8_t> packet,
                                                                    std::uint64_t now_ms,
                                                                    std::uint64_t transport_sequence) {
  now_ms = std::max(now_ms, last_now_ms_);
  last_now_ms_ = now_ms;
  if (auto ok = decode_packet(packet, config_, decoded_, static_cast<std::uint16_t>(transport_sequence)); !ok) {
    count(drop_reason::malformed_packet);
    return ok;
  }
  const message_packet_header& header = decoded_.header;
  if (received_.too_old(header.sequence)) {
    count(drop_reason::stale_packet);
    return {};
  }
  if (received_.exists(header.sequence)) {
    count(drop_reason::duplicate_packet);
    return {};
  }
  ++packets_received_;
  link_.on_packet_received(packet.size(), now_ms);
  process_acks(header, now_ms);
  // A packet is acked only when every reliable message in it was stored (or was a duplicate): one we had no room
  // for must not count as delivered, so the packet stays unacked and the peer resends what it carried.
  if (!accept_messages()) {
    count(drop_reason::packet_not_stored);
    return {};
  }
  received_.insert(header.sequence)->received_ms = now_ms;
  if (!received_any_ || sequence_greater_than(header.sequence, newest_received_)) {
    received_any_ = true;
    newest_received_ = header.sequence;
    newest_received_ms_ = now_ms;
  }
  // Only reliable messages are owed a prompt ack (an ack-only packet when nothing else goes): the peer waits on
  // it to resend. Unreliable ones (a snapshot 20 times a second) are acked by whatever we send next, for the RTT
  // and loss estimates: acking each on its own added 8 datagrams a second per arena player. Ack-only packets are
  // not acked back, or two idle endpoints would ack each other's acks forever.
  if (std::ranges::any_of(decoded_.messages, [](const auto& m) { return m.on == channel::reliable; })) {
    ack_owed_ = true;
  }
  return {};
}

void message_endpoint::process_acks(const message_packet_header& header, std::uint64_t now_ms) {
  if (header.ack_delay_ms == kNoAckDelay) return;
  on_acked(header.ack, now_ms, &header);
  for (std::uint16_t i = 0; i < 32; ++i) {
    if (header.ack_bits & (1u << i)) on_acked(static_cast<std::uint16_t>(header.ack - 1 - i), now_ms, nullptr);
  }
}

// `rtt_from` is set for the packet the header's ack names: its ack delay is known, so it gives an RTT sample.
void message_endpoint::on_acked(std::uint16_t sequence, std::uint64_t now_ms, const message_packet_header* rtt_from) {
  sent_packet* packet = sent_.find(sequence);
  if (packet == nullptr || packet->acked) return;
  packet->acked = true;
  ++packets_acked_;
  link_.on_packet_acked(packet->bytes, now_ms);
  if (rtt_from != nullptr && now_ms >= packet->sent_ms) {
    const double elapsed = static_cast<double>(now_ms - packet->sent_ms);
    link_.on_rtt_sample(elapsed - static_cast<double>(rtt_from->ack_delay_ms));
  }
  if (!packet->decided) {
    packet->decided = true;
    if (!packet->ack_only) link_.on_packet_decided(false);
  }
  for (const fragment_ref& ref : packet->carried) reliable_out_.on_acked(ref);
  if (packet->newest_unreliable) unreliable_out_.on_acked(*packet->newest_unreliable);
}

bool message_endpoint::accept_messages() {
  bool stored = true;
  for (const message_entry& entry : decoded_.messages) {
    if (entry.on == channel::unreliable) {
      unreliable_in_.accept(entry, drops_);
      continue;
    }
    switch (reliable_in_.accept(entry)) {
      case reliable_receiver::accept_result::accepted: break;
      case reliable_receiver::accept_result::duplicate: count(drop_reason::duplicate_message); break;
      case reliable_receiver::accept_result::mismatch: count(drop_reason::fragment_mismatch); break;
      case reliable_receiver::accept_result::out_of_window:
        count(drop_reason::message_out_of_window);
        stored = false;
        break;
      case reliable_receiver::accept_result::buffer_full:
        count(drop_reason::receive_buffer_full);
        stored = false;
        break;
    }
  }
  return stored;
}

void message_endpoint::drain(message_sink& sink) {
  messages_delivered_ += reliable_in_.drain(
      [&](std::span<const std::uint8_t> message) { sink.message(channel::reliable, message); });
  messages_delivered_ += unreliable_in_.drain(
      [&](std::span<const std::uint8_t> message) { sink.message(channel::unreliable, message); });
}

endpoint_stats message_endpoint::stats() const {
  endpoint_stats stats;
  link_.fill(stats);
  stats.reliable_in_flight = reliable_out_.in_flight();
  stats.reliable_queued_bytes = reliable_out_.queued_bytes();
  stats.packets_sent = packets_sent_;
  stats.packets_received = packets_received_;
  stats.packets_acked = packets_acked_;
  stats.packets_lost = packets_lost_;
  stats.fragments_resent = reliable_out_.resent();
  stats.messages_sent = messages_sent_;
  stats.messages_delivered = messages_delivered_;
  stats.drops = drops_;
  return stats;
}

std::string_view to_string(drop_reason reason) {
  switch (reason) {
    case drop_reason::malformed_packet: return "malformed_packet";
    case drop_reason::duplicate_packet: return "duplicate_packet";
    case drop_reason::stale_packet: return "stale_packet";
    case drop_reason::duplicate_message: return "duplicate_message";
    case drop_reason::message_out_of_window: return "message_out_of_window";
    case drop_reason::fragment_mismatch: return "fragment_mismatch";
    case drop_reason::receive_buffer_full: return "receive_buffer_full";
    case drop_reason::stale_unreliable: return "stale_unreliable";
    case drop_reason::unreliable_overflow: return "unreliable_overflow";
    case drop_reason::unreliable_partial_evicted: return "unreliable_partial_evicted";
    case drop_reason::unreliable_replaced: return "unreliable_replaced";
    case drop_reason::unreliable_over_budget: return "unreliable_over_budget";
    case drop_reason::packet_not_stored: return "packet_not_stored";
    case drop_reason::count_: break;
  }
  return "unknown";
}

}  // namespace guildhall::wire::udp
