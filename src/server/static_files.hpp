#pragma once
// The web client's files, read once at start-up and served from memory. Only files that were there at start are
// served, so no request path can reach outside the web root.
#include <map>
#include <optional>
#include <string>

#include "net/http_types.hpp"

namespace guildhall::server {

class static_files {
 public:
  // Reads every regular file under `root` (a missing root serves nothing and logs a warning).
  explicit static_files(const std::string& root);
  // "/" serves index.html.
  std::optional<net::http_response> find(const std::string& path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, net::http_response> files_;
};

}  // namespace guildhall::server
