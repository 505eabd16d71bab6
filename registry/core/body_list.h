#ifndef CERTREG_REGISTRY_CORE_BODY_LIST_H_
#define CERTREG_REGISTRY_CORE_BODY_LIST_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/registry.pb.h"
#include "registry/storage/store.h"

namespace certreg {

inline constexpr int kDefaultBodiesPageSize = 50;
inline constexpr int kMaxBodiesPageSize = 100;

// The certification bodies in `durable`, in approval-number order, a page at
// a time, each marked accredited or not on `today`. INVALID_ARGUMENT for a
// bad page size or token; DATA_LOSS naming a corrupt body record.
absl::StatusOr<v1::ListBodiesResponse> ListBodies(
    const ReadableStore& durable, absl::CivilDay today,
    const v1::ListBodiesRequest& request);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_BODY_LIST_H_
