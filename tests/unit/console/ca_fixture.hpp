#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "console/certificate_authority.hpp"
#include "console/pem_file.hpp"
#include "tests/support/temp_dir.hpp"

namespace tether::console::testing {

/// The current time in whole seconds, as the CA commands take it.
inline cert_time real_now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// A fresh CA in its own temporary folder.
struct ca_fixture {
  tether::testing::temp_dir dir;
  cert_time now = real_now();

  ca_fixture() {
    const auto r = certificate_authority::init(dir.path, default_ca_days, false, now);
    REQUIRE(r.status == ca_status::ok);
  }

  certificate_authority ca() const {
    std::string error;
    auto opened = certificate_authority::open(dir.path, error);
    REQUIRE(opened);
    return std::move(*opened);
  }

  /// Issues a leaf and returns the result, requiring success.
  ca_result issue(leaf_kind kind, const std::string& name, int days = default_leaf_days) const {
    auto r = ca().issue({kind, name, days, false}, now);
    REQUIRE(r.error == "");
    REQUIRE(r.status == ca_status::ok);
    return r;
  }

  /// Reads a certificate the CA wrote.
  x509_ptr load(const std::string& file) const {
    std::string error;
    auto cert = read_certificate(dir.path / file, error);
    REQUIRE(cert);
    return cert;
  }
};

}  // namespace tether::console::testing
