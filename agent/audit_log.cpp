#include "agent/audit_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "agent/audit_verify.hpp"
#include "agent/file_audit_sink.hpp"

namespace tether::agent {

audit_log::audit_log(std::unique_ptr<audit_sink> sink, audit_chain_tip tip, audit_clock clock)
    : sink_(std::move(sink)), tip_(std::move(tip)), clock_(std::move(clock)) {}

void audit_log::enable_checkpoints(audit_key key, std::uint64_t every,
                                   std::function<void(const audit_anchor&)> on_anchor) {
  key_ = std::move(key);
  every_ = every;
  on_anchor_ = std::move(on_anchor);
}

audit_append_result audit_log::write_records(std::vector<entry> entries) {
  if (failed_) return {false, 0, {}, "the audit log failed earlier and accepts nothing more"};
  std::vector<audit_record> records;
  std::string lines;
  audit_chain_tip tip = tip_;
  for (auto& [event, fields] : entries) {
    if (!fields.is_object()) fields = nlohmann::ordered_json{{"value", std::move(fields)}};
    for (auto name : required_fields(event))
      if (!fields.contains(name))  // a bug in the caller: refuse, but the log stays usable
        return {false, 0, {},
                std::string(event_code(event)) + " record lacks its \"" + std::string(name) +
                    "\" field"};
    audit_record& record = records.emplace_back();
    record.seq = tip.seq + 1;
    record.time = format_record_time(clock_());
    record.event = std::string(event_code(event));
    record.fields = std::move(fields);
    record.prev = tip.hash;
    record.hash = compute_record_hash(record);
    lines += canonical_line(record) + "\n";
    tip = {record.seq, record.hash};
  }
  if (records.empty()) return {true, tip_.seq, tip_.hash, {}};
  audit_write_status status = sink_->write(lines);
  if (!status.ok) {
    failed_ = true;
    return {false, 0, {}, status.error};
  }
  tip_ = tip;
  if (observer_)
    for (const auto& r : records) observer_(r);
  return {true, tip_.seq, tip_.hash, {}};
}

void audit_log::count_towards_checkpoint(std::size_t records) {
  since_checkpoint_ += records;
  if (key_ && every_ > 0 && since_checkpoint_ >= every_) checkpoint();
}

audit_append_result audit_log::append(audit_event event, nlohmann::ordered_json fields) {
  std::vector<entry> one;
  one.push_back({event, std::move(fields)});
  return append_group(std::move(one));
}

audit_append_result audit_log::append_group(std::vector<entry> entries) {
  const auto n = entries.size();
  audit_append_result result = write_records(std::move(entries));
  if (result.ok) count_towards_checkpoint(n);
  return result;
}

audit_append_result audit_log::checkpoint() {
  if (!key_) return {false, 0, {}, "checkpoints need the audit key"};
  audit_anchor anchor{tip_.seq, tip_.hash, key_->sign(checkpoint_message(tip_.seq, tip_.hash)),
                      key_->key_id()};
  std::vector<entry> record;
  record.push_back({audit_event::log_checkpoint, {{"signed_seq", anchor.seq},
                                                  {"signed_hash", anchor.hash},
                                                  {"key_id", anchor.key_id},
                                                  {"signature", anchor.signature}}});
  audit_append_result result = write_records(std::move(record));
  if (!result.ok) return result;
  since_checkpoint_ = 0;
  if (on_anchor_) on_anchor_(anchor);
  return result;
}

namespace {

std::string read_all(const std::filesystem::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = bool(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Moves the torn bytes to their own file and cuts the log back to its last complete line.
bool set_torn_tail_aside(const std::filesystem::path& path, const std::string& content,
                         const audit_verify_result& v, std::string& torn_file,
                         std::string& error) {
  torn_file = path.string() + ".torn-" + std::to_string(v.last_seq);
  int out = ::open(torn_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const std::string tail = content.substr(v.good_bytes);
  bool ok = out >= 0 && ::write(out, tail.data(), tail.size()) == ssize_t(tail.size()) &&
            ::fsync(out) == 0;
  if (out >= 0) ::close(out);
  int log = ok ? ::open(path.c_str(), O_WRONLY | O_CLOEXEC) : -1;
  ok = log >= 0 && ::ftruncate(log, off_t(v.good_bytes)) == 0 && ::fsync(log) == 0;
  if (log >= 0) ::close(log);
  if (!ok) error = path.string() + ": cannot set the torn last line aside into " + torn_file;
  return ok;
}

}  // namespace

audit_open_result open_audit_log(const std::filesystem::path& path, audit_clock clock) {
  audit_open_result out;
  auto sink = file_audit_sink::open(path, out.error);  // takes the writer's lock first
  if (!sink) return out;
  bool readable = true;
  const std::string content =
      std::filesystem::exists(path) ? read_all(path, readable) : std::string();
  if (!readable) {
    out.error = path.string() + ": cannot read";
    return out;
  }
  audit_verify_options options;
  options.allow_torn_tail = true;
  const audit_verify_result v = verify_audit_log(content, options);
  if (v.verdict != audit_verdict::ok) {
    out.error = path.string() + ":" + std::to_string(v.line) + ": " + v.reason +
                "; refusing to continue this log (move it aside and keep it as evidence)";
    return out;
  }
  std::string torn_file;
  if (v.torn_bytes > 0 && !set_torn_tail_aside(path, content, v, torn_file, out.error))
    return out;
  sink->refresh_size();
  out.log = std::make_unique<audit_log>(std::move(sink), audit_chain_tip{v.last_seq, v.last_hash},
                                        std::move(clock));
  if (v.torn_bytes > 0) {
    auto r = out.log->append(audit_event::log_recovered, {{"torn_bytes", v.torn_bytes},
                                                         {"torn_file", torn_file},
                                                         {"last_good_seq", v.last_seq}});
    if (!r.ok) {
      out.error = r.error;
      out.log.reset();
      return out;
    }
    out.recovered = std::to_string(v.torn_bytes) + " torn bytes after seq " +
                    std::to_string(v.last_seq) + " moved to " + torn_file;
  }
  return out;
}

}  // namespace tether::agent
