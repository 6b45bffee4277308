#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::collectors {

/// A Junos software version reduced to what decides its support: the release train.
/// `21.4R3-S5.4` is train 21.4; `15.1X49-D200.2` is train 15.1X49; `15.1F6-S12` is 15.1;
/// `22.4R3-S2.11-EVO` is Junos OS Evolved train 22.4-EVO.
struct junos_version {
  int major = 0;
  int minor = 0;
  std::optional<int> special;  // the X of 15.1X49 (a special-purpose train)
  bool evolved = false;        // Junos OS Evolved (`-EVO`)

  /// The train name as the End-of-Support table spells it: `21.4`, `15.1X49`, `22.4-EVO`.
  std::string train() const;
};

/// Parses a Junos version string as `show version` prints it (surrounding spaces allowed):
/// `MAJOR.MINOR[Xnn]` then `Rn`, `Fn`, `Bn` or `In` (release, feature, beta, internal) or
/// `-Dn` (X trains), an optional `.build`, an optional `-Sn[.build]` service release and an
/// optional `-EVO`. Nothing else is accepted: an unrecognised version is never guessed.
std::optional<junos_version> parse_junos_version(std::string_view text);

}  // namespace tether::collectors
