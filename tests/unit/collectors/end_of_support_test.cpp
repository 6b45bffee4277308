#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "collectors/end_of_support.hpp"
#include "config/config_error.hpp"

using namespace tether::collectors;
using namespace std::chrono;

namespace {

std::vector<std::string> errors_of(const std::string& text) {
  try {
    parse_end_of_support_table(text, "eos.yaml");
  } catch (const tether::config::config_failure& failure) {
    std::vector<std::string> out;
    for (const auto& e : failure.errors()) out.push_back(e.to_string());
    return out;
  }
  return {};
}

}  // namespace

TEST_CASE("the shipped End-of-Support table loads with its source and date", "[eos]") {
  const end_of_support_table table = load_end_of_support_table(
      std::string(TETHER_SOURCE_DIR) + "/collectors/catalog/junos-eos.yaml");
  CHECK(table.source.rfind("https://support.juniper.net/", 0) == 0);
  CHECK(format_iso_date(table.taken) == "2026-11-24");
  CHECK(table.trains.size() >= 30);
  for (const char* train : {"12.3", "12.3X48", "15.1", "15.1X49", "17.3", "18.4", "19.4", "20.4",
                            "21.4", "22.4", "23.2", "23.4", "24.2", "24.4"}) {
    INFO(train);
    CHECK(table.find(train) != nullptr);
  }
  // Dates before the table was taken are all in the past; x.4 trains of the 2023 model run on.
  CHECK(table.find("21.4")->end_of_support < table.taken);
  CHECK(table.find("23.4")->end_of_support > table.taken);
}

TEST_CASE("a malformed End-of-Support table reports every problem with its position",
          "[eos]") {
  const auto errors = errors_of(R"(source: https://example.net/eol
taken: 2026-02-30
trains:
  "21.4": 2025-06-21
  "21.4": 2025-06-22
  "banana": 2025-01-01
  "22.1": 24/09/2024
  "22.2":
colour: red
)");
  REQUIRE(errors.size() == 6);
  CHECK(errors[0] == "eos.yaml:2:8: taken: expected a date YYYY-MM-DD, got \"2026-02-30\"");
  CHECK(errors[1] == "eos.yaml:5:3: trains.21.4: duplicate key");
  CHECK(errors[2] == "eos.yaml:6:3: trains.banana: expected a release train such as 21.4, "
                     "15.1X49 or 22.4-EVO");
  CHECK(errors[3] == "eos.yaml:7:11: trains.22.1: expected a date YYYY-MM-DD, got \"24/09/2024\"");
  CHECK(errors[4] == "eos.yaml:8:3: trains.22.2: missing; expected the End-of-Support date "
                     "YYYY-MM-DD");
  CHECK(errors[5].rfind("eos.yaml:9:1: colour: unknown key", 0) == 0);
}

TEST_CASE("a table needs its source, its date and its trains", "[eos]") {
  const auto errors = errors_of("note: empty\n");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == "eos.yaml:1:1: source: missing; expected the vendor page's URL");
  CHECK(errors[1] == "eos.yaml:1:1: taken: missing; expected the date the table was taken");
  CHECK(errors[2] == "eos.yaml:1:1: trains: missing; expected a map of release trains to dates");
}

TEST_CASE("ISO dates are real calendar dates", "[eos]") {
  CHECK(parse_iso_date("2024-02-29"));
  CHECK_FALSE(parse_iso_date("2023-02-29"));
  CHECK_FALSE(parse_iso_date("2023-13-01"));
  CHECK_FALSE(parse_iso_date("2023-1-01"));
  CHECK_FALSE(parse_iso_date("2023-01-01T00:00"));
  CHECK(format_iso_date(*parse_iso_date("2025-06-21")) == "2025-06-21");
}
