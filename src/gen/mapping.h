// The FollowTheMoney mapping (mapping.yml) for the generator's CSV files, and the
// key_literal of every entity kind, shared so ground-truth ids match the mapping.
#pragma once

#include <string>
#include <string_view>

namespace casegraph::gen {

// key_literal per entity kind: every query that mentions an entity of that kind
// declares it with the same schema, keys column meaning and key_literal.
inline constexpr std::string_view kPersonLiteral = "person";
inline constexpr std::string_view kCompanyLiteral = "company";
inline constexpr std::string_view kAddressLiteral = "address";
inline constexpr std::string_view kAccountLiteral = "account";
inline constexpr std::string_view kKycPersonLiteral = "kyc-person";
inline constexpr std::string_view kKycCompanyLiteral = "kyc-company";
inline constexpr std::string_view kDirectorshipLiteral = "directorship";
inline constexpr std::string_view kOwnershipLiteral = "ownership";
inline constexpr std::string_view kPaymentLiteral = "payment";
inline constexpr std::string_view kEventLiteral = "event";

// The mapping file text for dataset `dataset`.
std::string MappingYaml(std::string_view dataset);

}  // namespace casegraph::gen
