#include "collectors/secret_keywords.hpp"

#include <algorithm>
#include <array>

namespace tether::collectors {
namespace {

// The last part of a keyword that marks its value as a secret.
constexpr std::array<std::string_view, 9> secret_nouns = {
    "key", "secret", "password", "passphrase", "psk", "community", "cak", "passwd", "passcode"};

// Keywords that end like a secret but name or number one (see docs/redaction.md).
constexpr std::array<std::string_view, 2> look_alikes = {"trusted-key", "hash-key"};

// Last parts that say "the value of" the part before (`plain-text-password-value`).
constexpr std::array<std::string_view, 4> value_suffixes = {"value", "string", "text", "data"};

// Modifiers whose next value is the key material itself.
constexpr std::array<std::string_view, 3> secret_modifiers = {"ascii-text", "hexadecimal",
                                                              "community-name"};

// Option words under secret-looking containers that are never a value.
constexpr std::array<std::string_view, 7> option_words = {
    "format", "change-type", "iteration-count", "pseudorandom-function", "ckn", "type",
    "plain-text-password"};

// Keywords followed by an operator-chosen name.
constexpr std::array<std::string_view, 17> naming_words = {
    "community", "user", "class", "term", "policy-statement", "prefix-list", "filter", "group",
    "profile", "key-chain", "authentication-key-chain", "description", "as-path", "policer",
    "client", "host-name", "full-name"};

template <std::size_t n>
bool contains(const std::array<std::string_view, n>& set, std::string_view word) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

}  // namespace

keyword_kind classify_keyword(std::string_view word) {
  if (word.empty()) return keyword_kind::plain;
  if (word == "community" || word == "trap-group") return keyword_kind::secret_under_snmp;
  if (word == "value") return keyword_kind::value_of_secret;
  if (contains(secret_modifiers, word)) return keyword_kind::secret;
  std::size_t dash = word.rfind('-');
  std::string_view last = dash == std::string_view::npos ? word : word.substr(dash + 1);
  if (dash != std::string_view::npos && contains(value_suffixes, last)) {
    // `plain-text-password-value`, `key-string`: the noun is one part earlier.
    std::string_view head = word.substr(0, dash);
    std::size_t before = head.rfind('-');
    last = before == std::string_view::npos ? head : head.substr(before + 1);
  }
  if (!contains(secret_nouns, last)) return keyword_kind::plain;
  if (contains(look_alikes, word)) return keyword_kind::plain;
  return keyword_kind::secret;
}

bool is_key_number(std::string_view keyword, std::string_view value) {
  if (value.empty() || value.size() > 5) return false;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  bool digits = std::all_of(value.begin(), value.end(), is_digit);
  if (!digits) return false;
  return keyword == "key" || (keyword.size() > 4 && keyword.substr(keyword.size() - 4) == "-key");
}

bool is_never_a_value(std::string_view word) {
  if (word.rfind("minimum-", 0) == 0 || word.rfind("maximum-", 0) == 0) return true;
  return contains(option_words, word);
}

bool names_next_word(std::string_view word) { return contains(naming_words, word); }

}  // namespace tether::collectors
