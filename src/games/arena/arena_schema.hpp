#pragma once
// The arena's world as clients see it: three entity types with quantized fields. Field order here is wire order;
// the index constants are what write_world and clients use, so the two cannot drift apart.
//
//   player (type 0), id kPlayerIdBase + slot, relevant by position:
//     x, y      fixed 0..map size, step 1/16 unit        (10 / 9 bits)
//     angle     turn, 12 bits                             the aim
//     health    whole 0..100
//     alive     flag
//     score     whole 0..1023                             kills
//     deaths    whole 0..1023
//     seat      whole 0..7                                the room seat (bots take free seats)
//     bot       flag
//   shot (type 1), id kShotIdBase + n, a hitscan tracer shown for kTracerLifetimeMs, relevant at its midpoint:
//     x0, y0, x1, y1  fixed, step 1/16                    from the muzzle to where the shot stopped
//     seat      whole 0..7                                who fired
//     hit       flag                                      it hit a body
//   match (type 2), id kMatchId, always relevant:
//     time_left fixed 0..kMaxDurationS, step 0.1 s
//     state     whole 0..2                                match_state
#include <cstdint>

#include <guildhall/room.hpp>

namespace guildhall::games::arena {

enum entity_kind : std::uint8_t { kPlayerType = 0, kShotType = 1, kMatchType = 2 };

enum player_field : std::uint8_t { kPx, kPy, kPangle, kPhealth, kPalive, kPscore, kPdeaths, kPseat, kPbot, kPlayerFields };
enum shot_field : std::uint8_t { kSx0, kSy0, kSx1, kSy1, kSseat, kShit, kShotFields };
enum match_field : std::uint8_t { kMtime_left, kMstate, kMatchFields };

enum class match_state : std::uint8_t {
  waiting = 0,  // fewer than two fighters: move around, the clock has not started
  playing = 1,
  over = 2,     // results sent; the room ends after this tick
};

inline constexpr std::uint32_t kMatchId = 1;
inline constexpr std::uint32_t kPlayerIdBase = 16;   // + slot (0..7)
inline constexpr std::uint32_t kShotIdBase = 1024;   // + tracer slot (0..kMaxTracers-1)

inline constexpr double kPositionStep = 1.0 / 16;
inline constexpr std::uint8_t kAngleBits = 12;

// The schema for the yard map, built once.
const world_schema& arena_world_schema();

}  // namespace guildhall::games::arena
