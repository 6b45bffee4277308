#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tether::devsim {

/// A small deterministic random source (splitmix64): the same seed gives the same fleet
/// on every platform, unlike std:: distributions whose results are implementation-defined.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}

  /// A generator for a sub-stream, so adding draws in one place never shifts another.
  rng fork(std::uint64_t stream) const { return rng(mix(state_ ^ mix(stream + 0x51ed27))); }

  /// The next 64 random bits.
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix(state_);
  }

  /// A number in [0, n); n must be positive.
  std::uint64_t below(std::uint64_t n) { return next() % n; }

  /// A number in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }

  /// True with probability percent/100.
  bool chance(unsigned percent) { return below(100) < percent; }

  /// One element of a non-empty list.
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  /// `length` characters drawn from `alphabet`.
  std::string text(std::string_view alphabet, std::size_t length) {
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) out += alphabet[below(alphabet.size())];
    return out;
  }

 private:
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_;
};

}  // namespace tether::devsim
