#include "collectors/parsers/bgp_parser.hpp"

#include <algorithm>

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

/// `682/684/684/0` as counts; nullopt unless it is exactly four numbers.
std::optional<bgp_rib_counts> rib_counts(std::string_view text) {
  std::vector<long long> values;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto slash = text.find('/', pos);
    if (slash == std::string_view::npos) slash = text.size();
    const auto value = to_count(text.substr(pos, slash - pos));
    if (!value) return std::nullopt;
    values.push_back(*value);
    pos = slash + 1;
  }
  if (values.size() != 4) return std::nullopt;
  return bgp_rib_counts{std::nullopt, values[0], values[1], values[2], values[3]};
}

/// The CLI abbreviates Established in the State column; other states are printed whole.
std::string state_name(std::string_view state) {
  return state == "Establ" ? "Established" : std::string(state);
}

bool is_peer_header(const std::vector<std::string_view>& w) {
  return w.size() >= 3 && w[0] == "Peer" && w[1] == "AS" && w[2] == "InPkt";
}

/// `Groups: 14 Peers: 19 Down peers: 15`
std::optional<bgp_totals> totals_line(const std::vector<std::string_view>& w) {
  if (w.size() != 7 || w[0] != "Groups:" || w[2] != "Peers:" || w[4] != "Down" || w[5] != "peers:") {
    return std::nullopt;
  }
  return bgp_totals{std::nullopt, std::nullopt, to_count(w[1]), to_count(w[3]), to_count(w[6])};
}

/// peer AS InPkt OutPkt OutQ Flaps <Last Up/Dwn: 1-2 words> <State | counts...>
std::optional<bgp_peer> peer_row(const std::vector<std::string_view>& w) {
  if (w.size() < 8) return std::nullopt;
  for (std::size_t i = 1; i <= 5; ++i) {
    if (!to_count(w[i])) return std::nullopt;
  }
  bgp_peer peer;
  peer.address = std::string(w[0]);
  peer.as = to_count(w[1]);
  peer.flaps = to_count(w[5]);
  // Established peers print their RIB counts where the state would be.
  std::size_t counts_from = w.size();
  while (counts_from > 6 && rib_counts(w[counts_from - 1])) --counts_from;
  std::size_t state_at = counts_from;
  if (counts_from < w.size()) {
    peer.state = "Established";
    for (std::size_t i = counts_from; i < w.size(); ++i) peer.ribs.push_back(*rib_counts(w[i]));
  } else {
    state_at = w.size() - 1;
    peer.state = state_name(w[state_at]);
  }
  if (state_at <= 6) return std::nullopt;
  std::string elapsed;
  for (std::size_t i = 6; i < state_at; ++i) elapsed += (elapsed.empty() ? "" : " ") + std::string(w[i]);
  peer.last_up_down = elapsed;
  return peer;
}

void parse_text(const std::vector<std::string_view>& lines, bgp_summary& out) {
  bool in_peers = false;
  bgp_peer* current = nullptr;
  for (const auto& cl : context_lines(lines)) {
    const auto w = words(cl.line);
    if (cl.boundary || w.empty()) {
      in_peers = false;
      current = nullptr;
      continue;
    }
    if (auto totals = totals_line(w)) {
      totals->member = cl.member;
      totals->logical_system = cl.logical_system;
      out.totals.push_back(std::move(*totals));
      continue;
    }
    if (is_peer_header(w)) {
      in_peers = true;
      current = nullptr;
      continue;
    }
    if (!in_peers) continue;
    // `  inet.0: 682/684/684/0` under an established peer
    if (w.size() == 2 && w[0].size() > 1 && w[0].back() == ':' && current) {
      if (auto counts = rib_counts(w[1])) {
        counts->table = std::string(w[0].substr(0, w[0].size() - 1));
        current->ribs.push_back(std::move(*counts));
      }
      continue;
    }
    current = nullptr;
    if (auto peer = peer_row(w)) {
      peer->member = cl.member;
      peer->logical_system = cl.logical_system;
      out.peers.push_back(std::move(*peer));
      current = &out.peers.back();
    }
  }
}

void parse_xml(const pugi::xml_document& doc, bgp_summary& out) {
  for (const auto& info : descendants_named(doc, "bgp-information")) {
    const auto member = xml_member(info);
    if (child_named(info, "group-count") || child_named(info, "peer-count")) {
      out.totals.push_back({member, std::nullopt, child_count(info, "group-count"),
                            child_count(info, "peer-count"), child_count(info, "down-peer-count")});
    }
    for (auto node = info.first_child(); node; node = node.next_sibling()) {
      if (local_name(node) != "bgp-peer") continue;
      bgp_peer peer;
      peer.member = member;
      peer.address = child_text(node, "peer-address").value_or("");
      if (peer.address.empty()) continue;
      peer.as = child_count(node, "peer-as");
      peer.state = child_text(node, "peer-state");
      peer.flaps = child_count(node, "flap-count");
      peer.last_up_down = child_text(node, "elapsed-time");
      for (auto rib = node.first_child(); rib; rib = rib.next_sibling()) {
        if (local_name(rib) != "bgp-rib") continue;
        peer.ribs.push_back({child_text(rib, "name"), child_count(rib, "active-prefix-count"),
                             child_count(rib, "received-prefix-count"),
                             child_count(rib, "accepted-prefix-count"),
                             child_count(rib, "suppressed-prefix-count")});
      }
      out.peers.push_back(std::move(peer));
    }
  }
}

}  // namespace

bgp_summary parse_bgp(std::string_view capture) {
  bgp_summary out;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, out); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, out); });
  return out;
}

nlohmann::ordered_json to_json(const bgp_summary& summary) {
  auto totals = nlohmann::ordered_json::array();
  for (const auto& t : summary.totals) {
    totals.push_back({{"member", json_or_null(t.member)},
                      {"logical_system", json_or_null(t.logical_system)},
                      {"groups", json_or_null(t.groups)},
                      {"peers", json_or_null(t.peers)},
                      {"down_peers", json_or_null(t.down_peers)}});
  }
  auto peers = nlohmann::ordered_json::array();
  for (const auto& p : summary.peers) {
    auto ribs = nlohmann::ordered_json::array();
    for (const auto& r : p.ribs) {
      ribs.push_back({{"table", json_or_null(r.table)},
                      {"active", json_or_null(r.active)},
                      {"received", json_or_null(r.received)},
                      {"accepted", json_or_null(r.accepted)},
                      {"damped", json_or_null(r.damped)}});
    }
    peers.push_back({{"member", json_or_null(p.member)},
                     {"logical_system", json_or_null(p.logical_system)},
                     {"peer", p.address},
                     {"as", json_or_null(p.as)},
                     {"state", json_or_null(p.state)},
                     {"flaps", json_or_null(p.flaps)},
                     {"last_up_down", json_or_null(p.last_up_down)},
                     {"ribs", std::move(ribs)}});
  }
  return {{"totals", std::move(totals)}, {"peers", std::move(peers)}};
}

}  // namespace tether::collectors
