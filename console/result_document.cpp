#include "console/result_document.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "common/hex.hpp"

namespace tether::console {

namespace {

/// The fields the index keeps of one command entry, each only when it has the right type.
nlohmann::json command_summary(const nlohmann::json& c) {
  nlohmann::json out = nlohmann::json::object();
  if (!c.is_object()) return out;
  auto copy = [&](const char* key, auto check) {
    const auto it = c.find(key);
    if (it != c.end() && check(*it)) out[key] = *it;
  };
  copy("command", [](const nlohmann::json& v) { return v.is_string(); });
  copy("status", [](const nlohmann::json& v) { return v.is_string(); });
  copy("bytes", [](const nlohmann::json& v) { return v.is_number_unsigned(); });
  copy("sha256", [](const nlohmann::json& v) { return v.is_string(); });
  copy("redactions", [](const nlohmann::json& v) { return v.is_number_unsigned(); });
  copy("truncated", [](const nlohmann::json& v) { return v.is_boolean(); });
  return out;
}

}  // namespace

std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  return common::to_hex(md, n);
}

result_bytes read_result(const std::filesystem::path& data, std::uint64_t limit) {
  std::ifstream in(data, std::ios::binary);
  if (!in) return {{}, "cannot read " + data.string()};
  std::string bytes;
  std::vector<char> buffer(1 << 16);
  while (bytes.size() < limit && in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())), in.gcount() > 0) {
    const auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(in.gcount()), limit - bytes.size());
    bytes.append(buffer.data(), n);
  }
  return {std::move(bytes), {}};
}

nlohmann::json parse_result_document(const std::string& bytes) {
  auto doc = nlohmann::json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return nullptr;
  const auto format = doc.find("format");
  if (format == doc.end() || *format != "tether-result/1") return nullptr;
  return doc;
}

result_summary summarize_result(const std::filesystem::path& data) {
  result_summary out;
  std::ifstream in(data, std::ios::binary);
  if (!in) {
    out.error = "cannot read " + data.string();
    return out;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::string kept;  // the bytes, while they may still be a document
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())), in.gcount() > 0) {
    const auto n = static_cast<std::size_t>(in.gcount());
    EVP_DigestUpdate(ctx.get(), buffer.data(), n);
    out.bytes += n;
    if (out.bytes <= max_document_size) kept.append(buffer.data(), n);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  out.sha256 = common::to_hex(md, n);
  if (out.bytes > max_document_size) return out;
  out.commands = document_commands(kept, out.is_document);
  return out;
}

nlohmann::json document_commands(const std::string& bytes, bool& is_document) {
  auto out = nlohmann::json::array();
  const auto doc = parse_result_document(bytes);
  is_document = !doc.is_null();
  if (!is_document) return out;
  const auto commands = doc.find("commands");
  if (commands != doc.end() && commands->is_array())
    for (const auto& c : *commands) out.push_back(command_summary(c));
  return out;
}

}  // namespace tether::console
