#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/yaml_document.hpp"

namespace tether::config {

/// Whether `text` is a safe name for a site, device or credential: 1-64 of
/// `A-Z a-z 0-9 . _ -`, starting with a letter or digit. Such names appear in file names,
/// log prefixes and audit records, so nothing else is allowed.
bool is_identifier(std::string_view text);

/// The message for a rejected identifier.
std::string identifier_expected(std::string_view text);

/// Reads an identifier from YAML, recording a problem when it is not one.
std::optional<std::string> read_identifier(yaml_document& doc, const YAML::Node& node,
                                           const std::string& field);

}  // namespace tether::config
