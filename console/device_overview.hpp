#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tether::console {

/// The per-device picture of a site built from its newest results: identity and scope from
/// `facts`, active alarms from `alarms`. Feed documents oldest first; a newer one replaces
/// what an older one said. Pure.
class device_overview {
 public:
  /// Takes what a result document of `collector` on `device` says (ignored unless it is a
  /// facts or alarms document whose run ended ok).
  void add(const std::string& device, const std::string& collector, const nlohmann::json& document);

  /// One object per device, in name order: {device, hostname, model, release, serial,
  /// scope, alarms}; a value nobody reported is null.
  nlohmann::json rows() const;

 private:
  nlohmann::json devices_ = nlohmann::json::object();
};

}  // namespace tether::console
