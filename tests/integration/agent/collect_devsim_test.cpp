// tetherctl against a tether-devsim fleet: facts with their scope, every device at once.
#include <catch2/catch.hpp>

#include "tests/support/devsim_fleet.hpp"
#include "tests/support/run_process.hpp"

using Catch::Contains;

TEST_CASE("collecting facts shows each device and flags the ones out of scope",
          "[integration][devsim]") {
  tether::testing::temp_dir dir;
  tether::testing::devsim_fleet fleet(dir, 12, {"--eos", "dev005", "--unregistered", "dev007"});
  auto r = tether::testing::run_process(
      {std::string(TETHER_BIN_DIR) + "/tetherctl", "collect", "--config", fleet.file("agent.yaml"),
       "--device", "all", "--collector", "facts", "--out", dir / "out"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("24 of 24 commands ok"));
  CHECK_THAT(r.out, Contains("end-of-support"));
  CHECK_THAT(r.out, Contains("serial-mismatch"));
  std::size_t in_scope = 0;
  for (std::size_t at = r.out.find(" in\n"); at != std::string::npos; at = r.out.find(" in\n", at + 1))
    ++in_scope;
  CHECK(in_scope == 10);
}
