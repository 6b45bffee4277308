#include <cstdio>

#include "devsim/command_outputs.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// One row group of `show interfaces terse`.
struct terse_row {
  std::string name, admin, link, proto, local, remote;
};

std::vector<terse_row> rows_of(const device_identity& d) {
  std::vector<terse_row> rows;
  for (const interface_info& i : d.interfaces) {
    const char* link = i.up ? "up" : "down";
    rows.push_back({i.name, "up", link, "", "", ""});
    if (!i.address.empty()) rows.push_back({i.name + ".0", "up", link, "inet", i.address, ""});
  }
  rows.push_back({d.model.management, "up", "up", "", "", ""});
  rows.push_back({d.model.management + ".0", "up", "up", "inet", d.management_address + "/24", ""});
  rows.push_back({"lo0", "up", "up", "", "", ""});
  rows.push_back({"lo0.0", "up", "up", "inet", d.router_id, "--> 0/0"});
  rows.push_back({"lo0.16384", "up", "up", "inet", "127.0.0.1", "--> 0/0"});
  rows.push_back({"lo0.16385", "up", "up", "inet", "", ""});
  return rows;
}

}  // namespace

std::string show_interfaces_terse(const device_identity& d, output_format f) {
  const auto rows = rows_of(d);
  if (f == output_format::text) {
    std::string out = "Interface               Admin Link Proto    Local                 Remote\n";
    for (const terse_row& r : rows) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%-23s %-5s %-4s %-8s %-21s %s", r.name.c_str(),
                    r.admin.c_str(), r.link.c_str(), r.proto.c_str(), r.local.c_str(),
                    r.remote.c_str());
      std::string line(buf);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }
  xml_writer x;
  x.open("interface-information", junos_namespace(d.release, "junos-interface") +
                                      " junos:style=\"terse\"");
  bool in_physical = false;
  for (const terse_row& r : rows) {
    const bool logical = r.name.find('.') != std::string::npos;
    if (!logical) {
      if (in_physical) x.close("physical-interface");
      x.open("physical-interface");
      in_physical = true;
    } else {
      x.open("logical-interface");
    }
    x.leaf("name", r.name);
    x.leaf("admin-status", r.admin);
    x.leaf("oper-status", r.link);
    if (logical) {
      x.open("filter-information");
      x.close("filter-information");
      if (!r.proto.empty()) {
        x.open("address-family");
        x.leaf("address-family-name", r.proto);
        if (!r.local.empty()) {
          x.open("interface-address");
          x.leaf("ifa-local", r.local, "junos:emit=\"emit\"");
          if (!r.remote.empty()) x.leaf("ifa-destination", "0/0", "junos:emit=\"emit\"");
          x.close("interface-address");
        }
        x.close("address-family");
      }
      x.close("logical-interface");
    }
  }
  if (in_physical) x.close("physical-interface");
  x.close("interface-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
