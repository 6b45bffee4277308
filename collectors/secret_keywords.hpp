#pragma once

#include <string_view>

namespace tether::collectors {

/// What a configuration keyword says about the word that follows it.
enum class keyword_kind {
  plain,              // not a secret carrier
  secret,             // the next value is a secret (`secret`, `encrypted-password`, `*-key`, ...)
  secret_under_snmp,  // a secret only directly under `snmp` (`community NAME`, `trap-group NAME`)
  value_of_secret,  // `value`: a secret inside a secret statement (`authentication-key 1 value X`)
};

/// Classifies a Junos keyword (lower case, as Junos prints it). The rule errs toward
/// redacting: any keyword whose last hyphen-separated part is key, secret, password,
/// passphrase, psk, community or cak (or whose last part is value/string/text/data after
/// one of those) carries a secret, except the known look-alikes (`trusted-key`,
/// `hash-key`; `key-chain` and `authentication-key-chain` do not end in a secret noun).
keyword_kind classify_keyword(std::string_view word);

/// True when `value` after `keyword` is a key number, not key material: `key 5` in
/// `ntp server X key 5`, `authentication-key 1 type md5`, `key-chain KC key 0`.
bool is_key_number(std::string_view keyword, std::string_view value);

/// True for option words that follow a secret-looking container but are never its value
/// (`system login password minimum-length 8`, `pre-shared-key ckn X cak Y`).
bool is_never_a_value(std::string_view word);

/// True for keywords whose next word is a name chosen by the operator, never a keyword
/// (`policy-options community password members ...`, `login user secret`).
bool names_next_word(std::string_view word);

}  // namespace tether::collectors
