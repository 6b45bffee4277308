#include "devsim/config_tree.hpp"

#include <cctype>

#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

std::string pad(int depth) { return std::string(std::size_t(depth) * 4, ' '); }

std::string head(const config_node& n) {
  if (n.type == config_node::kind::named)
    return n.hide_keyword ? n.value : n.keyword + " " + n.value;
  if (n.type == config_node::kind::leaf)
    return n.keyword.empty() ? n.value : n.keyword + " " + n.value;
  return n.keyword;
}

std::string unquote(const std::string& v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

}  // namespace

config_node& config_node::add(config_node child) {
  children.push_back(std::move(child));
  return children.back();
}

config_node& config_node::container(std::string kw) {
  config_node n;
  n.keyword = std::move(kw);
  return add(std::move(n));
}

config_node& config_node::named(std::string kw, std::string name) {
  config_node n;
  n.type = kind::named;
  n.keyword = std::move(kw);
  n.value = std::move(name);
  return add(std::move(n));
}

void config_node::leaf(std::string kw, std::string v, bool is_secret) {
  config_node n;
  n.type = kind::leaf;
  n.keyword = std::move(kw);
  n.value = std::move(v);
  n.secret = is_secret;
  add(std::move(n));
}

config_node& config_node::entry(std::string kw, std::string name) {
  config_node& n = named(std::move(kw), std::move(name));
  n.hide_keyword = true;
  return n;
}

config_node& config_node::list(std::string kw) {
  config_node& n = container(std::move(kw));
  n.xml_list = true;
  return n;
}

void config_node::flag(std::string kw) {
  config_node n;
  n.type = kind::flag;
  n.keyword = std::move(kw);
  add(std::move(n));
}

std::vector<const config_node*> config_node::find(const std::vector<std::string>& path) const {
  std::vector<const config_node*> chain;
  const config_node* at = this;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const config_node* next = nullptr;
    for (const config_node& c : at->children) {
      if (c.type == kind::container && c.keyword == path[i]) {
        next = &c;
      } else if (c.type == kind::named && c.hide_keyword && c.value == path[i]) {
        next = &c;
      } else if (c.type == kind::named && c.keyword == path[i] && i + 1 < path.size() &&
                 c.value == path[i + 1]) {
        next = &c;
        ++i;
      }
      if (next) break;
    }
    if (!next) return {};
    chain.push_back(next);
    at = next;
  }
  return chain;
}

std::pair<std::string, std::string> xml_ancestor(const config_node& n, int depth) {
  const std::string tag = n.keyword.empty() ? "certificate" : n.keyword;
  if (n.type != config_node::kind::named)
    return {pad(depth) + "<" + tag + ">\n", pad(depth) + "</" + tag + ">\n"};
  if (n.value_is_element)
    return {pad(depth) + "<" + tag + ">\n" + pad(depth + 1) + "<" + n.value + ">\n",
            pad(depth + 1) + "</" + n.value + ">\n" + pad(depth) + "</" + tag + ">\n"};
  return {pad(depth) + "<" + tag + ">\n" + pad(depth + 1) + "<name>" + xml_escape(unquote(n.value)) +
              "</name>\n",
          pad(depth) + "</" + tag + ">\n"};
}

std::size_t config_node::statements() const {
  if (children.empty()) return 1;
  std::size_t n = 0;
  for (const config_node& c : children) n += c.statements();
  return n;
}

std::string render_hierarchy(const config_node& node, int depth) {
  std::string out;
  for (const config_node& c : node.children) {
    out += pad(depth) + head(c);
    if (c.children.empty()) {
      out += ";";
      if (c.secret) out += " ## SECRET-DATA";
      out += "\n";
    } else {
      out += " {\n" + render_hierarchy(c, depth + 1) + pad(depth) + "}\n";
    }
  }
  return out;
}

std::string render_set(const config_node& node, const std::string& prefix) {
  std::string out;
  for (const config_node& c : node.children) {
    const std::string path = prefix + " " + head(c);
    if (c.children.empty())
      out += path + "\n";
    else
      out += render_set(c, path);
  }
  return out;
}

std::string render_xml(const config_node& node, int depth) {
  std::string out;
  for (const config_node& c : node.children) {
    if (c.type == config_node::kind::container && c.xml_list) {
      config_node flat = c;
      for (config_node& e : flat.children) e.keyword = c.keyword;
      out += render_xml(flat, depth);
      continue;
    }
    const std::string tag = c.keyword.empty() ? "certificate" : c.keyword;
    switch (c.type) {
      case config_node::kind::flag:
        out += pad(depth) + "<" + tag + "/>\n";
        break;
      case config_node::kind::leaf:
        out += pad(depth) + "<" + tag + ">" + xml_escape(unquote(c.value)) + "</" + tag + ">\n";
        break;
      case config_node::kind::container:
        out += pad(depth) + "<" + tag + ">\n" + render_xml(c, depth + 1) + pad(depth) + "</" +
               tag + ">\n";
        break;
      case config_node::kind::named:
        if (c.value_is_element) {
          const std::string inner = xml_escape(c.value);
          out += pad(depth) + "<" + tag + ">\n" + pad(depth + 1) + "<" + inner + ">\n" +
                 render_xml(c, depth + 2) + pad(depth + 1) + "</" + inner + ">\n" + pad(depth) +
                 "</" + tag + ">\n";
        } else {
          out += pad(depth) + "<" + tag + ">\n" + pad(depth + 1) + "<name>" +
                 xml_escape(unquote(c.value)) + "</name>\n" + render_xml(c, depth + 1) +
                 pad(depth) + "</" + tag + ">\n";
        }
        break;
    }
  }
  return out;
}

std::string junos_quote(std::string_view text) {
  bool plain = !text.empty();
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == '/' || c == ':'))
      plain = false;
  return plain ? std::string(text) : "\"" + std::string(text) + "\"";
}

}  // namespace tether::devsim
