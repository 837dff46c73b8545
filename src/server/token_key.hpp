#pragma once
#include <string>

#include "base/result.hpp"
#include "services/auth/token_signer.hpp"

namespace guildhall::server {

// The key that signs session tokens: read from `path`, or created there (mode 0600) on first start, so tokens
// stay valid across restarts. Nodes of one cluster share the file.
result<services::token_signer::key> load_or_create_token_key(const std::string& path);

}  // namespace guildhall::server
