#include "devsim/fleet.hpp"

#include "devsim/rng.hpp"

namespace tether::devsim {

simulated_device* fleet::find(const std::string& name) {
  for (auto& d : devices)
    if (d.identity.name == name) return &d;
  return nullptr;
}

fleet build_fleet(const fleet_options& options) {
  fleet f;
  if (options.count == 0 || options.count > 100000) {
    f.errors.push_back("--devices: expected 1 to 100000 devices");
    return f;
  }
  for (std::size_t i = 1; i <= options.count; ++i) {
    simulated_device d;
    d.identity = make_device_identity(i, options.count, options.seed);
    d.inventory_serial = d.identity.serial;
    f.devices.push_back(std::move(d));
  }
  for (const std::string& text : options.faults) {
    std::string why;
    auto nf = parse_fault(text, why);
    if (!nf) {
      f.errors.push_back("--fault: " + why);
      continue;
    }
    simulated_device* d = f.find(nf->device);
    if (!d)
      f.errors.push_back("--fault: no device named \"" + nf->device + "\" (names are " +
                         f.devices.front().identity.name + " to " + f.devices.back().identity.name + ")");
    else
      d->fault = nf->what;
  }
  for (const std::string& name : options.end_of_support) {
    if (simulated_device* d = f.find(name)) {
      make_end_of_support(d->identity);
      if (is_evolved(d->identity.model))
        f.warnings.push_back("--eos " + name + ": " + d->identity.model.chassis +
                             " runs Junos OS Evolved; End-of-Support tables for Junos OS do not "
                             "cover its release " + d->identity.release);
    } else
      f.errors.push_back("--eos: no device named \"" + name + "\"");
  }
  for (const std::string& name : options.unregistered) {
    simulated_device* d = f.find(name);
    if (!d) {
      f.errors.push_back("--unregistered: no device named \"" + name + "\"");
      continue;
    }
    // Another serial of the same model's format: a plausible but wrong registration.
    std::uint64_t salt = 1;
    do {
      d->inventory_serial = make_serial(d->identity.model, rng(d->identity.seed).fork(salt++).next());
    } while (d->inventory_serial == d->identity.serial);
  }
  return f;
}

}  // namespace tether::devsim
