#include <cstdio>
#include <vector>

#include "devsim/command_outputs.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// One line of the hardware inventory and the modules inside it.
struct module {
  std::string name, version, part, serial, description;
  std::vector<module> children;
};

class inventory_builder {
 public:
  explicit inventory_builder(const device_identity& d) : r_(rng(d.seed).fork(21)) {}

  module make(std::string name, std::string part, std::string description) {
    module m{std::move(name), "REV " + r_.text("0123456789", 2), std::move(part), serial(),
             std::move(description), {}};
    return m;
  }
  module builtin(std::string name, std::string description) {
    return {std::move(name), "", "BUILTIN", "BUILTIN", std::move(description), {}};
  }
  std::string serial() {  // one draw per statement: operand order is unspecified
    std::string s = r_.pick(std::vector<std::string>{"CA", "AB", "AC", "CAG", "BCA"});
    s += r_.text("ABCDEFGHJKLMNPRSTUVWXYZ", 2);
    s += r_.text("0123456789", 4);
    return s;
  }

 private:
  rng r_;
};

std::vector<module> modules_of(const device_identity& d) {
  inventory_builder b(d);
  std::vector<module> top;
  const std::string& f = d.model.family;
  if (f == "mx" && d.model.model != "mx204") {
    top.push_back(b.make("Midplane", "750-047862", "Enhanced " + d.model.chassis + " Midplane"));
    top.push_back(b.make("FPM Board", "760-021392", "Front Panel Display"));
    for (int i = 0; i < 2; ++i)
      top.push_back(b.make("PEM " + std::to_string(i), "740-029970", "PS 1.4-2.52kW; 90-264V AC in"));
  } else if (f != "ex") {
    top.push_back(b.builtin("Midplane", d.model.chassis + " Midplane"));
  }
  for (int i = 0; i < d.model.re_count; ++i) {
    const std::string re = f == "mx" && d.model.model != "mx204" ? "RE-S-X6-64G" : "RE-" + d.model.chassis;
    top.push_back(b.make("Routing Engine " + std::to_string(i), "750-067785", re));
  }
  if (f == "mx" && d.model.model != "mx204")
    for (int i = 0; i < 2; ++i)
      top.push_back(b.make("CB " + std::to_string(i), "750-062572", "Enhanced MX SCB 2"));
  // One FPC per distinct slot of the device's ports, with its PICs and optics.
  std::string last_fpc, last_pic;
  for (const interface_info& i : d.interfaces) {
    const auto dash = i.name.find('-');
    const auto s1 = i.name.find('/'), s2 = i.name.find('/', s1 + 1);
    const std::string fpc = i.name.substr(dash + 1, s1 - dash - 1);
    const std::string pic = i.name.substr(s1 + 1, s2 - s1 - 1);
    if (fpc != last_fpc) {
      module m = b.make("FPC " + fpc, f == "mx" ? "750-045372" : "650-059844",
                        f == "mx" ? "MPCE Type 3 3D" : d.model.chassis);
      m.children.push_back(b.builtin("CPU", "FPC CPU"));
      top.push_back(std::move(m));
      last_fpc = fpc;
      last_pic.clear();
    }
    if (pic != last_pic) {
      const char* kind = i.name[0] == 'e' ? "100GE" : i.name[0] == 'x' ? "10GE SFP+" : "1GE RJ45";
      top.back().children.push_back(b.builtin("PIC " + pic, std::string("Ports ") + kind));
      last_pic = pic;
    }
    if (i.name[0] != 'g' && !i.address.empty()) {
      const std::string port = i.name.substr(s2 + 1);
      const bool hundred = i.name[0] == 'e';
      top.back().children.back().children.push_back(
          b.make("Xcvr " + port, hundred ? "740-061405" : "740-021308",
                 hundred ? "QSFP-100GBASE-LR4" : "SFP+-10G-LR"));
    }
  }
  top.push_back(b.make("Fan Tray", "740-057995", "Fan Tray"));
  return top;
}

std::string row(const std::string& item, const std::string& version, const std::string& part,
                const std::string& serial, const std::string& description) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-16s %-8s %-12s %-17s %s", item.c_str(), version.c_str(),
                part.c_str(), serial.c_str(), description.c_str());
  std::string line(buf);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

void text_rows(const module& m, int depth, std::string& out) {
  out += row(std::string(std::size_t(depth) * 2, ' ') + m.name, m.version, m.part, m.serial,
             m.description);
  for (const module& c : m.children) text_rows(c, depth + 1, out);
}

void xml_module(const module& m, int depth, xml_writer& x) {
  static const char* tags[] = {"chassis-module", "chassis-sub-module", "chassis-sub-sub-module",
                               "chassis-sub-sub-sub-module"};
  const char* tag = tags[depth < 3 ? depth : 3];
  x.open(tag);
  x.leaf("name", m.name);
  if (!m.version.empty()) x.leaf("version", m.version);
  x.leaf("part-number", m.part);
  x.leaf("serial-number", m.serial);
  x.leaf("description", m.description);
  for (const module& c : m.children) xml_module(c, depth + 1, x);
  x.close(tag);
}

}  // namespace

std::string show_chassis_hardware(const device_identity& d, output_format f) {
  const std::vector<module> modules = modules_of(d);
  if (f == output_format::text) {
    std::string out = "Hardware inventory:\n";
    out += "Item             Version  Part number  Serial number     Description\n";
    out += row("Chassis", "", "", d.serial, d.model.chassis);
    for (const module& m : modules) text_rows(m, 0, out);
    return out;
  }
  xml_writer x;
  x.open("chassis-inventory", junos_namespace(d.release, "junos-chassis"));
  x.open("chassis", "junos:style=\"inventory\"");
  x.leaf("name", "Chassis");
  x.leaf("serial-number", d.serial);
  x.leaf("description", d.model.chassis);
  for (const module& m : modules) xml_module(m, 0, x);
  x.close("chassis");
  x.close("chassis-inventory");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
