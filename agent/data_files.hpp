#pragma once

#include <string>

namespace tether::agent {

/// The path of a data file tether ships (`junos.yaml`, `junos-eos.yaml`): from
/// `$TETHER_DATA_DIR` if set, else `share/tether/` beside the installed binary, else the
/// source tree this binary was built from (so `build/bin/tetherctl` works uninstalled).
std::string shipped_data_file(const std::string& name);

}  // namespace tether::agent
