#pragma once

#include <string>
#include <string_view>

namespace tether::collectors {

/// How one command on one device ended. Stable names: they appear in results and audit.
enum class collect_status {
  ok,
  timeout,
  auth_failed,
  hostkey_unknown,
  hostkey_changed,
  unreachable,
  truncated,
  cancelled,
  error,
};

/// `ok`, `timeout`, `auth-failed`, `hostkey-unknown`, `hostkey-changed`, `unreachable`,
/// `truncated`, `cancelled`, `error`.
std::string_view to_string(collect_status s);

/// Whether trying again later may help (never for authentication or host-key failures).
bool is_transient(collect_status s);

}  // namespace tether::collectors
