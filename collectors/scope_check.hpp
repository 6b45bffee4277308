#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/end_of_support.hpp"

namespace tether::collectors {

/// Whether a device is within the service's scope (seed §2 and §7). When several problems
/// apply, the first in this order is the verdict: identity before software.
enum class scope {
  in,               // registered, serial matches (or not yet collected), release not past EOS
  unregistered,     // the inventory has no serial for the device: it is not registered
  serial_mismatch,  // the collected serial differs from the registered one
  end_of_support,   // the collected release's train is past its End-of-Support date
};

/// The stable code: `in`, `unregistered`, `serial-mismatch`, `end-of-support`.
std::string_view to_string(scope s);

/// What the serial comparison found.
enum class serial_status { match, mismatch, unregistered, not_collected };
/// What the release lookup found.
enum class release_status { supported, end_of_support, unknown_train, unrecognised, not_collected };

/// The stable code of a serial status: `match`, `mismatch`, `unregistered`, `not-collected`.
std::string_view to_string(serial_status s);
/// The stable code of a release status: `supported`, `end-of-support`, `unknown-train`,
/// `unrecognised`, `not-collected`.
std::string_view to_string(release_status s);

/// The scope of one device: the verdict, every problem that applies, and the facts behind it.
struct scope_result {
  scope verdict = scope::in;
  std::vector<scope> problems;  // every applicable problem, in precedence order
  serial_status serial = serial_status::not_collected;
  release_status release = release_status::not_collected;
  std::optional<std::string> train;                   // when the version was recognised
  std::optional<std::chrono::sys_days> end_of_support;  // when the table knows the train
  std::string detail;                                 // one line for people
};

/// Judges a device's scope at day `at`: `registered_serial` from the inventory,
/// `collected_serial` and `collected_version` from its facts (absent when not collected).
/// Serials compare case-insensitively after trimming spaces. A release is past End of
/// Support when `at` is after the train's EOS date. A train the table does not know, or a
/// version that cannot be parsed, is never reported as end-of-support.
scope_result scope_check(const end_of_support_table& table,
                         const std::optional<std::string>& registered_serial,
                         const std::optional<std::string>& collected_serial,
                         const std::optional<std::string>& collected_version,
                         std::chrono::sys_days at);

/// The result as results carry it: `{"scope": "in", "problems": [], "serial": "match",
/// "release": "supported", "train": "23.4", "end_of_support": "2028-12-21", "detail": "..."}`
/// (`train` and `end_of_support` are null when unknown).
nlohmann::json scope_json(const scope_result& result);

}  // namespace tether::collectors
