// Security labels and clearances. Every read path takes a Clearances; a labelled entity,
// link or value is visible only if the reader holds that label. The empty label is
// always visible. Later issues build per-user access control on top of this.
#pragma once

#include <set>
#include <string>

namespace casegraph::model {

class Clearances {
 public:
  // Sees only unlabelled data.
  Clearances() = default;
  explicit Clearances(std::set<std::string> labels) : labels_(std::move(labels)) {}
  // Sees everything (for administrative tasks such as export by the case owner).
  static Clearances All() {
    Clearances c;
    c.all_ = true;
    return c;
  }
  bool Covers(const std::string& label) const {
    return label.empty() || all_ || labels_.count(label) > 0;
  }
  bool all() const { return all_; }
  const std::set<std::string>& labels() const { return labels_; }

 private:
  std::set<std::string> labels_;
  bool all_ = false;
};

}  // namespace casegraph::model
