// Benchmark: parsing `show chassis hardware | display xml` of a fully populated MX960
// (2 REs, 3 SCBs, 12 FPCs each with CPU, 2 MICs, 2 PICs and 10 optics per PIC, PEMs,
// fans) with the facts parser. Prints the median and spread over many runs.
// Usage: parse_bench [runs]   (default 500)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "collectors/parsers/facts_parser.hpp"

namespace {

void item(std::string& out, const char* tag, const std::string& name, const std::string& version,
          const std::string& part, const std::string& serial, const std::string& description,
          int depth, bool close = true) {
  const std::string pad(static_cast<std::size_t>(depth) * 4, ' ');
  out += pad + "<" + tag + ">\n";
  out += pad + "    <name>" + name + "</name>\n";
  if (!version.empty()) out += pad + "    <version>" + version + "</version>\n";
  out += pad + "    <part-number>" + part + "</part-number>\n";
  out += pad + "    <serial-number>" + serial + "</serial-number>\n";
  out += pad + "    <description>" + description + "</description>\n";
  if (close) out += pad + "</" + tag + ">\n";
}

/// A fully populated MX960 inventory as the device prints it with `| display xml`.
std::string mx960_inventory() {
  std::string out =
      "<rpc-reply xmlns:junos=\"http://xml.juniper.net/junos/21.4R3/junos\">\n"
      "  <chassis-inventory xmlns=\"http://xml.juniper.net/junos/21.4R3/junos-chassis\">\n"
      "    <chassis junos:style=\"inventory\">\n"
      "        <name>Chassis</name>\n        <serial-number>JN11E4B2CAFA</serial-number>\n"
      "        <description>MX960</description>\n";
  item(out, "chassis-module", "Midplane", "REV 03", "750-047853", "ACRB9088", "Enhanced MX960 Backplane", 2);
  item(out, "chassis-module", "FPM Board", "REV 03", "710-014974", "ABBB2161", "Front Panel Display", 2);
  for (int i = 0; i < 4; ++i) {
    item(out, "chassis-module", "PEM " + std::to_string(i), "Rev 04", "740-029344", "QCS1740V0" + std::to_string(i),
         "DC 4.1kW Power Entry Module", 2);
  }
  for (int i = 0; i < 2; ++i) {
    item(out, "chassis-module", "Routing Engine " + std::to_string(i), "REV 02", "740-051822",
         "90130" + std::to_string(88300 + i), "RE-S-1800x4", 2);
  }
  for (int i = 0; i < 3; ++i) {
    item(out, "chassis-module", "CB " + std::to_string(i), "REV 10", "750-062572", "CAGP70" + std::to_string(10 + i),
         "Enhanced MX SCB 2", 2);
  }
  for (int fpc = 0; fpc < 12; ++fpc) {
    const auto f = std::to_string(fpc);
    item(out, "chassis-module", "FPC " + f, "REV 42", "750-053323", "CAGF30" + f, "MPC7E 3D MRATE-12xQSFPP-XGE-XLGE-CGE", 2, false);
    item(out, "chassis-sub-module", "CPU", "REV 21", "750-057177", "CAGE98" + f, "SMPC PMB", 3);
    for (int mic = 0; mic < 2; ++mic) {
      const auto m = std::to_string(mic);
      item(out, "chassis-sub-module", "MIC " + m, "REV 19", "750-049457", "ABDJ23" + f + m, "2X100GE CFP2 OTN", 3, false);
      for (int pic = 0; pic < 2; ++pic) {
        const auto p = std::to_string(mic * 2 + pic);
        item(out, "chassis-sub-sub-module", "PIC " + p, "", "BUILTIN", "BUILTIN", "6xQSFPP", 4, false);
        for (int x = 0; x < 10; ++x) {
          item(out, "chassis-sub-sub-sub-module", "Xcvr " + std::to_string(x), "REV 01", "740-032986",
               "QB4" + f + p + std::to_string(x) + "XQ", "QSFP+-40G-SR4", 5);
        }
        out += "                </chassis-sub-sub-module>\n";
      }
      out += "            </chassis-sub-module>\n";
    }
    out += "        </chassis-module>\n";
  }
  for (int i = 0; i < 2; ++i) {
    item(out, "chassis-module", "Fan Tray " + std::to_string(i), "REV 06", "740-031521", "ACDC56" + std::to_string(31 + i),
         "Enhanced Fan Tray", 2);
  }
  out += "    </chassis>\n  </chassis-inventory>\n</rpc-reply>\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 500;
  const auto capture = mx960_inventory();
  std::size_t modules = 0;
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto facts = tether::collectors::parse_facts(capture);
    const auto stop = std::chrono::steady_clock::now();
    modules = facts.modules.size();
    if (!facts.serial) {
      std::fprintf(stderr, "parse_bench: the generated inventory did not parse\n");
      return 1;
    }
    micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
  }
  std::sort(micros.begin(), micros.end());
  const auto at = [&](double q) { return micros[static_cast<std::size_t>(q * (micros.size() - 1))]; };
  std::printf("parse_facts: MX960 show chassis hardware | display xml, %zu bytes, %zu top-level modules\n",
              capture.size(), modules);
  std::printf("runs %d  median %.1f us  p95 %.1f us  min %.1f us  max %.1f us  (budget 5000 us)\n", runs,
              at(0.5), at(0.95), micros.front(), micros.back());
  return at(0.5) < 5000.0 ? 0 : 1;
}
