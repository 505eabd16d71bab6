// For tests of damage: what someone with the database's files could write.
#ifndef CERTREG_REGISTRY_CORE_RECORD_TAMPERING_H_
#define CERTREG_REGISTRY_CORE_RECORD_TAMPERING_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "certreg/v1/record.pb.h"
#include "registry/storage/store.h"
#include "registry/storage/store_keys.h"

namespace certreg {

// Rewrites certificate `number`'s stored record with its holder renamed
// `name`: a valid encoding, so only a check against the signed statements
// can tell.
inline absl::Status RenameHolderInRecord(Store& store,
                                         const std::string& number,
                                         const std::string& name) {
  absl::StatusOr<std::optional<std::string>> bytes =
      store.Get(Column::kCertificates, number);
  if (!bytes.ok()) return bytes.status();
  v1::CertificateRecord record;
  if (!bytes->has_value() || !record.ParseFromString(**bytes)) {
    return absl::NotFoundError("no readable record of " + number);
  }
  record.mutable_chain()->mutable_certificate()->mutable_holder()->set_name(
      name);
  WriteBatch batch;
  batch.Put(Column::kCertificates, number, record.SerializeAsString());
  return store.Write(batch);
}

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_RECORD_TAMPERING_H_
