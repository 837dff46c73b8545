#pragma once
// The server's TLS configuration: the certificate chain and private key, loaded once at start-up into one
// OpenSSL SSL_CTX that every shard's sessions are made from.
// Thread-safety: immutable after load(); making sessions from it (tls_session) is safe on any thread.
#include <memory>
#include <string>

#include "base/result.hpp"

struct ssl_ctx_st;

namespace guildhall::net {

class tls_context {
 public:
  // Loads a PEM certificate chain (leaf first) and its PEM private key. Fails with a sentence naming the file
  // and OpenSSL's reason when a file is unreadable or not PEM, or when the key does not belong to the certificate.
  static result<std::shared_ptr<const tls_context>> load(const std::string& cert_file, const std::string& key_file);

  ssl_ctx_st* native() const { return context_.get(); }

 private:
  struct free_context {
    void operator()(ssl_ctx_st* context) const;
  };
  explicit tls_context(ssl_ctx_st* context) : context_(context) {}

  std::unique_ptr<ssl_ctx_st, free_context> context_;
};

// OpenSSL's queued error reasons as one line (and clears the queue), for messages that must say why.
std::string take_openssl_errors();

}  // namespace guildhall::net
