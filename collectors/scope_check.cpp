#include "collectors/scope_check.hpp"

#include "collectors/junos_version.hpp"

namespace tether::collectors {

namespace {

std::string normalised_serial(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  std::string out;
  for (char c : text) out += (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
  return out;
}

/// A value for the detail line: printable ASCII only, cut short.
std::string shown(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  return out;
}

serial_status judge_serial(const std::optional<std::string>& registered,
                           const std::optional<std::string>& collected, std::string& detail) {
  const std::string want = registered ? normalised_serial(*registered) : "";
  const std::string got = collected ? normalised_serial(*collected) : "";
  if (want.empty()) {
    detail = "no serial registered in the inventory";
    if (!got.empty()) detail += " (device reports " + shown(got) + ")";
    return serial_status::unregistered;
  }
  if (got.empty()) {
    detail = "serial " + shown(want) + " registered, not yet collected";
    return serial_status::not_collected;
  }
  if (want != got) {
    detail = "device reports serial " + shown(got) + ", inventory registers " + shown(want);
    return serial_status::mismatch;
  }
  detail = "serial " + shown(want) + " matches";
  return serial_status::match;
}

release_status judge_release(const end_of_support_table& table,
                             const std::optional<std::string>& version, std::chrono::sys_days at,
                             scope_result& result, std::string& detail) {
  if (!version || version->empty()) {
    detail = "release not yet collected";
    return release_status::not_collected;
  }
  const auto parsed = parse_junos_version(*version);
  if (!parsed) {
    detail = "release \"" + shown(*version) + "\" not recognised; End of Support not judged";
    return release_status::unrecognised;
  }
  result.train = parsed->train();
  const eos_train* entry = table.find(*result.train);
  const std::string taken = format_iso_date(table.taken);
  if (!entry) {
    detail = "release " + shown(*version) + ": train " + *result.train +
             " not in the End-of-Support table (taken " + taken + "); not judged";
    return release_status::unknown_train;
  }
  result.end_of_support = entry->end_of_support;
  const std::string eos = format_iso_date(entry->end_of_support);
  if (at > entry->end_of_support) {
    detail = "release " + shown(*version) + ": train " + entry->train + " End of Support " + eos +
             " (table taken " + taken + ")";
    return release_status::end_of_support;
  }
  detail = "release " + shown(*version) + ": train " + entry->train + " supported until " + eos;
  return release_status::supported;
}

}  // namespace

std::string_view to_string(scope s) {
  switch (s) {
    case scope::in: return "in";
    case scope::unregistered: return "unregistered";
    case scope::serial_mismatch: return "serial-mismatch";
    case scope::end_of_support: return "end-of-support";
  }
  return "unknown";
}

std::string_view to_string(serial_status s) {
  switch (s) {
    case serial_status::match: return "match";
    case serial_status::mismatch: return "mismatch";
    case serial_status::unregistered: return "unregistered";
    case serial_status::not_collected: return "not-collected";
  }
  return "unknown";
}

std::string_view to_string(release_status s) {
  switch (s) {
    case release_status::supported: return "supported";
    case release_status::end_of_support: return "end-of-support";
    case release_status::unknown_train: return "unknown-train";
    case release_status::unrecognised: return "unrecognised";
    case release_status::not_collected: return "not-collected";
  }
  return "unknown";
}

scope_result scope_check(const end_of_support_table& table,
                         const std::optional<std::string>& registered_serial,
                         const std::optional<std::string>& collected_serial,
                         const std::optional<std::string>& collected_version,
                         std::chrono::sys_days at) {
  scope_result result;
  std::string serial_detail, release_detail;
  result.serial = judge_serial(registered_serial, collected_serial, serial_detail);
  result.release = judge_release(table, collected_version, at, result, release_detail);
  if (result.serial == serial_status::unregistered) result.problems.push_back(scope::unregistered);
  if (result.serial == serial_status::mismatch) result.problems.push_back(scope::serial_mismatch);
  if (result.release == release_status::end_of_support)
    result.problems.push_back(scope::end_of_support);
  result.verdict = result.problems.empty() ? scope::in : result.problems.front();
  result.detail = serial_detail + "; " + release_detail;
  return result;
}

nlohmann::json scope_json(const scope_result& result) {
  nlohmann::json problems = nlohmann::json::array();
  for (scope p : result.problems) problems.push_back(std::string(to_string(p)));
  return {
      {"scope", std::string(to_string(result.verdict))},
      {"problems", problems},
      {"serial", std::string(to_string(result.serial))},
      {"release", std::string(to_string(result.release))},
      {"train", result.train ? nlohmann::json(*result.train) : nlohmann::json(nullptr)},
      {"end_of_support", result.end_of_support
                             ? nlohmann::json(format_iso_date(*result.end_of_support))
                             : nlohmann::json(nullptr)},
      {"detail", result.detail},
  };
}

}  // namespace tether::collectors
