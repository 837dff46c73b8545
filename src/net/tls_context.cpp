#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fstream>

namespace guildhall::net {

std::string take_openssl_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char line[256];
    ERR_error_string_n(code, line, sizeof line);
    if (!text.empty()) text += "; ";
    text += line;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

void tls_context::free_context::operator()(ssl_ctx_st* context) const { SSL_CTX_free(context); }

namespace {

result<void> readable(const std::string& path, const char* what) {
  if (path.empty()) return fail(errc::invalid_argument, std::string(what) + " is not set");
  if (!std::ifstream(path).good()) return fail(errc::invalid_argument, std::string("cannot read ") + what + " '" + path + "'");
  return {};
}

}  // namespace

result<std::shared_ptr<const tls_context>> tls_context::load(const std::string& cert_file, const std::string& key_file) {
  if (auto ok = readable(cert_file, "tls.cert_file"); !ok) return std::unexpected(ok.error());
  if (auto ok = readable(key_file, "tls.key_file"); !ok) return std::unexpected(ok.error());
  ERR_clear_error();
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) return fail(errc::internal, "TLS: " + take_openssl_errors());
  std::shared_ptr<tls_context> context(new tls_context(raw));
  // TLS 1.2 is the oldest version browsers still speak; renegotiation is a DoS lever nobody here needs.
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  // An idle session gives its 16 KiB read and write buffers back: idle connections should cost next to nothing.
  SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(raw, cert_file.c_str()) != 1) {
    return fail(errc::invalid_argument, "tls.cert_file '" + cert_file + "' is not a PEM certificate chain: " + take_openssl_errors());
  }
  if (SSL_CTX_use_PrivateKey_file(raw, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return fail(errc::invalid_argument,
                  "tls.key_file '" + key_file + "' does not match the certificate in '" + cert_file + "': " + take_openssl_errors());
    }
    return fail(errc::invalid_argument, "tls.key_file '" + key_file + "' is not a PEM private key: " + take_openssl_errors());
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    return fail(errc::invalid_argument,
                "tls.key_file '" + key_file + "' does not match the certificate in '" + cert_file + "': " + take_openssl_errors());
  }
  return std::shared_ptr<const tls_context>(std::move(context));
}

}  // namespace guildhall::net
