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
  site_key(const site_key&) = default;
  site_key& operator=(const site_key&) = default;
  /// Wipes the key bytes (the digest contexts are freed with the last copy).
  ~site_key();
  /// A fresh random key that lives only as long as this process.
  static site_key random();

  /// `<redacted:XXXXXXXX>`: the first 8 hex digits of HMAC-SHA256(key, secret).
  std::string token(std::string_view secret) const;
  /// Appends the token of `secret` to `out` (the redactor's path: no allocation per token).
  void append_token(std::string_view secret, std::string& out) const;
  const bytes& key_bytes() const { return key_; }

  /// SHA-256 already fed with the key's inner and outer HMAC pads, computed once per key so
  /// that a token costs two digest copies rather than a fresh HMAC set-up.
  struct hmac_pads;

 private:
  friend class token_hasher;
  bytes key_;
  std::shared_ptr<const hmac_pads> pads_;
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
  std::shared_ptr<const site_key::hmac_pads> pads_;
  struct digest_context;
  std::unique_ptr<digest_context> ctx_;
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
