#include "collectors/redactor.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using tether::collectors::redact_text;
using tether::collectors::redactor;
using tether::collectors::site_key;

namespace {

/// The key the golden files were made with: bytes 0x00..0x1f.
site_key test_key() {
  site_key::bytes bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  return site_key(bytes);
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(TETHER_SOURCE_DIR) + "/tests/fixtures/junos/config/" + name,
                   std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string redact(std::string_view text) { return redact_text(test_key(), text); }

/// Feeds `text` cut at the given positions and returns everything emitted.
std::string redact_in_chunks(std::string_view text, const std::vector<std::size_t>& cuts,
                             std::size_t max_line = redactor::default_max_line) {
  redactor r(test_key(), max_line);
  std::string out;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    r.feed(text.substr(from, cut - from), out);
    from = cut;
  }
  r.feed(text.substr(from), out);
  r.finish(out);
  return out;
}

/// Checks a fixture against its reviewed golden file and its list of secrets.
void check_fixture(const std::string& name, const std::string& secrets_file) {
  std::string input = read_fixture(name);
  std::string output = redact(input);
  std::string golden = read_fixture(name + ".redacted");
  auto out_lines = split_lines(output);
  auto golden_lines = split_lines(golden);
  REQUIRE(out_lines.size() == golden_lines.size());
  for (std::size_t i = 0; i < out_lines.size(); ++i) {
    INFO(name << " line " << i + 1);
    CHECK(out_lines[i] == golden_lines[i]);
  }
  CHECK(output == golden);
  for (const std::string& secret : split_lines(read_fixture(secrets_file))) {
    if (secret.empty()) continue;
    INFO("secret " << secret);
    CHECK(output.find(secret) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a set-form configuration is redacted exactly as its golden file", "[redactor]") {
  check_fixture("edge-ams-01.set", "edge-ams-01.secrets");
}

TEST_CASE("a bracketed configuration is redacted exactly as its golden file", "[redactor]") {
  check_fixture("edge-ams-01.conf", "edge-ams-01.secrets");
}

TEST_CASE("an XML configuration is redacted exactly as its golden file", "[redactor]") {
  check_fixture("edge-ams-02.xml", "edge-ams-02.secrets");
}

TEST_CASE("a JSON configuration is redacted exactly as its golden file", "[redactor][json]") {
  check_fixture("edge-ams-03.json", "edge-ams-03.secrets");
}

TEST_CASE("the same secret gives the same token in the set, bracketed and XML forms",
          "[redactor]") {
  site_key key = test_key();
  std::string set = redact(read_fixture("edge-ams-01.set"));
  std::string conf = redact(read_fixture("edge-ams-01.conf"));
  std::string xml = redact(read_fixture("edge-ams-02.xml"));
  for (const std::string& secret : split_lines(read_fixture("edge-ams-02.secrets"))) {
    if (secret.empty() || secret.find("-----") != std::string::npos) continue;
    INFO("secret " << secret);
    std::string token = key.token(secret);
    CHECK(xml.find(token) != std::string::npos);
    if (set.find(token) == std::string::npos) continue;  // the PEM lines differ between files
    CHECK(conf.find(token) != std::string::npos);
  }
}

TEST_CASE("every line without a secret leaves byte for byte", "[redactor]") {
  for (const char* name :
       {"edge-ams-01.set", "edge-ams-01.conf", "edge-ams-02.xml", "edge-ams-03.json"}) {
    std::string input = read_fixture(name);
    auto in_lines = split_lines(input);
    auto out_lines = split_lines(redact(input));
    REQUIRE(in_lines.size() == out_lines.size());
    for (std::size_t i = 0; i < in_lines.size(); ++i) {
      if (out_lines[i].find("<redacted:") != std::string::npos) continue;
      INFO(name << " line " << i + 1);
      CHECK(out_lines[i] == in_lines[i]);
    }
  }
}

TEST_CASE("output is the same however the input is cut into chunks", "[redactor][chunks]") {
  std::string input = read_fixture("edge-ams-01.set").substr(0, 3000) +
                      read_fixture("edge-ams-02.xml").substr(0, 2500) +
                      "set snmp community Tail-Secret\n-----BEGIN EC PRIVATE KEY-----\nQUJD\n"
                      "-----END EC PRIVATE KEY-----\nno newline at the end secret \"abc";
  std::string whole = redact(input);
  SECTION("one cut at every position") {
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
      INFO("cut at " << cut);
      REQUIRE(redact_in_chunks(input, {cut}) == whole);
    }
  }
  SECTION("one byte at a time") {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < input.size(); ++i) cuts.push_back(i);
    CHECK(redact_in_chunks(input, cuts) == whole);
  }
  SECTION("random cuts through whole configurations") {
    std::string big = read_fixture("edge-ams-01.conf") + read_fixture("edge-ams-02.xml");
    std::string big_whole = redact(big);
    std::mt19937 random(42);
    for (int round = 0; round < 50; ++round) {
      std::vector<std::size_t> cuts;
      std::size_t at = 0;
      while (true) {
        at += std::uniform_int_distribution<std::size_t>(1, 97)(random);
        if (at >= big.size()) break;
        cuts.push_back(at);
      }
      INFO("round " << round);
      REQUIRE(redact_in_chunks(big, cuts) == big_whole);
    }
  }
}

TEST_CASE("a quoted value keeps its quotes and only the value becomes the token", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("set system tacplus-server 10.0.0.1 secret \"$9$abcDEF\"\n") ==
        "set system tacplus-server 10.0.0.1 secret \"" + key.token("$9$abcDEF") + "\"\n");
  CHECK(redact("set system radius-server 10.0.0.2 secret plain-words\n") ==
        "set system radius-server 10.0.0.2 secret " + key.token("plain-words") + "\n");
}

TEST_CASE("crypt strings are redacted wherever they appear", "[redactor]") {
  site_key key = test_key();
  for (std::string secret :
       {"$1$salt$hash", "$5$rounds=5000$salt$hash", "$6$a.b/c$d", "$8$aes$x", "$9$Qz-F3n6.9"}) {
    INFO(secret);
    CHECK(redact("# comment " + secret + " end\n") == "# comment " + key.token(secret) + " end\n");
  }
  CHECK(redact("costs $5 or $6\n") == "costs $5 or $6\n");
}

TEST_CASE("non-secret look-alikes are left alone", "[redactor][look-alike]") {
  const char* lines[] = {
      "set policy-options community CUSTOMER members 64512:100\n",
      "set policy-options community password members 64512:300\n",
      "set policy-options policy-statement P term T from community [ A B ]\n",
      "set policy-options policy-statement P term T then community add TRANSIT\n",
      "set routing-options static route 10.0.0.0/8 community 64512:1\n",
      "set system ntp server 10.0.0.1 key 5\n",
      "set system ntp trusted-key 5\n",
      "set system ntp authentication-key 5 type md5\n",
      "set security authentication-key-chains key-chain BGP-KC key 0 start-time 2026-1-1.00:00\n",
      "set protocols bgp group IBGP authentication-key-chain BGP-KC\n",
      "set security ike proposal P authentication-method pre-shared-keys\n",
      "set security ipsec policy P perfect-forward-secrecy keys group14\n",
      "set forwarding-options hash-key family inet layer-3\n",
      "set system authentication-order [ password radius ]\n",
      "set system login password minimum-length 12\n",
      "set system login password format sha512\n",
      "set system services ssh no-passwords\n",
      "set system login user neteng authentication plain-text-password\n",
      "set system login user u authentication ssh-rsa \"ssh-rsa AAAAB3Nza u@h\"\n",
      "    community CUSTOMER members 64512:100;\n",
      "  Authentication key is configured, Active key ID: 1\n",
      "  State: <Active Int Ext>\n",
      "{master:0}\n",
      "                <community>CUSTOMER</community>\n",
      "                    <key>5</key>\n",
      "                <trusted-key>5</trusted-key>\n",
  };
  for (const char* line : lines) {
    INFO(line);
    CHECK(redact(line) == line);
  }
}

TEST_CASE("an SNMP community name is a secret in every form", "[redactor]") {
  site_key key = test_key();
  std::string t = key.token("s3cret-ro");
  CHECK(redact("set snmp community s3cret-ro authorization read-only\n") ==
        "set snmp community " + t + " authorization read-only\n");
  CHECK(redact("snmp {\n    community s3cret-ro {\n        authorization read-only;\n    }\n}\n") ==
        "snmp {\n    community " + t + " {\n        authorization read-only;\n    }\n}\n");
  CHECK(redact("<snmp>\n<community>\n<name>s3cret-ro</name>\n</community>\n</snmp>\n") ==
        "<snmp>\n<community>\n<name>" + t + "</name>\n</community>\n</snmp>\n");
  CHECK(redact("set groups G snmp trap-group s3cret-ro targets 10.0.0.1\n") ==
        "set groups G snmp trap-group " + t + " targets 10.0.0.1\n");
}

TEST_CASE("a line marked SECRET-DATA loses its value even with an unknown keyword", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("    brand-new-thing \"hidden\"; ## SECRET-DATA\n") ==
        "    brand-new-thing \"" + key.token("hidden") + "\"; ## SECRET-DATA\n");
  CHECK(redact("    future-knob 7 opaque-blob; ## SECRET-DATA\n") ==
        "    future-knob 7 " + key.token("opaque-blob") + "; ## SECRET-DATA\n");
}

TEST_CASE("unknown keywords that name a key, secret, password or psk are redacted", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("set services new-feature shared-psk \"abc\"\n") ==
        "set services new-feature shared-psk \"" + key.token("abc") + "\"\n");
  CHECK(redact("set services thing master-passphrase xyz\n") ==
        "set services thing master-passphrase " + key.token("xyz") + "\n");
  CHECK(redact("set services thing api-key [ k1 k2 ]\n") ==
        "set services thing api-key [ " + key.token("k1") + " " + key.token("k2") + " ]\n");
}

TEST_CASE("free text is redacted only where a keyword clearly introduces a value", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("Password: hunter2\n") == "Password: " + key.token("hunter2") + "\n");
  CHECK(redact("psk= abc\n") == "psk= " + key.token("abc") + "\n");
  CHECK(redact("The secret \"x y\" was set\n") ==
        "The secret \"" + key.token("x y") + "\" was set\n");
  CHECK(redact("the password was changed yesterday\n") == "the password was changed yesterday\n");
}

TEST_CASE("a URL keeps its user and host but loses its password", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("archive-sites \"ftp://user:pa55@10.0.0.9:21/cfg\";\n") ==
        "archive-sites \"ftp://user:" + key.token("pa55") + "@10.0.0.9:21/cfg\";\n");
  CHECK(redact("url http://pki.example.net/ca.crl;\n") == "url http://pki.example.net/ca.crl;\n");
}

TEST_CASE("every line of a PEM private key block is redacted, its markers kept", "[redactor]") {
  site_key key = test_key();
  std::string input =
      "before\n-----BEGIN OPENSSH PRIVATE KEY-----\n  AAAA\nBBBB\n-----END OPENSSH PRIVATE "
      "KEY-----\n"
      "-----BEGIN CERTIFICATE-----\nCCCC\n-----END CERTIFICATE-----\n";
  CHECK(redact(input) == "before\n-----BEGIN OPENSSH PRIVATE KEY-----\n  " + key.token("AAAA") +
                             "\n" + key.token("BBBB") +
                             "\n-----END OPENSSH PRIVATE KEY-----\n"
                             "-----BEGIN CERTIFICATE-----\nCCCC\n-----END CERTIFICATE-----\n");
}

TEST_CASE("an XML secret split over lines is redacted line by line", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("<secret>\n   abc\n</secret>\n<other>abc</other>\n") ==
        "<secret>\n   " + key.token("abc") + "\n</secret>\n<other>abc</other>\n");
  CHECK(redact("<pre-shared-key><ascii-text>k1</ascii-text></pre-shared-key>\n") ==
        "<pre-shared-key><ascii-text>" + key.token("k1") + "</ascii-text></pre-shared-key>\n");
}

TEST_CASE("a secret string that continues on the next lines is redacted to its closing quote",
          "[redactor]") {
  site_key key = test_key();
  CHECK(redact("set x private-key \"line1\nline2\" tail\nset y z\n") ==
        "set x private-key \"" + key.token("line1") + "\n" + key.token("line2") +
            "\" tail\nset y z\n");
}

TEST_CASE("a line longer than the cap leaves as a single token", "[redactor][cap]") {
  site_key key = test_key();
  std::string long_line(100, 'x');
  std::string input = "short\n" + long_line + "\nafter\n" + long_line;
  std::string expected = "short\n" + key.token(long_line) + "\nafter\n" + key.token(long_line);
  redactor r(test_key(), 64);
  std::string out = r.feed(input);
  out += r.finish();
  CHECK(out == expected);
  CHECK(r.redactions() == 2);
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    INFO("cut at " << cut);
    REQUIRE(redact_in_chunks(input, {cut}, 64) == expected);
  }
  std::string exactly(64, 'y');
  CHECK(redact_in_chunks(exactly + "\n", {10}, 64) == exactly + "\n");
}

TEST_CASE("line endings and a missing final newline are kept", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("secret \"a\";\r\nnext;\r\n") == "secret \"" + key.token("a") + "\";\r\nnext;\r\n");
  CHECK(redact("set x secret b") == "set x secret " + key.token("b"));
  CHECK(redact("") == "");
}

TEST_CASE("the redactor counts every secret it replaces", "[redactor]") {
  std::size_t count = 0;
  redact_text(test_key(), read_fixture("edge-ams-01.set"), &count);
  CHECK(count == 53);
  redact_text(test_key(), "nothing here\n", &count);
  CHECK(count == 0);
}

TEST_CASE("XML after a prefix on the same line is still read as XML", "[redactor]") {
  site_key key = test_key();
  CHECK(redact(
            "]]>]]><rpc-reply><configuration><secret>abc</secret></configuration></rpc-reply>\n") ==
        "]]>]]><rpc-reply><configuration><secret>" + key.token("abc") +
            "</secret></configuration></rpc-reply>\n");
  // An unclosed secret element takes the rest of its line (err toward redacting), but what
  // such a line opens does not reach the next lines.
  CHECK(redact("use <key> to continue\nplain text here\n") ==
        "use <key> " + key.token("to continue") + "\nplain text here\n");
  CHECK(redact("State: <Active Int Ext>\nset policy-options community x members 1:1\n") ==
        "State: <Active Int Ext>\nset policy-options community x members 1:1\n");
}

TEST_CASE("a keyword naming the value of a secret is a secret keyword", "[redactor]") {
  site_key key = test_key();
  CHECK(redact("set system root-authentication plain-text-password-value hunter2\n") ==
        "set system root-authentication plain-text-password-value " + key.token("hunter2") + "\n");
  CHECK(redact("set foo key-string \"abc\"\n") ==
        "set foo key-string \"" + key.token("abc") + "\"\n");
}

TEST_CASE("free text joining a secret keyword and its value in one word is redacted",
          "[redactor]") {
  site_key key = test_key();
  CHECK(redact("login password=hunter2 ok\n") ==
        "login password=" + key.token("hunter2") + " ok\n");
  CHECK(redact("Secret:abc\n") == "Secret:" + key.token("abc") + "\n");
  CHECK(redact("time=12:00 host=r1\n") == "time=12:00 host=r1\n");
}

TEST_CASE("JSON configuration values are redacted by their keys and enclosing keys",
          "[redactor][json]") {
  site_key key = test_key();
  std::string input =
      "{\n"
      "    \"configuration\" : {\n"
      "        \"snmp\" : {\n"
      "            \"community\" : [\n"
      "            {\n"
      "                \"name\" : \"s3cret-ro\",\n"
      "                \"authorization\" : \"read-only\"\n"
      "            }\n"
      "            ]\n"
      "        },\n"
      "        \"policy-options\" : {\n"
      "            \"community\" : [ { \"name\" : \"CUSTOMER\", \"members\" : [\"64512:1\"] } ]\n"
      "        },\n"
      "        \"system\" : {\n"
      "            \"radius-server\" : [ { \"name\" : \"10.0.0.1\", \"secret\" : \"plain\" } ],\n"
      "            \"ntp\" : {\n"
      "                \"authentication-key\" : [ { \"name\" : 5, \"type\" : \"md5\", \"value\" : "
      "\"v5\" } ],\n"
      "                \"server\" : [ { \"name\" : \"10.0.0.5\", \"key\" : 5 } ]\n"
      "            }\n"
      "        }\n"
      "    }\n"
      "}\n";
  std::string expected = input;
  auto replace = [&](const std::string& secret) {
    std::string quoted = "\"" + secret + "\"";
    expected.replace(expected.find(quoted), quoted.size(), "\"" + key.token(secret) + "\"");
  };
  replace("s3cret-ro");
  replace("plain");
  replace("v5");
  CHECK(redact(input) == expected);
  CHECK(redact("{\"configuration\":{\"snmp\":{\"community\":[{\"name\":\"pub\"}]}}}\n") ==
        "{\"configuration\":{\"snmp\":{\"community\":[{\"name\":\"" + key.token("pub") +
            "\"}]}}}\n");
}

TEST_CASE("a CLI prompt forgets configuration blocks an earlier output left open", "[redactor]") {
  std::string input =
      "snmp {\n    community x {\n"  // truncated output: two blocks never closed
      "user@r1> show bgp neighbor\n"
      "  Authentication key change: Disabled\n";
  std::string out = redact(input);
  CHECK(out.find("  Authentication key change: Disabled\n") != std::string::npos);
  CHECK(out.find("community x {") == std::string::npos);
}
