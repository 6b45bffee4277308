#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::collectors {

/// The `{name}` placeholders of a command template, in order of appearance; nullopt (and
/// `why`) when a brace is unmatched or a name is not `[a-z][a-z0-9_]*` of at most 32 bytes.
std::optional<std::vector<std::string>> template_placeholders(std::string_view text,
                                                              std::string& why);

/// The template with every placeholder replaced by `value(name)`. The template must have
/// passed template_placeholders.
std::string fill_template(std::string_view text,
                          const std::function<std::string(std::string_view)>& value);

/// Whether `name` is a valid parameter name: `[a-z][a-z0-9_]*`, at most 32 bytes.
bool is_parameter_name(std::string_view name);

}  // namespace tether::collectors
