#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace tether::console {

/// What the index keeps of a stored result: its size, digest and commands.
struct result_summary {
  std::uint64_t bytes = 0;
  std::string sha256;                  ///< of the whole stored result, hex
  nlohmann::json commands = nlohmann::json::array();  ///< without their output
  bool is_document = false;            ///< the bytes are a `tether-result/1` document
  std::string error;                   ///< the file could not be read
};

/// The largest result the console parses as a document (bigger ones are indexed raw).
inline constexpr std::uint64_t max_document_size = 64ull * 1024 * 1024;

/// Reads a stored result: its SHA-256 and, when it is a JSON result document
/// ({"format":"tether-result/1","commands":[{"command","status","bytes","sha256",
/// "redactions","truncated","output"}],...}), its commands without their output. Fields of
/// the wrong type are left out; anything else is still summarised, with no commands.
result_summary summarize_result(const std::filesystem::path& data);

/// The commands of a result document in `bytes` (without output), or an empty array when
/// the bytes are not one; `is_document` tells which. Pure: the fuzzed entry point.
nlohmann::json document_commands(const std::string& bytes, bool& is_document);

/// The stored bytes of a result, or an error; at most `limit` bytes are read.
struct result_bytes {
  std::string bytes;
  std::string error;
};
result_bytes read_result(const std::filesystem::path& data, std::uint64_t limit = max_document_size);

/// The result document in `bytes`, or a null JSON value when it is not one.
nlohmann::json parse_result_document(const std::string& bytes);

/// Hex SHA-256 of `bytes`.
std::string sha256_hex(const std::string& bytes);

}  // namespace tether::console
