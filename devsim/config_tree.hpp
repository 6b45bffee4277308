#pragma once

#include <list>
#include <string>
#include <string_view>
#include <vector>

namespace tether::devsim {

/// One statement of a Junos configuration and the statements under it; renders to the
/// hierarchy form, the `| display set` form and `| display xml`, so all three agree.
struct config_node {
  enum class kind { container, named, leaf, flag };

  kind type = kind::container;
  std::string keyword;            // interfaces, unit, host-name ("" on the root)
  std::string value;              // the name of a named node, the value of a leaf (quoted)
  bool hide_keyword = false;      // list entries printed by name only: interfaces { et-0/0/0 {
  bool value_is_element = false;  // family inet -> <family><inet>, not <name>inet</name>
  bool secret = false;            // Junos appends "## SECRET-DATA" to the line
  bool xml_list = false;          // a container whose entries are, in XML, repeated
                                  // <keyword><name>..</name></keyword> without a wrapper
  std::list<config_node> children;  // a list: references to children stay valid as more are added

  /// Appends a child and returns it.
  config_node& add(config_node child);
  /// Appends a container `keyword { }` and returns it.
  config_node& container(std::string keyword);
  /// Appends `keyword name { }` and returns it.
  config_node& named(std::string keyword, std::string name);
  /// Appends `keyword value;`.
  void leaf(std::string keyword, std::string value, bool secret = false);
  /// Appends `keyword;`.
  void flag(std::string keyword);
  /// Appends a list entry printed by its name only (`10.0.0.0/8;`); XML element `keyword`.
  config_node& entry(std::string keyword, std::string name);
  /// Appends a container whose entries XML lists flat (radius-server, source-prefix-list).
  config_node& list(std::string keyword);
  /// The nodes CLI path words (`system login`, `interfaces et-0/0/0`) walk through, this
  /// node excluded; empty when the path does not exist (or is empty).
  std::vector<const config_node*> find(const std::vector<std::string>& path) const;
  /// Counts this node's statements (lines of the set form).
  std::size_t statements() const;
};

/// The hierarchy form (`show configuration`) of the node's children, starting at `depth`.
std::string render_hierarchy(const config_node& node, int depth = 0);

/// The `| display set` form of the node's children; `prefix` is the path above them.
std::string render_set(const config_node& node, const std::string& prefix = "set");

/// The XML elements of the node's children, indented from `depth`.
std::string render_xml(const config_node& node, int depth);

/// The XML opening of one node as an ancestor of a shown sub-hierarchy
/// (`<interface>` + `<name>et-0/0/0</name>`), and its closing tag.
std::pair<std::string, std::string> xml_ancestor(const config_node& node, int depth);

/// `text` in double quotes when Junos would quote it (spaces, $, special characters).
std::string junos_quote(std::string_view text);

}  // namespace tether::devsim
