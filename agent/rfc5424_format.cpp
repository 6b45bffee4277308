#include "agent/rfc5424_format.hpp"

#include <unistd.h>

namespace tether::agent {

namespace {

// A header field: printable US-ASCII without spaces, at most `max` long, `-` when empty.
std::string header_field(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text)
    if (c > 32 && c < 127 && out.size() < max) out.push_back(c);
  return out.empty() ? "-" : out;
}

// An SD-NAME: 1..32 printable US-ASCII other than `=`, space, `]` and `"`.
std::string sd_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() == 32) break;
    out.push_back(c > 32 && c < 127 && c != '=' && c != ']' && c != '"' ? c : '_');
  }
  return out.empty() ? "_" : out;
}

std::string param(std::string_view name, std::string_view value) {
  return " " + sd_name(name) + "=\"" + escape_sd_value(value) + "\"";
}

std::string value_text(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string escape_sd_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '"' || c == '\\' || c == ']') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string format_rfc5424(const audit_record& record, std::string_view hostname,
                           std::string_view procid) {
  auto event = parse_event_code(record.event);
  const int severity = event && is_warning(*event) ? 4 : 5;
  std::string out = "<" + std::to_string(13 * 8 + severity) + ">1 " +
                    header_field(record.time, 64) + " " + header_field(hostname, 255) +
                    " tether " + header_field(procid, 128) + " " +
                    header_field(record.event, 32) + " ";
  out += "[" + std::string(rfc5424_sd_id) + param("seq", std::to_string(record.seq)) +
         param("prev", record.prev) + param("hash", record.hash) + "]";
  if (!record.fields.empty()) {
    out += "[fields@32473";
    for (auto it = record.fields.begin(); it != record.fields.end(); ++it)
      out += param(it.key(), value_text(it.value()));
    out += "]";
  }
  return out + " " + canonical_line(record);
}

std::string octet_counted(std::string_view message) {
  return std::to_string(message.size()) + " " + std::string(message);
}

std::string local_hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "-";
  return header_field(name, 255);
}

}  // namespace tether::agent
