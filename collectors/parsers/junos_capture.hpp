#pragma once

#include <functional>
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

/// A saved Junos CLI capture split, in order, into text runs and XML documents. Pager
/// lines (`---(more 45%)---`) are dropped, and text a carriage return overwrote is removed.
/// The views point into the text given to split_capture, which must outlive the result.
std::vector<capture_segment> split_capture(std::string_view text);

/// Calls `on_text` for each run of text lines and `on_xml` for each XML document of the
/// capture, in order. Text an RPC reply carries in `<output>` (a text-format reply) is
/// handed to `on_text` too. Views passed to `on_text` live only during the call.
void visit_capture(std::string_view text,
                   const std::function<void(const std::vector<std::string_view>&)>& on_text,
                   const std::function<void(const pugi::xml_document&)>& on_xml);

/// Returns the text with leading and trailing blanks (space, tab, CR, LF) removed.
std::string_view trim(std::string_view text);

/// True when the line is CLI chrome rather than command output: a prompt
/// (`user@host> cmd`), a `{master:0}` state line or a bare `show ...` command echo.
bool is_cli_chrome(std::string_view line);

/// The member name when `lines[index]` opens a per-member block (`re0:`, `node1:`, `fpc0:`,
/// `member0:`) followed by a line of dashes; empty otherwise.
std::optional<std::string_view> member_header(const std::vector<std::string_view>& lines,
                                              std::size_t index);

/// One line of command output with the context it was printed in.
struct context_line {
  std::string_view line;                       ///< the output line; empty at a boundary
  std::optional<std::string> member;           ///< re0, node1, fpc0 ...; nullopt outside blocks
  std::optional<std::string> logical_system;   ///< from `logical-system: X`, the command or prompt
  bool boundary = false;                       ///< a prompt, command or member header: tables end
};

/// Walks text lines, dropping CLI chrome and member headers (reported as boundaries) and
/// tracking the member and logical system each output line belongs to.
std::vector<context_line> context_lines(const std::vector<std::string_view>& lines);

/// The member (`re-name` of the enclosing `multi-routing-engine-item`) an XML node belongs to.
std::optional<std::string> xml_member(const pugi::xml_node& node);

/// Splits on runs of blanks.
std::vector<std::string_view> words(std::string_view text);

/// A non-negative decimal number, or nullopt for anything else (including overflow).
std::optional<long long> to_count(std::string_view text);

/// An element's name without its namespace prefix (`junos:chassis` -> `chassis`).
std::string_view local_name(const pugi::xml_node& node);

/// The first child element with this local name, or an empty node.
pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name);

/// The trimmed text of the child element with this local name; nullopt when absent or empty.
std::optional<std::string> child_text(const pugi::xml_node& node, std::string_view name);

/// The child element's text as a non-negative number; nullopt when absent or not a number.
std::optional<long long> child_count(const pugi::xml_node& node, std::string_view name);

/// Every element with this local name under (and including) `root`, in document order.
std::vector<pugi::xml_node> descendants_named(const pugi::xml_node& root, std::string_view name);

/// `text` as an optional: nullopt when it is empty after trimming.
std::optional<std::string> non_empty(std::string_view text);

}  // namespace tether::collectors
