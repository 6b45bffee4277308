#include "collectors/end_of_support.hpp"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "collectors/junos_version.hpp"
#include "config/config_error.hpp"
#include "config/yaml_document.hpp"

namespace tether::collectors {

namespace {

using config::yaml_document;
using config::yaml_map;

std::optional<std::chrono::sys_days> read_date(yaml_document& doc, const YAML::Node& node,
                                               const std::string& field) {
  return config::read_scalar<std::chrono::sys_days>(
      doc, node, field, [](std::string_view text, std::string& why) {
        auto day = parse_iso_date(text);
        if (!day) why = "expected a date YYYY-MM-DD, got \"" + std::string(text) + "\"";
        return day;
      });
}

/// A train name must read back as itself through the version grammar (`21.4`, `15.1X49`,
/// `22.4-EVO`), so lookups by parsed version always find it.
bool is_train_name(const std::string& name) {
  const auto dash = name.find("-EVO");
  std::string probe = name.substr(0, dash);
  probe += probe.find('X') == std::string::npos ? "R1" : "-D1";
  if (dash != std::string::npos) probe += name.substr(dash);
  const auto v = parse_junos_version(probe);
  return v && v->train() == name;
}

void read_trains(yaml_document& doc, const YAML::Node& node, end_of_support_table& table) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    doc.error(node, "trains", "expected a map of release trains to End-of-Support dates");
    return;
  }
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string train = it->first.IsScalar() ? it->first.Scalar() : "(complex key)";
    const std::string field = "trains." + train;
    if (!is_train_name(train)) {
      doc.error(it->first, field, "expected a release train such as 21.4, 15.1X49 or 22.4-EVO");
      continue;
    }
    if (!seen.insert(train).second) {
      doc.error(it->first, field, "duplicate key");
      continue;
    }
    if (!it->second.IsDefined() || it->second.IsNull()) {
      doc.error(it->first, field, "missing; expected the End-of-Support date YYYY-MM-DD");
      continue;
    }
    if (auto day = read_date(doc, it->second, field)) table.trains.push_back({train, *day});
  }
}

}  // namespace

const eos_train* end_of_support_table::find(std::string_view train) const {
  for (const auto& t : trains)
    if (t.train == train) return &t;
  return nullptr;
}

std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  const std::chrono::year_month_day ymd{std::chrono::year(parts[0]),
                                        std::chrono::month(unsigned(parts[1])),
                                        std::chrono::day(unsigned(parts[2]))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::string format_iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return out;
}

end_of_support_table parse_end_of_support_table(const std::string& text, std::string name) {
  yaml_document doc = yaml_document::parse(text, std::move(name));
  end_of_support_table table;
  table.file = doc.file();
  if (doc.ok()) {
    yaml_map root(doc, doc.root(), "");
    auto source = config::read_string(doc, root.required("source", "the vendor page's URL"), "source");
    auto taken = read_date(doc, root.required("taken", "the date the table was taken"), "taken");
    auto note = config::read_string(doc, root.optional("note"), "note");
    read_trains(doc, root.required("trains", "a map of release trains to dates"), table);
    root.reject_unknown();
    if (source) table.source = *source;
    if (taken) table.taken = *taken;
    table.note = note.value_or("");
  }
  doc.throw_if_errors();
  return table;
}

end_of_support_table load_end_of_support_table(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw config::config_failure({{file, 0, 0, "", "cannot read the file"}});
  std::ostringstream text;
  text << in.rdbuf();
  return parse_end_of_support_table(text.str(), file);
}

}  // namespace tether::collectors
