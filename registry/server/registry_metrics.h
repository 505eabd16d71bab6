#ifndef CERTREG_REGISTRY_SERVER_REGISTRY_METRICS_H_
#define CERTREG_REGISTRY_SERVER_REGISTRY_METRICS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"
#include "registry/core/registry.h"
#include "registry/storage/rocksdb_store.h"

namespace certreg {

// The registry's own metrics, read when Prometheus scrapes: the log's size,
// the latest checkpoint's age, writes waiting for their fsync and how long
// fsyncs take, free disk space, whether the database is read-only, and
// RocksDB's stalls, compaction debt and block cache. Thread-safe.
class RegistryCollector : public prometheus::Collectable {
 public:
  // `registry` and `store` must stay alive until Detach.
  RegistryCollector(const Registry* registry, const RocksDbStore* store,
                    std::string data_dir,
                    std::function<absl::Time()> now = absl::Now);

  // Stops reading the registry (before it closes): later scrapes show
  // nothing of it.
  void Detach();

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable absl::Mutex mu_;
  const Registry* registry_ ABSL_GUARDED_BY(mu_);
  const RocksDbStore* store_ ABSL_GUARDED_BY(mu_);
  const std::string data_dir_;
  const std::function<absl::Time()> now_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_REGISTRY_METRICS_H_
