#include "server/token_key.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace guildhall::server {

result<services::token_signer::key> load_or_create_token_key(const std::string& path) {
  services::token_signer::key key{};
  // O_CLOEXEC on both: no child process (the stockfish bot) may inherit the descriptor of the signing key.
  if (const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    const ssize_t got = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (got != static_cast<ssize_t>(key.size())) {
      return fail(errc::internal, path + " is not a " + std::to_string(key.size()) + "-byte key");
    }
    return key;
  }
  key = services::token_signer::random_key();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(errc::internal, "cannot create " + path);
  const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ::close(fd);
  if (!written) return fail(errc::internal, "cannot write " + path);
  return key;
}

}  // namespace guildhall::server
