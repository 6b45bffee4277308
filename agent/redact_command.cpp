#include "agent/redact_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "collectors/redactor.hpp"
#include "collectors/site_key.hpp"
#include "config/agent_config.hpp"
#include "config/config_error.hpp"

namespace tether::agent {
namespace {

constexpr std::size_t chunk_size = 64 * 1024;
constexpr const char* site_key_file = "site.key";

struct redact_options {
  std::string input;
  std::string config_file;
};

/// The key of the site named by `--config`, or a random one (with a note) when there is no
/// readable configuration or key. Empty when the configuration is malformed or the key
/// file is unsafe: the caller exits 2.
std::optional<collectors::site_key> choose_key(const std::string& config_file) {
  auto random_key = [](const std::string& why) {
    std::cerr << "tetherctl redact: " << why
              << "; using a random key for this run (tokens will not match the agent's)\n";
    return collectors::site_key::random();
  };
  if (config_file.empty()) return random_key("no --config given");
  if (::access(config_file.c_str(), R_OK) != 0) {
    return random_key("cannot read " + config_file);
  }
  config::agent_config cfg;
  try {
    cfg = config::load_agent_config(config_file);
  } catch (const config::config_failure& e) {
    for (const auto& err : e.errors()) std::cerr << err.to_string() << "\n";
    return std::nullopt;
  }
  // The key lives in the agent's state folder; a first run creates it, owner-only.
  std::error_code ignored;
  if (std::filesystem::create_directories(cfg.paths.state_dir, ignored))
    std::filesystem::permissions(cfg.paths.state_dir, std::filesystem::perms::owner_all, ignored);
  std::string path = cfg.paths.state_dir + "/" + site_key_file;
  collectors::site_key_result loaded = collectors::load_or_create_site_key(path);
  if (loaded.key) {
    if (loaded.created) std::cerr << "tetherctl redact: created the site key " << path << "\n";
    return loaded.key;
  }
  if (loaded.unsafe) {
    std::cerr << "tetherctl redact: " << loaded.error << "\n";
    return std::nullopt;
  }
  return random_key(loaded.error);
}

/// Copies `in` to stdout through the redactor, one chunk at a time.
void redact_stream(std::istream& in, collectors::redactor& r) {
  auto buffer = std::make_unique<char[]>(chunk_size);
  std::string out;
  while (in) {
    in.read(buffer.get(), chunk_size);
    std::streamsize got = in.gcount();
    if (got <= 0) break;
    out.clear();
    r.feed(std::string_view(buffer.get(), static_cast<std::size_t>(got)), out);
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  out.clear();
  r.finish(out);
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
}

int run_redact(const redact_options& o) {
  std::ifstream file;
  if (o.input != "-") {
    file.open(o.input, std::ios::binary);
    if (!file) {
      std::cerr << "tetherctl redact: cannot read " << o.input << "\n";
      return 2;
    }
  }
  std::optional<collectors::site_key> key = choose_key(o.config_file);
  if (!key) return 2;
  std::ios::sync_with_stdio(false);
  collectors::redactor r(*key);
  redact_stream(o.input == "-" ? std::cin : file, r);
  if (file.bad() || (o.input == "-" && std::cin.bad())) {
    std::cerr << "tetherctl redact: read error on " << o.input << "\n";
    return 2;
  }
  std::cerr << "tetherctl redact: " << r.redactions() << " secret(s) redacted\n";
  return 0;
}

}  // namespace

void add_redact_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<redact_options>();
  CLI::App* redact = app.add_subcommand(
      "redact", "Print FILE (or stdin for -) exactly as the agent would send it: secrets redacted");
  redact
      ->add_option("input", options->input,
                   "A saved device output or configuration, or - for stdin")
      ->required();
  redact->add_option("--config", options->config_file,
                     "The agent configuration whose site key to use (state_dir/site.key)");
  redact->callback([options, &exit_code] { exit_code = run_redact(*options); });
}

}  // namespace tether::agent
