// services password hashing (argon2id via libsodium), at the smallest cost libsodium allows so the tests stay fast.
#include "services/auth/password_hasher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace guildhall::services {
namespace {

class PasswordHasher : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  const password_cost cheap_{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
};

TEST_F(PasswordHasher, HashThenVerify) {
  auto hashed = hash_password("correct horse battery", cheap_);
  ASSERT_TRUE(hashed.has_value()) << hashed.error().message;
  EXPECT_TRUE(hashed->starts_with("$argon2id$")) << *hashed;
  EXPECT_EQ(hashed->find('\0'), std::string::npos);
  EXPECT_TRUE(verify_password("correct horse battery", *hashed));
}

TEST_F(PasswordHasher, WrongPasswordFails) {
  auto hashed = hash_password("correct horse battery", cheap_);
  ASSERT_TRUE(hashed.has_value());
  EXPECT_FALSE(verify_password("correct horse batterY", *hashed));
  EXPECT_FALSE(verify_password("correct horse battery ", *hashed));
  EXPECT_FALSE(verify_password("", *hashed));
}

TEST_F(PasswordHasher, EmbeddedNulIsPartOfThePassword) {
  // string_view lengths, not C strings: "abc\0def" must not verify as "abc".
  const std::string with_nul("abc\0defgh", 9);
  auto hashed = hash_password(with_nul, cheap_);
  ASSERT_TRUE(hashed.has_value());
  EXPECT_TRUE(verify_password(with_nul, *hashed));
  EXPECT_FALSE(verify_password("abc", *hashed));
}

TEST_F(PasswordHasher, SamePasswordHashesDifferently) {
  auto first = hash_password("same password", cheap_);
  auto second = hash_password("same password", cheap_);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second) << "hashes must be salted";
  EXPECT_TRUE(verify_password("same password", *first));
  EXPECT_TRUE(verify_password("same password", *second));
}

TEST_F(PasswordHasher, CostIsRecordedInTheHash) {
  auto hashed = hash_password("password1", password_cost{2, 16 * 1024});
  ASSERT_TRUE(hashed.has_value());
  EXPECT_NE(hashed->find("m=16,t=2"), std::string::npos) << *hashed;
}

TEST_F(PasswordHasher, EmptyStoredHashFails) {
  // Guests have no password: nothing may log in as them with one, not even the empty password.
  EXPECT_FALSE(verify_password("", ""));
  EXPECT_FALSE(verify_password("anything", ""));
}

TEST_F(PasswordHasher, GarbageStoredHashFails) {
  auto hashed = hash_password("password1", cheap_);
  ASSERT_TRUE(hashed.has_value());
  const std::string garbage[] = {
      "not a hash",
      "$argon2id$",
      "password1",
      hashed->substr(0, hashed->size() - 1),
      hashed->substr(0, hashed->size() / 2),
      "$argon2i$" + hashed->substr(10),
  };
  for (const auto& stored : garbage) EXPECT_FALSE(verify_password("password1", stored)) << stored;
}

TEST_F(PasswordHasher, CostBelowTheMinimumIsAnError) {
  auto hashed = hash_password("password1", password_cost{0, crypto_pwhash_MEMLIMIT_MIN});
  ASSERT_FALSE(hashed.has_value());
  EXPECT_EQ(hashed.error().code, errc::internal);
  EXPECT_FALSE(hash_password("password1", password_cost{1, 1}).has_value());
}

}  // namespace
}  // namespace guildhall::services
