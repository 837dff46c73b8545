#include "client/client_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <map>
#include <mutex>

namespace guildhall::client {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

result<std::shared_ptr<ssl::context>> client_tls_context(const tls_options& options) {
  static std::mutex mutex;  // guards `made` only; a context is immutable once made
  static std::map<std::pair<std::string, bool>, std::shared_ptr<ssl::context>> made;
  const std::lock_guard lock(mutex);
  auto& context = made[{options.ca_file, options.insecure}];
  if (context) return context;
  auto fresh = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  fresh->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1, ec);
  fresh->set_default_verify_paths(ec);
  if (!options.ca_file.empty()) {
    fresh->load_verify_file(options.ca_file, ec);
    if (ec) return fail(errc::invalid_argument, "cannot use CA file '" + options.ca_file + "': " + ec.message());
  }
  fresh->set_verify_mode(options.insecure ? ssl::verify_none : ssl::verify_peer, ec);
  context = std::move(fresh);
  return context;
}

void expect_server_name(SSL* ssl, const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  if (!ec) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    return;
  }
  SSL_set_tlsext_host_name(ssl, host.c_str());
  SSL_set1_host(ssl, host.c_str());
}

std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec, const std::string& host) {
  const long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) {
    return "TLS: the certificate of " + host + " is not trusted (" + X509_verify_cert_error_string(verdict) +
           "); trust its CA with a CA file (--ca-file), or for a development server skip the check (--insecure)";
  }
  return "TLS handshake with " + host + " failed: " + ec.message();
}

client_stream::client_stream(asio::io_context& io, const server_url& url) : socket_(io), server_name_(url.server_name) {
  if (!url.secure) return;
  auto context = client_tls_context(url.tls);
  if (!context) {
    setup_error_ = context.error().message;
    return;
  }
  context_ = *context;
  tls_.emplace(io, *context_);
  expect_server_name(tls_->native_handle(), server_name_.empty() ? url.host : server_name_);
}

void client_stream::async_tls_handshake(std::move_only_function<void(result<void>)> done) {
  if (!setup_error_.empty()) return done(fail(errc::invalid_argument, setup_error_));
  if (!tls_) return done({});
  tls_->async_handshake(ssl::stream_base::client, [this, done = std::move(done)](const boost::system::error_code& ec) mutable {
    if (ec) return done(fail(errc::internal, describe_tls_failure(tls_->native_handle(), ec, server_name_)));
    done({});
  });
}

}  // namespace guildhall::client
