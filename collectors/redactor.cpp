#include "collectors/redactor.hpp"

#include <algorithm>
#include <cstring>

namespace tether::collectors {

redactor::redactor(site_key key, std::size_t max_line) : key_(key), max_line_(max_line) {}

redactor::~redactor() = default;

std::string redactor::feed(std::string_view chunk) {
  std::string out;
  feed(chunk, out);
  return out;
}

std::string redactor::finish() {
  std::string out;
  finish(out);
  return out;
}

void redactor::feed(std::string_view chunk, std::string& out) {
  std::size_t pos = 0;
  while (pos < chunk.size()) {
    const void* found = std::memchr(chunk.data() + pos, '\n', chunk.size() - pos);
    if (found == nullptr) {
      std::string_view rest = chunk.substr(pos);
      if (overlong_) {
        overlong_->update(rest);
      } else if (pending_.size() + rest.size() > max_line_) {
        overlong_ = std::make_unique<token_hasher>(key_);
        overlong_->update(pending_);
        overlong_->update(rest);
        pending_.clear();
      } else {
        pending_.append(rest);
      }
      return;
    }
    std::size_t newline = static_cast<std::size_t>(static_cast<const char*>(found) - chunk.data());
    std::string_view piece = chunk.substr(pos, newline - pos);
    if (overlong_ || pending_.size() + piece.size() > max_line_) {
      emit_overlong(piece, true, out);
    } else if (pending_.empty()) {
      emit_line(chunk.substr(pos, newline - pos + 1), out);
    } else {
      pending_.append(chunk.substr(pos, newline - pos + 1));
      emit_line(pending_, out);
      pending_.clear();
    }
    pos = newline + 1;
  }
}

void redactor::finish(std::string& out) {
  if (overlong_) {
    emit_overlong({}, false, out);
  } else if (!pending_.empty()) {
    emit_line(pending_, out);
    pending_.clear();
  }
}

// A line over the cap is not looked at: it leaves as one token of its bytes.
void redactor::emit_overlong(std::string_view tail, bool newline, std::string& out) {
  if (!overlong_) {
    overlong_ = std::make_unique<token_hasher>(key_);
    overlong_->update(pending_);
    pending_.clear();
  }
  overlong_->update(tail);
  out += overlong_->finish();
  overlong_.reset();
  if (newline) out += '\n';
  ++redactions_;
}

void redactor::emit_line(std::string_view line, std::string& out) {
  std::string_view content = line;
  if (!content.empty() && content.back() == '\n') content.remove_suffix(1);
  if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
  spans_.clear();
  finder_.scan(content, spans_);
  if (spans_.empty()) {
    out.append(line);
    return;
  }
  std::sort(spans_.begin(), spans_.end(),
            [](const secret_span& a, const secret_span& b) { return a.begin < b.begin; });
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < spans_.size()) {
    std::size_t begin = spans_[i].begin;
    std::size_t end = spans_[i].end;
    // Overlapping findings (a `$9$` string that is also a keyword's value) are one secret.
    for (++i; i < spans_.size() && spans_[i].begin < end; ++i) end = std::max(end, spans_[i].end);
    out.append(line.substr(copied, begin - copied));
    key_.append_token(content.substr(begin, end - begin), out);
    ++redactions_;
    copied = end;
  }
  out.append(line.substr(copied));
}

std::string redact_text(const site_key& key, std::string_view text, std::size_t* redactions) {
  redactor r(key);
  std::string out;
  out.reserve(text.size());
  r.feed(text, out);
  r.finish(out);
  if (redactions != nullptr) *redactions = r.redactions();
  return out;
}

}  // namespace tether::collectors
