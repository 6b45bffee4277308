// The fuzz seed logs were written by an independent Python implementation of the chain
// (json.dumps with compact separators, sha256(prev bytes + body)): the verifier agrees.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "agent/audit_verify.hpp"

using namespace tether::agent;

namespace {

std::string seed(const std::string& name) {
  std::ifstream in(std::string(TETHER_SOURCE_DIR) + "/tests/fuzz/corpus/audit_verify_fuzz/" + name,
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a chain computed outside tether verifies, and its altered copies do not",
          "[audit][verify]") {
  auto intact = verify_audit_log(seed("intact.jsonl"));
  CHECK(intact.verdict == audit_verdict::ok);
  CHECK(intact.records == 3);
  auto edited = verify_audit_log(seed("edited.jsonl"));
  CHECK(edited.verdict == audit_verdict::tampered);
  CHECK(edited.line == 3);
  auto torn = verify_audit_log(seed("torn.jsonl"));
  CHECK(torn.verdict == audit_verdict::tampered);
  CHECK(torn.line == 4);
}
