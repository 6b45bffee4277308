#include "devsim/device_identity.hpp"

#include <algorithm>

#include "devsim/rng.hpp"

namespace tether::devsim {

namespace {

// Releases still supported on the simulation date (2026-11): 23.4 and later trains.
const std::vector<std::string> supported_releases = {"23.4R2-S3.9", "24.2R1-S2.5", "24.2R2.18",
                                                     "24.4R1.9", "24.4R1-S2.8"};

const std::vector<std::string> cities = {"ams", "fra", "lon", "par", "mad", "mil",
                                         "waw", "sto", "nyc", "sin", "tok", "syd"};

std::string role_of(const std::string& family) {
  if (family == "mx") return "pe";
  if (family == "ex") return "acc";
  if (family == "qfx") return "leaf";
  if (family == "srx") return "fw";
  if (family == "ptx") return "p";
  return "agg";
}

// Port layout per platform: (prefix, fpc/pic, count).
struct port_block {
  const char* prefix;
  const char* slot;
  int first;
  int count;
};

std::vector<port_block> ports_of(const std::string& model) {
  if (model == "mx204") return {{"et-", "0/0/", 0, 4}, {"xe-", "0/1/", 0, 8}};
  if (model == "mx480") return {{"xe-", "1/0/", 0, 10}, {"xe-", "1/1/", 0, 10}, {"et-", "2/0/", 0, 2}};
  if (model == "mx960")
    return {{"xe-", "0/0/", 0, 10}, {"xe-", "0/1/", 0, 10}, {"et-", "3/0/", 0, 4}, {"et-", "4/0/", 0, 4}};
  if (model == "ex4300-48t") return {{"ge-", "0/0/", 0, 48}, {"xe-", "0/2/", 0, 4}};
  if (model == "qfx5120-48y") return {{"xe-", "0/0/", 0, 48}, {"et-", "0/0/", 48, 8}};
  if (model == "srx345") return {{"ge-", "0/0/", 0, 16}};
  if (model == "srx4600") return {{"xe-", "1/0/", 0, 8}, {"et-", "1/1/", 0, 4}};
  if (model == "ptx10001-36mr") return {{"et-", "0/0/", 0, 36}};
  return {{"et-", "0/0/", 0, 48}};
}

std::string digits(rng& r, std::size_t n) { return r.text("0123456789", n); }

std::string dotted(unsigned a, unsigned b, unsigned c, unsigned d) {
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
         std::to_string(d);
}

}  // namespace

const std::vector<model_info>& known_models() {
  static const std::vector<model_info> models = {
      {"mx204", "MX204", "mx", 1, "fxp0"},
      {"mx480", "MX480", "mx", 2, "fxp0"},
      {"mx960", "MX960", "mx", 2, "fxp0"},
      {"ex4300-48t", "EX4300-48T", "ex", 1, "em0"},
      {"qfx5120-48y", "QFX5120-48Y-8C", "qfx", 1, "em0"},
      {"srx345", "SRX345", "srx", 1, "fxp0"},
      {"srx4600", "SRX4600", "srx", 1, "fxp0"},
      {"ptx10001-36mr", "PTX10001-36MR", "ptx", 1, "re0:mgmt-0"},
      {"acx7100-48l", "ACX7100-48L", "acx", 1, "re0:mgmt-0"},
  };
  return models;
}

const std::vector<std::string>& end_of_support_releases() {
  static const std::vector<std::string> releases = {"12.3R12-S21", "15.1R7.9", "17.4R3.16",
                                                    "18.4R3-S11", "21.4R3-S5.4", "22.2R3-S2.8"};
  return releases;
}

bool is_evolved(const model_info& model) { return model.family == "ptx" || model.family == "acx"; }

std::string device_name(std::size_t index, std::size_t count) {
  std::size_t width = std::max<std::size_t>(3, std::to_string(count).size());
  std::string n = std::to_string(index);
  return "dev" + std::string(width > n.size() ? width - n.size() : 0, '0') + n;
}

std::string make_serial(const model_info& model, std::uint64_t seed) {
  rng r(seed);
  const std::string& f = model.family;
  const std::string year = std::to_string(r.between(15, 23));
  const std::string week = std::to_string(r.between(10, 52));
  if (f == "mx") return "JN1" + r.text("0123456789ABCDEF", 6) + "AFA";  // JN11D51FEAFA
  if (f == "ex") return "PE37" + year + digits(r, 6);                  // PE3714100759
  if (f == "qfx") return "WS37" + year + digits(r, 6);                 // WS3718350023
  if (f == "srx" && model.model == "srx345") return "CV" + year + week + "AF" + digits(r, 4);
  if (f == "srx") return "DK" + year + week + "AF" + digits(r, 4);
  if (f == "ptx") return "DE" + year + week + "AF" + digits(r, 4);
  return "EG" + year + week + "AK" + digits(r, 4);
}

void make_end_of_support(device_identity& device) {
  rng r = rng(device.seed).fork(7);
  device.release = r.pick(end_of_support_releases());
  if (is_evolved(device.model)) device.release = "21.2R3-S2.9-EVO";
  device.end_of_support = true;
}

device_identity make_device_identity(std::size_t index, std::size_t count, std::uint64_t seed) {
  rng base = rng(seed).fork(index);
  device_identity d;
  d.index = index;
  d.seed = base.next();
  d.name = device_name(index, count);
  rng r(d.seed);
  d.model = r.pick(known_models());
  std::string num = std::to_string(index);
  if (num.size() < 3) num = std::string(3 - num.size(), '0') + num;
  d.hostname = r.pick(cities) + "-" + role_of(d.model.family) + "-" + num;
  d.serial = make_serial(d.model, r.next());
  d.release = r.pick(supported_releases);
  if (is_evolved(d.model)) d.release += "-EVO";  // PTX10001 and ACX7100 run Junos OS Evolved
  d.local_as = 64512 + static_cast<std::uint32_t>(index % 1000);
  d.router_id = dotted(10, 255, unsigned(index / 256 % 256), unsigned(index % 256));
  d.management_address = dotted(172, 16 + unsigned(index / 65536 % 16),
                                unsigned(index / 256 % 256), unsigned(index % 256));
  // Most configurations are a few hundred lines; some are tens of thousands.
  const std::uint64_t roll = r.below(100);
  d.config_scale = roll < 60 ? 1 : roll < 85 ? std::uint32_t(r.between(4, 12))
                                             : std::uint32_t(r.between(40, 100));
  const char* roles[] = {"core", "peering", "customer", "backbone", "mgmt-lan", "transit"};
  for (const port_block& b : ports_of(d.model.model)) {
    for (int p = b.first; p < b.first + b.count; ++p) {
      interface_info i;
      i.name = std::string(b.prefix) + b.slot + std::to_string(p);
      if (r.chance(55)) {
        const unsigned n = unsigned(d.interfaces.size());
        i.address = dotted(10, unsigned(index % 250), n, 1) + "/30";
        // One draw per statement: the order operands are evaluated in is unspecified, and
        // the fleet must be the same whichever compiler built devsim.
        const std::string role = roles[r.below(6)];
        const std::string city = r.pick(cities);
        i.description = role + ": to " + city + "-" + std::to_string(r.between(1, 999));
        i.up = r.chance(90);
      } else {
        i.up = r.chance(20);
      }
      d.interfaces.push_back(std::move(i));
    }
  }
  return d;
}

}  // namespace tether::devsim
