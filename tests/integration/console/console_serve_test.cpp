#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>

#include "console/result_index.hpp"
#include "tests/integration/console/console_harness.hpp"

using namespace tether::console::test;
using nlohmann::json;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

std::string me() {
  const passwd* p = ::getpwuid(::getuid());
  return p ? p->pw_name : "uid-" + std::to_string(::getuid());
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

/// The lines of `text` that parse as JSON objects.
std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    auto j = json::parse(text.substr(at, nl - at), nullptr, false);
    if (j.is_object()) out.push_back(std::move(j));
    at = nl + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("serve keeps its data private and agents lists a connected site with window and round trip",
          "[console][serve]") {
  console_process c;
  CHECK(mode_of(c.data) == 0700);
  CHECK(mode_of(c.data + "/index.sqlite") == 0600);
  CHECK(mode_of(c.data + "/console.sock") == 0660);
  harness_agent agent(c.agent_settings());
  REQUIRE(c.wait_for_agent());
  const auto table = c.engineer({"agents"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("SITE") != std::string::npos);
  CHECK(table.out.find("RTT") != std::string::npos);
  CHECK(table.out.find("ams-1") != std::string::npos);
  CHECK(table.out.find("CHG-7") != std::string::npos);
  CHECK(table.out.find(" ms") != std::string::npos);
  const auto machine = json::parse(c.engineer({"agents", "--json"}).out);
  REQUIRE(machine.size() == 1);
  CHECK(machine[0]["site"] == "ams-1");
  CHECK(machine[0]["window"] == "CHG-7");
  CHECK(machine[0]["rtt_ms"].get<double>() >= 0.0);
  CHECK(machine[0]["fingerprint"].get<std::string>().size() == 64);
  CHECK(machine[0]["window_closes_at_ms"].get<std::int64_t>() > machine[0]["connected_since_ms"].get<std::int64_t>());
}

TEST_CASE("run --follow shows every device and a summary; results and show return the stored bytes and sha256",
          "[console][serve]") {
  console_process c;
  harness_agent agent(c.agent_settings());
  REQUIRE(c.wait_for_agent());
  const auto run = c.engineer({"run", "ams-1", "facts", "--devices", "dev001,dev002", "--param", "detail=brief", "--follow"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("dev001: started facts") != std::string::npos);
  CHECK(run.out.find("dev002: ok") != std::string::npos);
  CHECK(run.out.find("DEVICE") != std::string::npos);
  CHECK(run.out.find("2 ok, 0 failed, 0 denied") != std::string::npos);

  const auto listed = c.engineer({"results", "ams-1", "--json"});
  REQUIRE(listed.exit_code == 0);
  const auto answer = json::parse(listed.out);
  REQUIRE(answer["results"].size() == 2);
  REQUIRE(answer["requests"].size() == 1);
  const auto& request = answer["requests"][0];
  CHECK(request["engineer"] == me());
  const auto request_id = request["request_id"].get<std::uint64_t>();
  for (const auto& r : answer["results"]) {
    const auto device = r["device"].get<std::string>();
    const auto expected = result_document(request_id, device, "facts");
    CHECK(r["status"] == "ok");
    CHECK(r["window"] == "CHG-7");
    CHECK(r["bytes"] == expected.size());
    CHECK(r["sha256"] == tether::console::sha256_hex(expected));
    REQUIRE(r["commands"].size() == 1);
    CHECK(r["commands"][0]["command"] == "show version");
    CHECK_FALSE(r["commands"][0].contains("output"));  // the index keeps no output
    const auto id = std::to_string(r["id"].get<std::int64_t>());
    const auto raw = c.engineer({"show", id, "--raw"});
    REQUIRE(raw.exit_code == 0);
    CHECK(raw.out == expected);
    CHECK(tether::console::sha256_hex(raw.out) == r["sha256"]);
    const auto shown = c.engineer({"show", id});
    REQUIRE(shown.exit_code == 0);
    CHECK(shown.out.find("(verified)") != std::string::npos);
    CHECK(shown.out.find("== show version (ok") != std::string::npos);
    CHECK(shown.out.find("Hostname: " + device) != std::string::npos);
  }
  const auto table = c.engineer({"results", "ams-1", "--request", std::to_string(request_id)});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("dev001") != std::string::npos);
  CHECK(table.out.find("facts") != std::string::npos);
  CHECK(c.engineer({"show", "999"}).exit_code == 2);
}

TEST_CASE("run --follow --json streams event lines and ends with a summary; without devices every device runs",
          "[console][serve]") {
  console_process c;
  harness_agent agent(c.agent_settings());
  REQUIRE(c.wait_for_agent());
  const auto run = c.engineer({"run", "ams-1", "facts", "--follow", "--json", "--settle-ms", "1000"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  const auto lines = json_lines(run.out);
  REQUIRE(lines.size() >= 2);
  CHECK(lines.front()["ok"] == true);
  const auto& summary = lines.back()["summary"];
  CHECK(summary["ok"] == 3);
  CHECK(summary["failed"] == 0);
  int ended = 0, bytes = 0;
  for (const auto& l : lines) {
    if (l.value("event", "") == "ended") ++ended;
    if (l.value("event", "") == "bytes") ++bytes;
  }
  CHECK(ended == 3);
  CHECK(bytes >= 3);  // each document is several chunks
}

TEST_CASE("a request naming a device outside the inventory is denied and the reason reaches the engineer",
          "[console][serve]") {
  console_process c;
  harness_agent agent(c.agent_settings());
  REQUIRE(c.wait_for_agent());
  const auto run = c.engineer({"run", "ams-1", "facts", "--devices", "dev001,dev999", "--follow"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("denied: device-not-in-inventory: dev999 is not in the inventory") != std::string::npos);
  CHECK(run.out.find("0 ok, 0 failed, 2 denied") != std::string::npos);
  const auto listed = c.engineer({"results", "ams-1"});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("denied: device-not-in-inventory") != std::string::npos);
  const auto machine = json::parse(c.engineer({"results", "ams-1", "--json"}).out);
  CHECK(machine["requests"][0]["denied_reason"] == "device-not-in-inventory");
}

TEST_CASE("cancel stops a running request: the follower sees its devices end cancelled", "[console][serve]") {
  console_process c;
  harness_agent agent(c.agent_settings());
  REQUIRE(c.wait_for_agent());
  tether::testing::child_process follow({console_bin, "run", "ams-1", "slow", "--devices", "dev001,dev002",
                                         "--follow", "--data-dir", c.data});
  REQUIRE(follow.wait_for("dev002: started slow"));
  const auto out = follow.output();
  const auto at = out.find("request ");
  REQUIRE(at != std::string::npos);
  const auto request_id = out.substr(at + 8, out.find(':', at) - at - 8);
  const auto cancel = c.engineer({"cancel", "ams-1", request_id});
  INFO(cancel.out << cancel.err);
  REQUIRE(cancel.exit_code == 0);
  REQUIRE(follow.wait_for("0 ok, 2 failed, 0 denied"));
  CHECK(follow.output().find("dev001: cancelled") != std::string::npos);
  const auto machine = json::parse(c.engineer({"results", "ams-1", "--request", request_id, "--json"}).out);
  REQUIRE(machine["results"].size() == 2);
  CHECK(machine["results"][0]["status"] == "cancelled");
  CHECK(machine["results"][0]["bytes"] == 15);
  CHECK(c.engineer({"cancel", "par-2", request_id}).exit_code == 2);
}

TEST_CASE("engineer commands explain what is wrong: no agent, no console, bad arguments", "[console][serve]") {
  console_process c;
  const auto run = c.engineer({"run", "ams-1", "facts"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("no agent connected for site ams-1") != std::string::npos);
  const auto bad = c.engineer({"run", "ams-1", "facts", "--param", "novalue"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("NAME=VALUE") != std::string::npos);
  const auto nowhere = console({"agents", "--socket", c.dir.path.string() + "/missing.sock"});
  CHECK(nowhere.exit_code == 2);
  CHECK(nowhere.err.find("cannot reach the console") != std::string::npos);
  const auto site = c.engineer({"results", "../etc"});
  CHECK(site.exit_code == 2);
  CHECK(site.err.find("site: expected an identifier") != std::string::npos);
}

TEST_CASE("notes add keeps a hand-off note with its author, and notes lists them", "[console][serve]") {
  console_process c;
  CHECK(c.engineer({"notes", "ams-1"}).out.find("no notes for ams-1") != std::string::npos);
  REQUIRE(c.engineer({"notes", "ams-1", "add", "BGP", "flap", "on", "dev002", "is", "expected"}).exit_code == 0);
  REQUIRE(c.engineer({"notes", "ams-1", "add", "handing over to bob"}).exit_code == 0);
  const auto table = c.engineer({"notes", "ams-1"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("BGP flap on dev002 is expected") != std::string::npos);
  CHECK(table.out.find(me()) != std::string::npos);
  const auto machine = json::parse(c.engineer({"notes", "ams-1", "--json"}).out);
  REQUIRE(machine.size() == 2);
  CHECK(machine[1]["text"] == "handing over to bob");
  CHECK(machine[1]["author"] == me());
  CHECK(json::parse(c.engineer({"notes", "par-2", "--json"}).out).empty());
  CHECK(c.engineer({"notes", "ams-1", "remove", "x"}).exit_code == 2);
}

TEST_CASE("serve with a bad config names file and line; missing settings are named as flags", "[console][serve]") {
  tether::testing::temp_dir dir;
  const auto config = dir.write("serve.yaml", "cert: a.crt\nlisten: nowhere\ncolour: blue\n");
  const auto bad = console({"serve", "--config", config});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("serve.yaml:2:") != std::string::npos);
  CHECK(bad.err.find("listen") != std::string::npos);
  CHECK(bad.err.find("serve.yaml:3:") != std::string::npos);
  const auto syntax = console({"serve", "--config", dir.write("broken.yaml", "cert: [a\n")});
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.err.find("broken.yaml:") != std::string::npos);
  const auto missing = console({"serve", "--listen", "127.0.0.1:0"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("--cert --key --ca --data-dir") != std::string::npos);
  const auto unreadable = console({"serve", "--listen", "127.0.0.1:0", "--cert", "no.crt", "--key", "no.key",
                                   "--ca", "no.crt", "--data-dir", (dir.path / "d").string()});
  CHECK(unreadable.exit_code == 1);
  CHECK(unreadable.err.find("no.crt") != std::string::npos);
}

TEST_CASE("an agent's audit checkpoint is kept as an anchor in the index", "[console][serve]") {
  console_process c;
  harness_agent agent(c.agent_settings());
  REQUIRE(c.wait_for_agent());
  tether::transport::audit_checkpoint cp;
  cp.audit_sequence = 17;
  cp.at_ms = 1795515515000;
  cp.chain_head.fill(0xab);
  cp.ed25519.fill(0xcd);
  agent.checkpoint(cp);
  REQUIRE(c.serve->wait_for("audit checkpoint 17 anchored"));
  auto index = tether::console::result_index::open(c.data + "/index.sqlite");
  REQUIRE(index.value);
  const auto anchors = index.value->anchors("ams-1");
  REQUIRE(anchors.rows.size() == 1);
  CHECK(anchors.rows[0].audit_sequence == 17);
  std::string head;
  for (int i = 0; i < 32; ++i) head += "ab";
  CHECK(anchors.rows[0].chain_head == head);
  CHECK(anchors.rows[0].signature.size() == 128);
  CHECK(anchors.rows[0].at_ms == 1795515515000);
}

TEST_CASE("SIGTERM stops serve cleanly and removes its socket", "[console][serve]") {
  console_process c;
  c.serve->stop(SIGTERM);
  CHECK(WIFEXITED(c.serve->exit_status()));
  CHECK(WEXITSTATUS(c.serve->exit_status()) == 0);
  CHECK_FALSE(std::filesystem::exists(c.data + "/console.sock"));
}

TEST_CASE("the real serve refuses and logs: no client certificate, TLS 1.2, another CA, a wrong pin",
          "[console][serve][refusal]") {
  console_process c;
  asio::io_context io;
  auto attempt = [&](ssl::context& ctx) {
    ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
    boost::system::error_code ec;
    stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), c.port}, ec);
    REQUIRE_FALSE(ec);
    stream.handshake(ssl::stream_base::client, ec);
    char byte = 0;  // in TLS 1.3 the verdict on our certificate arrives with the first read
    if (!ec) asio::read(stream, asio::buffer(&byte, 1), ec);
    CHECK(ec);
  };
  {
    ssl::context none(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(none.native_handle(), TLS1_3_VERSION);
    none.set_verify_mode(ssl::verify_none);
    attempt(none);
    CHECK(c.serve->wait_for("peer did not return a certificate"));
  }
  {
    ssl::context old(ssl::context::tls_client);
    SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_2_VERSION);
    old.use_certificate_chain_file(c.ca + "/site-ams-1.crt");
    old.use_private_key_file(c.ca + "/site-ams-1.key", ssl::context::pem);
    old.set_verify_mode(ssl::verify_none);
    attempt(old);
    CHECK(c.serve->wait_for("unsupported protocol"));
  }
  {
    const auto other = (c.dir.path / "other-ca").string();
    REQUIRE(console({"ca", "init", "--dir", other}).exit_code == 0);
    REQUIRE(console({"ca", "issue", "--dir", other, "--site", "ams-1"}).exit_code == 0);
    auto settings = c.agent_settings();
    settings.tls.identity.certificate = other + "/site-ams-1.crt";
    settings.tls.identity.private_key = other + "/site-ams-1.key";
    harness_agent rogue(settings);
    REQUIRE(rogue.wait_ended());
    CHECK(rogue.end() == tether::transport::tunnel_end::permanent);
    CHECK(c.serve->wait_for("unable to get local issuer certificate"));
  }
  {
    auto settings = c.agent_settings();
    settings.tls.spki_pin = tether::transport::digest{};  // not the console's key
    harness_agent pinned(settings);
    REQUIRE(pinned.wait_ended());
    CHECK(pinned.end() == tether::transport::tunnel_end::permanent);
    CHECK(pinned.error().find("certificate verify failed") != std::string::npos);
  }
  // Every attempt above is one logged refusal and none became a session.
  const auto log = c.serve->output();
  std::size_t refusals = 0;
  for (auto at = log.find("refused: TLS handshake"); at != std::string::npos; at = log.find("refused: TLS handshake", at + 1))
    ++refusals;
  INFO(log);
  CHECK(refusals >= 4);
  CHECK(log.find("session up") == std::string::npos);
}
