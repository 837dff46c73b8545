#pragma once
// The Guildhall C++ client SDK: everything a game needs, in one include. docs/sdk-cpp.md is the guide.
#include "guildhall/client/chat.hpp"
#include "guildhall/client/client.hpp"
#include "guildhall/client/clock_sync.hpp"
#include "guildhall/client/error.hpp"
#include "guildhall/client/events.hpp"
#include "guildhall/client/interpolation.hpp"
#include "guildhall/client/matches.hpp"
#include "guildhall/client/matchmaker.hpp"
#include "guildhall/client/options.hpp"
#include "guildhall/client/prediction.hpp"
#include "guildhall/client/rooms.hpp"
#include "guildhall/client/version.hpp"
