#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// One top-level field-replaceable unit from `show chassis hardware` (a `chassis-module`).
struct hardware_module {
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::optional<std::string> part_number;
  std::optional<std::string> serial;
  std::optional<std::string> description;
};

/// What `show version` and `show chassis hardware` say about one device; absent = unknown.
struct device_facts {
  std::optional<std::string> hostname;
  std::optional<std::string> model;
  std::optional<std::string> version;
  std::optional<std::string> serial;
  std::vector<hardware_module> modules;
};

/// Parses a capture holding `show version` and/or `show chassis hardware`, text or XML.
/// Device-level fields come from the first member (re0, node0, fpc0, member0) that has them.
device_facts parse_facts(std::string_view capture);

/// Adds `later` to `facts`: fields `facts` already knows are kept, modules are appended.
void merge_facts(device_facts& facts, const device_facts& later);

/// The acceptance shape: {"hostname","model","version","serial","modules":[...]}; unknown -> null.
nlohmann::ordered_json to_json(const device_facts& facts);

}  // namespace tether::collectors
