#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tether::collectors {

/// One secret inside a line: bytes [begin, end) are replaced by a token.
struct secret_span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// Finds the secret byte ranges of device output, one line at a time, remembering what a
/// line needs from the lines before it: the open `{` blocks of the bracketed form, the open
/// XML elements, a PEM private-key block, a secret string whose quote has not closed yet.
/// Pure: no I/O, no tokens; the redactor replaces what it finds.
class secret_finder {
 public:
  /// Appends the secret spans of `line` (without its line break) to `spans`, in any order;
  /// spans may overlap.
  void scan(std::string_view line, std::vector<secret_span>& spans);

 private:
  /// An open XML element and what its text is.
  struct element {
    std::string name;
    bool secret_text = false;   // its own text is a secret
    bool secret_scope = false;  // a `value` below it is a secret
  };
  /// An open `{` block of the bracketed form.
  struct block {
    std::string keyword;
    bool secret_scope = false;
  };
  enum class markup { none, comment, tag, processing, declaration };
  enum class word_kind { bare, quoted, list_open, list_close, block_open, block_close, end };
  /// One word of the set or bracketed form; for a quoted string, the bytes inside the quotes.
  struct word {
    word_kind kind = word_kind::bare;
    std::size_t begin = 0;
    std::size_t end = 0;
    bool unterminated = false;  // a quoted string still open at the end of the line
  };

  bool scan_pem(std::string_view line, std::vector<secret_span>& spans);
  std::size_t scan_open_quote(std::string_view line, std::vector<secret_span>& spans);
  bool looks_like_xml(std::string_view line) const;
  void scan_xml(std::string_view line, std::vector<secret_span>& spans);
  bool has_inline_markup(std::string_view line, std::size_t start) const;
  void scan_inline_xml(std::string_view line, std::vector<secret_span>& spans);
  std::size_t finish_markup(std::string_view line, std::size_t pos);
  std::size_t open_element(std::string_view line, std::size_t lt);
  void close_element(std::string_view name);
  void scan_words(std::string_view line, std::size_t start, std::vector<secret_span>& spans);
  std::size_t split_words(std::string_view line, std::size_t start);
  void forget_blocks_at_prompt(std::string_view line);
  bool is_json_key(std::string_view line, std::size_t i) const;
  bool is_config_statement(std::string_view line, std::string_view comment) const;
  /// What the word-level rule knows about the statement it is reading.
  struct statement {
    std::string_view previous;      // the word before, or the enclosing block's keyword
    bool previous_is_word = false;  // `previous` is in this statement, not the block
    bool strict = true;             // a configuration statement, not free text
    bool secret = false;            // a secret keyword came earlier in this statement
  };
  std::size_t apply_keyword(std::string_view line, std::size_t i, statement& st,
                            std::vector<secret_span>& spans);
  std::size_t apply_json_key(std::string_view line, std::size_t i, statement& st,
                             std::vector<secret_span>& spans);
  void add_element_text(std::string_view line, std::size_t begin, std::size_t end,
                        std::vector<secret_span>& spans) const;
  void push_block(std::string_view keyword, bool statement_secret);
  void pop_block();

  bool in_pem_ = false;
  bool in_secret_quote_ = false;
  markup in_markup_ = markup::none;
  std::vector<element> elements_;
  std::size_t secret_element_scopes_ = 0;
  std::vector<block> blocks_;
  std::vector<word> words_;  // reused for every line
  std::size_t secret_block_scopes_ = 0;
};

/// Finds `$1$`, `$5$`, `$6$`, `$8$`, `$9$` (and other crypt) strings anywhere in `line`.
void find_crypt_strings(std::string_view line, std::vector<secret_span>& spans);
/// Finds the password of `scheme://user:password@host` anywhere in `line`.
void find_url_passwords(std::string_view line, std::vector<secret_span>& spans);

}  // namespace tether::collectors
