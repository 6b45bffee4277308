#include "devsim/command_outputs.hpp"
#include "devsim/xml_writer.hpp"

#include <utility>
#include <vector>

namespace tether::devsim {

namespace {

using package = std::pair<std::string, std::string>;  // name, comment

// The package list `show version` prints: FreeBSD-based releases list OS and Junos parts.
std::vector<package> packages_of(const device_identity& d) {
  const std::string& r = d.release;
  if (is_evolved(d.model))
    return {{"junos-evo", "JUNOS-EVO OS 64-bit [junos-evo-install-" + d.model.family +
                              "-fixed-x86-64-" + r + "]"}};
  if (r.rfind("12.", 0) == 0)
    return {{"jbase", "JUNOS Base OS boot [" + r + "]"},
            {"jkernel", "JUNOS Kernel Software Suite [" + r + "]"},
            {"jpfe", "JUNOS Packet Forwarding Engine Support (M/T/EX Common) [" + r + "]"},
            {"jroute", "JUNOS Routing Software Suite [" + r + "]"},
            {"jcrypto", "JUNOS Crypto Software Suite [" + r + "]"}};
  const std::string build = "[20230913.c3f4a1b_builder_stable_12_" +
                            r.substr(0, r.find('R')).erase(2, 1) + "]";
  std::vector<package> p = {{"os-kernel", "JUNOS OS Kernel 64-bit  " + build},
                            {"os-libs", "JUNOS OS libs " + build},
                            {"os-runtime", "JUNOS OS runtime " + build},
                            {"zoneinfo", "JUNOS OS time zone information " + build},
                            {"os-libs-compat32", "JUNOS OS libs compat32 " + build},
                            {"os-compat32", "JUNOS OS 32-bit compatibility " + build},
                            {"py-extensions", "JUNOS py extensions [" + r + "]"},
                            {"py-base", "JUNOS py base [" + r + "]"},
                            {"os-crypto", "JUNOS OS crypto " + build},
                            {"netstack", "JUNOS network stack and utilities [" + r + "]"},
                            {"junos-libs", "JUNOS libs [" + r + "]"},
                            {"junos-runtime", "JUNOS runtime [" + r + "]"}};
  const std::string& f = d.model.family;
  if (f == "mx")
    p.push_back({"mx-common", "JUNOS Packet Forwarding Engine Support (MX Common) [" + r + "]"});
  else if (f == "ex" || f == "qfx")
    p.push_back({"jdocs-" + f, "JUNOS Online Documentation [" + r + "]"});
  else if (f == "srx")
    p.push_back({"srx-runtime", "JUNOS SRX Runtime Software Suite [" + r + "]"});
  else
    p.push_back({"evo-pfe", "JUNOS Packet Forwarding Engine Support [" + r + "]"});
  p.push_back({"junos-routing", "JUNOS Routing Software Suite [" + r + "]"});
  p.push_back({"junos-openconfig", "JUNOS Openconfig [" + r + "]"});
  return p;
}

}  // namespace

std::string show_version(const device_identity& d, output_format f) {
  const bool old = d.release.rfind("12.", 0) == 0;
  const auto packages = packages_of(d);
  if (f == output_format::text) {
    std::string out = "Hostname: " + d.hostname + "\nModel: " + d.model.model + "\n";
    if (!old) out += "Junos: " + d.release + "\n";
    if (is_evolved(d.model)) out += "Yocto: 3.0.2\nLinux Kernel: 5.2.60-yocto-standard-g3a3ba4e84\n";
    for (const auto& [name, comment] : packages) out += comment + "\n";
    return out;
  }
  xml_writer x;
  x.open("software-information");
  x.leaf("host-name", d.hostname);
  x.leaf("product-model", d.model.model);
  x.leaf("product-name", d.model.model);
  if (!old) x.leaf("junos-version", d.release);
  for (const auto& [name, comment] : packages) {
    x.open("package-information");
    x.leaf("name", name);
    x.leaf("comment", comment);
    x.close("package-information");
  }
  x.close("software-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
