// Cryptographic digests used for ids and content hashes (OpenSSL EVP underneath).
// Sha1Hex reproduces FtM's entity-id derivation; Sha256 hashes import inputs.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace casegraph {

std::string Sha1Hex(std::string_view data);
std::string Sha256Hex(std::string_view data);

// Incremental digest: Update() many times, then HexDigest() (once).
class Digest {
 public:
  enum class Kind { kSha1, kSha256 };
  explicit Digest(Kind kind);
  Digest(const Digest& other);  // copies the running state (FtM copies a seeded sha1)
  Digest& operator=(const Digest&) = delete;
  ~Digest();
  void Update(std::string_view data);
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casegraph
