#pragma once
// The arena's rules as numbers. Every limit the simulation enforces is here, named, with its unit, so a change
// of balance is a one-line diff and the tests read the same constants they check.
#include <cstdint>

namespace guildhall::games::arena {

inline constexpr int kMaxFighters = 8;          // players and bots together; also the room's seat count
inline constexpr int kDefaultTickHz = 30;
inline constexpr int kMinTickHz = 1;            // the engine's range (room_settings::tick_hz): option tick_hz
inline constexpr int kMaxTickHz = 128;

// Movement, in map units (a player is one unit across) and seconds.
inline constexpr double kPlayerRadius = 0.5;
inline constexpr double kMaxSpeed = 6.0;          // units/s: the hard cap, whatever the input says
inline constexpr double kAcceleration = 40.0;     // units/s^2: reach full speed in 0.15 s
inline constexpr double kDeceleration = 40.0;     // units/s^2 when no direction is held

// Weapons: hitscan rifle.
inline constexpr double kShotRange = 30.0;        // units
inline constexpr int kFireIntervalMs = 250;       // at most 4 shots per second
inline constexpr int kShotDamage = 25;            // four hits kill
inline constexpr int kMaxHealth = 100;
inline constexpr double kHitRadius = 0.5;         // the hitbox is the body's circle

// Lag compensation: a shot is tested against targets rewound to the tick the shooter was looking at, never
// further back than this. A longer window helps players on worse links and makes "shot behind a wall" worse for
// the target; 200 ms is the usual compromise (Source's default is 1 s, Overwatch's about 250 ms).
inline constexpr int kMaxRewindMs = 200;

// Life and death.
inline constexpr int kRespawnDelayMs = 2000;
inline constexpr double kSpawnClearance = 6.0;    // units: a spawn point with nobody alive this close is free

// Tracers: a shot is shown for this long so that a client that lost a snapshot still draws it.
inline constexpr int kTracerLifetimeMs = 200;
inline constexpr int kMaxTracers = 64;            // live at once; the oldest is recycled

// The match.
inline constexpr int kDefaultDurationS = 180;
inline constexpr int kMinDurationS = 5;
inline constexpr int kMaxDurationS = 3600;
inline constexpr int kMaxScore = 1023;            // kills and deaths are capped here (and in the schema)

// What a player's snapshot covers: the screen shows about 40 x 24 units around the player.
inline constexpr double kViewRadius = 24.0;

}  // namespace guildhall::games::arena
