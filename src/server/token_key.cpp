#include "server/token_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace guildhall::server {

result<services::token_signer::key> load_or_create_token_key(const std::string& path) {
  services::token_signer::key key{};
  if (std::ifstream in{path, std::ios::binary}) {
    in.read(reinterpret_cast<char*>(key.data()), key.size());
    if (in.gcount() != static_cast<std::streamsize>(key.size())) {
      return fail(errc::internal, path + " is not a " + std::to_string(key.size()) + "-byte key");
    }
    return key;
  }
  key = services::token_signer::random_key();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return fail(errc::internal, "cannot create " + path);
  const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ::close(fd);
  if (!written) return fail(errc::internal, "cannot write " + path);
  return key;
}

}  // namespace guildhall::server
