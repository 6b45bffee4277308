#include <catch2/catch.hpp>

#include "transport/backoff.hpp"

using namespace tether::transport;
using std::chrono::milliseconds;

TEST_CASE("backoff doubles from the initial delay up to the maximum", "[backoff]") {
  // The largest random value gives the upper end of each jitter range: the full delay.
  backoff b({milliseconds(1000), milliseconds(8000), 0}, [] { return ~0ull; });
  std::vector<long> upper;
  for (int i = 0; i < 6; ++i) {
    const auto d = b.next_delay().count();
    upper.push_back(d);
  }
  // ~0 % (spread + 1) is not always spread; check the bounds instead of exact values.
  const long bases[] = {1000, 2000, 4000, 8000, 8000, 8000};
  for (int i = 0; i < 6; ++i) {
    CHECK(upper[i] >= bases[i] / 2);
    CHECK(upper[i] <= bases[i]);
  }
}

TEST_CASE("jitter spreads the delay over the upper half of the step", "[backoff]") {
  backoff low({milliseconds(1000), milliseconds(60000), 0}, [] { return 0ull; });
  CHECK(low.next_delay() == milliseconds(500));
  CHECK(low.next_delay() == milliseconds(1000));
  backoff high({milliseconds(1000), milliseconds(60000), 0}, [] { return 500ull; });
  CHECK(high.next_delay() == milliseconds(1000));  // 500 + 500 % 501
}

TEST_CASE("a reset starts again from the initial delay", "[backoff]") {
  backoff b({milliseconds(100), milliseconds(60000), 0}, [] { return 0ull; });
  b.next_delay();
  b.next_delay();
  CHECK(b.next_delay() == milliseconds(200));
  b.reset();
  CHECK(b.failures() == 0);
  CHECK(b.next_delay() == milliseconds(50));
}

TEST_CASE("backoff is exhausted after max_attempts failures and never when it is 0", "[backoff]") {
  backoff bounded({milliseconds(10), milliseconds(100), 3}, [] { return 0ull; });
  bounded.next_delay();
  bounded.next_delay();
  CHECK_FALSE(bounded.exhausted());
  bounded.next_delay();
  CHECK(bounded.exhausted());
  backoff forever({milliseconds(10), milliseconds(100), 0}, [] { return 0ull; });
  for (int i = 0; i < 1000; ++i) forever.next_delay();
  CHECK_FALSE(forever.exhausted());
  CHECK(forever.next_delay() <= milliseconds(100));
}
