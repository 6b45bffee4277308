#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tether::devsim {

/// One physical port of a simulated device and what is configured on its unit 0.
struct interface_info {
  std::string name;         // et-0/0/0, xe-0/1/3, ge-0/0/12
  std::string address;      // 10.x.y.z/30 on unit 0, empty when unconfigured
  std::string description;  // empty when unconfigured
  bool up = true;           // link state
};

/// A Junos platform devsim can pretend to be.
struct model_info {
  std::string model;        // lower case as `show version` prints it: mx480
  std::string chassis;      // as `show chassis hardware` prints it: MX480
  std::string family;       // mx ex qfx srx ptx acx
  int re_count = 1;         // routing engines
  std::string management;   // fxp0 or em0 (re0:mgmt-0 style names are not simulated)
};

/// Everything that makes one simulated device itself: derived only from (index, seed),
/// so the same fleet comes back on every run.
struct device_identity {
  std::size_t index = 1;          // 1-based position in the fleet
  std::string name;               // inventory name: dev001
  std::string hostname;           // fra-pe-001
  model_info model;
  std::string serial;             // chassis serial in the model's format
  std::string release;            // Junos release, e.g. 22.4R2-S2.6
  bool end_of_support = false;    // release is past Juniper's End of Support
  std::vector<interface_info> interfaces;
  std::string router_id;          // 10.255.a.b, also lo0.0
  std::string management_address; // fxp0/em0 address
  std::uint32_t local_as = 65000;
  std::uint32_t config_scale = 1; // 1 small .. 100 huge configuration
  std::uint64_t seed = 0;         // per-device seed for the output generators
};

/// The platforms devsim simulates (MX204 ... ACX7100).
const std::vector<model_info>& known_models();

/// True for platforms that run Junos OS Evolved (PTX10001-36MR, ACX7100-48L): their
/// releases end in -EVO.
bool is_evolved(const model_info& model);

/// Junos releases past End of Support, one of which `--eos` gives a device.
const std::vector<std::string>& end_of_support_releases();

/// The inventory name of device `index` in a fleet of `count`: dev001 .. devN, zero-padded
/// to the width of N (at least 3 digits).
std::string device_name(std::size_t index, std::size_t count);

/// The identity of device `index` (1-based) in a fleet of `count` built from `seed`.
device_identity make_device_identity(std::size_t index, std::size_t count, std::uint64_t seed);

/// A chassis serial in `model`'s format, drawn from `seed` (also used for --unregistered).
std::string make_serial(const model_info& model, std::uint64_t seed);

/// Gives the device an End-of-Support release (deterministically from its seed).
void make_end_of_support(device_identity& device);

}  // namespace tether::devsim
