// Entity and Grading helpers (see entity.h).
#include "model/entity.h"

namespace casegraph::model {

std::string Grading::ToString() const {
  std::string out;
  if (reliability != 0) out.push_back(reliability);
  if (credibility != 0) out += std::to_string(credibility);
  return out;
}

const std::string& Entity::First(const std::string& prop) const {
  static const std::string kEmpty;
  for (const auto& v : values) {
    if (v.prop == prop) return v.value;
  }
  return kEmpty;
}

std::vector<std::string> Entity::All(const std::string& prop) const {
  std::vector<std::string> out;
  for (const auto& v : values) {
    if (v.prop == prop) out.push_back(v.value);
  }
  return out;
}

}  // namespace casegraph::model
