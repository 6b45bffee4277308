#include "collectors/parsers/junos_capture.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace tether::collectors {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

/// The root element's name of the XML that starts at `text[from]`, skipping
/// declarations and comments; empty when there is none.
std::string_view root_name(std::string_view text, std::size_t from) {
  std::size_t pos = from;
  while (pos < text.size()) {
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    if (text.compare(pos, 2, "<?") == 0 || text.compare(pos, 4, "<!--") == 0) {
      const auto close = text.find('>', pos);
      if (close == std::string_view::npos) return {};
      pos = close + 1;
      continue;
    }
    if (pos + 1 >= text.size() || text[pos] != '<' || !is_name_start(text[pos + 1])) return {};
    std::size_t end = pos + 1;
    while (end < text.size() && !is_blank(text[end]) && text[end] != '>' && text[end] != '/') {
      ++end;
    }
    return text.substr(pos + 1, end - pos - 1);
  }
  return {};
}

/// Roots of the XML documents a capture holds: the reply wrapper and the replies the
/// parsers read when a tool saved them without it. Another `<word ...>` line in text is
/// taken as a one-line document, so a stray angle bracket never swallows output.
bool is_known_root(std::string_view name) {
  static constexpr std::array<std::string_view, 12> roots{
      "rpc-reply", "multi-routing-engine-results", "software-information", "chassis-inventory",
      "interface-information", "alarm-information", "bgp-information", "ospf-neighbor-information",
      "ospf3-neighbor-information", "isis-adjacency-information", "route-summary-information",
      "directory-list"};
  return std::find(roots.begin(), roots.end(), name) != roots.end();
}

/// Where the next `</name` is at or after an offset. Remembers the last answer per name so
/// that many unclosed documents cost one scan of the text, not one each.
class close_tag_finder {
 public:
  explicit close_tag_finder(std::string_view text) : text_(text) {}

  std::size_t find(std::string_view name, std::size_t from) {
    auto& known = found_[std::string(name)];
    if (known.valid && known.searched_from <= from && (known.at == npos || known.at >= from)) {
      return known.at;
    }
    known = {true, from, text_.find("</" + std::string(name), from)};
    return known.at;
  }

 private:
  static constexpr std::size_t npos = std::string_view::npos;
  struct answer {
    bool valid = false;
    std::size_t searched_from = 0;
    std::size_t at = npos;
  };
  std::string_view text_;
  std::map<std::string, answer> found_;
};

/// Offset just past the XML that starts at `from`: after its root's closing tag; for a
/// reply cut short, at the NETCONF terminator or the next prompt, else at the end.
std::size_t xml_end(std::string_view text, std::size_t from, close_tag_finder& closes) {
  const auto name = root_name(text, from);
  auto first_eol = text.find('\n', from);
  if (first_eol == std::string_view::npos) first_eol = text.size();
  if (name.empty() || !is_known_root(name)) return first_eol;
  const auto at = closes.find(name, from);
  if (at != std::string_view::npos) {
    const auto gt = text.find('>', at);
    return gt == std::string_view::npos ? text.size() : gt + 1;
  }
  std::size_t pos = from;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const auto line = text.substr(pos, eol - pos);
    if (pos > from && (line.find("]]>]]>") != std::string_view::npos || is_cli_chrome(line))) {
      return pos;
    }
    pos = eol + 1;
  }
  return text.size();
}

bool starts_xml(std::string_view trimmed) {
  return trimmed.size() > 1 && trimmed[0] == '<' && (is_name_start(trimmed[1]) || trimmed[1] == '?');
}

}  // namespace

void visit_capture(std::string_view text,
                   const std::function<void(const std::vector<std::string_view>&)>& on_text,
                   const std::function<void(const pugi::xml_document&)>& on_xml) {
  for (const auto& segment : split_capture(text)) {
    if (!segment.xml) {
      on_text(segment.lines);
      continue;
    }
    on_xml(*segment.xml);
    for (const auto& output : descendants_named(*segment.xml, "output")) {
      const std::string inner = output.child_value();
      for (const auto& inner_segment : split_capture(inner)) {
        if (!inner_segment.xml) on_text(inner_segment.lines);
      }
    }
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<std::string> non_empty(std::string_view text) {
  const auto t = trim(text);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

bool is_cli_chrome(std::string_view line) {
  const auto t = trim(line);
  if (t.empty()) return false;
  if (t.rfind("show ", 0) == 0 || t == "show") return true;
  if (t.front() == '{' && t.back() == '}' && t.find(' ') == std::string_view::npos) return true;
  // user@host> command   or   user@host#   (operational or configuration prompt)
  const auto at = t.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  for (std::size_t i = 0; i < at; ++i) {
    if (is_blank(t[i])) return false;
  }
  for (std::size_t i = at + 1; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '>' || c == '#' || c == '%') return i > at + 1;
    if (is_blank(c)) return false;
  }
  return false;
}

std::optional<std::string_view> member_header(const std::vector<std::string_view>& lines,
                                              std::size_t index) {
  const auto t = trim(lines[index]);
  if (t.size() < 2 || t.back() != ':' || !is_name_start(t.front())) return std::nullopt;
  const auto name = t.substr(0, t.size() - 1);
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  }
  for (std::size_t next = index + 1; next < lines.size(); ++next) {
    const auto n = trim(lines[next]);
    if (n.empty()) continue;
    const bool dashes = n.size() >= 10 && std::all_of(n.begin(), n.end(), [](char c) { return c == '-'; });
    return dashes ? std::optional<std::string_view>(name) : std::nullopt;
  }
  return std::nullopt;
}

std::vector<capture_segment> split_capture(std::string_view text) {
  std::vector<capture_segment> segments;
  close_tag_finder closes(text);
  auto text_segment = [&]() -> capture_segment& {
    if (segments.empty() || segments.back().xml) segments.emplace_back();
    return segments.back();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    auto line = text.substr(pos, eol - pos);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // A carriage return inside a line overwrites what came before it on a terminal: the
    // pager's `---(more)---` is erased that way before the output continues.
    if (const auto cr = line.rfind('\r'); cr != std::string_view::npos) line.remove_prefix(cr + 1);
    const auto t = trim(line);
    if (t.rfind("---(more", 0) == 0 && t.size() >= 12 && t.substr(t.size() - 4) == ")---") {
      pos = eol + 1;
      continue;
    }
    if (starts_xml(t)) {
      const auto from = pos + static_cast<std::size_t>(t.data() - line.data());
      const auto end = std::max(xml_end(text, from, closes), from + 1);
      auto doc = std::make_shared<pugi::xml_document>();
      // A truncated document still yields what was read before the damage.
      doc->load_buffer(text.data() + from, end - from, pugi::parse_default, pugi::encoding_utf8);
      segments.push_back(capture_segment{{}, std::move(doc)});
      pos = end;
      continue;
    }
    text_segment().lines.push_back(line);
    pos = eol + 1;
  }
  return segments;
}

namespace {

/// The logical system a prompt (`user@host:LS1>`) or command (`... logical-system LS1`) names.
std::optional<std::string> logical_system_of(std::string_view chrome) {
  const auto t = trim(chrome);
  const auto keyword = t.find("logical-system ");
  if (keyword != std::string_view::npos) {
    const auto rest = words(t.substr(keyword + 15));
    if (!rest.empty() && rest.front() != "all" && rest.front() != "|") return std::string(rest.front());
  }
  const auto at = t.find('@');
  const auto end = t.find_first_of(">#%");
  if (at != std::string_view::npos && end != std::string_view::npos && at < end) {
    const auto host = t.substr(at + 1, end - at - 1);
    const auto colon = host.find(':');
    if (colon != std::string_view::npos && colon + 1 < host.size()) {
      return std::string(host.substr(colon + 1));
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<context_line> context_lines(const std::vector<std::string_view>& lines) {
  std::vector<context_line> out;
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto t = trim(lines[i]);
    if (auto header = member_header(lines, i)) {
      member = std::string(*header);
      out.push_back({{}, member, logical_system, true});
      ++i;  // the dashes under the header
      while (i < lines.size() && trim(lines[i]).empty()) ++i;
      continue;
    }
    if (is_cli_chrome(lines[i])) {
      // A new command: its output starts outside any member block.
      member.reset();
      logical_system = logical_system_of(lines[i]);
      out.push_back({{}, member, logical_system, true});
      continue;
    }
    if (t.rfind("logical-system:", 0) == 0) {
      logical_system = non_empty(t.substr(15));
      out.push_back({{}, member, logical_system, true});
      continue;
    }
    out.push_back({lines[i], member, logical_system, false});
  }
  return out;
}

std::optional<std::string> xml_member(const pugi::xml_node& node) {
  for (auto parent = node.parent(); parent; parent = parent.parent()) {
    if (local_name(parent) == "multi-routing-engine-item") return child_text(parent, "re-name");
  }
  return std::nullopt;
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    const auto start = pos;
    while (pos < text.size() && !is_blank(text[pos])) ++pos;
    if (pos > start) out.push_back(text.substr(start, pos - start));
  }
  return out;
}

std::optional<long long> to_count(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long value = 0;
  for (const char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name) {
  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && local_name(child) == name) return child;
  }
  return {};
}

std::optional<std::string> child_text(const pugi::xml_node& node, std::string_view name) {
  const auto child = child_named(node, name);
  if (!child) return std::nullopt;
  return non_empty(child.child_value());
}

std::optional<long long> child_count(const pugi::xml_node& node, std::string_view name) {
  const auto text = child_text(node, name);
  return text ? to_count(*text) : std::nullopt;
}

std::vector<pugi::xml_node> descendants_named(const pugi::xml_node& root, std::string_view name) {
  std::vector<pugi::xml_node> found;
  // Iterative pre-order walk: deep documents from a device must not exhaust the stack.
  std::vector<pugi::xml_node> stack{root};
  while (!stack.empty()) {
    auto node = stack.back();
    stack.pop_back();
    if (node.type() == pugi::node_element && local_name(node) == name) found.push_back(node);
    std::vector<pugi::xml_node> children;
    for (auto child = node.first_child(); child; child = child.next_sibling()) {
      if (child.type() == pugi::node_element || child.type() == pugi::node_document) {
        children.push_back(child);
      }
    }
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return found;
}

}  // namespace tether::collectors
