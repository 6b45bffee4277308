// Redaction throughput, single thread: how fast device output can pass the redactor.
// Generates a ~50 MB configuration (set form, bracketed form and XML, with a secret on
// about one line in twelve), then redacts it whole and in 64 KiB chunks.
#include <time.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#include "collectors/redactor.hpp"
#include "collectors/site_key.hpp"

namespace {

using tether::collectors::redactor;
using tether::collectors::site_key;

constexpr std::size_t target_bytes = 50u * 1000u * 1000u;
constexpr std::size_t chunk_bytes = 64 * 1024;

/// One block of configuration in the three forms, numbered so no two blocks are equal.
void append_block(std::string& out, std::size_t n) {
  std::string i = std::to_string(n);
  out += "set interfaces ge-0/0/" + i + " description \"access switch " + i + "\"\n";
  out += "set interfaces ge-0/0/" + i + " unit 0 family inet address 10.1." +
         std::to_string(n % 250) + ".1/30\n";
  out += "set policy-options community C" + i + " members 64512:" + i + "\n";
  out += "set system ntp server 10.0.0." + std::to_string(n % 250) + " key 5\n";
  out += "set protocols bgp group G" + i + " authentication-key \"$9$AbCdEfGh" + i + "IjKl\"\n";
  out += "set firewall family inet filter F term T" + i + " from protocol tcp\n";
  out += "interfaces {\n    xe-0/1/" + i + " {\n        mtu 9192;\n    }\n}\n";
  out += "snmp {\n    community ro-" + i + " {\n        authorization read-only;\n    }\n}\n";
  out += "            secret \"$9$QzF3n6" + i + "\"; ## SECRET-DATA\n";
  out += "<user>\n    <name>u" + i + "</name>\n    <encrypted-password>$6$salt" + i +
         "$hash</encrypted-password>\n</user>\n";
}

std::string generate() {
  std::string text;
  text.reserve(target_bytes + 4096);
  for (std::size_t n = 0; text.size() < target_bytes; ++n) append_block(text, n);
  return text;
}

site_key bench_key() {
  site_key::bytes bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  return site_key(bytes);
}

/// CPU time of this thread: on a shared, loaded machine it says more than the wall clock.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct timing {
  double wall = 0;
  double cpu = 0;
};

/// Redacts `text` in `chunk` sized pieces; returns the time taken and fills the counts.
timing timed_run(const std::string& text, std::size_t chunk, std::size_t& out_bytes,
                 std::size_t& redactions) {
  redactor r(bench_key());
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  auto start = std::chrono::steady_clock::now();
  double cpu_start = thread_cpu_seconds();
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    r.feed(std::string_view(text).substr(at, chunk), out);
  }
  r.finish(out);
  timing t;
  t.cpu = thread_cpu_seconds() - cpu_start;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out_bytes = out.size();
  redactions = r.redactions();
  return t;
}

}  // namespace

int main() {
  std::string text = generate();
  const double mb = static_cast<double>(text.size()) / 1e6;
  std::printf("redact_bench: %.1f MB generated configuration, single thread\n", mb);
  for (std::size_t chunk : {text.size(), chunk_bytes}) {
    timing best{1e9, 1e9};
    std::size_t out_bytes = 0;
    std::size_t redactions = 0;
    for (int round = 0; round < 5; ++round) {
      timing t = timed_run(text, chunk, out_bytes, redactions);
      if (t.wall < best.wall) best.wall = t.wall;
      if (t.cpu < best.cpu) best.cpu = t.cpu;
    }
    std::printf(
        "  %-14s %7.1f MB/s CPU time, %7.1f MB/s wall clock (best of 5: %.3f s CPU, "
        "%.3f s wall; %zu secrets redacted, %zu bytes out)\n",
        chunk == text.size() ? "whole input" : "64 KiB chunks", mb / best.cpu, mb / best.wall,
        best.cpu, best.wall, redactions, out_bytes);
  }
  return 0;
}
