// The tamper matrix: each way of altering a log is caught at the right line, with a reason.
#include <catch2/catch.hpp>

#include <sstream>

#include "agent/audit_log.hpp"
#include "agent/audit_verify.hpp"
#include "agent/memory_audit_sink.hpp"

using namespace tether::agent;
using Catch::Contains;

namespace {

std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1796288400));
}

// A genuine log of ten events with a checkpoint after every fourth, and its anchors.
struct genuine_log {
  audit_key key = audit_key::generate();
  std::vector<audit_anchor> anchors;
  std::vector<std::string> lines;  // without newlines

  genuine_log() {
    auto owned = std::make_unique<memory_audit_sink>();
    auto* sink = owned.get();
    audit_log log(std::move(owned), {}, fixed_time);
    log.enable_checkpoints(key, 4, [this](const audit_anchor& a) { anchors.push_back(a); });
    log.append(audit_event::agent_start, {{"version", "0.1.0"}, {"pid", 7}, {"config", "a.yaml"}});
    log.append(audit_event::window_opened, {{"window", "CHG-1"}, {"closes_at", "x"}});
    log.append(audit_event::tunnel_up, {{"console", "c"}, {"peer_fingerprint", "ab"}});
    for (int i = 0; i < 6; ++i)
      log.append(audit_event::request_denied, {{"request", i},
                                               {"engineer", "eve"},
                                               {"collector", "show-version"},
                                               {"devices", {"r1"}},
                                               {"reason", "out-of-window"}});
    log.append(audit_event::window_closed, {{"window", "CHG-1"}, {"reason", "end"}});
    for (auto& l : sink->lines) lines.push_back(l.substr(0, l.size() - 1));
  }
  static std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  audit_verify_result verify(const std::vector<std::string>& edited,
                             const audit_key* with = nullptr) const {
    audit_verify_options options;
    options.key = with ? with : &key;
    options.anchors = anchors;
    return verify_audit_log(join(edited), options);
  }
};

// Re-chains records from `from` (0-based) on, as an attacker who knows the format would.
void rechain(std::vector<std::string>& lines, std::size_t from) {
  std::string prev = from == 0 ? genesis_hash : parse_record_line(lines[from - 1]).record->hash;
  for (std::size_t i = from; i < lines.size(); ++i) {
    auto r = *parse_record_line(lines[i]).record;
    r.seq = i + 1;
    r.prev = prev;
    r.hash = compute_record_hash(r);
    lines[i] = canonical_line(r);
    prev = r.hash;
  }
}

}  // namespace

TEST_CASE("an untouched log verifies, signatures and anchors included", "[audit][verify]") {
  genuine_log g;
  REQUIRE(g.lines.size() == 12);  // 10 events + 2 checkpoints
  auto v = g.verify(g.lines);
  CHECK(v.verdict == audit_verdict::ok);
  CHECK(v.records == 12);
  CHECK(v.checkpoints == 2);
  CHECK(v.signatures_checked == 2);
  CHECK(v.anchors_checked == 2);
}

TEST_CASE("each kind of tampering is reported at the first bad line", "[audit][verify]") {
  genuine_log g;
  auto lines = g.lines;
  std::size_t line = 0;
  std::string why;

  SECTION("a field edited") {
    lines[5].replace(lines[5].find("\"eve\""), 5, "\"bob\"");
    line = 6;
    why = "the record was edited";
  }
  SECTION("a line deleted") {
    lines.erase(lines.begin() + 6);
    line = 7;
    why = "1 record(s) missing before this line";
  }
  SECTION("two lines swapped") {
    std::swap(lines[2], lines[3]);
    line = 3;
    why = "missing before this line (removed or moved)";
  }
  SECTION("a forged line inserted") {
    auto forged = *parse_record_line(lines[2]).record;
    forged.seq = 4;
    forged.prev = parse_record_line(lines[2]).record->hash;
    forged.fields["console"] = "evil";
    lines.insert(lines.begin() + 3, canonical_line(forged));  // hash not recomputed
    line = 4;
    why = "the record was edited";
  }
  SECTION("a line duplicated") {
    lines.insert(lines.begin() + 3, lines[2]);
    line = 4;
    why = "reordered or duplicated";
  }
  SECTION("whitespace changed in an otherwise equal record") {
    lines[1].insert(lines[1].find("\"time\""), " ");
    line = 2;
    why = "canonical form";
  }
  SECTION("truncated before the last anchor") {
    lines.resize(8);
    line = 9;
    why = "truncated: the console holds an anchor for seq 9";
  }
  SECTION("cut mid-record") {
    std::string text = genuine_log::join(lines);
    text.resize(text.size() - 20);
    auto v = verify_audit_log(text);
    CHECK(v.verdict == audit_verdict::tampered);
    CHECK(v.line == 12);
    CHECK_THAT(v.reason, Contains("incomplete"));
    return;
  }
  SECTION("edited, re-chained and re-signed with another key") {
    lines[5].replace(lines[5].find("\"eve\""), 5, "\"bob\"");
    rechain(lines, 5);
    auto attacker = audit_key::generate();
    for (std::size_t i = 5; i < lines.size(); ++i) {
      auto r = *parse_record_line(lines[i]).record;
      if (r.event != "log.checkpoint") continue;
      r.fields["signed_hash"] = r.prev;
      r.fields["key_id"] = g.key.key_id();  // claims to be the agent's key
      r.fields["signature"] = attacker.sign(checkpoint_message(r.seq - 1, r.prev));
      r.hash = compute_record_hash(r);
      lines[i] = canonical_line(r);
      rechain(lines, i + 1);
    }
    line = 10;  // the first checkpoint after the edit
    why = "signature does not verify";
  }
  SECTION("rewritten entirely under another key, caught by the console's anchor") {
    lines[1].replace(lines[1].find("CHG-1"), 5, "CHG-9");
    rechain(lines, 1);
    auto attacker = audit_key::generate();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto r = *parse_record_line(lines[i]).record;
      if (r.event != "log.checkpoint") continue;
      r.fields["signed_hash"] = r.prev;
      r.fields["key_id"] = attacker.key_id();
      r.fields["signature"] = attacker.sign(checkpoint_message(r.seq - 1, r.prev));
      r.hash = compute_record_hash(r);
      lines[i] = canonical_line(r);
      rechain(lines, i + 1);
    }
    audit_verify_options options;
    options.key = &attacker;  // even with the attacker's public key swapped in
    options.anchors = g.anchors;
    auto v = verify_audit_log(genuine_log::join(lines), options);
    CHECK(v.verdict == audit_verdict::tampered);
    CHECK(v.line == 4);  // the record the console's first anchor names
    CHECK_THAT(v.reason, Contains("differs from the console's anchor"));
    return;
  }
  auto v = g.verify(lines);
  CHECK(v.verdict == audit_verdict::tampered);
  CHECK(v.line == line);
  CHECK_THAT(v.reason, Contains(why));
}

TEST_CASE("without a key the chain is still checked but signatures are not", "[audit][verify]") {
  genuine_log g;
  auto v = verify_audit_log(genuine_log::join(g.lines));
  CHECK(v.verdict == audit_verdict::ok);
  CHECK(v.signatures_checked == 0);
  CHECK(v.checkpoints == 2);
}

TEST_CASE("a record missing a field its event requires is reported", "[audit][verify]") {
  genuine_log g;
  auto lines = g.lines;
  auto r = *parse_record_line(lines[1]).record;
  r.fields.erase("window");
  r.hash = compute_record_hash(r);
  lines[1] = canonical_line(r);
  rechain(lines, 2);
  auto v = verify_audit_log(genuine_log::join(lines));
  CHECK(v.verdict == audit_verdict::tampered);
  CHECK(v.line == 2);
  CHECK_THAT(v.reason, Contains("lacks its \"window\" field"));
}

TEST_CASE("an empty log verifies unless the console holds an anchor", "[audit][verify]") {
  CHECK(verify_audit_log("").verdict == audit_verdict::ok);
  audit_verify_options options;
  options.anchors.push_back({3, std::string(64, 'a'), "", ""});
  auto v = verify_audit_log("", options);
  CHECK(v.verdict == audit_verdict::tampered);
  CHECK(v.line == 1);
  CHECK_THAT(v.reason, Contains("truncated"));
}
