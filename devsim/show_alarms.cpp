#include <vector>

#include "devsim/command_outputs.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// One active alarm as `show chassis|system alarms` lists it.
struct alarm {
  long long time;
  std::string cls, description, type;
};

std::vector<alarm> chassis_alarms(const device_identity& d) {
  rng r = rng(d.seed).fork(31);
  std::vector<alarm> out;
  if (r.chance(25)) out.push_back({simulation_epoch - long(r.below(864000)), "Major", "PEM 1 Not OK", "Chassis"});
  if (r.chance(15)) out.push_back({simulation_epoch - long(r.below(864000)), "Minor", "Fan Tray 0 Fan 2 Speed Low", "Chassis"});
  if (d.model.re_count > 1 && r.chance(20))
    out.push_back({simulation_epoch - long(r.below(86400)), "Minor", "Backup RE Active", "Chassis"});
  return out;
}

std::vector<alarm> system_alarms(const device_identity& d) {
  rng r = rng(d.seed).fork(32);
  std::vector<alarm> out;
  if (r.chance(40)) out.push_back({simulation_epoch - long(r.below(8640000)), "Minor", "Rescue configuration is not set", "Configuration"});
  if (d.end_of_support || r.chance(10))
    out.push_back({simulation_epoch - long(r.below(864000)), "Minor", "License color=YELLOW; Routing protocols features usage requires a license", "License"});
  return out;
}

std::string render(const device_identity& d, const std::vector<alarm>& alarms, output_format f) {
  if (f == output_format::text) {
    if (alarms.empty()) return "No alarms currently active\n";
    std::string out = std::to_string(alarms.size()) + " alarms currently active\n";
    out += "Alarm time               Class  Description\n";
    for (const alarm& a : alarms) {
      std::string cls = a.cls;
      cls.resize(6, ' ');
      out += format_utc(a.time) + "  " + cls + " " + a.description + "\n";
    }
    return out;
  }
  xml_writer x;
  x.open("alarm-information", junos_namespace(d.release, "junos-alarm"));
  x.open("alarm-summary");
  if (alarms.empty())
    x.empty("no-active-alarms");
  else
    x.leaf("active-alarm-count", std::to_string(alarms.size()));
  x.close("alarm-summary");
  for (const alarm& a : alarms) {
    x.open("alarm-detail");
    x.leaf("alarm-time", format_utc(a.time), "junos:seconds=\"" + std::to_string(a.time) + "\"");
    x.leaf("alarm-class", a.cls);
    x.leaf("alarm-description", a.description);
    x.leaf("alarm-short-description", a.description.substr(0, 20));
    x.leaf("alarm-type", a.type);
    x.close("alarm-detail");
  }
  x.close("alarm-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace

std::string show_chassis_alarms(const device_identity& d, output_format f) {
  return render(d, chassis_alarms(d), f);
}

std::string show_system_alarms(const device_identity& d, output_format f) {
  return render(d, system_alarms(d), f);
}

}  // namespace tether::devsim
