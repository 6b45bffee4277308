#include "agent/result_document.hpp"

#include "agent/audit_event.hpp"

namespace tether::agent {

namespace {

using ojson = nlohmann::ordered_json;
using transport::end_status;
using collectors::collect_status;

}  // namespace

end_status end_status_of(const std::vector<collect_status>& outcomes) {
  for (auto s : outcomes) {
    switch (s) {
      case collect_status::ok:
      case collect_status::truncated: continue;  // the command ran; its output was capped
      case collect_status::timeout: return end_status::timeout;
      case collect_status::auth_failed: return end_status::auth_failed;
      case collect_status::hostkey_unknown:
      case collect_status::hostkey_changed: return end_status::host_key_changed;
      case collect_status::cancelled: return end_status::cancelled;
      case collect_status::unreachable:
      case collect_status::error: return end_status::device_error;
    }
  }
  return end_status::ok;
}

ojson command_summary(const result_command& c) {
  ojson j = ojson::object();
  j["command"] = c.command;
  j["status"] = c.status;
  j["bytes"] = c.output.size();
  j["sha256"] = sha256_hex(c.output);
  j["redactions"] = c.redactions;
  j["truncated"] = c.truncated;
  return j;
}

std::string result_document(const device_result& r) {
  ojson j = ojson::object();
  j["format"] = std::string(result_format);
  j["request_id"] = r.request_id;
  j["site"] = r.site;
  j["window"] = r.window;
  j["device"] = r.device;
  j["host"] = r.host;
  j["collector"] = r.collector;
  j["status"] = std::string(transport::to_string(r.status));
  j["started_at"] = r.started_at;
  j["ended_at"] = r.ended_at;
  j["truncated"] = r.truncated;
  j["commands"] = ojson::array();
  for (const auto& c : r.commands) {
    ojson command = command_summary(c);
    command["output"] = c.output;
    j["commands"].push_back(std::move(command));
  }
  if (r.parsed) j["parsed"] = *r.parsed;
  if (r.scope) j["scope"] = *r.scope;
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace) + "\n";
}

std::string utc_now() { return format_record_time(std::chrono::system_clock::now()); }

}  // namespace tether::agent
