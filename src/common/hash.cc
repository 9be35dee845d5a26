// Implementation of SHA-1/SHA-256 hex digests on OpenSSL's EVP interface.
#include "common/hash.h"

#include <openssl/evp.h>

#include "casegraph/status.h"

namespace casegraph {

struct Digest::Impl {
  EVP_MD_CTX* ctx = nullptr;
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Digest::Digest(Kind kind) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  CG_ASSERT(impl_->ctx != nullptr);
  EVP_DigestInit_ex(impl_->ctx, kind == Kind::kSha1 ? EVP_sha1() : EVP_sha256(), nullptr);
}

Digest::Digest(const Digest& other) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  CG_ASSERT(impl_->ctx != nullptr);
  EVP_MD_CTX_copy_ex(impl_->ctx, other.impl_->ctx);
}

Digest::~Digest() = default;

void Digest::Update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

std::string Digest::HexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, md, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

std::string Sha1Hex(std::string_view data) {
  Digest d(Digest::Kind::kSha1);
  d.Update(data);
  return d.HexDigest();
}

std::string Sha256Hex(std::string_view data) {
  Digest d(Digest::Kind::kSha256);
  d.Update(data);
  return d.HexDigest();
}

}  // namespace casegraph
