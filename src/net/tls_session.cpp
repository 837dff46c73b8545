#include "net/tls_session.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace guildhall::net {

// TLS records carry at most 16 KiB of plaintext: a batch is cut into chunks of that size so that each
// SSL_write makes one full record instead of one small record per queued message.
constexpr std::size_t kRecordPlaintextBytes = 16 * 1024;

// The BIO's callbacks reach the session through this (tls_session's members are private).
struct tls_bio_access {
  static tls_session& of(BIO* bio) { return *static_cast<tls_session*>(BIO_get_data(bio)); }

  static int read(BIO* bio, char* out, int capacity) {
    auto& session = of(bio);
    BIO_clear_retry_flags(bio);
    if (session.incoming_.empty()) {
      BIO_set_retry_read(bio);  // "no more bytes yet", not EOF: SSL_read reports SSL_ERROR_WANT_READ
      return -1;
    }
    const std::size_t n = std::min(session.incoming_.size(), static_cast<std::size_t>(capacity));
    std::memcpy(out, session.incoming_.data(), n);
    session.incoming_.remove_prefix(n);
    return static_cast<int>(n);
  }

  static int write(BIO* bio, const char* data, int length) {
    BIO_clear_retry_flags(bio);
    of(bio).outgoing_.append(data, static_cast<std::size_t>(length));
    return length;
  }

  static long control(BIO*, int command, long, void*) {
    // Writes never wait (they append to a string), so a flush is always complete; nothing else applies.
    return command == BIO_CTRL_FLUSH ? 1 : 0;
  }

  static int create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }
};

namespace {

BIO_METHOD* buffer_bio_method() {
  // Made once and shared by every session on every thread (OpenSSL only reads it after creation).
  static BIO_METHOD* const method = [] {
    BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "guildhall buffers");
    BIO_meth_set_read(made, tls_bio_access::read);
    BIO_meth_set_write(made, tls_bio_access::write);
    BIO_meth_set_ctrl(made, tls_bio_access::control);
    BIO_meth_set_create(made, tls_bio_access::create);
    return made;
  }();
  return method;
}

}  // namespace

tls_session::tls_session(const tls_context& context) : ssl_(SSL_new(context.native())) {
  if (ssl_ == nullptr) throw std::bad_alloc();
  BIO* bio = BIO_new(buffer_bio_method());
  if (bio == nullptr) {
    SSL_free(ssl_);
    throw std::bad_alloc();
  }
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one BIO both ways; the SSL owns it
  SSL_set_accept_state(ssl_);
}

tls_session::~tls_session() { SSL_free(ssl_); }

bool tls_session::handshake_done() const { return SSL_is_init_finished(ssl_) == 1; }

void tls_session::feed(std::string_view ciphertext) { incoming_ = ciphertext; }

result<std::size_t> tls_session::read(char* out, std::size_t capacity) {
  ERR_clear_error();
  std::size_t n = 0;
  if (SSL_read_ex(ssl_, out, capacity, &n) == 1) return n;
  switch (SSL_get_error(ssl_, 0)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:  // cannot happen (writes never wait); treated as "need more" for safety
      return std::size_t{0};
    case SSL_ERROR_ZERO_RETURN:
      return fail(errc::bad_frame, "peer closed the TLS session");
    default:
      incoming_ = {};
      broken_ = true;
      return fail(errc::bad_frame, "TLS: " + take_openssl_errors());
  }
}

result<void> tls_session::write(std::span<const iovec> plaintext) {
  thread_local std::array<char, kRecordPlaintextBytes> chunk;
  std::size_t used = 0;
  auto seal = [&]() -> result<void> {
    if (used == 0) return {};
    ERR_clear_error();
    std::size_t written = 0;
    if (SSL_write_ex(ssl_, chunk.data(), used, &written) != 1 || written != used) {
      broken_ = true;
      return fail(errc::bad_frame, "TLS write: " + take_openssl_errors());
    }
    used = 0;
    return {};
  };
  for (const iovec& piece : plaintext) {
    const char* data = static_cast<const char*>(piece.iov_base);
    std::size_t left = piece.iov_len;
    while (left > 0) {
      const std::size_t n = std::min(left, chunk.size() - used);
      std::memcpy(chunk.data() + used, data, n);
      used += n;
      data += n;
      left -= n;
      if (used == chunk.size()) {
        if (auto sealed = seal(); !sealed) return sealed;
      }
    }
  }
  return seal();
}

void tls_session::close_notify() {
  if (handshake_done() && !broken_) SSL_shutdown(ssl_);
}

void tls_session::consume_outgoing(std::size_t bytes) {
  if (bytes >= outgoing_.size()) {
    std::string().swap(outgoing_);  // an idle session keeps no buffer
    return;
  }
  outgoing_.erase(0, bytes);
}

}  // namespace guildhall::net
