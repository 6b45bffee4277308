#include <catch2/catch.hpp>

#include "console/result_document.hpp"
#include "console/serve_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::console;

TEST_CASE("a result document is summarised with its commands, without their output", "[console][document]") {
  tether::testing::temp_dir dir;
  const std::string doc =
      R"({"format":"tether-result/1","request_id":1,"device":"dev001","collector":"facts","status":"ok",)"
      R"("commands":[{"command":"show version","status":"ok","bytes":5,"sha256":"x","redactions":2,)"
      R"("truncated":false,"output":"hello"},{"command":7,"status":"ok","bytes":-1}, 3],"parsed":{},"scope":{}})";
  const auto s = summarize_result(dir.write("r.data", doc));
  CHECK(s.error.empty());
  CHECK(s.is_document);
  CHECK(s.bytes == doc.size());
  CHECK(s.sha256 == sha256_hex(doc));
  REQUIRE(s.commands.size() == 3);
  CHECK(s.commands[0]["command"] == "show version");
  CHECK(s.commands[0]["redactions"] == 2);
  CHECK_FALSE(s.commands[0].contains("output"));
  CHECK_FALSE(s.commands[1].contains("command"));  // wrong types are left out
  CHECK_FALSE(s.commands[1].contains("bytes"));
  CHECK(s.commands[2].empty());
}

TEST_CASE("bytes that are not a result document are still summarised, with no commands", "[console][document]") {
  tether::testing::temp_dir dir;
  for (const std::string& bytes : {std::string("plain text\n"), std::string(R"({"format":"other"})"),
                                  std::string("[1,2]"), std::string("{\"format\":\"tether-result/1\""),
                                  std::string("\x00\xff\x1b[2J", 6)}) {
    const auto s = summarize_result(dir.write("r.data", bytes));
    CHECK(s.error.empty());
    CHECK_FALSE(s.is_document);
    CHECK(s.bytes == bytes.size());
    CHECK(s.sha256 == sha256_hex(bytes));
    CHECK(s.commands.empty());
  }
  CHECK_FALSE(summarize_result(dir.path / "missing").error.empty());
}

TEST_CASE("listen addresses are HOST:PORT with IPv6 in brackets", "[console][serve]") {
  CHECK(parse_listen("127.0.0.1:8443").host == "127.0.0.1");
  CHECK(parse_listen("127.0.0.1:8443").port == 8443);
  CHECK(parse_listen("[::1]:0").host == "::1");
  CHECK(parse_listen("[::1]:0").error.empty());
  CHECK_FALSE(parse_listen("nowhere").error.empty());
  CHECK_FALSE(parse_listen("1.2.3.4:70000").error.empty());
  CHECK_FALSE(parse_listen("1.2.3.4:").error.empty());
  CHECK_FALSE(parse_listen(":80").error.empty());
}

TEST_CASE("the serve config resolves paths from its folder and names bad keys by line", "[console][serve]") {
  tether::testing::temp_dir dir;
  const auto good = load_serve_config(dir.write("serve.yaml", "listen: 0.0.0.0:8443\ncert: c.crt\ndata_dir: /srv/d\n"));
  REQUIRE(good.errors.empty());
  CHECK(good.value.cert_file == (dir.path / "c.crt").string());
  CHECK(good.value.data_dir == "/srv/d");
  CHECK(missing_fields(good.value) == std::vector<std::string>{"--key", "--ca"});
  const auto bad = load_serve_config(dir.write("bad.yaml", "cert: c.crt\nkeepalive_seconds: 0\nnope: 1\n"));
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].line == 2);
  CHECK(bad.errors[1].line == 3);
}
