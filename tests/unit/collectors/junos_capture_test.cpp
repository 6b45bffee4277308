#include <catch2/catch.hpp>

#include <algorithm>

#include "collectors/parsers/junos_capture.hpp"

using namespace tether::collectors;

TEST_CASE("a capture splits into text runs and XML documents in order", "[parsers][capture]") {
  const auto segments = split_capture(
      "user@r1> show version | display xml\n"
      "<rpc-reply xmlns:junos=\"x\"><software-information><host-name>r1</host-name>"
      "</software-information></rpc-reply>\n]]>]]>\n"
      "user@r1> show version\nHostname: r1\n");
  REQUIRE(segments.size() == 3);
  CHECK_FALSE(segments[0].xml);
  REQUIRE(segments[1].xml);
  CHECK(std::string(segments[1].xml->child("rpc-reply").child("software-information").child_value("host-name")) == "r1");
  CHECK_FALSE(segments[2].xml);
  CHECK(segments[2].lines.back() == "Hostname: r1");
}

TEST_CASE("prompts, state lines and command echoes are CLI chrome", "[parsers][capture]") {
  CHECK(is_cli_chrome("user@r1> show version"));
  CHECK(is_cli_chrome("admin@fw:LSYS1> "));
  CHECK(is_cli_chrome("{master:0}"));
  CHECK(is_cli_chrome("{primary:node0}"));
  CHECK(is_cli_chrome("show chassis hardware"));
  CHECK_FALSE(is_cli_chrome("Hostname: r1"));
  CHECK_FALSE(is_cli_chrome("ge-0/0/0.0              up    up   inet     10.0.1.1/24"));
  CHECK_FALSE(is_cli_chrome("user@example.com sent a message"));
}

TEST_CASE("member headers, prompts and logical-system lines give each line its context", "[parsers][capture]") {
  const std::vector<std::string_view> lines{
      "admin@fw:LS1> show ospf neighbor", "a", "node1:", "-----------------------------------", "b",
      "admin@fw> show bgp summary logical-system all", "logical-system: LS2", "c"};
  const auto context = context_lines(lines);
  std::vector<context_line> output;
  for (const auto& cl : context) {
    if (!cl.boundary) output.push_back(cl);
  }
  REQUIRE(output.size() == 3);
  CHECK(output[0].line == "a");
  CHECK(output[0].logical_system == "LS1");
  CHECK_FALSE(output[0].member);
  CHECK(output[1].member == "node1");
  CHECK(output[2].logical_system == "LS2");
  CHECK_FALSE(output[2].member);
}

TEST_CASE("a member header needs the line of dashes under it", "[parsers][capture]") {
  const std::vector<std::string_view> with{"re0:", "------------------", "Hostname: a"};
  const std::vector<std::string_view> without{"Description:", "Hostname: a"};
  CHECK(member_header(with, 0) == std::optional<std::string_view>("re0"));
  CHECK_FALSE(member_header(without, 0));
}

TEST_CASE("text an RPC reply carries in <output> is read as CLI text", "[parsers][capture]") {
  std::vector<std::string> seen;
  visit_capture(
      "<rpc-reply><output>\n1 alarms currently active\n</output></rpc-reply>\n",
      [&](const auto& lines) {
        for (const auto line : lines) seen.emplace_back(trim(line));
      },
      [](const pugi::xml_document&) {});
  CHECK(std::find(seen.begin(), seen.end(), "1 alarms currently active") != seen.end());
}

TEST_CASE("counts are plain non-negative decimals", "[parsers][capture]") {
  CHECK(to_count("0") == 0);
  CHECK(to_count("1615") == 1615);
  CHECK_FALSE(to_count(""));
  CHECK_FALSE(to_count("-1"));
  CHECK_FALSE(to_count("12a"));
  CHECK_FALSE(to_count("99999999999999999999999"));
}

TEST_CASE("CRLF and doubled CR line ends are not part of the line", "[parsers][capture]") {
  const auto segments = split_capture("Hostname: r1\r\r\nModel: mx204\r\n");
  REQUIRE(segments.size() == 1);
  REQUIRE(segments[0].lines.size() == 2);
  CHECK(segments[0].lines[0] == "Hostname: r1");
  CHECK(segments[0].lines[1] == "Model: mx204");
}
