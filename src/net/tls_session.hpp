#pragma once
// One server-side TLS session without I/O of its own (OpenSSL over a BIO that reads from the caller's bytes and
// writes into a string): the connection reads ciphertext with its usual system call, hands it in here and gets
// plaintext back; it hands in a whole batch of plaintext and gets the records of the batch in one buffer, which
// it sends with one system call. So TLS keeps the one-sendmsg-per-batch property and the shard's shared read
// buffer, and an idle session holds no buffers (SSL_MODE_RELEASE_BUFFERS; `outgoing` is freed once sent).
// Kernel TLS would save the copy into `outgoing`, but the kernel here has no "tls" ULP (see architecture.md).
// Thread-safety: none; owned by one connection on its shard.
#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "net/tls_context.hpp"

struct ssl_st;
struct bio_st;

namespace guildhall::net {

class tls_session {
 public:
  // A session in the server role; the handshake runs as the client's bytes arrive.
  explicit tls_session(const tls_context& context);
  ~tls_session();
  tls_session(const tls_session&) = delete;
  tls_session& operator=(const tls_session&) = delete;

  // Feeds ciphertext from the socket; call read() until it returns 0 before feeding more. Records the session
  // must answer with (handshake, alerts) land in outgoing().
  void feed(std::string_view ciphertext);
  // Decrypts into `out`: the number of plaintext bytes, or 0 when more ciphertext is needed. An error
  // (errc::bad_frame) ends the stream: a peer that does not speak TLS (plaintext on a TLS port), fails the
  // handshake, sends a bad record, or ended the session with close_notify.
  result<std::size_t> read(char* out, std::size_t capacity);
  // Encrypts `plaintext` (all of it) into outgoing(). Only once handshake_done().
  result<void> write(std::span<const iovec> plaintext);
  // Queues close_notify in outgoing() (nothing after a fatal error).
  void close_notify();

  bool handshake_done() const;
  // Ciphertext waiting for the socket, oldest first.
  const std::string& outgoing() const { return outgoing_; }
  // `bytes` of outgoing() went out; the buffer is freed once all of it has.
  void consume_outgoing(std::size_t bytes);

 private:
  friend struct tls_bio_access;
  ssl_st* ssl_;
  std::string_view incoming_;  // fed ciphertext not yet taken by OpenSSL
  std::string outgoing_;
  bool broken_ = false;  // a fatal error happened: OpenSSL forbids SSL_shutdown after one
};

}  // namespace guildhall::net
