#include "devsim/xml_writer.hpp"

namespace tether::devsim {

void xml_writer::indent() { out_.append(std::size_t(depth_) * 4, ' '); }

void xml_writer::open(std::string_view name, std::string_view attributes) {
  indent();
  out_ += '<';
  out_ += name;
  if (!attributes.empty()) (out_ += ' ') += attributes;
  out_ += ">\n";
  ++depth_;
}

void xml_writer::close(std::string_view name) {
  --depth_;
  indent();
  ((out_ += "</") += name) += ">\n";
}

void xml_writer::leaf(std::string_view name, std::string_view value,
                      std::string_view attributes) {
  indent();
  out_ += '<';
  out_ += name;
  if (!attributes.empty()) (out_ += ' ') += attributes;
  out_ += '>';
  out_ += xml_escape(value);
  ((out_ += "</") += name) += ">\n";
}

void xml_writer::empty(std::string_view name) {
  indent();
  ((out_ += '<') += name) += "/>\n";
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string junos_namespace(std::string_view release, std::string_view schema) {
  // Junos names its schemas after the major release with R0: 22.4R2-S2.6 -> 22.4R0.
  std::string_view major = release.substr(0, release.find('R'));
  return "xmlns=\"http://xml.juniper.net/junos/" + std::string(major) + "R0/" +
         std::string(schema) + "\"";
}

std::string rpc_reply(std::string_view release, std::string_view body, bool master_banner) {
  std::string out = "<rpc-reply xmlns:junos=\"http://xml.juniper.net/junos/";
  out += release;
  out += "/junos\">\n";
  out += body;
  out += "    <cli>\n";
  out += master_banner ? "        <banner>{master}</banner>\n" : "        <banner></banner>\n";
  out += "    </cli>\n</rpc-reply>\n";
  return out;
}

}  // namespace tether::devsim
