#include "agent/audit_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "agent/audit_verify.hpp"
#include "agent/rfc5424_format.hpp"
#include "common/text_table.hpp"
#include "config/agent_config.hpp"
#include "config/time_spec.hpp"

namespace tether::agent {

namespace {

struct audit_options {
  std::string config;
  std::string log;
  std::string key;
  std::string anchors;
  std::string since;
  std::string window;
  std::string format = "jsonl";
  std::string hostname;
};

// Fills in --log (and --key for verify) from the agent configuration's state_dir, where the
// daemon keeps audit.log and audit.key.pub; false (and a message) when neither is given.
bool resolve_paths(audit_options& o, bool with_key) {
  if (!o.log.empty()) return true;
  if (o.config.empty()) {
    std::cerr << "give --log FILE, or --config FILE to use the agent's audit log\n";
    return false;
  }
  try {
    const auto config = config::load_agent_config(o.config);
    const std::filesystem::path state = config.paths.state_dir;
    o.log = (state / "audit.log").string();
    if (with_key && o.key.empty() && std::filesystem::exists(state / "audit.key.pub"))
      o.key = (state / "audit.key.pub").string();
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return false;
  }
  return true;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// The log's records in order; stops with `error` at the first line that is not a record.
struct record_list {
  std::vector<audit_record> records;
  std::string error;
};

record_list read_records(const std::string& text, const std::string& path) {
  record_list out;
  std::size_t pos = 0;
  for (std::size_t number = 1; pos < text.size(); ++number) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    auto parsed = parse_record_line(std::string_view(text).substr(pos, end - pos));
    if (!parsed.record) {
      out.error = path + ":" + std::to_string(number) + ": " + parsed.error +
                  " (run `tetherctl audit verify`)";
      return out;
    }
    out.records.push_back(std::move(*parsed.record));
    pos = end + 1;
  }
  return out;
}

int run_verify(audit_options o) {
  if (!resolve_paths(o, true)) return 2;
  std::string text;
  if (!read_file(o.log, text)) {
    std::cerr << o.log << ": cannot read\n";
    return 2;
  }
  audit_verify_options options;
  std::optional<audit_key> key;
  try {
    if (!o.key.empty()) key = audit_key::load_public(o.key);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (key) options.key = &*key;
  if (!o.anchors.empty()) {
    auto anchors = read_anchors(o.anchors);
    if (!anchors.error.empty()) {
      std::cerr << anchors.error << "\n";
      return 2;
    }
    options.anchors = std::move(anchors.anchors);
  }
  const audit_verify_result v = verify_audit_log(text, options);
  if (v.verdict != audit_verdict::ok) {
    std::cout << "TAMPERED " << o.log << ":" << v.line << ": " << v.reason << "\n";
    return 1;
  }
  std::cout << "ok " << o.log << ": " << v.records << " records, chain intact up to seq "
            << v.last_seq << " (" << v.last_hash.substr(0, 16) << "...); " << v.checkpoints
            << " checkpoints, " << v.signatures_checked << " signatures verified, "
            << v.anchors_checked << " anchors matched\n";
  if (!key)
    std::cout << "note: checkpoint signatures were not checked (give --key audit.key.pub)\n";
  else if (v.last_signed_seq < v.last_seq)
    std::cout << "note: records after seq " << v.last_signed_seq
              << " are chained but not yet covered by a signed checkpoint\n";
  if (o.anchors.empty())
    std::cout << "note: truncation after the last record cannot be ruled out without the "
                 "console's anchors (give --anchors)\n";
  return 0;
}

std::string details(const audit_record& r) {
  std::string out;
  for (auto it = r.fields.begin(); it != r.fields.end(); ++it) {
    if (!out.empty()) out += " ";
    out += it.key() + "=" +
           (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return out;
}

// Whether `r` belongs to window `id`: it names the window, or happened while it was open.
struct window_filter {
  std::string id;
  bool open = false;
  bool keep(const audit_record& r) {
    const bool names = r.fields.contains("window") && r.fields["window"] == id;
    if (names && r.event == "window.opened") open = true;
    const bool inside = names || open;
    if (names && r.event == "window.closed") open = false;
    return inside;
  }
};

int run_show(audit_options o) {
  if (!resolve_paths(o, false)) return 2;
  std::string text;
  if (!read_file(o.log, text)) {
    std::cerr << o.log << ": cannot read\n";
    return 2;
  }
  std::string since;
  if (!o.since.empty()) {
    std::string why;
    auto t = config::parse_time(o.since, why);
    if (!t || t->is_local()) {
      std::cerr << "--since: " << (t ? "give a UTC time with Z or an offset" : why) << "\n";
      return 2;
    }
    since = config::format_utc(t->absolute());
    since = since.substr(0, since.size() - 1) + ".000Z";
  }
  auto list = read_records(text, o.log);
  window_filter filter{o.window};
  common::text_table out({"SEQ", "TIME (UTC)", "EVENT", "DETAILS"});
  for (const auto& r : list.records) {
    const bool in_window = o.window.empty() || filter.keep(r);
    if (!in_window || (!since.empty() && r.time < since)) continue;
    out.add({std::to_string(r.seq), r.time, r.event, details(r)});
  }
  std::cout << out.str();
  if (!list.error.empty()) {
    std::cerr << list.error << "\n";
    return 2;
  }
  return 0;
}

int run_export(audit_options o) {
  if (!resolve_paths(o, false)) return 2;
  std::string text;
  if (!read_file(o.log, text)) {
    std::cerr << o.log << ": cannot read\n";
    return 2;
  }
  auto list = read_records(text, o.log);
  if (!list.error.empty()) {
    std::cerr << list.error << "\n";
    return 2;
  }
  const std::string host = o.hostname.empty() ? local_hostname() : o.hostname;
  for (const auto& r : list.records)
    std::cout << (o.format == "jsonl" ? canonical_line(r) : format_rfc5424(r, host)) << "\n";
  return 0;
}

CLI::App* with_log(CLI::App* command, audit_options& o) {
  command->add_option("--log", o.log, "The audit log file");
  command->add_option("--config", o.config,
                      "Agent configuration: use <paths.state_dir>/audit.log (and, for verify, "
                      "audit.key.pub there)");
  return command;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "Read, verify and export the audit log, offline");
  audit->require_subcommand(1);
  auto o = std::make_shared<audit_options>();

  CLI::App* verify = with_log(
      audit->add_subcommand("verify", "Check the hash chain, signatures and anchors "
                                      "(exit 0 intact, 1 tampered, 2 unreadable)"),
      *o);
  verify->add_option("--key", o->key, "The agent's audit public key (audit.key.pub)");
  verify->add_option("--anchors", o->anchors, "The console's anchors file (JSON lines)");
  verify->callback([o, &exit_code] { exit_code = run_verify(*o); });

  CLI::App* show = with_log(audit->add_subcommand("show", "Print records as a table"), *o);
  show->add_option("--since", o->since, "Only records at or after this UTC time");
  show->add_option("--window", o->window, "Only records of this change window");
  show->callback([o, &exit_code] { exit_code = run_show(*o); });

  CLI::App* exp = with_log(
      audit->add_subcommand("export", "Print records as JSON lines or RFC 5424 syslog lines"),
      *o);
  exp->add_option("--format", o->format, "jsonl or rfc5424")
      ->check(CLI::IsMember({"jsonl", "rfc5424"}));
  exp->add_option("--hostname", o->hostname, "HOSTNAME for RFC 5424 (default: this host)");
  exp->callback([o, &exit_code] { exit_code = run_export(*o); });
}

}  // namespace tether::agent
