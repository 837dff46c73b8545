#include "wire/udp/reliable_channel.hpp"

#include <algorithm>
#include <cstring>

#include "wire/udp/sequence_buffer.hpp"

namespace guildhall::wire::udp {
namespace {

// A delivered slot keeps a small buffer for reuse; a large one (a reassembled 64 KiB message) is given back, so a
// quiet connection does not hold receive_window * max_message_bytes.
constexpr std::size_t kKeptSlotCapacity = 2048;

}  // namespace

bool reliable_sender::push(std::span<const std::uint8_t> message) {
  if (queue_.size() >= config_.send_queue_messages || queued_bytes_ + message.size() > config_.send_queue_bytes) {
    return false;
  }
  outgoing& entry = queue_.emplace_back();
  entry.bytes.assign(message.begin(), message.end());
  const std::size_t count =
      message.size() <= config_.fragment_bytes ? 1 : (message.size() + config_.fragment_bytes - 1) / config_.fragment_bytes;
  entry.fragments.resize(count);
  queued_bytes_ += message.size();
  earliest_due_ms_ = 0;
  pass_complete_ = false;
  return true;
}

void reliable_sender::on_acked(fragment_ref ref) {
  const std::size_t index = sequence_distance(ref.id, front_id_);
  if (index >= queue_.size()) return;  // already acked and gone (an ack of a resend)
  outgoing& message = queue_[index];
  if (ref.index >= message.fragments.size() || message.fragments[ref.index].acked) return;
  message.fragments[ref.index].acked = true;
  ++message.fragments_acked;
  while (!queue_.empty() && queue_.front().fragments_acked == queue_.front().fragments.size()) {
    queued_bytes_ -= queue_.front().bytes.size();
    queue_.pop_front();
    front_id_ = static_cast<std::uint16_t>(front_id_ + 1);
    pass_complete_ = false;  // a message beyond the window may have come into it
  }
}

std::span<const std::uint8_t> reliable_sender::fragment_bytes(const outgoing& message, std::size_t index) const {
  if (message.fragments.size() == 1) return message.bytes;
  const std::size_t begin = index * config_.fragment_bytes;
  return std::span(message.bytes).subspan(begin, std::min(config_.fragment_bytes, message.bytes.size() - begin));
}

bool reliable_sender::due(const fragment_state& state, std::uint64_t now_ms, std::uint64_t resend_delay_ms) {
  if (state.acked) return false;
  if (state.last_sent_ms == kNever) return true;
  const std::uint64_t at = state.last_sent_ms + resend_delay_ms;
  if (now_ms >= at) return true;
  earliest_due_ms_ = std::min(earliest_due_ms_, at);
  return false;
}

reliable_sender::fill_status reliable_sender::fill(packet_writer& writer, std::vector<fragment_ref>& carried,
                                                   std::uint64_t now_ms, std::uint64_t resend_delay_ms,
                                                   std::size_t budget_bytes) {
  const std::size_t window = std::min(queue_.size(), config_.receive_window);
  for (; cursor_message_ < window; ++cursor_message_, cursor_fragment_ = 0) {
    outgoing& message = queue_[cursor_message_];
    const std::size_t count = message.fragments.size();
    for (; cursor_fragment_ < count; ++cursor_fragment_) {
      fragment_state& state = message.fragments[cursor_fragment_];
      if (!due(state, now_ms, resend_delay_ms)) continue;
      const auto payload = fragment_bytes(message, cursor_fragment_);
      if (!writer.fits(count > 1, payload.size())) return fill_status::packet_full;
      if (writer.size() + packet_writer::cost(count > 1, payload.size()) > budget_bytes) {
        earliest_due_ms_ = 0;
        return fill_status::budget_limited;
      }
      const auto id = static_cast<std::uint16_t>(front_id_ + cursor_message_);
      const auto index = static_cast<std::uint8_t>(cursor_fragment_);
      writer.add({channel::reliable, count > 1, id, index, static_cast<std::uint8_t>(count), payload});
      carried.push_back({id, index});
      if (state.last_sent_ms != kNever) ++resent_;
      state.last_sent_ms = now_ms;
      earliest_due_ms_ = std::min(earliest_due_ms_, now_ms + resend_delay_ms);
    }
  }
  // Messages beyond the receive window wait for the front to be acked: an ack makes them due.
  pass_complete_ = true;
  return fill_status::nothing_due;
}

reliable_receiver::reliable_receiver(const endpoint_config& config) : config_(config), slots_(config.receive_window) {}

void reliable_receiver::release(slot& s) {
  buffered_bytes_ -= s.reserved;
  s.used = false;
  s.received = s.size = s.reserved = 0;
  s.have.reset();
  if (s.bytes.capacity() > kKeptSlotCapacity) std::vector<std::uint8_t>().swap(s.bytes);
}

reliable_receiver::accept_result reliable_receiver::accept(const message_entry& entry) {
  const std::size_t ahead = sequence_distance(entry.id, next_id_);
  if (sequence_less_than(entry.id, next_id_)) return accept_result::duplicate;
  if (ahead >= slots_.size()) return accept_result::out_of_window;
  slot& s = slots_[entry.id % slots_.size()];
  const std::size_t count = entry.fragment ? entry.fragment_count : 1;
  if (s.used) {
    if (s.id != entry.id || s.count != count) return accept_result::mismatch;
    if (s.have.test(entry.fragment_index)) return accept_result::duplicate;
  } else {
    // Reserve what the whole message can take: the cap then bounds memory whatever order fragments come in.
    const std::size_t reserve = entry.fragment ? count * config_.fragment_bytes : entry.payload.size();
    if (ahead > 0 && buffered_bytes_ + reserve > config_.receive_buffer_bytes) return accept_result::buffer_full;
    s.used = true;
    s.id = entry.id;
    s.count = count;
    s.reserved = reserve;
    s.bytes.resize(reserve);
    buffered_bytes_ += reserve;
  }
  const std::size_t offset = entry.fragment ? entry.fragment_index * config_.fragment_bytes : 0;
  if (!entry.payload.empty()) std::memcpy(s.bytes.data() + offset, entry.payload.data(), entry.payload.size());
  s.have.set(entry.fragment_index);
  if (!entry.fragment || entry.fragment_index + 1u == count) s.size = offset + entry.payload.size();
  ++s.received;
  return accept_result::accepted;
}

}  // namespace guildhall::wire::udp
