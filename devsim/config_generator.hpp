#pragma once

#include <cstddef>
#include <string>

#include "devsim/command_outputs.hpp"
#include "devsim/config_tree.hpp"
#include "devsim/device_identity.hpp"

namespace tether::devsim {

/// The forms `show configuration` can take.
enum class config_form { hierarchy, set, xml };

/// Builds a device's configuration: system, users, AAA, SNMP, interfaces, BGP/OSPF/IS-IS,
/// policies, firewall filters, IPsec, key chains and a PEM key, with the secrets real
/// configurations carry. Its size follows the identity's config_scale; `min_bytes` pads it
/// with prefix lists until its hierarchy form is at least that large (the huge:MB fault).
config_node build_configuration(const device_identity& d, std::size_t min_bytes = 0);

/// `show configuration [path...]` in one form; an empty string when the path does not exist.
std::string render_configuration(const device_identity& d, const config_node& root,
                                 const std::vector<std::string>& path, config_form form);

/// A Junos type-9 ("$9$...") obfuscated secret drawn from `r`.
std::string junos_type9(class rng& r);

}  // namespace tether::devsim
