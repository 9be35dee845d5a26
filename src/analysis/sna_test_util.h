// Test-only helpers for the SNA kernel tests (centrality, structure, communities): load the
// small reference graphs (tests/fixtures/graphs, falling back to ../shared/data/graphs)
// and the networkx / igraph reference values, and build graphs from edge pairs.
// Header-only; not part of the library.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/graph.h"

namespace casegraph::analysis::testing {

inline std::string SourceDir() {
  return CASEGRAPH_SOURCE_DIR;
}
inline std::string SharedGraphsDir() {
  return std::string(CASEGRAPH_SHARED_DIR) + "/data/graphs";
}
inline std::string FixtureGraphsDir() {
  return SourceDir() + "/tests/fixtures/graphs";
}

struct NamedGraph {
  std::vector<std::string> names;      // nodes.csv "name" (or "label") column, by id
  std::vector<std::string> node_attr;  // the column asked for by LoadCsvGraph (e.g. Faction)
  graph::EdgeList edges;
};

// Splits one CSV line (these files have no quoted commas).
inline std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    out.push_back(cell);
  }
  return out;
}

// Reads <dir>/nodes.csv and <dir>/edges.csv (ids 0-based). Links are undirected
// (EdgeList::directed = 0); the optional edge "weight" column becomes the link weight.
inline std::optional<NamedGraph> LoadCsvGraph(const std::string& dir,
                                              const std::string& node_attr = "") {
  std::ifstream nodes(dir + "/nodes.csv"), edges(dir + "/edges.csv");
  if (!nodes || !edges) return std::nullopt;
  NamedGraph g;
  std::string line;
  std::getline(nodes, line);
  auto header = SplitCsv(line);
  int name_col = -1, attr_col = -1;
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    if (header[i] == "name" || (name_col < 0 && header[i] == "label")) name_col = i;
    if (!node_attr.empty() && header[i] == node_attr) attr_col = i;
  }
  while (std::getline(nodes, line)) {
    if (line.empty()) continue;
    auto cells = SplitCsv(line);
    const std::size_t id = std::stoul(cells[0]);
    if (g.names.size() <= id) {
      g.names.resize(id + 1);
      g.node_attr.resize(id + 1);
    }
    if (name_col >= 0 && name_col < static_cast<int>(cells.size())) g.names[id] = cells[name_col];
    if (attr_col >= 0 && attr_col < static_cast<int>(cells.size()))
      g.node_attr[id] = cells[attr_col];
  }
  std::getline(edges, line);
  header = SplitCsv(line);
  int weight_col = -1;
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    if (header[i] == "weight") weight_col = i;
  }
  while (std::getline(edges, line)) {
    if (line.empty()) continue;
    auto cells = SplitCsv(line);
    g.edges.src.push_back(static_cast<graph::NodeId>(std::stoul(cells[0])));
    g.edges.dst.push_back(static_cast<graph::NodeId>(std::stoul(cells[1])));
    if (weight_col >= 0) g.edges.weight.push_back(std::stod(cells[weight_col]));
  }
  g.edges.num_nodes = static_cast<std::int64_t>(g.names.size());
  g.edges.directed.assign(g.edges.src.size(), 0);
  return g;
}

// Where each reference graph lives, relative to the fixtures or the shared data folder.
struct ReferenceGraph {
  std::string key;      // key in reference_centralities_*.json
  std::string rel_dir;  // folder under data/graphs (shared layout)
  std::string fixture;  // folder under tests/fixtures/graphs, empty if not copied
};

inline const std::vector<ReferenceGraph>& ReferenceGraphs() {
  static const std::vector<ReferenceGraph> kGraphs = {
      {"karate_igraphdata", "sna/karate", "karate"},
      {"kite_krackhardt", "sna/kite", "kite"},
      {"lesmis_networkdata", "sna/lesmis", "lesmis"},
      {"florentine_marriage", "sna/florentine_marriage", "florentine_marriage"},
      {"911_associates", "covert/911_hijackers/01_1", ""},
      {"911_priorcontacts", "covert/911_hijackers/02_2", ""},
      {"caviar_full", "covert/caviar_phases/01_1", ""},
  };
  return kGraphs;
}

// Fixture copy first, then the shared data folder.
inline std::optional<NamedGraph> LoadReferenceGraph(const ReferenceGraph& ref,
                                                    const std::string& node_attr = "") {
  if (!ref.fixture.empty()) {
    if (auto g = LoadCsvGraph(FixtureGraphsDir() + "/" + ref.fixture, node_attr)) return g;
  }
  return LoadCsvGraph(SharedGraphsDir() + "/" + ref.rel_dir, node_attr);
}

// The reference JSON ("networkx" or "igraph"): shared file (all graphs) if present, else
// the fixture copy (the permissively licensed graphs only).
inline std::optional<nlohmann::json> LoadReferenceValues(const std::string& lib) {
  const std::string file = "/reference_centralities_" + lib + ".json";
  for (const auto& dir : {SharedGraphsDir(), FixtureGraphsDir()}) {
    std::ifstream in(dir + file);
    if (!in) continue;
    // The igraph file writes NaN (closeness of an isolate) which JSON does not allow.
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    for (std::size_t at = s.find("NaN"); at != std::string::npos; at = s.find("NaN", at)) {
      s.replace(at, 3, "null");
    }
    return nlohmann::json::parse(s);
  }
  return std::nullopt;
}

// A graph from (src, dst) pairs; all links directed unless `undirected`.
inline graph::EdgeList PairsToEdges(std::int64_t n,
                                    const std::vector<std::pair<graph::NodeId, graph::NodeId>>& p,
                                    bool undirected = false) {
  graph::EdgeList e;
  e.num_nodes = n;
  for (auto [s, t] : p) {
    e.src.push_back(s);
    e.dst.push_back(t);
  }
  if (undirected) e.directed.assign(p.size(), 0);
  return e;
}

}  // namespace casegraph::analysis::testing
