// Runs the real `tetherctl redact`: the preview of exactly what would leave the network.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/run_process.hpp"

using Catch::Contains;
using tether::testing::run_process;
namespace fs = std::filesystem;

namespace {

const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";
const std::string fixtures = std::string(TETHER_SOURCE_DIR) + "/tests/fixtures/junos/config/";

/// A temporary folder with an agent configuration whose state_dir is `state/` inside it.
struct site_dir {
  fs::path path;
  site_dir() {
    std::string tmpl = (fs::temp_directory_path() / "tether-redact-XXXXXX").string();
    path = mkdtemp(tmpl.data());
    fs::create_directory(path / "state");
    std::ofstream(path / "agent.yaml") << "site: test-site\n"
                                          "policy:\n  timezone: Europe/Amsterdam\n"
                                          "console:\n  endpoint: console.example:443\n"
                                          "  ca: ca.crt\n  cert: agent.crt\n  key: agent.key\n"
                                          "paths:\n  state_dir: state\n";
  }
  ~site_dir() { fs::remove_all(path); }
  std::string config() const { return (path / "agent.yaml").string(); }
  fs::path key_file() const { return path / "state" / "site.key"; }
  /// Installs the key the golden files were made with (bytes 0x00..0x1f), mode `mode`.
  void install_test_key(mode_t mode) const {
    std::string bytes;
    for (int i = 0; i < 32; ++i) bytes += static_cast<char>(i);
    std::ofstream(key_file(), std::ios::binary) << bytes;
    fs::permissions(key_file(), static_cast<fs::perms>(mode));
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("redact with the site's key prints exactly the golden redaction", "[integration]") {
  site_dir site;
  site.install_test_key(0600);
  for (const char* name :
       {"edge-ams-01.set", "edge-ams-01.conf", "edge-ams-02.xml", "edge-ams-03.json"}) {
    INFO(name);
    auto r = run_process({tetherctl, "redact", fixtures + name, "--config", site.config()});
    CHECK(r.exit_code == 0);
    CHECK(r.out == read_file(fixtures + name + ".redacted"));
    CHECK_THAT(r.err, Contains("secret(s) redacted"));
  }
}

TEST_CASE("redact reads stdin for - and says when it uses a random key", "[integration]") {
  std::string input = read_file(fixtures + "edge-ams-01.set");
  auto r = run_process({tetherctl, "redact", "-"}, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("random key"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') ==
        std::count(input.begin(), input.end(), '\n'));
  std::istringstream secrets(read_file(fixtures + "edge-ams-01.secrets"));
  for (std::string secret; std::getline(secrets, secret);) {
    INFO(secret);
    CHECK(r.out.find(secret) == std::string::npos);
  }
}

TEST_CASE("redact creates the site key on first use, mode 0600, and reuses it", "[integration]") {
  site_dir site;
  auto first =
      run_process({tetherctl, "redact", fixtures + "edge-ams-01.conf", "--config", site.config()});
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.err, Contains("created the site key"));
  REQUIRE(fs::exists(site.key_file()));
  const fs::perms owner_only = fs::perms::owner_read | fs::perms::owner_write;
  CHECK((fs::status(site.key_file()).permissions() & fs::perms::all) == owner_only);
  auto second =
      run_process({tetherctl, "redact", fixtures + "edge-ams-01.conf", "--config", site.config()});
  CHECK(second.exit_code == 0);
  CHECK(second.out == first.out);
  CHECK(second.err.find("created") == std::string::npos);
}

TEST_CASE("redact refuses a site key readable by others and exits 2", "[integration]") {
  site_dir site;
  site.install_test_key(0644);
  auto r =
      run_process({tetherctl, "redact", fixtures + "edge-ams-01.set", "--config", site.config()});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains("group/others"));
}

TEST_CASE("redact exits 2 on a missing input or a malformed configuration", "[integration]") {
  site_dir site;
  auto missing = run_process({tetherctl, "redact", (site.path / "nope.txt").string()});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("cannot read"));
  std::ofstream(site.path / "bad.yaml") << "site: x\nbogus: 1\n";
  auto bad = run_process({tetherctl, "redact", fixtures + "edge-ams-01.set", "--config",
                          (site.path / "bad.yaml").string()});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("bad.yaml:"));
  CHECK(bad.out.empty());
}

TEST_CASE("redact --help describes the command", "[integration]") {
  auto r = run_process({tetherctl, "redact", "--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("--config"));
}
