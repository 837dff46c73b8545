#include "server/static_files.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace guildhall::server {
namespace {

std::string content_type_of(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".map", "application/json"}};
  const auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

static_files::static_files(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    spdlog::warn("web root {} not found: the web client is not served", root);
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    const std::string path = "/" + fs::relative(entry.path(), root).generic_string();
    files_[path] = net::http_response{200, content_type_of(entry.path()), content.str(), {{"Cache-Control", "no-cache"}}};
  }
}

std::optional<net::http_response> static_files::find(const std::string& path) const {
  const auto it = files_.find(path == "/" ? "/index.html" : path);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

}  // namespace guildhall::server
