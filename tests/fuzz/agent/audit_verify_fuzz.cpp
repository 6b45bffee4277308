// Fuzzes what reads an audit log from disk: the record parser, the verifier (with a key and
// an anchor) and open_audit_log's recovery. Invariants: no crash; a failure names a line
// within the file (or just past it); every line of a log that verifies parses back to itself;
// a log that opens (after setting a torn tail aside) verifies afterwards.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "agent/audit_log.hpp"
#include "agent/audit_verify.hpp"

using namespace tether::agent;

namespace {

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n + (!text.empty() && text.back() != '\n');
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// open_audit_log on the bytes as a file in a private folder (tmpfs when there is one).
void check_open(const std::string& text) {
  // Removed again when the fuzzer exits.
  struct scratch {
    std::filesystem::path path =
        (std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                             : std::filesystem::temp_directory_path()) /
        ("tether-audit-fuzz-" + std::to_string(getpid()));
    ~scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const scratch folder;
  const auto& dir = folder.path;
  const auto log = dir / "audit.log";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(log, std::ios::binary) << text;
  auto opened = open_audit_log(log, [] { return std::chrono::system_clock::time_point(); });
  if (!opened.log) {
    if (opened.error.empty()) __builtin_trap();  // a refusal must say why
    return;
  }
  opened.log.reset();
  if (verify_audit_log(read(log)).verdict != audit_verdict::ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const audit_key key = audit_key::generate();
  audit_verify_options options;
  options.key = &key;
  options.anchors.push_back({2, std::string(64, 'a'), std::string(128, '0'), key.key_id()});
  for (bool torn : {false, true}) {
    options.allow_torn_tail = torn;
    auto v = verify_audit_log(text, options);
    if (v.verdict == audit_verdict::ok) continue;
    if (v.line == 0 || v.line > count_lines(text) + 1 || v.reason.empty()) __builtin_trap();
  }
  auto plain = verify_audit_log(text);
  if (plain.verdict == audit_verdict::ok) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      auto r = parse_record_line(std::string_view(text).substr(pos, end - pos));
      if (!r.record || canonical_line(*r.record) != text.substr(pos, end - pos))
        __builtin_trap();
      pos = end + 1;
    }
  }
  check_open(text);
  return 0;
}
