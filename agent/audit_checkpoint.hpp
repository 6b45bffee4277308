#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct evp_pkey_st;

namespace tether::agent {

/// The agent's Ed25519 audit key: signs checkpoints (private) or checks them (public only).
class audit_key {
 public:
  /// Loads the PEM private key at `path`, or creates one there (mode 0600) and writes its
  /// public half next to it as `<path>.pub`. Throws std::runtime_error when it cannot.
  static audit_key load_or_create(const std::filesystem::path& path);
  /// Reads a PEM public (or private) key, as handed to the security team.
  static audit_key load_public(const std::filesystem::path& path);
  /// A key from PEM text (public or private).
  static audit_key from_pem(std::string_view pem);
  /// A fresh key in memory (tests, and an attacker re-signing in tests).
  static audit_key generate();

  /// The public key as PEM (SubjectPublicKeyInfo).
  std::string public_pem() const;
  /// The first 16 hex digits of SHA-256 over the raw 32-byte public key.
  std::string key_id() const;
  /// Hex Ed25519 signature over `message`; needs the private key.
  std::string sign(std::string_view message) const;
  /// Whether `signature_hex` is this key's signature over `message`.
  bool verify(std::string_view message, std::string_view signature_hex) const;
  /// Whether this key can sign (the agent's) or only verify (the security team's copy).
  bool has_private() const { return private_; }

 private:
  audit_key(std::shared_ptr<evp_pkey_st> key, bool has_private);
  std::shared_ptr<evp_pkey_st> key_;
  bool private_ = false;
};

/// A signed checkpoint as the console keeps it: the chain's head at `seq` and the agent's
/// signature over it.
struct audit_anchor {
  std::uint64_t seq = 0;
  std::string hash;
  std::string signature;
  std::string key_id;
};

/// The exact bytes a checkpoint signs: `tether-audit-checkpoint v1\n<seq>\n<hash>\n`.
std::string checkpoint_message(std::uint64_t seq, std::string_view hash);

/// An anchor as one JSON object {seq, hash, signature, key_id}.
nlohmann::ordered_json anchor_json(const audit_anchor& anchor);

/// Anchors read from a file of JSON lines, or why the file is unusable.
struct anchors_result {
  std::vector<audit_anchor> anchors;
  std::string error;
};

/// Reads an anchors file (one JSON object per line, as `append_anchor` writes).
anchors_result read_anchors(const std::filesystem::path& path);

/// Appends `anchor` to an anchors file (created 0600); false and `error` on failure.
bool append_anchor(const std::filesystem::path& path, const audit_anchor& anchor,
                   std::string& error);

}  // namespace tether::agent
