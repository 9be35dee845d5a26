// AMLSim evaluation of the cycle search and the fan-in detector, shared by
// bench/aml_eval_bench.cc and aml_eval_test.cc. Header-only: it reads the IBM AMLSim
// output in ../shared/data/aml/amlsim_10k (accounts.csv, alerts.csv), builds a payment
// graph from the alert transactions (the snapshot has no background transactions: see its
// SOURCE.txt), runs FindCycles and FindFanHubs and scores them against the labelled alerts.
//
// Scoring. Cycle alert found: some reported cycle uses only that alert's transactions.
// Cycle precision: share of reported cycles that lie inside one cycle alert. Fan-in alert
// found: a reported hub is the alert's receiver and its best window contains at least half
// of the alert's transactions. Fan-in precision: share of reported hubs that are the
// receiver of some fan-in alert. Timestamps are AMLSim steps, taken as days.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analysis/cycles.h"
#include "analysis/flows.h"
#include "graph/graph.h"

namespace casegraph::analysis::aml {

struct Alert {
  std::string type;               // "cycle" or "fan_in"
  std::vector<std::uint32_t> tx;  // link indices of its transactions
  std::uint32_t receiver = 0;     // fan-in: the (single) receiving account
};

struct Dataset {
  graph::Graph graph;
  std::map<std::int64_t, Alert> alerts;
  std::vector<std::int64_t> link_alert;  // per link: its alert id
};

struct Scores {
  std::int64_t cycle_alerts = 0, cycle_found = 0, cycle_alerts_with_cycle = 0;
  std::int64_t cycles_reported = 0, cycles_correct = 0;
  std::int64_t fan_alerts = 0, fan_found = 0, hubs_reported = 0, hubs_correct = 0;
  double cycle_seconds = 0, fan_seconds = 0;
  double CycleRecall() const { return cycle_alerts ? double(cycle_found) / cycle_alerts : 0; }
  double CyclePrecision() const {
    return cycles_reported ? double(cycles_correct) / cycles_reported : 0;
  }
  double FanRecall() const { return fan_alerts ? double(fan_found) / fan_alerts : 0; }
  double FanPrecision() const { return hubs_reported ? double(hubs_correct) / hubs_reported : 0; }
};

inline std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}

// Returns false when the folder or its files are missing.
inline bool Load(const std::string& dir, Dataset& d) {
  std::ifstream accounts(dir + "/accounts.csv"), alerts(dir + "/alerts.csv");
  if (!accounts || !alerts) return false;
  std::string line;
  std::int64_t max_account = -1;
  std::getline(accounts, line);
  while (std::getline(accounts, line)) {
    auto f = SplitCsv(line);
    if (!f.empty()) max_account = std::max<std::int64_t>(max_account, std::stoll(f[0]));
  }
  graph::EdgeList e;
  std::getline(
      alerts, line);  // ALERT_ID,ALERT_TYPE,IS_FRAUD,TX_ID,SENDER,RECEIVER,TX_TYPE,AMOUNT,TIMESTAMP
  while (std::getline(alerts, line)) {
    auto f = SplitCsv(line);
    if (f.size() < 9) continue;
    const std::int64_t alert = std::stoll(f[0]);
    const auto src = static_cast<graph::NodeId>(std::stoul(f[4]));
    const auto dst = static_cast<graph::NodeId>(std::stoul(f[5]));
    max_account = std::max<std::int64_t>(max_account, std::max(src, dst));
    Alert& a = d.alerts[alert];
    a.type = f[1];
    a.receiver = dst;
    a.tx.push_back(static_cast<std::uint32_t>(e.src.size()));
    d.link_alert.push_back(alert);
    e.src.push_back(src);
    e.dst.push_back(dst);
    e.weight.push_back(std::stod(f[7]));
    e.time.push_back(std::stoll(f[8]) * 86400);
  }
  e.num_nodes = max_account + 1;
  d.graph = graph::Graph::Build(std::move(e));  // e is not needed afterwards
  return true;
}

// Whether the alert's own transactions contain a directed cycle (ground truth check).
inline bool AlertHasCycle(const Dataset& d, const Alert& a) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> adj;
  for (auto l : a.tx) adj[d.graph.link_source(l)].push_back(d.graph.link_target(l));
  std::map<std::uint32_t, int> state;  // 1 on stack, 2 done
  auto dfs = [&](auto&& self, std::uint32_t v) -> bool {
    state[v] = 1;
    for (auto w : adj[v]) {
      if (state[w] == 1) return true;
      if (state[w] == 0 && self(self, w)) return true;
    }
    state[v] = 2;
    return false;
  };
  for (auto& [v, _] : adj)
    if (state[v] == 0 && dfs(dfs, v)) return true;
  return false;
}

inline Scores Evaluate(const Dataset& d, const CycleOptions& co, const FanOptions& fo) {
  Scores s;
  const graph::Graph& g = d.graph;
  auto t0 = std::chrono::steady_clock::now();
  CycleResult cycles = FindCycles(g, co);
  auto t1 = std::chrono::steady_clock::now();
  std::vector<FanHub> hubs = FindFanHubs(g, fo);
  auto t2 = std::chrono::steady_clock::now();
  s.cycle_seconds = std::chrono::duration<double>(t1 - t0).count();
  s.fan_seconds = std::chrono::duration<double>(t2 - t1).count();

  std::set<std::int64_t> found_cycle_alerts;
  for (const Cycle& c : cycles.cycles) {
    ++s.cycles_reported;
    std::int64_t alert = d.link_alert[c.links.front()];
    bool same = true;
    for (auto l : c.links) same = same && d.link_alert[l] == alert;
    if (same && d.alerts.at(alert).type == "cycle") {
      ++s.cycles_correct;
      found_cycle_alerts.insert(alert);
    }
  }
  std::set<std::uint32_t> fan_receivers;
  std::map<std::uint32_t, const FanHub*> hub_of;
  for (const FanHub& h : hubs) hub_of[h.node] = &h;
  for (const auto& [id, a] : d.alerts) {
    if (a.type == "cycle") {
      ++s.cycle_alerts;
      s.cycle_alerts_with_cycle += AlertHasCycle(d, a);
      s.cycle_found += found_cycle_alerts.count(id);
    } else if (a.type == "fan_in") {
      ++s.fan_alerts;
      fan_receivers.insert(a.receiver);
      auto it = hub_of.find(a.receiver);
      if (it == hub_of.end()) continue;
      std::set<std::uint32_t> window(it->second->links.begin(), it->second->links.end());
      std::size_t inside = 0;
      for (auto l : a.tx) inside += window.count(l);
      if (2 * inside >= a.tx.size()) ++s.fan_found;
    }
  }
  for (const FanHub& h : hubs) {
    ++s.hubs_reported;
    s.hubs_correct += fan_receivers.count(h.node);
  }
  return s;
}

// The settings the evaluation (and the CLI defaults documented in docs/analysis-flows.md)
// use: cycles of up to 6 payments within 30 days; fan-in of >= 3 distinct payers in 10 days.
inline CycleOptions DefaultCycleOptions() {
  CycleOptions o;
  o.max_length = 6;
  o.window_seconds = 30 * 86400;
  return o;
}
inline FanOptions DefaultFanInOptions() {
  FanOptions o;
  o.direction = FanDirection::kIn;
  o.min_counterparties = 3;
  o.window_seconds = 10 * 86400;
  return o;
}

}  // namespace casegraph::analysis::aml
