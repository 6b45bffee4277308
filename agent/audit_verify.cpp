#include "agent/audit_verify.hpp"

#include <map>

#include "agent/audit_event.hpp"

namespace tether::agent {

namespace {

std::string seq_text(std::uint64_t seq) { return "seq " + std::to_string(seq); }

// Where verification stands while walking the lines.
struct walk {
  const audit_verify_options& options;
  audit_verify_result result;
  std::map<std::uint64_t, std::pair<std::string, std::size_t>> hashes;  // seq -> hash, line
  std::size_t last_good_checkpoint_line = 0;

  bool fail(std::size_t line, std::string reason) {
    result.verdict = audit_verdict::tampered;
    result.line = line;
    result.reason = std::move(reason);
    return false;
  }

  bool check_fields(std::size_t line, const audit_record& r) {
    auto event = parse_event_code(r.event);
    if (!event) return true;  // a newer agent's event: chained and hashed like any other
    for (auto name : required_fields(*event))
      if (!r.fields.contains(name))
        return fail(line, r.event + " record lacks its \"" + std::string(name) + "\" field");
    return true;
  }

  bool check_checkpoint(std::size_t line, const audit_record& r) {
    ++result.checkpoints;
    const auto& f = r.fields;
    if (!f["signed_seq"].is_number_unsigned() || !f["signed_hash"].is_string() ||
        !f["signature"].is_string() || !f["key_id"].is_string())
      return fail(line, "checkpoint fields have the wrong types");
    if (f["signed_seq"].get<std::uint64_t>() + 1 != r.seq ||
        f["signed_hash"].get<std::string>() != r.prev)
      return fail(line, "checkpoint does not sign the record before it");
    if (!options.key) return true;
    const std::string message = checkpoint_message(r.seq - 1, r.prev);
    if (f["key_id"].get<std::string>() != options.key->key_id() ||
        !options.key->verify(message, f["signature"].get<std::string>())) {
      std::string since = last_good_checkpoint_line
                              ? "line " + std::to_string(last_good_checkpoint_line)
                              : "the start";
      return fail(line, "checkpoint signature does not verify with the given key (the records "
                        "since " + since + " are not vouched for)");
    }
    ++result.signatures_checked;
    result.last_signed_seq = r.seq - 1;
    last_good_checkpoint_line = line;
    return true;
  }

  bool check_line(std::size_t number, std::string_view text) {
    auto parsed = parse_record_line(text);
    if (!parsed.record) return fail(number, "not a valid audit record: " + parsed.error);
    const audit_record& r = *parsed.record;
    const std::uint64_t expected = result.last_seq + 1;
    if (r.seq < expected)
      return fail(number, seq_text(r.seq) + " where " + seq_text(expected) +
                              " was expected: records reordered or duplicated");
    if (r.seq > expected)
      return fail(number, seq_text(r.seq) + " where " + seq_text(expected) +
                              " was expected: " + std::to_string(r.seq - expected) +
                              " record(s) missing before this line (removed or moved)");
    if (r.prev != result.last_hash)
      return fail(number, "prev does not match the hash of the record before it: a record "
                          "was removed, inserted or replaced");
    if (compute_record_hash(r) != r.hash)
      return fail(number, "hash does not match the record's content: the record was edited");
    if (!check_fields(number, r)) return false;
    if (r.event == event_code(audit_event::log_checkpoint) && !check_checkpoint(number, r))
      return false;
    ++result.records;
    result.last_seq = r.seq;
    result.last_hash = r.hash;
    hashes[r.seq] = {r.hash, number};
    return true;
  }

  void check_anchors(std::size_t lines) {
    for (const auto& anchor : options.anchors) {
      auto it = hashes.find(anchor.seq);
      if (it == hashes.end()) {
        fail(lines + 1, "truncated: the console holds an anchor for " + seq_text(anchor.seq) +
                            " but the log ends at " + seq_text(result.last_seq));
        return;
      }
      if (it->second.first != anchor.hash) {
        fail(it->second.second, "the record differs from the console's anchor for " +
                                    seq_text(anchor.seq) + ": the log was rewritten");
        return;
      }
      if (options.key && !options.key->verify(checkpoint_message(anchor.seq, anchor.hash),
                                              anchor.signature)) {
        fail(it->second.second, "the console's anchor for " + seq_text(anchor.seq) +
                                    " is not signed by the given key: wrong key file?");
        return;
      }
      ++result.anchors_checked;
    }
  }
};

}  // namespace

audit_verify_result verify_audit_log(std::string_view content,
                                     const audit_verify_options& options) {
  walk w{options, {}, {}, 0};
  w.result.last_hash = genesis_hash;
  std::size_t pos = 0, number = 0;
  while (pos < content.size()) {
    ++number;
    const std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) {
      if (options.allow_torn_tail) {
        w.result.torn_bytes = content.size() - pos;
        break;
      }
      w.fail(number, "the last line is incomplete (no newline): the log was cut mid-record");
      return w.result;
    }
    if (!w.check_line(number, content.substr(pos, end - pos))) return w.result;
    pos = end + 1;
    w.result.good_bytes = pos;
  }
  w.check_anchors(number - (w.result.torn_bytes ? 1 : 0));
  return w.result;
}

}  // namespace tether::agent
