#include <catch2/catch.hpp>

#include "config/config_error.hpp"
#include "config/credentials.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::config;
using tether::testing::temp_dir;
using Catch::Contains;

namespace {
std::string load_error(const std::string& file) {
  try {
    load_credentials(file);
  } catch (const config_failure& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("credentials name a key file, the ssh-agent or a password", "[config][credentials]") {
  temp_dir dir;
  dir.write("noc.key", "not really a key");
  auto creds = load_credentials(dir.write("credentials.yaml",
                                          "credentials:\n"
                                          "  noc: {username: netops, key_file: noc.key}\n"
                                          "  agent-login: {username: ops, agent: true}\n"
                                          "  lab: {username: lab, password: 'S3cret!'}\n"));
  REQUIRE(creds.by_name.size() == 3);
  CHECK(creds.find("noc")->how == credential::method::key_file);
  CHECK(creds.find("noc")->key_file == dir / "noc.key");
  CHECK(creds.find("agent-login")->how == credential::method::agent);
  CHECK(creds.find("lab")->password == "S3cret!");
  CHECK(creds.find("absent") == nullptr);
}

TEST_CASE("a credentials file others can read is refused with the fix", "[config][credentials]") {
  temp_dir dir;
  auto file = dir.write("credentials.yaml", "credentials: {}\n", std::filesystem::perms(0644));
  CHECK_THAT(load_error(file), Contains("readable by group or others (mode 0644); run: chmod 600"));
}

TEST_CASE("a key file others can read is refused", "[config][credentials]") {
  temp_dir dir;
  dir.write("noc.key", "k", std::filesystem::perms(0640));
  auto file = dir.write("credentials.yaml", "credentials:\n  noc: {username: n, key_file: noc.key}\n");
  CHECK_THAT(load_error(file), Contains("credentials.noc.key_file:"));
  CHECK_THAT(load_error(file), Contains("mode 0640"));
}

TEST_CASE("errors about credentials never quote a password", "[config][credentials]") {
  temp_dir dir;
  auto file = dir.write("credentials.yaml",
                        "credentials:\n  lab: {username: lab, password: 'hunter2', agent: true, "
                        "colour: blue}\n");
  const std::string error = load_error(file);
  CHECK_THAT(error, Contains("expected exactly one of key_file, agent: true, password"));
  CHECK_THAT(error, Contains("credentials.lab.colour: unknown key"));
  CHECK(error.find("hunter2") == std::string::npos);
}

TEST_CASE("a relative key file is found beside a credentials file given by a relative path",
          "[config][credentials]") {
  temp_dir dir;
  dir.write("id.key", "k");
  dir.write("credentials.yaml", "credentials:\n  noc: {username: n, key_file: id.key}\n");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path);
  auto creds = load_credentials("credentials.yaml");
  std::filesystem::current_path(cwd);
  CHECK(creds.find("noc")->key_file == "id.key");
}
