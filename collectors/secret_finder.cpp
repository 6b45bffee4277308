#include "collectors/secret_finder.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "collectors/secret_keywords.hpp"

namespace tether::collectors {
namespace {

constexpr std::size_t npos = std::string_view::npos;
// Deeper nesting than this is not a configuration: the context is dropped, not grown.
constexpr std::size_t max_depth = 256;

// Character classes as one table lookup each: the word loop runs for every byte.
enum char_class : std::uint8_t { space = 1, punctuation = 2, crypt = 4 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> table{};
  for (char c : {' ', '\t', '\r', '\f', '\v'}) table[static_cast<unsigned char>(c)] |= space;
  for (char c : {';', '{', '}', '[', ']'}) table[static_cast<unsigned char>(c)] |= punctuation;
  for (int c = '0'; c <= '9'; ++c) table[c] |= crypt;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= crypt;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= crypt;
  for (char c : {'.', '/', '$', '=', '+', '_', '-'}) table[static_cast<unsigned char>(c)] |= crypt;
  return table;
}
constexpr std::array<std::uint8_t, 256> classes = make_classes();

bool has_class(char c, std::uint8_t mask) {
  return (classes[static_cast<unsigned char>(c)] & mask) != 0;
}
bool is_space(char c) { return has_class(c, space); }
bool is_punctuation(char c) { return has_class(c, punctuation); }
bool is_crypt_char(char c) { return has_class(c, crypt); }

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// Adds [begin, end) without its leading and trailing blanks, if anything is left.
void add_trimmed(std::string_view line, std::size_t begin, std::size_t end,
                 std::vector<secret_span>& spans) {
  while (begin < end && is_space(line[begin])) ++begin;
  while (end > begin && is_space(line[end - 1])) --end;
  if (begin < end) spans.push_back({begin, end});
}

/// The position of the quote that closes a string whose first byte is at `pos`.
std::size_t closing_quote(std::string_view line, std::size_t pos) {
  for (; pos < line.size(); ++pos) {
    if (line[pos] == '\\') {
      ++pos;
    } else if (line[pos] == '"') {
      return pos;
    }
  }
  return npos;
}

/// The element name without a namespace prefix (`junos:comment` -> `comment`).
std::string_view local_name(std::string_view name) {
  std::size_t colon = name.rfind(':');
  return colon == npos ? name : name.substr(colon + 1);
}

/// Words that change how a bracketed statement is shown, not what it says.
bool is_statement_prefix(std::string_view word) {
  return word == "inactive:" || word == "protect:" || word == "replace:";
}

/// The first words of configuration commands (`show configuration | display set`).
bool is_set_verb(std::string_view word) {
  static constexpr std::array<std::string_view, 8> verbs = {
      "set", "deactivate", "activate", "delete", "protect", "unprotect", "insert", "annotate"};
  return std::find(verbs.begin(), verbs.end(), word) != verbs.end();
}

/// A keyword written in free text (`Password:`, `psk=`): lower-cased, separator removed.
std::string_view free_text_keyword(std::string_view word, std::array<char, 64>& buffer,
                                   bool& separated) {
  separated = false;
  if (!word.empty() && (word.back() == ':' || word.back() == '=')) {
    word.remove_suffix(1);
    separated = true;
  }
  if (word.size() > buffer.size()) return {};
  for (std::size_t i = 0; i < word.size(); ++i) {
    buffer[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[i])));
  }
  return {buffer.data(), word.size()};
}

/// `user@host>` or `user@host#` at the start of a line: a Junos CLI prompt.
bool is_cli_prompt(std::string_view word) {
  if (word.size() < 3 || word.size() > 128) return false;
  char last = word.back();
  return (last == '>' || last == '#') && word.find('@') != std::string_view::npos &&
         word.find('"') == std::string_view::npos;
}

}  // namespace

void find_crypt_strings(std::string_view line, std::vector<secret_span>& spans) {
  static constexpr std::array<std::string_view, 10> schemes = {"1", "2a", "2b", "2y", "5",
                                                               "6", "7",  "8",  "9",  "y"};
  std::size_t pos = line.find('$');
  while (pos != npos) {
    std::size_t id_end = pos + 1;
    while (id_end < line.size() && id_end - pos <= 2 &&
           (std::isdigit(static_cast<unsigned char>(line[id_end])) != 0 ||
            std::islower(static_cast<unsigned char>(line[id_end])) != 0)) {
      ++id_end;
    }
    std::string_view id = line.substr(pos + 1, id_end - pos - 1);
    if (id_end < line.size() && line[id_end] == '$' &&
        std::find(schemes.begin(), schemes.end(), id) != schemes.end()) {
      std::size_t end = id_end + 1;
      while (end < line.size() && is_crypt_char(line[end])) ++end;
      spans.push_back({pos, end});
      pos = line.find('$', end);
    } else {
      pos = line.find('$', pos + 1);
    }
  }
}

void find_url_passwords(std::string_view line, std::vector<secret_span>& spans) {
  std::size_t pos = line.find("://");
  while (pos != npos) {
    std::size_t start = pos + 3;
    std::size_t colon = npos;
    std::size_t end = start;
    for (; end < line.size(); ++end) {
      char c = line[end];
      if (c == '@' || c == '/' || is_space(c) || c == '"' || c == '\'' || c == '<' || c == '>' ||
          c == ';' || c == '?' || c == '#') {
        break;
      }
      if (c == ':' && colon == npos) colon = end;
    }
    if (end < line.size() && line[end] == '@' && colon != npos && colon + 1 < end) {
      spans.push_back({colon + 1, end});
    }
    pos = line.find("://", std::max(end, start));
  }
}

void secret_finder::scan(std::string_view line, std::vector<secret_span>& spans) {
  find_crypt_strings(line, spans);
  find_url_passwords(line, spans);
  if (scan_pem(line, spans)) return;
  std::size_t start = scan_open_quote(line, spans);
  if (start >= line.size()) return;
  if (looks_like_xml(line)) {
    scan_xml(line, spans);
    return;
  }
  scan_words(line, start, spans);
  if (has_inline_markup(line, start)) scan_inline_xml(line, spans);
}

// A line that does not start with markup but carries some (`]]>]]><rpc-reply>...` from
// NETCONF framing, a one-line document after a prompt) is also read as XML, without
// keeping what it opened: a stray `<word>` in free text must not change later lines.
bool secret_finder::has_inline_markup(std::string_view line, std::size_t start) const {
  for (std::size_t lt = line.find('<', start); lt != npos; lt = line.find('<', lt + 1)) {
    if (lt + 1 < line.size() && is_name_start(line[lt + 1])) return true;
  }
  return false;
}

void secret_finder::scan_inline_xml(std::string_view line, std::vector<secret_span>& spans) {
  std::vector<element> saved = elements_;
  std::size_t saved_scopes = secret_element_scopes_;
  markup saved_markup = in_markup_;
  scan_xml(line, spans);
  elements_ = std::move(saved);
  secret_element_scopes_ = saved_scopes;
  in_markup_ = saved_markup;
}

// PEM private keys: every line between BEGIN and END is key material.
bool secret_finder::scan_pem(std::string_view line, std::vector<secret_span>& spans) {
  static constexpr std::string_view end_marker = "-----END";
  if (in_pem_) {
    std::size_t end = line.find(end_marker);
    if (end == npos) {
      add_trimmed(line, 0, line.size(), spans);
      return true;
    }
    add_trimmed(line, 0, end, spans);
    in_pem_ = false;
    return true;
  }
  std::size_t begin = line.find("-----BEGIN");
  if (begin == npos) return false;
  static constexpr std::string_view private_key = "PRIVATE KEY-----";
  std::size_t marker = line.find(private_key, begin);
  if (marker == npos) return false;
  std::size_t body = marker + private_key.size();
  std::size_t end = line.find(end_marker, body);
  if (end != npos) {
    add_trimmed(line, body, end, spans);  // the whole block on one line, `\n` escaped
  } else {
    add_trimmed(line, body, line.size(), spans);
    in_pem_ = true;
  }
  return false;
}

// A secret string that began on an earlier line and has not closed yet.
std::size_t secret_finder::scan_open_quote(std::string_view line, std::vector<secret_span>& spans) {
  if (!in_secret_quote_) return 0;
  std::size_t close = closing_quote(line, 0);
  if (close == npos) {
    add_trimmed(line, 0, line.size(), spans);
    return line.size();
  }
  add_trimmed(line, 0, close, spans);
  in_secret_quote_ = false;
  return close + 1;
}

// Only a line that starts with markup is read as XML: a `<` later in a line is text
// (`State: <Active Int Ext>`, `secret "<abc"`), so it cannot hide a keyword from the word rules.
bool secret_finder::looks_like_xml(std::string_view line) const {
  if (in_markup_ != markup::none) return true;
  if (!elements_.empty() && elements_.back().secret_text) return true;
  std::size_t first = 0;
  while (first < line.size() && is_space(line[first])) ++first;
  if (first + 1 >= line.size() || line[first] != '<') return false;
  char c = line[first + 1];
  return is_name_start(c) || c == '/' || c == '!' || c == '?';
}

// XML (`| display xml`, NETCONF replies): the text of secret elements.
void secret_finder::scan_xml(std::string_view line, std::vector<secret_span>& spans) {
  std::size_t pos = 0;
  if (in_markup_ != markup::none) {
    pos = finish_markup(line, 0);
    if (pos == npos) return;
  }
  std::size_t text = pos;
  while (pos < line.size()) {
    std::size_t lt = line.find('<', pos);
    if (lt == npos || lt + 1 >= line.size()) break;
    char next = line[lt + 1];
    if (!is_name_start(next) && next != '/' && next != '!' && next != '?') {
      pos = lt + 1;  // a `<` in text, like `a < b`
      continue;
    }
    add_element_text(line, text, lt, spans);
    if (next == '/') {
      std::size_t name_end = lt + 2;
      while (name_end < line.size() && !is_space(line[name_end]) && line[name_end] != '>')
        ++name_end;
      close_element(line.substr(lt + 2, name_end - lt - 2));
      in_markup_ = markup::tag;
      pos = finish_markup(line, name_end);
    } else if (line.compare(lt, 4, "<!--") == 0) {
      in_markup_ = markup::comment;
      pos = finish_markup(line, lt + 4);
    } else if (next == '!') {
      in_markup_ = markup::declaration;
      pos = finish_markup(line, lt + 2);
    } else if (next == '?') {
      in_markup_ = markup::processing;
      pos = finish_markup(line, lt + 2);
    } else {
      pos = open_element(line, lt);
    }
    if (pos == npos) return;
    text = pos;
  }
  add_element_text(line, text, line.size(), spans);
}

std::size_t secret_finder::finish_markup(std::string_view line, std::size_t pos) {
  std::string_view terminator = ">";
  if (in_markup_ == markup::comment) terminator = "-->";
  if (in_markup_ == markup::processing) terminator = "?>";
  std::size_t end = line.find(terminator, pos);
  if (end == npos) return npos;
  if (in_markup_ == markup::tag && end > 0 && line[end - 1] == '/' && !elements_.empty()) {
    close_element(elements_.back().name);  // `<name ... />` that spanned lines
  }
  in_markup_ = markup::none;
  return end + terminator.size();
}

std::size_t secret_finder::open_element(std::string_view line, std::size_t lt) {
  std::size_t name_end = lt + 1;
  while (name_end < line.size() && !is_space(line[name_end]) && line[name_end] != '>' &&
         line[name_end] != '/') {
    ++name_end;
  }
  std::string_view name = line.substr(lt + 1, name_end - lt - 1);
  if (elements_.size() >= max_depth) {
    elements_.clear();
    secret_element_scopes_ = 0;
  }
  std::string_view local = local_name(name);
  std::string_view parent = elements_.empty() ? "" : local_name(elements_.back().name);
  std::string_view grandparent =
      elements_.size() < 2 ? "" : local_name(elements_[elements_.size() - 2].name);
  element e{std::string(name), false, false};
  if (local == "name") {
    e.secret_text = (parent == "community" || parent == "trap-group") && grandparent == "snmp";
  } else if (local == "community-name" && parent == "community") {
    // `then community add NAME` in a policy: a route attribute, not SNMP.
  } else {
    switch (classify_keyword(local)) {
      case keyword_kind::secret:
        e.secret_text = e.secret_scope = true;
        break;
      case keyword_kind::secret_under_snmp:
        e.secret_text = parent == "snmp";
        break;
      case keyword_kind::value_of_secret:
        e.secret_text = secret_element_scopes_ > 0;
        break;
      case keyword_kind::plain:
        break;
    }
  }
  if (e.secret_scope) ++secret_element_scopes_;
  elements_.push_back(std::move(e));

  char quote = 0;
  for (std::size_t pos = name_end; pos < line.size(); ++pos) {
    char c = line[pos];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      if (line[pos - 1] == '/') close_element(elements_.back().name);
      return pos + 1;
    }
  }
  in_markup_ = markup::tag;
  return npos;
}

void secret_finder::close_element(std::string_view name) {
  auto match = std::find_if(elements_.rbegin(), elements_.rend(),
                            [&](const element& e) { return e.name == name; });
  if (match == elements_.rend()) return;  // a stray close tag: ignore it
  std::size_t keep = static_cast<std::size_t>(elements_.rend() - match) - 1;
  for (std::size_t i = keep; i < elements_.size(); ++i) {
    if (elements_[i].secret_scope) --secret_element_scopes_;
  }
  elements_.resize(keep);
}

void secret_finder::add_element_text(std::string_view line, std::size_t begin, std::size_t end,
                                     std::vector<secret_span>& spans) const {
  if (begin >= end || elements_.empty() || !elements_.back().secret_text) return;
  std::size_t first = begin;
  std::size_t last = end;
  while (first < last && is_space(line[first])) ++first;
  while (last > first && is_space(line[last - 1])) --last;
  if (first == last) return;
  if (is_key_number(local_name(elements_.back().name), line.substr(first, last - first))) return;
  spans.push_back({first, last});
}

std::size_t secret_finder::split_words(std::string_view line, std::size_t start) {
  words_.clear();
  std::size_t pos = start;
  while (pos < line.size()) {
    char c = line[pos];
    if (is_space(c)) {
      ++pos;
    } else if (c == '#') {
      return pos;  // the comment runs to the end of the line
    } else if (c == '"') {
      std::size_t close = closing_quote(line, pos + 1);
      if (close == npos) {
        words_.push_back({word_kind::quoted, pos + 1, line.size(), true});
        return npos;
      }
      words_.push_back({word_kind::quoted, pos + 1, close, false});
      pos = close + 1;
    } else if (is_punctuation(c)) {
      word_kind kind = c == ';'   ? word_kind::end
                       : c == '{' ? word_kind::block_open
                       : c == '}' ? word_kind::block_close
                       : c == '[' ? word_kind::list_open
                                  : word_kind::list_close;
      words_.push_back({kind, pos, pos + 1, false});
      ++pos;
    } else if (c == ':' && !words_.empty() && words_.back().kind == word_kind::quoted) {
      words_.push_back({word_kind::bare, pos, pos + 1, false});  // `"key":` in JSON
      ++pos;
    } else {
      std::size_t end = pos;
      while (end < line.size() && !has_class(line[end], space | punctuation)) ++end;
      words_.push_back({word_kind::bare, pos, end, false});
      pos = end;
    }
  }
  return npos;
}

bool secret_finder::is_config_statement(std::string_view line, std::string_view comment) const {
  if (!blocks_.empty()) return true;
  if (comment.find("SECRET-DATA") != npos) return true;
  for (const word& w : words_) {
    if (w.kind == word_kind::bare) {
      if (is_set_verb(line.substr(w.begin, w.end - w.begin))) return true;
      break;
    }
  }
  return std::any_of(words_.begin(), words_.end(), [](const word& w) {
    return w.kind == word_kind::end || w.kind == word_kind::block_open ||
           w.kind == word_kind::block_close;
  });
}

// A CLI prompt starts a new command's output: forget blocks a truncated earlier output left
// open (only blocks: the PEM, quote and XML states never end early).
void secret_finder::forget_blocks_at_prompt(std::string_view line) {
  if (words_.empty() || words_.front().begin != 0 || words_.front().kind != word_kind::bare) return;
  if (!is_cli_prompt(line.substr(0, words_.front().end))) return;
  blocks_.clear();
  secret_block_scopes_ = 0;
}

// `"key" :` -- a quoted word followed by a lone colon.
bool secret_finder::is_json_key(std::string_view line, std::size_t i) const {
  if (i + 1 >= words_.size()) return false;
  const word& next = words_[i + 1];
  return next.kind == word_kind::bare && next.end == next.begin + 1 && line[next.begin] == ':';
}

// The set form and the bracketed form (and free text) share one word-level rule: a secret
// keyword's value is a secret.
void secret_finder::scan_words(std::string_view line, std::size_t start,
                               std::vector<secret_span>& spans) {
  std::size_t comment_at = split_words(line, start);
  std::string_view comment = comment_at == npos ? std::string_view{} : line.substr(comment_at);
  forget_blocks_at_prompt(line);
  statement st;
  st.strict = is_config_statement(line, comment);
  std::string_view list_keyword;       // the statement that opened the current `[`
  std::string_view statement_keyword;  // the first word, which names a `{` block
  std::size_t last_value = npos;       // the last word of the last statement, for SECRET-DATA
  bool in_list = false;
  auto new_statement = [&] {
    statement_keyword = {};
    st.previous = blocks_.empty() ? "" : std::string_view(blocks_.back().keyword);
    st.previous_is_word = false;
    st.secret = false;
  };
  new_statement();
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const word& w = words_[i];
    std::string_view text = line.substr(w.begin, w.end - w.begin);
    switch (w.kind) {
      case word_kind::end:
        new_statement();
        break;
      case word_kind::block_open:
        push_block(statement_keyword, st.secret);
        new_statement();
        break;
      case word_kind::block_close:
        pop_block();
        new_statement();
        break;
      case word_kind::list_open:
        in_list = true;
        list_keyword = statement_keyword;
        break;
      case word_kind::list_close:
        if (!in_list) pop_block();  // closes a list opened on an earlier line (JSON)
        in_list = false;
        break;
      case word_kind::quoted:
        last_value = i;
        if (is_json_key(line, i)) {
          if (statement_keyword.empty()) statement_keyword = text;
          std::size_t used = apply_json_key(line, i, st, spans);
          if (used != i) last_value = used;
          i = used;
        }
        st.previous = {};
        st.previous_is_word = true;
        break;
      case word_kind::bare: {
        if (is_statement_prefix(text)) break;
        if (statement_keyword.empty()) statement_keyword = text;
        last_value = i;
        if (!in_list) {
          std::size_t used = apply_keyword(line, i, st, spans);
          if (used != i) {
            last_value = used;
            i = used;
            st.previous = {};
            st.previous_is_word = true;
            break;
          }
        }
        st.previous = text;
        st.previous_is_word = true;
        break;
      }
    }
  }
  // A list still open at the end of the line is a block (JSON arrays span lines; the
  // bracketed form always closes its `[ ... ]` on the same line).
  if (in_list) push_block(list_keyword, st.secret);
  if (comment.find("SECRET-DATA") != npos && last_value != npos) {
    const word& w = words_[last_value];
    if (w.begin < w.end) spans.push_back({w.begin, w.end});
    if (w.unterminated) in_secret_quote_ = true;
  }
}

// Redacts the value after the keyword at `i`; returns the index of the last word it used.
std::size_t secret_finder::apply_keyword(std::string_view line, std::size_t i, statement& st,
                                         std::vector<secret_span>& spans) {
  std::string_view keyword = line.substr(words_[i].begin, words_[i].end - words_[i].begin);
  std::array<char, 64> buffer{};
  bool separated = false;
  if (!st.strict) {
    std::size_t joint = keyword.find_first_of("=:");
    if (joint != npos && joint + 1 < keyword.size() && keyword.find("://") == npos) {
      // `password=hunter2`, `psk:abc` written as one word
      bool unused = false;
      std::string_view left = free_text_keyword(keyword.substr(0, joint), buffer, unused);
      if (classify_keyword(left) == keyword_kind::secret) {
        spans.push_back({words_[i].begin + joint + 1, words_[i].end});
      }
      return i;
    }
    keyword = free_text_keyword(keyword, buffer, separated);
  }
  keyword_kind kind = classify_keyword(keyword);
  if (kind == keyword_kind::plain) return i;
  if (st.previous_is_word && names_next_word(st.previous)) {
    return i;  // a name that looks like a keyword: `community password members ...`
  }
  if (kind == keyword_kind::secret_under_snmp && st.previous != "snmp") return i;
  if (kind == keyword_kind::value_of_secret && !st.secret && secret_block_scopes_ == 0) return i;
  st.secret = true;
  bool strict = st.strict;
  std::size_t j = i + 1;
  if (j >= words_.size()) return i;
  const word& next = words_[j];
  std::string_view value = line.substr(next.begin, next.end - next.begin);
  switch (next.kind) {
    case word_kind::bare:
      if (!strict && !separated) return i;  // `key is configured` in free text
      if (kind == keyword_kind::secret &&
          (is_never_a_value(value) || classify_keyword(value) != keyword_kind::plain ||
           is_key_number(keyword, value))) {
        return i;  // the next word is itself a keyword, or a key number
      }
      spans.push_back({next.begin, next.end});
      return j;
    case word_kind::quoted:
      if (next.begin < next.end) spans.push_back({next.begin, next.end});
      if (next.unterminated) in_secret_quote_ = true;
      return j;
    case word_kind::list_open: {
      std::size_t k = j + 1;
      for (; k < words_.size() && words_[k].kind != word_kind::list_close; ++k) {
        const word& item = words_[k];
        if ((item.kind == word_kind::bare || item.kind == word_kind::quoted) &&
            item.begin < item.end) {
          spans.push_back({item.begin, item.end});
        }
      }
      return std::min(k, words_.size() - 1);
    }
    default:
      return i;
  }
}

// JSON (`| display json`): `"key" : value`, with the enclosing keys from the block stack.
std::size_t secret_finder::apply_json_key(std::string_view line, std::size_t i, statement& st,
                                          std::vector<secret_span>& spans) {
  std::string_view key = line.substr(words_[i].begin, words_[i].end - words_[i].begin);
  std::size_t j = i + 2;  // after the `:`
  if (j >= words_.size()) return i + 1;
  const word& value = words_[j];
  std::string_view parent;
  std::string_view grandparent;
  for (auto b = blocks_.rbegin(); b != blocks_.rend(); ++b) {
    if (b->keyword.empty()) continue;  // the `{` of an array element
    if (parent.empty()) {
      parent = b->keyword;
    } else {
      grandparent = b->keyword;
      break;
    }
  }
  bool secret = false;
  if (key == "name") {
    secret = (parent == "community" || parent == "trap-group") && grandparent == "snmp";
  } else if (key == "community-name" && parent == "community") {
    // `then community add NAME` in a policy: a route attribute, not SNMP.
  } else {
    switch (classify_keyword(key)) {
      case keyword_kind::secret:
        secret = true;
        break;
      case keyword_kind::secret_under_snmp:
        secret = parent == "snmp";
        break;
      case keyword_kind::value_of_secret:
        secret = st.secret || secret_block_scopes_ > 0;
        break;
      case keyword_kind::plain:
        break;
    }
  }
  if (!secret) return i + 1;
  if (classify_keyword(key) == keyword_kind::secret) st.secret = true;
  if ((value.kind == word_kind::quoted || value.kind == word_kind::bare) &&
      value.begin < value.end) {
    std::string_view text = line.substr(value.begin, value.end - value.begin);
    if (is_key_number(key, text)) return i + 1;  // JSON quotes numbers too: `"key" : "5"`
    spans.push_back({value.begin, value.end});
    if (value.unterminated) in_secret_quote_ = true;
    return j;
  }
  return i + 1;
}

void secret_finder::push_block(std::string_view keyword, bool statement_secret) {
  if (blocks_.size() >= max_depth) {
    blocks_.clear();
    secret_block_scopes_ = 0;
  }
  bool secret = statement_secret || classify_keyword(keyword) == keyword_kind::secret;
  if (secret) ++secret_block_scopes_;
  blocks_.push_back({std::string(keyword), secret});
}

void secret_finder::pop_block() {
  if (blocks_.empty()) return;  // a stray `}`, as in `{master:0}` prompts
  if (blocks_.back().secret_scope) --secret_block_scopes_;
  blocks_.pop_back();
}

}  // namespace tether::collectors
