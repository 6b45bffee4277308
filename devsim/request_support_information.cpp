#include <sstream>

#include "devsim/command_outputs.hpp"
#include "devsim/config_generator.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

// Junos's RSI leaves lines marked SECRET-DATA out of the configuration it includes.
std::string without_secrets(const std::string& config) {
  std::istringstream in(config);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("SECRET-DATA") == std::string::npos) out += line + "\n";
  return out;
}

}  // namespace

std::string request_support_information(const device_identity& d, output_format f) {
  const output_format text = output_format::text;
  const std::pair<const char*, std::string> sections[] = {
      {"show version detail | no-more", show_version(d, text)},
      {"show chassis hardware | no-more", show_chassis_hardware(d, text)},
      {"show chassis alarms | no-more", show_chassis_alarms(d, text)},
      {"show system alarms | no-more", show_system_alarms(d, text)},
      {"show system core-dumps | no-more", show_system_core_dumps(d, text)},
      {"show interfaces terse | no-more", show_interfaces_terse(d, text)},
      {"show bgp summary | no-more", show_bgp_summary(d, text)},
      {"show route summary | no-more", show_route_summary(d, text)},
      {"show configuration | except SECRET-DATA | no-more",
       without_secrets(render_configuration(d, build_configuration(d), {}, config_form::hierarchy))},
  };
  std::string out;
  for (const auto& [command, output] : sections) out += "\n" + std::string(command) + "\n" + output;
  if (f == text) return out;
  return rpc_reply(d.release, "    <output>\n" + xml_escape(out) + "    </output>\n",
                   d.model.re_count > 1);
}

}  // namespace tether::devsim
