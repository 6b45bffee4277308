#include <cstdio>
#include <ctime>
#include <vector>

#include "devsim/command_outputs.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// One core file left on the device.
struct core_file {
  std::string path;
  std::uint64_t size;
  long long time;
};

std::vector<core_file> cores_of(const device_identity& d) {
  rng r = rng(d.seed).fork(81);
  std::vector<core_file> out;
  const std::uint64_t n = r.chance(70) ? 0 : r.between(1, 4);
  for (std::uint64_t i = 0; i < n; ++i) {
    const long long t = simulation_epoch - long(r.below(180 * 86400));
    const std::string proc = r.pick(std::vector<std::string>{"rpd", "chassisd", "mib2d", "dcpfe", "riot.mpc0"});
    out.push_back({"/var/crash/core." + proc + "." + std::to_string(t) + "." +
                       std::to_string(r.between(1000, 9999)) + ".gz",
                   r.between(100000, 90000000), t});
  }
  return out;
}

std::string ls_date(long long seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %e  %Y", &tm);
  return buf;
}

const char* missing[] = {"/var/tmp/*core*", "/var/tmp/pics/*core*", "/var/crash/kernel.*",
                         "/var/jails/rest-api/tmp/*core*", "/tftpboot/corefiles/*core*"};

}  // namespace

std::string show_system_core_dumps(const device_identity& d, output_format f) {
  const auto cores = cores_of(d);
  if (f == output_format::text) {
    std::string out;
    for (const core_file& c : cores) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "-rw-r--r--  1 root  wheel  %9lu %s %s\n",
                    (unsigned long)c.size, ls_date(c.time).c_str(), c.path.c_str());
      out += buf;
    }
    if (cores.empty()) out += "/var/crash/*core*: No such file or directory\n";
    for (const char* m : missing) out += std::string(m) + ": No such file or directory\n";
    out += "total files: " + std::to_string(cores.size()) + "\n";
    return out;
  }
  xml_writer x;
  x.open("directory-list", junos_namespace(d.release, "junos-file-list") +
                               " junos:root-directory=\"/\"");
  x.open("directory");
  for (const core_file& c : cores) {
    x.open("file-information");
    x.leaf("file-name", c.path);
    x.leaf("file-permissions", "420", "junos:format=\"-rw-r--r--\"");
    x.leaf("file-links", "1");
    x.leaf("file-owner", "root");
    x.leaf("file-group", "wheel");
    x.leaf("file-size", std::to_string(c.size));
    x.leaf("file-date", std::to_string(c.time), "junos:format=\"" + ls_date(c.time) + "\"");
    x.close("file-information");
  }
  x.leaf("total-files", std::to_string(cores.size()));
  x.close("directory");
  x.close("directory-list");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
