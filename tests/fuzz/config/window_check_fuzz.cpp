// Fuzzes the path from an untrusted YAML schedule to a verdict: YAML parsing, the policy and
// window readers (times, durations, zones) and the engine. Invariants: no crash, and a file
// either loads or yields at least one positioned error; verdicts keep input order and ids.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/policy_file.hpp"
#include "config/windows_file.hpp"

using namespace tether::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto doc = yaml_document::parse(text, "fuzz.yaml");
  if (!doc.ok() || !doc.root().IsMap()) return 0;
  auto policy = read_window_policy(doc, doc.root()["policy"], "policy");
  std::vector<window_request> windows;
  const YAML::Node list = doc.root()["windows"];
  for (std::size_t i = 0; list.IsDefined() && list.IsSequence() && i < list.size() && i < 64; ++i)
    if (auto w = read_window(doc, list[i], "windows")) windows.push_back(*w);
  if (!policy) {
    if (doc.errors().empty()) __builtin_trap();  // a refusal must say why
    return 0;
  }
  auto verdict = evaluate(*policy, windows, date::sys_seconds(std::chrono::seconds(1796000000)));
  if (verdict.windows.size() != windows.size()) __builtin_trap();
  for (std::size_t i = 0; i < windows.size(); ++i)
    if (verdict.windows[i].id != windows[i].id) __builtin_trap();
  return 0;
}
