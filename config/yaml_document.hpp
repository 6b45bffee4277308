#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.hpp"

namespace tether::config {

/// A YAML file being read: its name, its root node and every problem found so far.
class yaml_document {
 public:
  /// Reads and parses `path`; an unreadable file or a syntax error becomes a recorded error.
  static yaml_document load(const std::string& path);
  /// Parses `text` as if it came from a file called `name`.
  static yaml_document parse(const std::string& text, std::string name);

  const YAML::Node& root() const { return root_; }
  const std::string& file() const { return file_; }
  const std::vector<config_error>& errors() const { return errors_; }
  bool ok() const { return errors_.empty(); }

  /// Records a problem at the position of `at` (or of the file when `at` has none).
  void error(const YAML::Node& at, std::string field, std::string message);
  /// Throws config_failure with every recorded problem, if there is any.
  void throw_if_errors() const;

 private:
  explicit yaml_document(std::string file) : file_(std::move(file)) {}
  std::string file_;
  YAML::Node root_;
  std::vector<config_error> errors_;
};

/// One YAML map read key by key; keys nobody asked for are reported as unknown.
class yaml_map {
 public:
  /// `path` names the map in messages (`policy.service_hours`); empty for the root.
  yaml_map(yaml_document& doc, const YAML::Node& node, std::string path);

  /// False when the node was not a map (an error has been recorded).
  bool valid() const { return valid_; }
  /// The value under `key`, or an undefined node when it is absent.
  YAML::Node optional(std::string_view key);
  /// The value under `key`; records "missing" when it is absent or null.
  YAML::Node required(std::string_view key, std::string_view expected);
  /// `path.key`, the name messages use for a field.
  std::string field(std::string_view key) const;
  /// Records an error for each key that was never asked for, and for duplicate keys.
  void reject_unknown();
  yaml_document& doc() { return doc_; }
  const YAML::Node& node() const { return node_; }

 private:
  yaml_document& doc_;
  YAML::Node node_;
  std::string path_;
  std::set<std::string, std::less<>> asked_;
  bool valid_ = false;
};

/// Reads a scalar with `parse(text, why) -> std::optional<T>`; records `why` on failure.
template <class T, class Parse>
std::optional<T> read_scalar(yaml_document& doc, const YAML::Node& node, const std::string& field,
                             Parse parse) {
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) {
    doc.error(node, field, "expected a single value, not a list or map");
    return std::nullopt;
  }
  std::string why;
  std::optional<T> value = parse(node.Scalar(), why);
  if (!value) doc.error(node, field, why);
  return value;
}

/// Reads a non-empty string.
std::optional<std::string> read_string(yaml_document& doc, const YAML::Node& node,
                                       const std::string& field);
/// Reads a whole number in [lo, hi].
std::optional<long long> read_integer(yaml_document& doc, const YAML::Node& node,
                                      const std::string& field, long long lo, long long hi);

}  // namespace tether::config
