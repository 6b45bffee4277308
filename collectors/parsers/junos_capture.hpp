#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

namespace tether::collectors {

/// One piece of a saved CLI capture: a run of text lines or one parsed `| display xml` document.
struct capture_segment {
  std::vector<std::string_view> lines;          ///< text lines (CR stripped); empty for XML
  std::shared_ptr<pugi::xml_document> xml;      ///< the document; null for text
};

/// A saved Junos CLI capture split, in order, into text runs and XML documents.
/// The views point into the text given to split_capture, which must outlive the result.
std::vector<capture_segment> split_capture(std::string_view text);

/// Returns the text with leading and trailing blanks (space, tab, CR, LF) removed.
std::string_view trim(std::string_view text);

/// True when the line is CLI chrome rather than command output: a prompt
/// (`user@host> cmd`), a `{master:0}` state line, a bare `show ...` command echo or a pager line.
bool is_cli_chrome(std::string_view line);

/// The member name when `lines[index]` opens a per-member block (`re0:`, `node1:`, `fpc0:`,
/// `member0:`) followed by a line of dashes; empty otherwise.
std::optional<std::string_view> member_header(const std::vector<std::string_view>& lines,
                                              std::size_t index);

/// An element's name without its namespace prefix (`junos:chassis` -> `chassis`).
std::string_view local_name(const pugi::xml_node& node);

/// The first child element with this local name, or an empty node.
pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name);

/// The trimmed text of the child element with this local name; nullopt when absent or empty.
std::optional<std::string> child_text(const pugi::xml_node& node, std::string_view name);

/// Every element with this local name under (and including) `root`, in document order.
std::vector<pugi::xml_node> descendants_named(const pugi::xml_node& root, std::string_view name);

/// `text` as an optional: nullopt when it is empty after trimming.
std::optional<std::string> non_empty(std::string_view text);

}  // namespace tether::collectors
