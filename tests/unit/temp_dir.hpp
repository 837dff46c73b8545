#pragma once
// A fresh, uniquely named folder under the system temp dir, removed with everything in it when the test ends.
// mkdtemp makes the name unique across parallel ctest processes.
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace guildhall::test_support {

class temp_dir {
 public:
  explicit temp_dir(const std::string& prefix = "guildhall-unit") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace guildhall::test_support
