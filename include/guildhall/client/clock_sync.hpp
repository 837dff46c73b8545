#pragma once
// Clock synchronization to the server's tick: which tick the server is at now, seen from this machine, and which
// tick to stamp on an input so that it reaches the server just before that tick is simulated.
//
// Two kinds of evidence, both fed by the caller:
// - Snapshot arrivals (tick T received at local time r). r - T * tick_ms = offset + one-way delay + queueing, where
//   offset maps the server's tick clock onto this machine's clock. Queueing is never negative, so the minimum
//   over a sliding window (`window_ms`) is offset + the quickest one-way delay; a spike (a burst of queueing, a
//   stalled frame) raises single samples and never pulls the minimum. The window slides, so a slow drift between
//   the two clocks (quartz: tens of ppm) is followed within one window.
// - Round trips (a Ping answered by a Pong, an input acknowledged by a snapshot). Their minimum over the same
//   window, halved, estimates the quickest one-way delay, which is taken off the first estimate: server tick at
//   local time t = (t - min_offset + min_rtt / 2) / tick_ms. A smoothed round trip (EWMA, gain 1/8 as TCP's SRTT)
//   and its mean deviation size the lead of inputs.
//
// The input tick: the server applies an input at the first tick it simulates after the input arrives, so the
// client stamps server_tick_at(now + srtt / 2 + input margin) rounded up, where the margin is
// `input_margin_ticks` plus two deviations of the round trip (an input that arrives late is wasted).
//
// Units: times are milliseconds on the caller's monotonic clock, ticks are the server's.
// Thread-safety: none; one clock_sync belongs to the game loop's thread. Implementation:
// src/client/netcode/clock_sync.cpp.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "guildhall/client/export.hpp"

namespace guildhall::client {

// Samples kept per kind, at most, whatever the window: bounded memory under a flood of snapshots.
inline constexpr std::size_t kMaxClockSamples = 256;

struct GUILDHALL_CLIENT_API clock_sync_config {
  double tick_ms = 1000.0 / 30;     // the server's tick length (RoomJoined's tick_hz)
  double window_ms = 4000;          // evidence older than this is forgotten; longer rides out more spikes
  double input_margin_ticks = 1;    // extra lead on input stamps, in ticks
  double resync_ms = 1000;          // a new sample this much below the minimum (the server restarted its ticks,
                                    // a clock stepped) restarts the estimate instead of joining it

  // Empty when usable, else what is wrong.
  std::optional<std::string> validate() const;
};

class GUILDHALL_CLIENT_API clock_sync {
 public:
  explicit clock_sync(clock_sync_config config = {});

  // A snapshot of `tick` arrived at `receive_ms`.
  void on_snapshot(std::uint64_t tick, double receive_ms);
  // A round trip measured at `now_ms` (a Pong, an acknowledged input): `rtt_ms` >= 0; others are ignored.
  void on_round_trip(double rtt_ms, double now_ms);

  bool synchronized() const { return !offsets_.empty(); }
  // The server's tick at local time `local_ms`, fractional; nullopt before the first snapshot.
  std::optional<double> server_tick_at(double local_ms) const;
  // The tick to stamp on an input sent at `local_ms`; nullopt before the first snapshot.
  std::optional<std::uint64_t> input_tick(double local_ms) const;

  double tick_ms() const { return config_.tick_ms; }
  double min_rtt_ms() const;      // 0 until a round trip is measured
  double smoothed_rtt_ms() const { return srtt_ms_; }
  double rtt_deviation_ms() const { return rttvar_ms_; }
  // local time - server time: local_ms = tick * tick_ms + offset_ms(); nullopt before the first snapshot.
  std::optional<double> offset_ms() const;
  std::uint64_t resyncs() const { return resyncs_; }

 private:
  struct sample {
    double at_ms;
    double value_ms;
  };
  static void push(std::deque<sample>& samples, sample s, double window_ms);
  static double minimum(const std::deque<sample>& samples);

  clock_sync_config config_;
  std::deque<sample> offsets_;  // receive_ms - tick * tick_ms
  std::deque<sample> rtts_;
  double srtt_ms_ = 0;
  double rttvar_ms_ = 0;
  std::uint64_t resyncs_ = 0;
};

}  // namespace guildhall::client
