#pragma once

#include <optional>
#include <string>

#include "devsim/device_identity.hpp"

namespace tether::devsim {

/// How a command's output is rendered: CLI text or `| display xml`.
enum class output_format { text, xml };

// One generator per Junos operational command (each in its own .cpp file). They are pure:
// the same identity gives the same bytes. XML forms are complete <rpc-reply> documents.

/// `show version`.
std::string show_version(const device_identity& d, output_format f);
/// `show chassis hardware`.
std::string show_chassis_hardware(const device_identity& d, output_format f);
/// `show chassis alarms`.
std::string show_chassis_alarms(const device_identity& d, output_format f);
/// `show system alarms`.
std::string show_system_alarms(const device_identity& d, output_format f);
/// `show log messages` (the whole file; `| last N` is applied by the command router).
std::string show_log_messages(const device_identity& d, output_format f);
/// `show log FILE` for messages, chassisd, interactive-commands, security,
/// default-log-messages and their rotations (`messages.0.gz`); nullopt for other names.
std::optional<std::string> show_log(const device_identity& d, const std::string& file,
                                    output_format f);
/// `show interfaces NAME extensive`; nullopt when the device has no such interface.
std::optional<std::string> show_interface_extensive(const device_identity& d,
                                                    const std::string& name, output_format f);
/// `show interfaces terse`.
std::string show_interfaces_terse(const device_identity& d, output_format f);
/// `show bgp summary`.
std::string show_bgp_summary(const device_identity& d, output_format f);
/// `show ospf neighbor`.
std::string show_ospf_neighbor(const device_identity& d, output_format f);
/// `show isis adjacency`.
std::string show_isis_adjacency(const device_identity& d, output_format f);
/// `show route summary`.
std::string show_route_summary(const device_identity& d, output_format f);
/// `show system core-dumps`.
std::string show_system_core_dumps(const device_identity& d, output_format f);
/// `request support information`: several of the above, each under its command line.
std::string request_support_information(const device_identity& d, output_format f);

/// The fixed "now" of the simulation (2026-11-20 08:00:00 UTC) as Unix seconds, so outputs
/// are reproducible.
constexpr long long simulation_epoch = 1795161600;

/// Unix seconds as "YYYY-MM-DD HH:MM:SS UTC".
std::string format_utc(long long seconds);

/// Unix seconds as syslog's "Nov 20 08:00:00".
std::string format_syslog_time(long long seconds);

}  // namespace tether::devsim
