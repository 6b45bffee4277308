#include "transport/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace tether::transport {

digest sha256(std::span<const std::uint8_t> bytes) {
  digest out{};
  unsigned int size = 0;
  // EVP_Digest only fails on allocation failure; there is no result to give then.
  // Fetched once: an implicit fetch (EVP_sha256()) looks the algorithm up on every call.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr || EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, md, nullptr) != 1 ||
      size != out.size())
    throw std::runtime_error("SHA-256 failed");
  return out;
}

}  // namespace tether::transport
