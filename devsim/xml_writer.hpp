#pragma once

#include <string>
#include <string_view>

namespace tether::devsim {

/// Builds indented XML the way Junos prints `| display xml` (four spaces per level).
class xml_writer {
 public:
  /// Starts writing at `depth` levels of indentation.
  explicit xml_writer(int depth = 1) : depth_(depth) {}

  /// Opens <name attributes>.
  void open(std::string_view name, std::string_view attributes = {});
  /// Closes </name>.
  void close(std::string_view name);
  /// <name attributes>escaped value</name>.
  void leaf(std::string_view name, std::string_view value, std::string_view attributes = {});
  /// <name/>.
  void empty(std::string_view name);
  /// The XML written so far.
  const std::string& str() const { return out_; }

 private:
  void indent();
  std::string out_;
  int depth_;
};

/// `text` with &, <, >, " escaped.
std::string xml_escape(std::string_view text);

/// The `xmlns` of a Junos schema, e.g. junos-chassis, for `release`.
std::string junos_namespace(std::string_view release, std::string_view schema);

/// Wraps a reply body in `<rpc-reply xmlns:junos=...>` with the trailing `<cli>` banner
/// (`{master}` on dual routing-engine devices).
std::string rpc_reply(std::string_view release, std::string_view body, bool master_banner);

}  // namespace tether::devsim
