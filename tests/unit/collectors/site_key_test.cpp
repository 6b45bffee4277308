#include "collectors/site_key.hpp"
#include "tests/support/temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace fs = std::filesystem;
using tether::collectors::load_or_create_site_key;
using tether::collectors::site_key;

namespace {

using tether::testing::temp_dir;

site_key counting_key() {
  site_key::bytes bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  return site_key(bytes);
}

void write_file(const fs::path& path, const std::string& content, mode_t mode) {
  std::ofstream(path, std::ios::binary) << content;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

}  // namespace

TEST_CASE("a token is the first 8 hex digits of HMAC-SHA256 under the site key", "[site_key]") {
  // openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f <<< "secret" (no newline)
  CHECK(counting_key().token("secret") == "<redacted:723f228d>");
}

TEST_CASE("equal secrets give equal tokens and different secrets or keys differ", "[site_key]") {
  site_key key = counting_key();
  CHECK(key.token("$9$abc") == key.token("$9$abc"));
  CHECK(key.token("$9$abc") != key.token("$9$abd"));
  CHECK(site_key::random().token("$9$abc") != key.token("$9$abc"));
  CHECK(std::regex_match(key.token(""), std::regex("<redacted:[0-9a-f]{8}>")));
}

TEST_CASE("a token over pieces equals the token over the whole secret", "[site_key]") {
  site_key key = counting_key();
  tether::collectors::token_hasher hasher(key);
  hasher.update("sec");
  hasher.update("");
  hasher.update("ret");
  CHECK(hasher.finish() == key.token("secret"));
}

TEST_CASE("the site key file is created on first use with mode 0600 and 32 bytes", "[site_key]") {
  temp_dir dir;
  fs::path file = dir.path / "site.key";
  auto first = load_or_create_site_key(file.string());
  REQUIRE(first.key);
  CHECK(first.created);
  CHECK(first.error.empty());
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(st.st_size == 32);

  auto second = load_or_create_site_key(file.string());
  REQUIRE(second.key);
  CHECK_FALSE(second.created);
  CHECK(second.key->token("community") == first.key->token("community"));
}

TEST_CASE("a site key file readable by group or others is refused", "[site_key]") {
  temp_dir dir;
  fs::path file = dir.path / "site.key";
  write_file(file, std::string(32, 'k'), 0644);
  auto result = load_or_create_site_key(file.string());
  CHECK_FALSE(result.key);
  CHECK(result.unsafe);
  CHECK(result.error.find("0644") != std::string::npos);
  CHECK(result.error.find("group/others") != std::string::npos);

  write_file(file, std::string(32, 'k'), 0640);
  CHECK_FALSE(load_or_create_site_key(file.string()).key);
  write_file(file, std::string(32, 'k'), 0600);
  CHECK(load_or_create_site_key(file.string()).key);
}

TEST_CASE("a site key file of the wrong size, a directory or a symlink is refused", "[site_key]") {
  temp_dir dir;
  fs::path file = dir.path / "site.key";
  SECTION("too short") {
    write_file(file, std::string(31, 'k'), 0600);
    auto result = load_or_create_site_key(file.string());
    CHECK_FALSE(result.key);
    CHECK(result.error.find("exactly 32 bytes") != std::string::npos);
  }
  SECTION("too long") {
    write_file(file, std::string(33, 'k'), 0600);
    CHECK_FALSE(load_or_create_site_key(file.string()).key);
  }
  SECTION("a directory") {
    fs::create_directory(file);
    CHECK_FALSE(load_or_create_site_key(file.string()).key);
  }
  SECTION("a symlink to a good key") {
    fs::path real = dir.path / "real.key";
    write_file(real, std::string(32, 'k'), 0600);
    fs::create_symlink(real, file);
    auto result = load_or_create_site_key(file.string());
    CHECK_FALSE(result.key);
    CHECK(result.unsafe);
  }
}

TEST_CASE("a site key in a missing directory is an error, not a crash", "[site_key]") {
  temp_dir dir;
  auto result = load_or_create_site_key((dir.path / "no-such-dir" / "site.key").string());
  CHECK_FALSE(result.key);
  CHECK_FALSE(result.unsafe);
  CHECK(result.error.find("cannot create site key") != std::string::npos);
}
