// Writes the FtM mapping for the generated CSV files in the format Aleph's `ftm map`
// reads: <dataset>: {queries: [{csv_url, entities: {name: {schema, keys, key_literal,
// properties: {prop: {column|entity|literal, format}}}}}]}. Entities referred to from
// another query are redeclared there with the same schema, keys and key_literal, so
// their FtM ids match.
#include "gen/mapping.h"

#include <fmt/format.h>

namespace casegraph::gen {

namespace {
constexpr const char* kTemplate =
    R"(# FollowTheMoney mapping for the casegraph synthetic investigation.
# Run with `casegraph import --mapping mapping.yml` or `ftm map mapping.yml`.
# Entity ids: sha1(key_prefix + key_literal + key values), see docs/generator.md.
{dataset}:
  queries:
    - csv_url: addresses.csv
      entities:
        address:
          schema: Address
          keys: [address_id]
          key_literal: {address}
          properties:
            full: {{column: full}}
            street: {{column: street}}
            city: {{column: city}}
            postalCode: {{column: postal_code}}
            country: {{column: country}}
    - csv_url: persons.csv
      entities:
        address:
          schema: Address
          keys: [address_id]
          key_literal: {address}
        person:
          schema: Person
          keys: [person_id]
          key_literal: {person}
          properties:
            name: {{column: name}}
            firstName: {{column: first_name}}
            lastName: {{column: last_name}}
            gender: {{column: gender}}
            birthDate: {{column: birth_date}}
            nationality: {{column: nationality}}
            email: {{column: email}}
            phone: {{column: phone}}
            passportNumber: {{column: passport_number}}
            addressEntity: {{entity: address}}
    - csv_url: companies.csv
      entities:
        address:
          schema: Address
          keys: [address_id]
          key_literal: {address}
        company:
          schema: Company
          keys: [company_id]
          key_literal: {company}
          properties:
            name: {{column: name}}
            legalForm: {{column: legal_form}}
            jurisdiction: {{column: jurisdiction}}
            registrationNumber: {{column: registration_number}}
            incorporationDate: {{column: incorporation_date}}
            email: {{column: email}}
            phone: {{column: phone}}
            sector: {{column: sector}}
            addressEntity: {{entity: address}}
    - csv_url: kyc_persons.csv
      entities:
        person:
          schema: Person
          keys: [kyc_id]
          key_literal: {kyc_person}
          properties:
            name: {{column: full_name}}
            birthDate: {{column: birth_date, format: "%d.%m.%Y"}}
            nationality: {{column: nationality}}
            phone: {{column: phone}}
            email: {{column: email}}
            passportNumber: {{column: passport_number}}
            address: {{column: address}}
    - csv_url: kyc_companies.csv
      entities:
        company:
          schema: Company
          keys: [kyc_id]
          key_literal: {kyc_company}
          properties:
            name: {{column: name}}
            jurisdiction: {{column: jurisdiction}}
            registrationNumber: {{column: registration_number}}
            incorporationDate: {{column: incorporation_date, format: "%d.%m.%Y"}}
            address: {{column: address}}
    - csv_url: bank_accounts.csv
      entities:
        account:
          schema: BankAccount
          keys: [account_id]
          key_literal: {account}
          properties:
            iban: {{column: iban}}
            bic: {{column: bic}}
            bankName: {{column: bank_name}}
            currency: {{column: currency}}
            openingDate: {{column: opening_date}}
    - csv_url: directorships.csv
      entities:
        director:
          schema: Person
          keys: [person_id]
          key_literal: {person}
        organization:
          schema: Company
          keys: [company_id]
          key_literal: {company}
        directorship:
          schema: Directorship
          keys: [directorship_id]
          key_literal: {directorship}
          properties:
            director: {{entity: director}}
            organization: {{entity: organization}}
            role: {{column: role}}
            startDate: {{column: start_date}}
            endDate: {{column: end_date}}
    - csv_url: ownerships.csv
      entities:
        owner:
          schema: Company
          keys: [owner_id]
          key_literal: {company}
        asset:
          schema: Company
          keys: [company_id]
          key_literal: {company}
        ownership:
          schema: Ownership
          keys: [ownership_id]
          key_literal: {ownership}
          properties:
            owner: {{entity: owner}}
            asset: {{entity: asset}}
            percentage: {{column: percentage}}
            startDate: {{column: start_date}}
    - csv_url: person_ownerships.csv
      entities:
        owner:
          schema: Person
          keys: [owner_id]
          key_literal: {person}
        asset:
          schema: Company
          keys: [company_id]
          key_literal: {company}
        ownership:
          schema: Ownership
          keys: [ownership_id]
          key_literal: {ownership}
          properties:
            owner: {{entity: owner}}
            asset: {{entity: asset}}
            percentage: {{column: percentage}}
            startDate: {{column: start_date}}
    - csv_url: events.csv
      entities:
        event:
          schema: Event
          keys: [event_id]
          key_literal: {event}
          properties:
            name: {{column: name}}
            summary: {{column: kind}}
            location: {{column: location}}
            country: {{column: country}}
            startDate: {{column: start}}
            endDate: {{column: end}}
    - csv_url: event_participants.csv
      entities:
        participant:
          schema: Person
          keys: [person_id]
          key_literal: {person}
        event:
          schema: Event
          keys: [event_id]
          key_literal: {event}
          properties:
            involved: {{entity: participant}}
    - csv_url: payments.csv
      entities:
        payer:
          schema: Company
          keys: [payer_id]
          key_literal: {company}
        beneficiary:
          schema: Company
          keys: [beneficiary_id]
          key_literal: {company}
        payer_account:
          schema: BankAccount
          keys: [payer_account_id]
          key_literal: {account}
        beneficiary_account:
          schema: BankAccount
          keys: [beneficiary_account_id]
          key_literal: {account}
        payment:
          schema: Payment
          keys: [payment_id]
          key_literal: {payment}
          properties:
            payer: {{entity: payer}}
            beneficiary: {{entity: beneficiary}}
            payerAccount: {{entity: payer_account}}
            beneficiaryAccount: {{entity: beneficiary_account}}
            date: {{column: date}}
            amount: {{column: amount}}
            currency: {{column: currency}}
            purpose: {{column: purpose}}
    - csv_url: deposits.csv
      entities:
        payer:
          schema: Person
          keys: [payer_id]
          key_literal: {person}
        beneficiary:
          schema: Company
          keys: [beneficiary_id]
          key_literal: {company}
        payer_account:
          schema: BankAccount
          keys: [payer_account_id]
          key_literal: {account}
        beneficiary_account:
          schema: BankAccount
          keys: [beneficiary_account_id]
          key_literal: {account}
        payment:
          schema: Payment
          keys: [payment_id]
          key_literal: {payment}
          properties:
            payer: {{entity: payer}}
            beneficiary: {{entity: beneficiary}}
            payerAccount: {{entity: payer_account}}
            beneficiaryAccount: {{entity: beneficiary_account}}
            date: {{column: date}}
            amount: {{column: amount}}
            currency: {{column: currency}}
            purpose: {{column: purpose}}
)";
}  // namespace

std::string MappingYaml(std::string_view dataset) {
  return fmt::format(
      fmt::runtime(kTemplate), fmt::arg("dataset", dataset), fmt::arg("address", kAddressLiteral),
      fmt::arg("person", kPersonLiteral), fmt::arg("company", kCompanyLiteral),
      fmt::arg("kyc_person", kKycPersonLiteral), fmt::arg("kyc_company", kKycCompanyLiteral),
      fmt::arg("account", kAccountLiteral), fmt::arg("directorship", kDirectorshipLiteral),
      fmt::arg("ownership", kOwnershipLiteral), fmt::arg("payment", kPaymentLiteral),
      fmt::arg("event", kEventLiteral));
}

}  // namespace casegraph::gen
