#pragma once
#include "base/result.hpp"
#include "store/sqlite/statement.hpp"

namespace guildhall::store::sqlite {

// Applies, in one transaction each, the numbered migrations the database has not seen yet.
result<void> migrate(connection_handle& db);

// The newest schema version this build knows.
int latest_schema_version();

}  // namespace guildhall::store::sqlite
