// net::tls_session without sockets: an OpenSSL client on memory BIOs talks to it, so the handshake, plaintext on a
// TLS port, and the sealing of a whole batch into one buffer are checked byte for byte.
#include "net/tls_session.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <unistd.h>

#include <filesystem>

namespace guildhall::net {
namespace {

// A throwaway self-signed P-256 certificate and key, written as PEM files for tls_context::load.
struct certificate_files {
  static inline int made = 0;
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("guildhall-tls-unit-" + std::to_string(::getpid()) + "-" + std::to_string(++made));
  std::string cert = (dir / "cert.pem").string();
  std::string key = (dir / "key.pem").string();

  certificate_files() {
    std::filesystem::create_directories(dir);
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    X509* x509 = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(x509), 1);
    X509_gmtime_adj(X509_getm_notBefore(x509), 0);
    X509_gmtime_adj(X509_getm_notAfter(x509), 3600);
    X509_set_pubkey(x509, pkey);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x509), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x509, X509_get_subject_name(x509));
    X509_sign(x509, pkey, EVP_sha256());
    FILE* out = std::fopen(cert.c_str(), "w");
    PEM_write_X509(out, x509);
    std::fclose(out);
    out = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(out, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(out);
    X509_free(x509);
    EVP_PKEY_free(pkey);
  }
  ~certificate_files() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

// An OpenSSL client (no certificate check: that is the client library's business) on two memory BIOs.
class memory_client {
 public:
  memory_client() : context_(SSL_CTX_new(TLS_client_method())), ssl_(SSL_new(context_)) {
    SSL_set_bio(ssl_, to_client_ = BIO_new(BIO_s_mem()), from_client_ = BIO_new(BIO_s_mem()));
    SSL_set_connect_state(ssl_);
  }
  ~memory_client() {
    SSL_free(ssl_);
    SSL_CTX_free(context_);
  }
  // What the client wants to send now.
  std::string outgoing() {
    std::string bytes(BIO_ctrl_pending(from_client_), '\0');
    if (!bytes.empty()) BIO_read(from_client_, bytes.data(), static_cast<int>(bytes.size()));
    return bytes;
  }
  void receive(const std::string& bytes) { BIO_write(to_client_, bytes.data(), static_cast<int>(bytes.size())); }
  void step() { SSL_do_handshake(ssl_); }
  bool done() const { return SSL_is_init_finished(ssl_) == 1; }
  void write(const std::string& text) { SSL_write(ssl_, text.data(), static_cast<int>(text.size())); }
  std::string read_all() {
    std::string text;
    char buffer[4096];
    for (int n; (n = SSL_read(ssl_, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
    return text;
  }

 private:
  SSL_CTX* context_;
  SSL* ssl_;
  BIO* to_client_ = nullptr;
  BIO* from_client_ = nullptr;
};

// Feeds `bytes` to the server session and returns the plaintext it yields.
result<std::string> server_reads(tls_session& server, const std::string& bytes) {
  std::string plaintext;
  char buffer[1024];
  server.feed(bytes);
  for (;;) {
    auto n = server.read(buffer, sizeof buffer);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return plaintext;
    plaintext.append(buffer, *n);
  }
}

std::string take_outgoing(tls_session& server) {
  std::string bytes = server.outgoing();
  server.consume_outgoing(bytes.size());
  return bytes;
}

void handshake(memory_client& client, tls_session& server) {
  for (int round = 0; round < 10 && !(client.done() && server.handshake_done()); ++round) {
    client.step();
    ASSERT_TRUE(server_reads(server, client.outgoing()));
    client.receive(take_outgoing(server));
  }
  ASSERT_TRUE(client.done() && server.handshake_done());
}

class TlsSession : public ::testing::Test {
 protected:
  certificate_files files;
  std::shared_ptr<const tls_context> context = [this] {
    auto loaded = tls_context::load(files.cert, files.key);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return *loaded;
  }();
};

TEST_F(TlsSession, HandshakeThenPlaintextBothWays) {
  memory_client client;
  tls_session server(*context);
  handshake(client, server);

  client.write("hello server");
  auto got = server_reads(server, client.outgoing());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "hello server");
}

TEST_F(TlsSession, ABatchOfManyMessagesIsSealedIntoOneBufferOfFullRecords) {
  memory_client client;
  tls_session server(*context);
  handshake(client, server);
  client.receive(take_outgoing(server));  // session tickets, if any
  client.read_all();

  // 128 messages of 300 bytes (the most one gather-write takes), as separate buffers.
  std::vector<std::string> messages;
  std::vector<iovec> batch;
  std::string expected;
  for (int i = 0; i < 128; ++i) messages.push_back(std::string(300, static_cast<char>('a' + i % 26)));
  for (auto& message : messages) {
    batch.push_back({message.data(), message.size()});
    expected += message;
  }
  ASSERT_TRUE(server.write(batch));
  const std::string sealed = take_outgoing(server);
  // 38,400 bytes in 16 KiB records: three records, not 128.
  std::size_t records = 0;
  for (std::size_t at = 0; at + 5 <= sealed.size(); ++records) {
    at += 5 + ((static_cast<unsigned char>(sealed[at + 3]) << 8) | static_cast<unsigned char>(sealed[at + 4]));
  }
  EXPECT_EQ(records, 3u);
  client.receive(sealed);
  EXPECT_EQ(client.read_all(), expected);
  EXPECT_TRUE(server.outgoing().empty());
  EXPECT_EQ(server.outgoing().capacity(), std::string().capacity()) << "a drained session keeps no buffer";
}

TEST_F(TlsSession, PlaintextOnTheTlsPortIsAnError) {
  tls_session http(*context);
  EXPECT_FALSE(server_reads(http, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  tls_session native(*context);
  EXPECT_FALSE(server_reads(native, std::string("\x05hello", 6)));
}

TEST_F(TlsSession, AKeyOfAnotherCertificateIsRefusedAtLoad) {
  certificate_files other;
  const auto loaded = tls_context::load(files.cert, other.key);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("does not match"), std::string::npos) << loaded.error().message;
}

}  // namespace
}  // namespace guildhall::net
