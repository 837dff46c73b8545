#pragma once
// Glicko-2 ratings after a rated match: both players' ratings and records change in the same transaction that
// stores the match's end, so a crash can never leave a result without its rating change or the reverse.
#include "base/result.hpp"
#include "store/store.hpp"

namespace guildhall::services {

// `finished`: a finished, rated two-seat match. Runs on the database writer, inside the group transaction.
result<void> apply_ratings(store::backend& store, const store::match_record& finished);

}  // namespace guildhall::services
