#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tether::collectors {

/// The site's 32-byte HMAC-SHA256 key: it names secrets by token and never leaves the host.
class site_key {
 public:
  static constexpr std::size_t size = 32;
  using bytes = std::array<std::uint8_t, size>;

  /// A key from known bytes (tests, or a key already read from its file).
  explicit site_key(const bytes& key);
  /// A fresh random key that lives only as long as this process.
  static site_key random();

  /// `<redacted:XXXXXXXX>`: the first 8 hex digits of HMAC-SHA256(key, secret).
  std::string token(std::string_view secret) const;
  const bytes& key_bytes() const { return key_; }

 private:
  bytes key_;
};

/// Computes one token over a secret that arrives in pieces (a line too long to buffer).
class token_hasher {
 public:
  explicit token_hasher(const site_key& key);
  ~token_hasher();
  token_hasher(const token_hasher&) = delete;
  token_hasher& operator=(const token_hasher&) = delete;

  /// Adds the next piece of the secret.
  void update(std::string_view piece);
  /// The token of everything added so far; the hasher is spent afterwards.
  std::string finish();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// What loading the site key file gave: the key, or why it cannot be used.
struct site_key_result {
  std::optional<site_key> key;
  bool created = false;  // the file did not exist and was written now
  bool unsafe = false;   // the file exists but must not be used (mode, size, type, symlink)
  std::string error;     // set when key is empty
};

/// Reads the key file at `path`, creating it (O_CREAT|O_EXCL, mode 0600) on first use.
/// Refuses a file that is not a regular file, has group/other permission bits, or is not
/// exactly 32 bytes.
site_key_result load_or_create_site_key(const std::string& path);

}  // namespace tether::collectors
